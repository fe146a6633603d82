"""Self-checking exercises: write a function, pass it to a checker.

Each checker runs your function on many seeded random cases against the
reference implementation. It prints a ✓, or a hint that names the mistake
it found, and returns ``True`` or ``False``. Whatever your function does,
the checker does not raise: a function that crashes (even with
``SystemExit``) gets a hint too; only ``KeyboardInterrupt`` stops a checker.
Passing something that is not a function raises ``TypeError``.

The checkers keep private copies of everything they pass to your function,
compute the expected answer from those copies, and report it when your
function modifies its inputs in place. Answers are compared in float64 with
a tolerance that suits the dtype you returned, so float64, float16, NumPy
and Python numbers are all judged by their value.

    >>> from mixup_edu.exercises import check_sample_lambda
    >>> check_sample_lambda(my_sample_lambda)
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Iterable
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from ._checks import check_real
from .mixup import sample_beta


class _Wrong(Exception):
    """A diagnosed mistake; its message is the hint shown to the student."""


def _report(name: str, fn: object, check: Callable[[], Iterable[str]]) -> bool:
    """Run ``check`` of ``fn``; print ✓ and its notes, or ✗ and the hint. ``KeyboardInterrupt`` is not caught."""
    if not callable(fn):
        raise TypeError(
            f"fn must be your function itself, as in check_{name}(my_{name}), "
            f"got {type(fn).__name__} {reprlib.repr(fn)}"
        )
    try:
        notes = list(check())
    except _Wrong as wrong:
        print(f"✗ {name}: {wrong}")
        return False
    except Exception as error:  # noqa: BLE001 -- an answer so unusual that comparing it failed
        print(f"✗ {name}: your answer could not be checked ({type(error).__name__}: {error}).")
        return False
    print(f"✓ {name}: correct on every case we tried.")
    for note in notes:
        print(f"  Note: {note}")
    return True


def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's function; whatever it raises, ``SystemExit`` and ``GeneratorExit`` included, is a hint."""
    try:
        answer = fn(*args, **kwargs)
    except (Exception, SystemExit, GeneratorExit) as error:
        raise _Wrong(f"your function raised {type(error).__name__}" + (f": {error}" if str(error) else "")) from error
    if answer is None:
        raise _Wrong("your function returned None: is a `return` missing?")
    return answer


def _check_unchanged(advice: str, **given: tuple[torch.Tensor, torch.Tensor]) -> None:
    """Each ``name=(tensor passed to the student, private copy taken before)`` must still be equal."""
    for name, (passed, before) in given.items():
        if not torch.equal(passed, before):
            raise _Wrong(
                f"your function modified {name} in place; the caller's tensors must stay as they were. {advice}"
            )


def _number(value: object, what: str) -> float:
    """``value`` as a float if it is one finite real number (Python, NumPy or a one-element tensor)."""
    try:
        return check_real(value, what)
    except TypeError as error:
        raise _Wrong(f"{error}; return one number.") from None
    except ValueError:
        raise _Wrong(f"{what} was {value!r}; it must be a finite number.") from None


def _precision(value: object) -> torch.dtype:
    """The floating-point dtype a returned number was computed in (float64 for Python numbers)."""
    if isinstance(value, torch.Tensor) and value.is_floating_point():
        return value.dtype
    if isinstance(value, (np.generic, np.ndarray)) and value.dtype.kind == "f":
        return {2: torch.float16, 4: torch.float32}.get(value.dtype.itemsize, torch.float64)
    return torch.float64


def _coarsest(dtypes: Iterable[torch.dtype]) -> torch.dtype:
    return max(dtypes, key=lambda d: torch.finfo(d).eps)


def _tolerance(*dtypes: torch.dtype) -> float:
    """Absolute tolerance for values of order 1 computed in the coarsest of ``dtypes``."""
    return max([1e-5] + [4 * torch.finfo(d).eps for d in dtypes if d.is_floating_point])


def _close(a: torch.Tensor, b: torch.Tensor, tol: float) -> bool:
    return bool(((a - b).abs() <= tol).all())


# λ ~ Beta(α, α): the test shared by check_sample_lambda and check_mixup_data.

_FALSE_ALARM = 1e-6  # chance that a correct answer's draws fail one statistical test
_Z = NormalDist().inv_cdf(1 - _FALSE_ALARM / 2)  # a mean this many standard errors off has that chance


