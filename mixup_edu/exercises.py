"""Self-checking exercises: write a function, pass it to a checker.

Each checker runs your function on many seeded random cases against the
reference implementation. It prints a ✓, or a hint that names the mistake
it found, and returns ``True`` or ``False``. It never raises: a function
that crashes gets a hint too.

    >>> from mixup_edu.exercises import check_sample_lambda
    >>> check_sample_lambda(my_sample_lambda)
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

from .mix import sample_beta


class _Wrong(Exception):
    """A diagnosed mistake; its message is the hint shown to the student."""


def _report(name: str, check: Callable[[], None]) -> bool:
    try:
        check()
    except _Wrong as wrong:
        print(f"✗ {name}: {wrong}")
        return False
    except Exception as error:  # the student's code may fail in any way
        print(f"✗ {name}: your function raised {type(error).__name__}: {error}")
        return False
    print(f"✓ {name}: correct on every case we tried.")
    return True


def _ks_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs."""
    grid = torch.cat([a, b]).sort().values
    cdf_a = torch.searchsorted(a.sort().values, grid, right=True) / len(a)
    cdf_b = torch.searchsorted(b.sort().values, grid, right=True) / len(b)
    return (cdf_a - cdf_b).abs().max().item()


def check_sample_lambda(fn: Callable[..., float]) -> bool:
    """Check ``fn(alpha, generator=None) -> float``: one draw of λ ~ Beta(α, α), 1.0 for α = 0."""

    reproducible = True

    def check() -> None:
        nonlocal reproducible
        if float(fn(0.0, generator=torch.Generator().manual_seed(0))) != 1.0:
            raise _Wrong("for alpha = 0 the answer must be 1.0 (no mixing at all, plain ERM).")
        for alpha in (0.2, 1.0, 4.0):
            g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(1)
            draws = torch.tensor([float(fn(alpha, generator=g1)) for _ in range(2000)], dtype=torch.float64)
            reproducible &= [float(fn(alpha, generator=g2)) for _ in range(5)] == draws[:5].tolist()
            if draws.min() < 0 or draws.max() > 1:
                raise _Wrong(f"got λ outside [0, 1] for alpha = {alpha}; a mixing weight must lie in [0, 1].")
            if draws.std() < 1e-6:
                raise _Wrong(f"every draw was {draws[0]:.3f} for alpha = {alpha}: λ must be random, not a constant.")
            if alpha < 1 and draws.max() <= alpha + 1e-9:
                raise _Wrong(f"for alpha = {alpha} no λ ever exceeded {alpha}: this is Uniform(0, α), "
                             "not Beta(α, α). Draw from torch.distributions.Beta(alpha, alpha) or via two Gammas.")
            if abs(draws.mean().item() - 0.5) > 0.05:
                raise _Wrong(f"for alpha = {alpha} the mean of λ was {draws.mean():.2f}, but Beta(α, α) is symmetric "
                             "around 0.5: are both parameters α?")
            reference = sample_beta(alpha, (2000,), torch.Generator().manual_seed(2))
            if _ks_distance(draws, reference) > 0.07:
                raise _Wrong(f"for alpha = {alpha} the draws do not follow Beta(α, α) "
                             "(compare your histogram with me.sample_beta): check both parameters.")

    passed = _report("sample_lambda", check)
    if passed and not reproducible:
        print("  Note: the same seeded generator gave different draws. torch.distributions ignores generators;"
              " to make runs repeatable, draw with the generator (see me.sample_beta for one way).")
    return passed


