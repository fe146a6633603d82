"""Every checker accepts right answers in any numeric form, and rejects and names each mistake."""

import re
import reprlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import mixup_edu as me
from mixup_edu.exercises import check_mixup_data, check_mixup_loss, check_sample_lambda

ce = F.cross_entropy


def beta_a_1(alpha, generator=None):
    """Beta(α, 1) instead of Beta(α, α): its CDF is λ^α, so it is U^(1/α) for U ~ Uniform(0, 1)."""
    if alpha == 0:
        return 1.0
    return float(torch.rand((), dtype=torch.float64, generator=generator) ** (1 / alpha))


def unseeded_beta(alpha, generator=None):
    return float(torch.distributions.Beta(alpha, alpha).sample()) if alpha > 0 else 1.0


def raises(error):
    def fn(*args, **kwargs):
        raise error

    return fn


# mixup_data answers: each draws λ and a permutation, then returns one variant of the reference.


def _draw(x, generator, alpha):
    return me.sample_lambda(alpha, generator), torch.randperm(len(x), generator=generator)


def mixup_answer(mixed, labels=lambda y, p: y[p], lam_as=lambda lam: lam):
    """A mixup_data whose mixed_x is mixed(x, lam, perm), y_b labels(y, perm), returned λ lam_as(lam)."""

    def fn(x, y, alpha, generator=None):
        lam, p = _draw(x, generator, alpha)
        return mixed(x, lam, p), y, labels(y, p), lam_as(lam)

    return fn


def right_mix(x, lam, p):
    return lam * x + (1 - lam) * x[p]


def reference_mixup(x, y, alpha, generator=None):
    return me.mixup_data(x, y, alpha, generator=generator)


def unseeded_mixup(x, y, alpha, generator=None):
    lam, p = unseeded_beta(alpha), torch.randperm(len(x))
    return lam * x + (1 - lam) * x[p], y, y[p], lam