def _ks_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs."""
    grid = torch.cat([a, b]).sort().values
    cdf_a = torch.searchsorted(a.sort().values, grid, right=True) / len(a)
    cdf_b = torch.searchsorted(b.sort().values, grid, right=True) / len(b)
    return (cdf_a - cdf_b).abs().max().item()


def _ks_threshold(n: int, m: int) -> float:
    """KS distance that two samples of sizes n and m from one distribution exceed with probability _FALSE_ALARM."""
    return math.sqrt(-math.log(_FALSE_ALARM / 2) / 2 * (n + m) / (n * m))


def _diagnose_lambda_draws(draws: torch.Tensor, alpha: float, precision: torch.dtype) -> None:
    """``draws`` (float64) must look like independent draws of Beta(α, α), for α > 0, rounded to ``precision``."""
    n = len(draws)
    if draws.min() < 0 or draws.max() > 1:
        raise _Wrong(f"got λ outside [0, 1] for alpha = {alpha}; a mixing weight must lie in [0, 1].")
    if draws.std() < 1e-6:
        never = " With λ = 1 (or 0) nothing is ever mixed: your function never mixes." if draws[0] in (0, 1) else ""
        raise _Wrong(
            f"every draw was {draws[0]:.3f} for alpha = {alpha}: λ must be random, not a constant.{never} "
            "Draw λ ~ Beta(α, α) anew for every batch."
        )
    if alpha < 1 and draws.max() <= alpha + 1e-9:
        raise _Wrong(
            f"for alpha = {alpha} no λ ever exceeded {alpha}: this is Uniform(0, α), "
            "not Beta(α, α). Draw from torch.distributions.Beta(alpha, alpha) or via two Gammas."
        )
    # Beta(α, α) has mean 1/2 and standard deviation 1 / (2·sqrt(2α + 1)).
    if abs(draws.mean().item() - 0.5) > _Z / (2 * math.sqrt(2 * alpha + 1)) / math.sqrt(n):
        raise _Wrong(
            f"for alpha = {alpha} the mean of λ was {draws.mean():.2f}, but Beta(α, α) is symmetric "
            "around 0.5: are both parameters α?"
        )
    # Rounded like the answers: float16 puts all of Beta(0.2, 0.2)'s mass above 1 − 2.4e-4 (about 10 %) on 1.0.
    reference = sample_beta(alpha, (10 * n,), torch.Generator().manual_seed(2)).to(precision).to(torch.float64)
    if _ks_distance(draws, reference) > _ks_threshold(n, len(reference)):
        raise _Wrong(
            f"for alpha = {alpha} the draws do not follow Beta(α, α) "
            "(compare your histogram with me.sample_beta): check both parameters."
        )


def check_sample_lambda(fn: Callable[..., float]) -> bool:
    """Check ``fn(alpha, generator=None) -> float``: one draw of λ ~ Beta(α, α), 1.0 for α = 0."""

    def check() -> list[str]:
        def draw(alpha: float, seed: int, n: int) -> tuple[torch.Tensor, torch.dtype]:
            """n answers of fn from one generator seeded with seed, as float64, and their coarsest dtype."""
            generator = torch.Generator().manual_seed(seed)
            answers = [_call(fn, alpha, generator=generator) for _ in range(n)]
            draws = torch.tensor([_number(a, "λ") for a in answers], dtype=torch.float64)
            return draws, _coarsest(map(_precision, answers))

        if draw(0.0, 0, 1)[0].item() != 1.0:
            raise _Wrong("for alpha = 0 the answer must be 1.0 (no mixing at all, plain ERM).")
        reproducible = True
        for alpha in (0.2, 1.0, 4.0):
            draws, precision = draw(alpha, 1, 2000)
            reproducible &= torch.equal(draw(alpha, 1, 5)[0], draws[:5])
            _diagnose_lambda_draws(draws, alpha, precision)
        if reproducible:
            return []
        return [
            (
                "the same seeded generator gave different draws. torch.distributions ignores generators; "
                "to make runs repeatable, draw with the generator (see me.sample_beta for one way)."
            )
        ]

    return _report("sample_lambda", fn, check)


# mixup_data: batches where every sample is a basis vector with a label of its own.

_MIXUP_ALPHAS = (0.2, 0.4, 1.0, 2.0)
_CALLS_PER_ALPHA = 400  # enough draws of λ per α for the Beta(α, α) test, fast enough for a notebook
_BATCH_SIZES = (6, 9, 16)
_BUILD_NEW = "Build a new tensor instead (e.g. lam * x + (1 - lam) * x[perm])."


class _IndexBatch(NamedTuple):
    """Sample i is the basis vector e_i with a label no other sample has: its partner shows in mixed_x and in y_b."""

    x: torch.Tensor
    y: torch.Tensor  # a permutation of 0 .. b - 1
    x64: torch.Tensor  # x in float64, to compare answers with
    rows: torch.Tensor  # 0 .. b - 1
    position: torch.Tensor  # position[label] is the sample with that label

    @classmethod
    def of_size(cls, b: int) -> _IndexBatch:
        y = torch.randperm(b, generator=torch.Generator().manual_seed(b))
        x = torch.eye(b, dtype=torch.float32)
        return cls(x, y, x.double(), torch.arange(b), y.argsort())


def _image_partners(mixed: torch.Tensor, tol: float) -> torch.Tensor:
    """For each row of a mixed batch of basis vectors, the other sample it holds most of (itself if none)."""
    others = mixed.clone().fill_diagonal_(-math.inf)
    weight, partner = others.max(dim=1)
    return torch.where(weight > tol, partner, torch.arange(len(mixed)))


def _one_lam(lam: object, what: str) -> float:
    """``lam`` as a float in [0, 1]: a Python or NumPy number, or a tensor or array with one element."""
    if isinstance(lam, np.ndarray):
        lam = torch.from_numpy(lam)
    if isinstance(lam, torch.Tensor) and lam.numel() > 1:
        raise _Wrong("this exercise wants one λ per batch (a float), as in the paper's code.")
    value = _number(lam, what)
    if not 0 <= value <= 1:
        raise _Wrong(f"{what} = {value} is outside [0, 1].")
    return value


def _labels(value: object, name: str, y: torch.Tensor) -> torch.Tensor:
    """``value`` must be a tensor of labels with the shape and dtype of ``y``."""
    if not isinstance(value, torch.Tensor):
        raise _Wrong(f"{name} must be a torch.Tensor of labels like y, got {type(value).__name__}.")
    if value.dtype != y.dtype:
        advice = (
            "class indices are names, not quantities: mix the losses, not the labels."
            if value.is_floating_point()
            else "return labels in y's dtype."
        )
        raise _Wrong(f"{name} has dtype {value.dtype}, but the labels y are {y.dtype}: {advice}")
    if tuple(value.shape) != tuple(y.shape):
        raise _Wrong(f"{name} has shape {tuple(value.shape)}, expected the labels' shape {tuple(y.shape)}.")
    return value.detach().cpu()


def _mixed_images(value: object, x: torch.Tensor) -> torch.Tensor:
    """``value`` must be a floating-point tensor of x's shape; returned in float64 for comparison."""
    if not isinstance(value, torch.Tensor):
        raise _Wrong(f"mixed_x must be a torch.Tensor, got {type(value).__name__}.")
    if tuple(value.shape) != tuple(x.shape):
        raise _Wrong(f"mixed_x has shape {tuple(value.shape)}, expected the input's shape {tuple(x.shape)}.")
    if not value.is_floating_point():
        raise _Wrong(
            f"mixed_x has dtype {value.dtype}, but a blend of images holds fractions: keep x's "
            f"floating-point dtype ({x.dtype})."
        )
    return value.detach().cpu().to(torch.float64)