def _eye_batch(b: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Sample i is the basis vector e_i, so a mixed row shows its own and its partner's weight."""
    return torch.eye(b), torch.randint(0, 3, (b,), generator=torch.Generator().manual_seed(b))


def _diagnose_mixup_data(fn: Callable, b: int, alpha: float, seed: int) -> None:
    x, y = _eye_batch(b)
    x0, y0 = x.clone(), y.clone()
    out = fn(x, y, alpha, generator=torch.Generator().manual_seed(seed))
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        raise _Wrong("return four things: (mixed_x, y_a, y_b, lam).")
    mixed, y_a, y_b, lam = out
    if not torch.equal(x, x0) or not torch.equal(y, y0):
        raise _Wrong("your function modified its input in place; build a new tensor instead "
                     "(e.g. lam * x + (1 - lam) * x[perm]).")
    if tuple(mixed.shape) != tuple(x.shape):
        raise _Wrong(f"mixed_x has shape {tuple(mixed.shape)}, expected the input's shape {tuple(x.shape)}.")
    lam = float(lam) if not isinstance(lam, torch.Tensor) or lam.numel() == 1 else lam
    if isinstance(lam, torch.Tensor):
        raise _Wrong("this exercise wants one λ per batch (a float), as in the paper's code.")
    if not 0 <= lam <= 1:
        raise _Wrong(f"lam = {lam} is outside [0, 1].")
    if not torch.equal(y_a, y):
        raise _Wrong("y_a should be the original labels y, unchanged.")
    if alpha == 0:
        if lam != 1.0 or not torch.allclose(mixed, x):
            raise _Wrong("with alpha = 0 nothing should be mixed: lam = 1 and mixed_x equal to x.")
        return
    if lam in (0.0, 1.0) or abs(lam - 0.5) < 1e-3:
        return  # too symmetric to tell the two weights apart on this draw
    own = mixed.diagonal()
    paired = (own - 1).abs() > 1e-5  # rows whose partner is another sample
    if not paired.any():
        raise _Wrong("every sample was mixed with itself: use a random permutation of the batch, "
                     "x[torch.randperm(len(x))], as the partner.")
    if torch.allclose(own[paired], torch.full_like(own[paired], 1 - lam), atol=1e-5):
        raise _Wrong("the weights are swapped: each sample keeps weight (1 − λ) of itself, while the labels say λ. "
                     "Use mixed_x = lam * x + (1 - lam) * x[perm].")
    if not torch.allclose(own[paired], torch.full_like(own[paired], lam), atol=1e-5):
        raise _Wrong("mixed_x is not lam * x + (1 - lam) * x[perm] for any partner.")
    partner = torch.where(paired, (mixed - lam * x).argmax(dim=1), torch.arange(b))
    if not torch.allclose(mixed, lam * x + (1 - lam) * x[partner], atol=1e-5):
        raise _Wrong("mixed_x is not lam * x + (1 - lam) * x[perm] for one permutation perm.")
    if not torch.equal(y_b, y[partner]):
        raise _Wrong("y_b does not belong to the images that were mixed in: permute the labels with the "
                     "same permutation as the inputs, y_b = y[perm].")


def check_mixup_data(fn: Callable) -> bool:
    """Check ``fn(x, y, alpha, generator=None) -> (mixed_x, y_a, y_b, lam)``, one λ per batch."""

    def check() -> None:
        for b, alpha, seed in [(b, a, s) for b in (6, 16) for a in (0.4, 1.0) for s in range(4)] + [(8, 0.0, 0)]:
            _diagnose_mixup_data(fn, b, alpha, seed)

    return _report("mixup_data", check)


def _reference_loss(logits: torch.Tensor, y_a: torch.Tensor, y_b: torch.Tensor, lam: float) -> torch.Tensor:
    return lam * F.cross_entropy(logits, y_a) + (1 - lam) * F.cross_entropy(logits, y_b)


def check_mixup_loss(fn: Callable) -> bool:
    """Check ``fn(logits, y_a, y_b, lam) -> loss``: λ·CE(logits, y_a) + (1 − λ)·CE(logits, y_b)."""

    def check() -> None:
        g = torch.Generator().manual_seed(0)
        for lam in (0.3, 0.8, 0.65, 0.0, 1.0):  # informative values first; 0 and 1 are edge cases
            logits = torch.randn(32, 10, generator=g) * 2
            y_a, y_b = torch.randint(0, 10, (32,), generator=g), torch.randint(0, 10, (32,), generator=g)
            try:
                loss = fn(logits, y_a, y_b, lam)
            except RuntimeError as error:
                if "dtype" not in str(error):
                    raise
                raise _Wrong(f"your function raised RuntimeError ({error}). If you mixed the class indices "
                             "themselves, that is the bug: mix the losses (or one-hot targets), not the numbers.") from error
            loss = torch.as_tensor(loss)
            if loss.numel() != 1:
                raise _Wrong(f"the loss should be one number (the batch mean), got shape {tuple(loss.shape)}.")
            want = _reference_loss(logits, y_a, y_b, lam)
            if torch.allclose(loss, want, atol=1e-5):
                continue
            ce_a, ce_b = F.cross_entropy(logits, y_a), F.cross_entropy(logits, y_b)
            mixed_index = (lam * y_a + (1 - lam) * y_b).round().long().clamp(0, 9)
            if torch.allclose(loss, (1 - lam) * ce_a + lam * ce_b, atol=1e-5):
                raise _Wrong("the weights are swapped: y_a gets λ and y_b gets (1 − λ).")
            if torch.allclose(loss, lam * ce_a, atol=1e-5) or torch.allclose(loss, ce_a, atol=1e-5) \
                    or torch.allclose(loss, (1 - lam) * ce_b, atol=1e-5) or torch.allclose(loss, ce_b, atol=1e-5):
                raise _Wrong("one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).")
            if torch.allclose(loss, F.cross_entropy(logits, mixed_index), atol=1e-5):
                raise _Wrong("you mixed the class indices (e.g. 0.3·3 + 0.7·7 ≈ 6) and rounded them: class numbers "
                             "are names, not quantities. Mix the two losses instead.")
            raise _Wrong(f"for lam = {lam} your loss was {loss.item():.4f}, expected {want.item():.4f}.")

    return _report("mixup_loss", check)