def in_place(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    partner = x[p]
    return x.mul_(lam).add_((1 - lam) * partner), y, y[p], lam


def modifies_x_afterwards(x, y, alpha, generator=None):
    answer = me.mixup_data(x, y, alpha, generator=generator)
    x.zero_()
    return answer


def modifies_afterwards(name):
    def fn(x, y, alpha, generator=None):
        mixed, y_a, y_b, lam = me.mixup_data(x, y, alpha, generator=generator)
        answer = mixed, y_a.clone(), y_b.clone(), lam
        {"x": x, "y": y}[name].zero_()
        return answer

    return fn


def lam_fixed_at_half(x, y, alpha, generator=None):
    p = torch.randperm(len(x), generator=generator)
    return 0.5 * x + 0.5 * x[p], y, y[p], 0.5


def uniform_lam(x, y, alpha, generator=None):
    lam = float(torch.rand((), generator=generator)) * alpha if alpha > 0 else 1.0
    p = torch.randperm(len(x), generator=generator)
    return lam * x + (1 - lam) * x[p], y, y[p], lam


def lam_drawn_twice(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    return lam * x + (1 - lam) * x[p], y, y[p], me.sample_lambda(alpha, generator)


def partners_with_replacement(x, y, alpha, generator=None):
    lam, idx = me.sample_lambda(alpha, generator), torch.randint(0, len(x), (len(x),), generator=generator)
    return lam * x + (1 - lam) * x[idx], y, y[idx], lam


# mixup loss answers.


def reference_loss(lo, a, b, lam):
    return lam * ce(lo, a) + (1 - lam) * ce(lo, b)


def zeroes_logits_first(lo, a, b, lam):
    return reference_loss(lo.zero_(), a, b, lam)


def modifies_inputs_afterwards(name):
    def fn(lo, a, b, lam):
        loss = reference_loss(lo, a, b, lam)
        {"logits": lo, "y_a": a, "y_b": b}[name].zero_()
        return loss

    return fn


def in_dtype(dtype):
    return lambda lo, a, b, lam: lam * ce(lo.to(dtype), a) + (1 - lam) * ce(lo.to(dtype), b)


WRONG_ANSWERS = [
    # sample_lambda
    pytest.param(check_sample_lambda, lambda a, generator=None: float(torch.rand((), generator=generator)) * a
                 if a > 0 else 1.0,
                 "for alpha = 0.2 no λ ever exceeded 0.2: this is Uniform(0, α), not Beta(α, α). Draw from "
                 "torch.distributions.Beta(alpha, alpha) or via two Gammas.",
                 id="lambda-uniform"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 0.5 if a > 0 else 1.0,
                 "every draw was 0.500 for alpha = 0.2: λ must be random, not a constant. Draw λ ~ Beta(α, α) anew "
                 "for every batch.",
                 id="lambda-0.5"),
    pytest.param(check_sample_lambda, beta_a_1,
                 re.compile(r"for alpha = 0\.2 the mean of λ was [\d.]+, but Beta\(α, α\) is symmetric around 0\.5: "
                            r"are both parameters α\?"),
                 id="lambda-beta(a,1)"),
    pytest.param(check_sample_lambda, lambda a, generator=None: me.sample_lambda(max(a, 1e-3), generator),
                 "for alpha = 0 the answer must be 1.0 (no mixing at all, plain ERM).",
                 id="lambda-no-erm"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 1 / 0,
                 "your function raised ZeroDivisionError: division by zero",
                 id="lambda-crash"),
    pytest.param(check_sample_lambda, lambda a, generator=None: [1.0],
                 "λ must be a real number, got list [1.0]; return one number.",
                 id="lambda-list"),
    pytest.param(check_sample_lambda, lambda a, generator=None: float("nan"),
                 "λ was nan; it must be a finite number.",
                 id="lambda-nan"),
    pytest.param(check_sample_lambda, lambda a, generator=None: me.sample_lambda(a + 1, generator) if a > 0 else 1.0,
                 "for alpha = 0.2 the draws do not follow Beta(α, α) (compare your histogram with me.sample_beta): "
                 "check both parameters.",
                 id="lambda-beta(a+1,a+1)"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 1 + me.sample_lambda(a, generator) / 2 if a > 0 else 1.0,
                 "got λ outside [0, 1] for alpha = 0.2; a mixing weight must lie in [0, 1].",
                 id="lambda-above-1"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 0.0 if a > 0 else 1.0,
                 "every draw was 0.000 for alpha = 0.2: λ must be random, not a constant. With λ = 1 (or 0) nothing "
                 "is ever mixed: your function never mixes. Draw λ ~ Beta(α, α) anew for every batch.",
                 id="lambda-always-0"),
    # mixup_data: never mixing, in every form
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x.clone(), y, y, 1.0),
                 "every draw was 1.000 for alpha = 0.2: λ must be random, not a constant. With λ = 1 (or 0) nothing "
                 "is ever mixed: your function never mixes. Draw λ ~ Beta(α, α) anew for every batch.",
                 id="data-never"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x, y, y, 1.0),
                 "every draw was 1.000 for alpha = 0.2: λ must be random, not a constant. With λ = 1 (or 0) nothing "
                 "is ever mixed: your function never mixes. Draw λ ~ Beta(α, α) anew for every batch.",
                 id="data-x-itself-lam-1"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: x),
                 "you returned x itself as mixed_x: your function never mixes. Return mixed_x = lam * x + (1 - lam) "
                 "* x[perm].",
                 id="data-x-itself"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: x.clone()),
                 re.compile(r"mixed_x equals x although lam = [\d.]+ and y_b gives samples partners: "
                            r"your function never mixes\. "
                            r"Return mixed_x = lam \* x \+ \(1 - lam\) \* x\[perm\]\."),
                 id="data-x-copy"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: lam * x + (1 - lam) * x, lambda y, p: y),
                 "every sample was mixed with itself: use a random permutation of the batch, "
                 "x[torch.randperm(len(x))], as the partner.",
                 id="data-with-itself"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, torch.arange(len(x))),
                                                lambda y, p: y),
                 "every sample was mixed with itself: use a random permutation of the batch, "
                 "x[torch.randperm(len(x))], as the partner.",
                 id="data-identity-perm"),
    # mixup_data: λ from the wrong distribution
    pytest.param(check_mixup_data, lam_fixed_at_half,
                 "every draw was 0.500 for alpha = 0.2: λ must be random, not a constant. Draw λ ~ Beta(α, α) anew "
                 "for every batch.",
                 id="data-lam-0.5"),
    pytest.param(check_mixup_data, uniform_lam,
                 "for alpha = 0.2 no λ ever exceeded 0.2: this is Uniform(0, α), not Beta(α, α). Draw from "
                 "torch.distributions.Beta(alpha, alpha) or via two Gammas.",
                 id="data-uniform"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: reference_mixup(x, y, a or 1.0, generator),
                 "with alpha = 0 nothing should be mixed: lam = 1 and mixed_x equal to x.",
                 id="data-no-erm"),
    pytest.param(check_mixup_data, lam_drawn_twice,
                 re.compile(r"the images were mixed with λ = [\d.]+, but you returned lam = [\d.]+: "
                            r"draw λ once and return the λ you mixed with\."),
                 id="data-lam-drawn-twice"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: reference_mixup(x, y, a, generator) if a > 0
                 else (x.clone(), y, y, 0.5),
                 "with alpha = 0 nothing should be mixed: lam = 1 and mixed_x equal to x.",
                 id="data-alpha-0-lam-half"),
    # mixup_data: wrong weights or partners
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: (1 - lam) * x + lam * x[p]),
                 "the weights are swapped: each sample keeps weight (1 − λ) of itself, while the labels say λ. Use "
                 "mixed_x = lam * x + (1 - lam) * x[perm].",
                 id="data-swapped"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y),
                 "y_b does not belong to the images that were mixed in: permute the labels with the same "
                 "permutation as the inputs, y_b = y[perm].",
                 id="data-labels-not-permuted"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p.roll(1)]),
                 "y_b does not belong to the images that were mixed in: permute the labels with the same "
                 "permutation as the inputs, y_b = y[perm].",
                 id="data-labels-other-permutation"),
    pytest.param(check_mixup_data, partners_with_replacement,
                 "y_b is not a permutation of y: draw one permutation, perm = torch.randperm(len(x)), and use it "
                 "for both, x[perm] and y_b = y[perm].",
                 id="data-with-replacement"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: lam**2 * x + (1 - lam) ** 2 * x[p]),
                 "mixed_x is not lam * x + (1 - lam) * x[perm] for one permutation perm.",
                 id="data-squared-weights"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x, y.flip(0), *reference_mixup(x, y, a, generator)[2:]),
                 "y_a should be the original labels y, unchanged.",
                 id="data-y_a-not-y"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p][:-1]),
                 "y_b has shape (5,), expected the labels' shape (6,).",
                 id="data-y_b-wrong-shape"),
    pytest.param(check_mixup_data, modifies_afterwards("y"),
                 "your function modified y in place; the caller's tensors must stay as they were. Build a new tensor "
                 "instead (e.g. lam * x + (1 - lam) * x[perm]).",
                 id="data-modifies-y-afterwards"),
    # mixup_data: inputs modified, wrong types
    pytest.param(check_mixup_data, in_place,
                 "your function modified x in place; the caller's tensors must stay as they were. Build a new "
                 "tensor instead (e.g. lam * x + (1 - lam) * x[perm]).",
                 id="data-in-place"),
    pytest.param(check_mixup_data, modifies_x_afterwards,
                 "your function modified x in place; the caller's tensors must stay as they were. Build a new "
                 "tensor instead (e.g. lam * x + (1 - lam) * x[perm]).",
                 id="data-modifies-x-afterwards"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p).long()),
                 "mixed_x has dtype torch.int64, but a blend of images holds fractions: keep x's floating-point "
                 "dtype (torch.float32).",
                 id="data-integer-mixed-x"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p].float()),
                 "y_b has dtype torch.float32, but the labels y are torch.int64: class indices are names, not "
                 "quantities: mix the losses, not the labels.",
                 id="data-float-y_b"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: torch.full((3,), lam)),
                 "this exercise wants one λ per batch (a float), as in the paper's code.",
                 id="data-lam-per-sample"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: x,
                 "return four things: (mixed_x, y_a, y_b, lam).",
                 id="data-returns-x-only"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: np.array([str(lam)])),
                 re.compile(r"your answer could not be checked \(TypeError: .*\)\."),
                 id="data-lam-as-text-array"),
    # mixup loss
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: (1 - lam) * ce(lo, a) + lam * ce(lo, b),
                 "the weights are swapped: y_a gets λ and y_b gets (1 − λ).",
                 id="loss-swapped"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam * ce(lo, a),
                 "one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).",
                 id="loss-dropped-term"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, a),
                 "one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).",
                 id="loss-only-y_a"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, (lam * a + (1 - lam) * b).round().long()),
                 "you mixed the class indices (e.g. 0.3·3 + 0.7·7 ≈ 6) and rounded them: class numbers are names, "
                 "not quantities. Mix the two losses instead.",
                 id="loss-rounded-indices"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, lam * a + (1 - lam) * b),
                 re.compile(r"your function raised RuntimeError \(.*\)\. "
                            r"If you mixed the class indices themselves, that is the bug: "
                            r"mix the losses \(or one-hot targets\), not the numbers\."),
                 id="loss-interpolated-indices"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam * ce(lo, a, reduction="none")
                 + (1 - lam) * ce(lo, b, reduction="none"),
                 "the loss should be one number (the batch mean), got shape (32,).",
                 id="loss-per-sample-vector"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam**2 * ce(lo, a) + (1 - lam) ** 2 * ce(lo, b),
                 re.compile(r"for lam = 0\.3 your loss was [\d.]+, expected [\d.]+\."),
                 id="loss-squared-weights"),
    pytest.param(check_mixup_loss, zeroes_logits_first,
                 "your function modified logits in place; the caller's tensors must stay as they were. Compute with "
                 "out-of-place operations (logits - m, not logits.sub_(m)) or on a copy.",
                 id="loss-zeroes-logits-first"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("logits"),
                 "your function modified logits in place; the caller's tensors must stay as they were. Compute with "
                 "out-of-place operations (logits - m, not logits.sub_(m)) or on a copy.",
                 id="loss-modifies-logits-afterwards"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("y_a"),
                 "your function modified y_a in place; the caller's tensors must stay as they were. Compute with "
                 "out-of-place operations (logits - m, not logits.sub_(m)) or on a copy.",
                 id="loss-modifies-y_a-afterwards"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("y_b"),
                 "your function modified y_b in place; the caller's tensors must stay as they were. Compute with "
                 "out-of-place operations (logits - m, not logits.sub_(m)) or on a copy.",
                 id="loss-modifies-y_b-afterwards"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).long(),
                 "the loss has dtype torch.int64; a loss is a floating-point number, and training needs its "
                 "gradient.",
                 id="loss-integer"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: "0.5",
                 "the loss must be a real number, got str '0.5'; return one number.",
                 id="loss-str"),
    # bad return values: each gets a hint that names what came back
    pytest.param(check_sample_lambda, lambda a, generator=None: float("inf"),
                 "λ was inf; it must be a finite number.",
                 id="lambda-inf"),
    pytest.param(check_sample_lambda, lambda a, generator=None: True,
                 "λ must be a real number, got bool True; return one number.",
                 id="lambda-bool"),
    pytest.param(check_sample_lambda, lambda a, generator=None: torch.tensor([]),
                 "λ must be a real number, got Tensor tensor([]); return one number.",
                 id="lambda-empty-tensor"),
    pytest.param(check_sample_lambda, lambda a, generator=None: -0.25 if a > 0 else 1.0,
                 "got λ outside [0, 1] for alpha = 0.2; a mixing weight must lie in [0, 1].",
                 id="lambda-negative"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: 1.5),
                 "lam = 1.5 is outside [0, 1].",
                 id="data-lam-too-large"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: True),
                 "lam must be a real number, got bool True; return one number.",
                 id="data-lam-bool"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: float("nan")),
                 "lam was nan; it must be a finite number.",
                 id="data-lam-nan"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: torch.full((2,), lam)),
                 "this exercise wants one λ per batch (a float), as in the paper's code.",
                 id="data-lam-two-elements"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: reference_mixup(x, y, a, generator)[:3],
                 "return four things: (mixed_x, y_a, y_b, lam).",
                 id="data-returns-three-things"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p)[:-1]),
                 "mixed_x has shape (5, 6), expected the input's shape (6, 6).",
                 id="data-mixed-x-wrong-shape"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p).numpy()),
                 "mixed_x must be a torch.Tensor, got ndarray.",
                 id="data-mixed-x-numpy"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p) * torch.nan),
                 "mixed_x contains NaN or inf, although x holds only 0s and 1s.",
                 id="data-mixed-x-nan"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p].tolist()),
                 "y_b must be a torch.Tensor of labels like y, got list.",
                 id="data-y_b-list"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x, y.int(), y, 1.0),
                 "y_a has dtype torch.int32, but the labels y are torch.int64: return labels in y's dtype.",
                 id="data-y_a-int32"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: torch.tensor(float("inf")),
                 "the loss was tensor(inf); it must be a finite number.",
                 id="loss-inf"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: (1 - lam) * ce(lo, b),
                 "one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).",
                 id="loss-only-y_b-term"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, b),
                 "one of the two terms is missing: the loss is λ·CE(y_a) + (1 − λ)·CE(y_b).",
                 id="loss-only-y_b"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: torch.tensor([]),
                 "the loss should be one number (the batch mean), got shape (0,).",
                 id="loss-empty"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: True,
                 "the loss must be a real number, got bool True; return one number.",
                 id="loss-bool"),
] + [
    # every checker: no answer at all, or a crash of any kind, is reported, never raised
    pytest.param(check, lambda *args, **kwargs: None, "your function returned None: is a `return` missing?",
                 id=f"{check.__name__}-None")
    for check in (check_sample_lambda, check_mixup_data, check_mixup_loss)
] + [
    pytest.param(check, raises(error), f"your function raised {name}", id=f"{check.__name__}-{name}")
    for check in (check_sample_lambda, check_mixup_data, check_mixup_loss)
    for name, error in [("NotImplementedError: your code here", NotImplementedError("your code here")),
                        ("SystemExit: 0", SystemExit(0)), ("GeneratorExit", GeneratorExit())]
]