def _diagnose_mixed_images(mixed: torch.Tensor, x: torch.Tensor, perm: torch.Tensor, lam: float, tol: float) -> None:
    """``mixed`` (float64) must be lam * x + (1 - lam) * x[perm] for x the basis vectors and perm from y_b."""
    if _close(mixed, lam * x + (1 - lam) * x[perm], tol):
        return
    if not bool(mixed.isfinite().all()):
        raise _Wrong("mixed_x contains NaN or inf, although x holds only 0s and 1s.")
    partner = _image_partners(mixed, tol)  # who each row was really mixed with
    if _close(mixed, lam * x + (1 - lam) * x[partner], tol):
        if bool((partner == torch.arange(len(x))).all()):
            raise _Wrong(
                f"mixed_x equals x although lam = {lam:.3f} and y_b gives samples partners: your function "
                "never mixes. Return mixed_x = lam * x + (1 - lam) * x[perm]."
            )
        raise _Wrong(
            "y_b does not belong to the images that were mixed in: permute the labels with the "
            "same permutation as the inputs, y_b = y[perm]."
        )
    if _close(mixed, (1 - lam) * x + lam * x[partner], tol):
        raise _Wrong(
            "the weights are swapped: each sample keeps weight (1 − λ) of itself, while the labels say λ. "
            "Use mixed_x = lam * x + (1 - lam) * x[perm]."
        )
    own = mixed.diagonal()[partner != torch.arange(len(x))]
    if (
        len(own)
        and _close(own, own[:1].expand_as(own), tol)
        and _close(mixed, own[0] * x + (1 - own[0]) * x[partner], tol)
    ):
        raise _Wrong(
            f"the images were mixed with λ = {own[0]:.3f}, but you returned lam = {lam:.3f}: "
            "draw λ once and return the λ you mixed with."
        )
    raise _Wrong("mixed_x is not lam * x + (1 - lam) * x[perm] for one permutation perm.")


