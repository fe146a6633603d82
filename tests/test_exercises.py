"""Every checker accepts right answers in any numeric form, and rejects and names each mistake."""

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


NEVER = "never mixes"
WRONG_ANSWERS = [
    # sample_lambda
    pytest.param(check_sample_lambda, lambda a, generator=None: float(torch.rand((), generator=generator)) * a
                 if a > 0 else 1.0, "Uniform", id="lambda-uniform"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 0.5 if a > 0 else 1.0, "constant", id="lambda-0.5"),
    pytest.param(check_sample_lambda, beta_a_1, "both parameters", id="lambda-beta(a,1)"),
    pytest.param(check_sample_lambda, lambda a, generator=None: me.sample_lambda(max(a, 1e-3), generator),
                 "alpha = 0", id="lambda-no-erm"),
    pytest.param(check_sample_lambda, lambda a, generator=None: 1 / 0, "raised ZeroDivisionError", id="lambda-crash"),
    pytest.param(check_sample_lambda, lambda a, generator=None: [1.0], "return one number", id="lambda-list"),
    pytest.param(check_sample_lambda, lambda a, generator=None: float("nan"), "λ was nan; it must be a finite",
                 id="lambda-nan"),
    # mixup_data: never mixing, in every form
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x.clone(), y, y, 1.0), NEVER, id="data-never"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x, y, y, 1.0), NEVER, id="data-x-itself-lam-1"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: x), NEVER, id="data-x-itself"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: x.clone()), NEVER, id="data-x-copy"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: lam * x + (1 - lam) * x, lambda y, p: y),
                 "mixed with itself", id="data-with-itself"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, torch.arange(len(x))),
                                                lambda y, p: y), "mixed with itself", id="data-identity-perm"),
    # mixup_data: λ from the wrong distribution
    pytest.param(check_mixup_data, lam_fixed_at_half, "constant", id="data-lam-0.5"),
    pytest.param(check_mixup_data, uniform_lam, "Uniform", id="data-uniform"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: reference_mixup(x, y, a or 1.0, generator),
                 "alpha = 0", id="data-no-erm"),
    pytest.param(check_mixup_data, lam_drawn_twice, "return the λ you mixed with", id="data-lam-drawn-twice"),
    # mixup_data: wrong weights or partners
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: (1 - lam) * x + lam * x[p]), "swapped",
                 id="data-swapped"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y), "same permutation",
                 id="data-labels-not-permuted"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p.roll(1)]), "same permutation",
                 id="data-labels-other-permutation"),
    pytest.param(check_mixup_data, partners_with_replacement, "not a permutation", id="data-with-replacement"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: lam**2 * x + (1 - lam) ** 2 * x[p]),
                 "not lam * x + (1 - lam) * x[perm]", id="data-squared-weights"),
    # mixup_data: inputs modified, wrong types
    pytest.param(check_mixup_data, in_place, "modified x in place", id="data-in-place"),
    pytest.param(check_mixup_data, modifies_x_afterwards, "modified x in place", id="data-modifies-x-afterwards"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p).long()), "torch.int64",
                 id="data-integer-mixed-x"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p].float()), "torch.float32",
                 id="data-float-y_b"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: torch.full((3,), lam)),
                 "one λ per batch", id="data-lam-per-sample"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: x, "four things", id="data-returns-x-only"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: np.array([str(lam)])),
                 "could not be checked", id="data-lam-as-text-array"),
    # mixup loss
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: (1 - lam) * ce(lo, a) + lam * ce(lo, b), "swapped",
                 id="loss-swapped"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam * ce(lo, a), "missing", id="loss-dropped-term"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, a), "missing", id="loss-only-y_a"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, (lam * a + (1 - lam) * b).round().long()),
                 "class indices", id="loss-rounded-indices"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, lam * a + (1 - lam) * b), "class indices",
                 id="loss-interpolated-indices"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam * ce(lo, a, reduction="none")
                 + (1 - lam) * ce(lo, b, reduction="none"), "one number", id="loss-per-sample-vector"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: lam**2 * ce(lo, a) + (1 - lam) ** 2 * ce(lo, b),
                 "expected", id="loss-squared-weights"),
    pytest.param(check_mixup_loss, zeroes_logits_first, "modified logits in place; the caller's tensors must stay "
                 "as they were. Compute with out-of-place operations", id="loss-zeroes-logits-first"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("logits"), "modified logits in place",
                 id="loss-modifies-logits-afterwards"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("y_a"), "modified y_a in place",
                 id="loss-modifies-y_a-afterwards"),
    pytest.param(check_mixup_loss, modifies_inputs_afterwards("y_b"), "modified y_b in place",
                 id="loss-modifies-y_b-afterwards"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).long(), "torch.int64",
                 id="loss-integer"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: "0.5", "real number", id="loss-str"),
    # bad return values: each gets a hint that names what came back
    pytest.param(check_sample_lambda, lambda a, generator=None: float("inf"), "finite", id="lambda-inf"),
    pytest.param(check_sample_lambda, lambda a, generator=None: True, "got bool", id="lambda-bool"),
    pytest.param(check_sample_lambda, lambda a, generator=None: torch.tensor([]), "return one number",
                 id="lambda-empty-tensor"),
    pytest.param(check_sample_lambda, lambda a, generator=None: -0.25 if a > 0 else 1.0, "outside [0, 1]",
                 id="lambda-negative"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: 1.5), "outside [0, 1]",
                 id="data-lam-too-large"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: True), "got bool", id="data-lam-bool"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: float("nan")),
                 "lam was nan; it must be a finite", id="data-lam-nan"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=lambda lam: torch.full((2,), lam)),
                 "one λ per batch", id="data-lam-two-elements"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: reference_mixup(x, y, a, generator)[:3],
                 "four things", id="data-returns-three-things"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p)[:-1]), "shape",
                 id="data-mixed-x-wrong-shape"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p).numpy()), "torch.Tensor",
                 id="data-mixed-x-numpy"),
    pytest.param(check_mixup_data, mixup_answer(lambda x, lam, p: right_mix(x, lam, p) * torch.nan), "NaN",
                 id="data-mixed-x-nan"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lambda y, p: y[p].tolist()), "torch.Tensor",
                 id="data-y_b-list"),
    pytest.param(check_mixup_data, lambda x, y, a, generator=None: (x, y.int(), y, 1.0), "torch.int32",
                 id="data-y_a-int32"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: torch.tensor(float("inf")), "the loss was tensor(inf); it must be",
                 id="loss-inf"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: (1 - lam) * ce(lo, b), "missing", id="loss-only-y_b-term"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: ce(lo, b), "missing", id="loss-only-y_b"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: torch.tensor([]), "got shape (0,)", id="loss-empty"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: True, "got bool", id="loss-bool"),
] + [
    # every checker: no answer at all, or a crash of any kind, is reported, never raised
    pytest.param(check, lambda *args, **kwargs: None, "return` missing", id=f"{check.__name__}-None")
    for check in (check_sample_lambda, check_mixup_data, check_mixup_loss)
] + [
    pytest.param(check, raises(error), f"raised {name}", id=f"{check.__name__}-{name}")
    for check in (check_sample_lambda, check_mixup_data, check_mixup_loss)
    for name, error in [("NotImplementedError: your code here", NotImplementedError("your code here")),
                        ("SystemExit", SystemExit(0)), ("GeneratorExit", GeneratorExit())]
]