def exercise(check):
    """The exercise a checker names in its verdict: check_sample_lambda checks sample_lambda."""
    return check.__name__.removeprefix("check_")


@pytest.mark.parametrize("check, fn, hint", WRONG_ANSWERS)
def test_a_wrong_answer_gets_a_cross_and_its_hint(check, fn, hint, capsys):
    # The hint is what the student reads: each one is spelled out in full (a pattern where it quotes numbers
    # drawn by the checker, or torch's own error message).
    assert check(fn) is False
    verdict = capsys.readouterr().out
    prefix = f"✗ {exercise(check)}: "
    assert verdict.startswith(prefix) and verdict.endswith("\n") and verdict.count("\n") == 1, verdict
    if isinstance(hint, re.Pattern):
        assert hint.fullmatch(verdict[len(prefix):-1]), verdict
    else:
        assert verdict == f"{prefix}{hint}\n"


def _numpy_lam(dtype):
    return mixup_answer(right_mix, lam_as=lambda lam: np.dtype(dtype).type(lam))


def _tensor_lam(dtype, shape=()):
    """λ returned as a tensor and used as one, so mixed_x is computed with the same rounded λ."""

    def fn(x, y, alpha, generator=None):
        lam, p = _draw(x, generator, alpha)
        lam = torch.full(shape, lam, dtype=dtype)
        return lam * x + (1 - lam) * x[p], y, y[p], lam

    return fn