class _Mixing(NamedTuple):
    """What one checked call of the student's mixup_data returned."""

    lam: float
    lam_dtype: torch.dtype
    paired: bool  # whether y_b gives some sample a partner other than itself
    mixed_dtype: torch.dtype


def _mixup_call(fn: Callable, batch: _IndexBatch, alpha: float, generator: torch.Generator) -> _Mixing:
    """Check one call of ``fn`` on copies of the batch, against the batch itself."""
    x0, y0 = batch.x, batch.y
    x, y = x0.clone(), y0.clone()
    out = _call(fn, x, y, alpha, generator=generator)
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        raise _Wrong("return four things: (mixed_x, y_a, y_b, lam).")
    mixed_x, y_a, y_b, lam = out
    _check_unchanged(_BUILD_NEW, x=(x, x0), y=(y, y0))
    mixed = _mixed_images(mixed_x, x0)
    if not torch.equal(_labels(y_a, "y_a", y0), y0):
        raise _Wrong("y_a should be the original labels y, unchanged.")
    y_b = _labels(y_b, "y_b", y0)
    if not torch.equal(y_b.sort().values, batch.rows):
        raise _Wrong(
            "y_b is not a permutation of y: draw one permutation, perm = torch.randperm(len(x)), "
            "and use it for both, x[perm] and y_b = y[perm]."
        )
    lam_dtype, lam = _precision(lam), _one_lam(lam, "lam")
    perm = batch.position[y_b]  # the partner of sample i according to y_b
    tol = _tolerance(mixed_x.dtype, x0.dtype, lam_dtype)
    if alpha == 0:
        if lam != 1.0 or not _close(mixed, batch.x64, tol):
            raise _Wrong("with alpha = 0 nothing should be mixed: lam = 1 and mixed_x equal to x.")
    elif mixed_x is x and lam != 1.0:
        raise _Wrong(
            "you returned x itself as mixed_x: your function never mixes. "
            "Return mixed_x = lam * x + (1 - lam) * x[perm]."
        )
    else:
        _diagnose_mixed_images(mixed, batch.x64, perm, lam, tol)
    return _Mixing(lam, lam_dtype, not torch.equal(perm, batch.rows), mixed_x.dtype)


def check_mixup_data(fn: Callable) -> bool:
    """Check ``fn(x, y, alpha, generator=None) -> (mixed_x, y_a, y_b, lam)``, one λ per batch.

    Over many calls for each α, the returned λ must follow Beta(α, α); in every call
    mixed_x must be ``lam * x + (1 - lam) * x[perm]`` for the permutation that y_b shows,
    and that permutation must not always be the identity. α = 0 must leave x unchanged.
    """
    batches = [_IndexBatch.of_size(b) for b in _BATCH_SIZES]

    def check() -> list[str]:
        dtypes = set()
        for alpha in _MIXUP_ALPHAS:
            generator = torch.Generator().manual_seed(round(alpha * 10))
            calls = [_mixup_call(fn, batches[k % len(batches)], alpha, generator) for k in range(_CALLS_PER_ALPHA)]
            lams = torch.tensor([call.lam for call in calls], dtype=torch.float64)
            _diagnose_lambda_draws(lams, alpha, _coarsest(call.lam_dtype for call in calls))
            if not any(call.paired for call in calls):
                raise _Wrong(
                    "every sample was mixed with itself: use a random permutation of the batch, "
                    "x[torch.randperm(len(x))], as the partner."
                )
            dtypes |= {call.mixed_dtype for call in calls}
        for seed, batch in enumerate(batches):
            dtypes.add(_mixup_call(fn, batch, 0.0, torch.Generator().manual_seed(seed)).mixed_dtype)
        return [
            f"mixed_x came back as {dtype} while x is torch.float32; a model with float32 weights refuses it. "
            "Keep x's dtype (a Python float lam does)."
            for dtype in sorted(dtypes - {torch.float32}, key=str)
        ]

    return _report("mixup_data", fn, check)