def exercise(check):
    """The exercise a checker names in its verdict: check_sample_lambda checks sample_lambda."""
    return check.__name__.removeprefix("check_")


@pytest.mark.parametrize("check, fn, hint", WRONG_ANSWERS)
def test_a_wrong_answer_gets_a_cross_and_its_hint(check, fn, hint, capsys):
    assert check(fn) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {exercise(check)}: ") and "✓" not in out
    assert hint in out


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


RIGHT_ANSWERS = [  # (checker, answer, a fragment of the note it must print, or None for no note)
    pytest.param(check_sample_lambda, me.sample_lambda, None, id="lambda-reference"),
    pytest.param(check_sample_lambda, unseeded_beta, "Note", id="lambda-ignores-generator"),
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
    pytest.param(check_mixup_data, _mixed_in(torch.float64), "torch.float64", id="data-mixed-in-float64"),
    pytest.param(check_mixup_data, _mixed_in(torch.float16), "torch.float16", id="data-mixed-in-float16"),
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
                 "your loss is a float, not a tensor", id="loss-python-float"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: np.float64(reference_loss(lo, a, b, lam).item()),
                 "your loss is a float64, not a tensor", id="loss-numpy-float64"),
    pytest.param(check_mixup_loss, lambda lo, a, b, lam: reference_loss(lo, a, b, lam).numpy(),
                 "your loss is a ndarray, not a tensor", id="loss-numpy-array"),
    pytest.param(check_mixup_data, mixup_answer(right_mix, lam_as=np.array), None, id="data-numpy-0-dim-lam"),
]


@pytest.mark.parametrize("check, fn, note", RIGHT_ANSWERS)
def test_a_right_answer_in_any_form_gets_a_tick(check, fn, note, capsys):
    assert check(fn) is True
    out = capsys.readouterr().out
    assert out.startswith(f"✓ {exercise(check)}: ") and "✗" not in out
    assert (note in out) if note else ("Note" not in out)


@pytest.mark.parametrize("check", [check_sample_lambda, check_mixup_data, check_mixup_loss])
def test_keyboard_interrupt_still_stops_a_checker(check):
    with pytest.raises(KeyboardInterrupt):
        check(raises(KeyboardInterrupt()))


@pytest.mark.parametrize("check", [check_sample_lambda, check_mixup_data, check_mixup_loss])
@pytest.mark.parametrize("fn", [None, 42, "my_function", np.float64(0.3), True, torch.tensor(1.0), [len]],
                         ids=lambda fn: type(fn).__name__)
def test_something_that_is_not_a_function_is_a_type_error(check, fn):
    with pytest.raises(TypeError, match=rf"^fn must be your function itself, .* got {type(fn).__name__} "):
        check(fn)