def _mixed_in(dtype):
    return mixup_answer(lambda x, lam, p: right_mix(x.to(dtype), lam, p))


UNSEEDED = ("the same seeded generator gave different draws. torch.distributions ignores generators; to make runs "
            "repeatable, draw with the generator (see me.sample_beta for one way).")
MIXED_IN = ("mixed_x came back as {} while x is torch.float32; a model with float32 weights refuses it. "
            "Keep x's dtype (a Python float lam does).")
NOT_A_TENSOR = ("your loss is a {}, not a tensor: training calls loss.backward(), so return the tensor itself "
                "(no .item()).")
RIGHT_ANSWERS = [  # (checker, answer, the note it must print, or None for no note)
    pytest.param(check_sample_lambda, me.sample_lambda, None, id="lambda-reference"),
    pytest.param(check_sample_lambda, unseeded_beta, UNSEEDED, id="lambda-ignores-generator"),
    pytest.param(check_sample_lambda, lambda a, generator=None: np.float32(me.sample_lambda(a, generator)), None,
                 id="lambda-numpy-float32"),
    pytest.param(check_sample_lambda, lambda a, generator=None: torch.tensor(me.sample_lambda(a, generator)), None,
                 id="lambda-tensor-float32"),
    pytest.param(check_sample_lambda, lambda a, generator=None: torch.tensor([me.sample_lambda(a, generator)],
                 dtype=torch.float16), None, id="lambda-tensor-float16"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 1 if a == 0 else me.sample_lambda(a, generator),
                 None, id="lambda-int-one"),
    pytest.param(check_mixup_data, reference_mixup, None, id="data-reference"),
    pytest.param(check_mixup_data, mixup_answer(right_mix), None, id="data-python-float"),
    pytest.param(check_mixup_data, unseeded_mixup, None, id="data-ignores-generator"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, torch.arange(len(x)).flip(0)),
                                                lambda y, p: y.flip(0)), None, id="data-flip-partners"),
    pytest.param(check_mixup_data, _numpy_lam("float64"), None, id="data-numpy-float64-lam"),
    pytest.param(check_mixup_data, _numpy_lam("float32"), None, id="data-numpy-float32-lam"),
    pytest.param(check_mixup_data, _tensor_lam(torch.float64), None, id="data-tensor-float64-lam"),
    pytest.param(check_mixup_data, _tensor_lam(torch.float16), None, id="data-tensor-float16-lam"),
    pytest.param(check_mixup_data, _tensor_lam(torch.float32, (1,)), None, id="data-one-element-lam"),
    pytest.param(check_mixup_data, _mixed_in(torch.float64), MIXED_IN.format("torch.float64"), id="data-mixed-in-float64"),
    pytest.param(check_mixup_data, _mixed_in(torch.float16), MIXED_IN.format("torch.float16"), id="data-mixed-in-float16"),
    pytest.param(check_mixup_loss, reference_loss, None, id="loss-reference"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: me.mixup_criterion(ce, lo, a, b, lam), None,
                 id="loss-mixup-criterion"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: me.soft_cross_entropy(lo, me.mix_targets(a, b, lam, 10)),
                 None, id="loss-soft-targets"),
    pytest.param(check_mixup_loss, in_dtype(torch.float64), None, id="loss-float64"),
    pytest.param(check_mixup_loss, in_dtype(torch.float16), None, id="loss-float16"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).reshape(1), None,
                 id="loss-one-element"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).item(),
                 NOT_A_TENSOR.format("float"), id="loss-python-float"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: np.float64(reference_loss(lo, a, b, lam).item()),
                 NOT_A_TENSOR.format("float64"), id="loss-numpy-float64"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).numpy(),
                 NOT_A_TENSOR.format("ndarray"), id="loss-numpy-array"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=np.array), None, id="data-numpy-0-dim-lam"),
    pytest.param(check_mixup_data, _numpy_lam("float16"), None, id="data-numpy-float16-lam"),
]


@pytest.mark.parametrize("check, fn, note", RIGHT_ANSWERS)
def test_a_right_answer_in_any_form_gets_a_tick(check, fn, note, capsys):
    assert check(fn) is True
    out = capsys.readouterr().out
    assert out == f"✓ {exercise(check)}: correct on every case we tried.\n" + (f"  Note: {note}\n" if note else "")


@pytest.mark.parametrize("check", [check_sample_lambda, check_mixup_data, check_mixup_loss])
def test_keyboard_interrupt_still_stops_a_checker(check):
    with pytest.raises(KeyboardInterrupt):
        check(raises(KeyboardInterrupt()))


@pytest.mark.parametrize("check", [check_sample_lambda, check_mixup_data, check_mixup_loss])
@pytest.mark.parametrize("fn", [None, 42, "my_function", np.float64(0.3), True, torch.tensor(1.0), [len]],
                         ids=lambda fn: type(fn).__name__)
def test_something_that_is_not_a_function_is_a_type_error(check, fn):
    got = re.escape(f"got {type(fn).__name__} {reprlib.repr(fn)}")
    with pytest.raises(TypeError, match=rf"^fn must be your function itself, as in {check.__name__}\(my_\w+\), {got}$"):
        check(fn)