# mixup loss: λ·CE(logits, y_a) + (1 − λ)·CE(logits, y_b).

_KEEP_INPUTS = "Compute with out-of-place operations (logits - m, not logits.sub_(m)) or on a copy."


def _loss_value(loss: object) -> float:
    """The student's loss as a float: one floating-point number in a tensor or NumPy array, or a plain number."""
    if isinstance(loss, np.ndarray):
        loss = torch.from_numpy(loss)
    if isinstance(loss, torch.Tensor):
        if loss.numel() != 1:
            raise _Wrong(f"the loss should be one number (the batch mean), got shape {tuple(loss.shape)}.")
        if not loss.is_floating_point():
            raise _Wrong(
                f"the loss has dtype {loss.dtype}; a loss is a floating-point number, and training needs its gradient."
            )
    return _number(loss, "the loss")


def _diagnose_loss(value: float, tol: float, lam: float, ce_a: float, ce_b: float, ce_mixed_index: float) -> None:
    """``value`` must be λ·ce_a + (1 − λ)·ce_b; otherwise name the classic mistake it matches."""

    def near(number: float) -> bool:
        return abs(value - number) <= tol * max(1.0, abs(number))

    want = lam * ce_a + (1 - lam) * ce_b
    if near(want):
        return
    if near((1 - lam) * ce_a + lam * ce_b):
        raise _Wrong("the weights are swapped: y_a gets λ and y_b gets (1 − λ).")
    if near(lam * ce_a) or near(ce_a) or near((1 - lam) * ce_b) or near(ce_b):
        raise _Wrong("one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).")
    if near(ce_mixed_index):
        raise _Wrong(
            "you mixed the class indices (e.g. 0.3·3 + 0.7·7 ≈ 6) and rounded them: class numbers "
            "are names, not quantities. Mix the two losses instead."
        )
    raise _Wrong(f"for lam = {lam} your loss was {value:.4f}, expected {want:.4f}.")


def check_mixup_loss(fn: Callable) -> bool:
    """Check ``fn(logits, y_a, y_b, lam) -> loss``: λ·CE(logits, y_a) + (1 − λ)·CE(logits, y_b)."""

    def check() -> list[str]:
        g = torch.Generator().manual_seed(0)
        notes: list[str] = []
        for lam in (0.3, 0.8, 0.65, 0.0, 1.0):  # informative values first; 0 and 1 are edge cases
            logits0 = torch.randn(32, 10, generator=g) * 2
            y_a0, y_b0 = torch.randint(0, 10, (32,), generator=g), torch.randint(0, 10, (32,), generator=g)
            # The expected values come from private float64 copies, before the student's code runs.
            ce_a, ce_b = (F.cross_entropy(logits0.double(), y).item() for y in (y_a0, y_b0))
            mixed_index = (lam * y_a0 + (1 - lam) * y_b0).round().long().clamp(0, 9)
            ce_mixed_index = F.cross_entropy(logits0.double(), mixed_index).item()
            logits, y_a, y_b = logits0.clone(), y_a0.clone(), y_b0.clone()
            try:
                loss = _call(fn, logits, y_a, y_b, lam)
            except _Wrong as wrong:
                error = wrong.__cause__
                if isinstance(error, RuntimeError) and "dtype" in str(error):
                    raise _Wrong(
                        f"your function raised RuntimeError ({error}). If you mixed the class indices "
                        "themselves, that is the bug: mix the losses (or one-hot targets), not the "
                        "numbers."
                    ) from error
                raise
            _check_unchanged(_KEEP_INPUTS, logits=(logits, logits0), y_a=(y_a, y_a0), y_b=(y_b, y_b0))
            _diagnose_loss(_loss_value(loss), _tolerance(_precision(loss)), lam, ce_a, ce_b, ce_mixed_index)
            if not isinstance(loss, torch.Tensor) and not notes:
                notes.append(
                    f"your loss is a {type(loss).__name__}, not a tensor: training calls "
                    "loss.backward(), so return the tensor itself (no .item())."
                )
        return notes

    return _report("mixup_loss", fn, check)
