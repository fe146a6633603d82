"""Every checker accepts the reference, and rejects and names each classic mistake."""

import pytest
import torch
import torch.nn.functional as F

import mixup_edu as me
from mixup_edu.exercises import check_mixup_data, check_mixup_loss, check_sample_lambda


def _gamma(shape: float, generator):
    return torch._standard_gamma(torch.tensor(shape, dtype=torch.float64), generator=generator)


def beta_a_1(alpha, generator=None):
    if alpha == 0:
        return 1.0
    g1, g2 = _gamma(alpha, generator), _gamma(1.0, generator)
    return float(g1 / (g1 + g2))


SAMPLE_LAMBDA_MISTAKES = {
    "Uniform(0, α)": (lambda a, generator=None: float(torch.rand((), generator=generator)) * a if a > 0 else 1.0, "Uniform"),
    "constant": (lambda a, generator=None: 0.5 if a > 0 else 1.0, "constant"),
    "Beta(α, 1)": (beta_a_1, "both parameters"),
    "no ERM case": (lambda a, generator=None: me.sample_lambda(max(a, 1e-3), generator), "alpha = 0"),
    "crashes": (lambda a, generator=None: 1 / 0, "ZeroDivisionError"),
}


def test_sample_lambda_reference_passes(capsys):
    assert check_sample_lambda(me.sample_lambda) is True
    assert "✓" in capsys.readouterr().out


def test_sample_lambda_without_generator_passes_with_a_note(capsys):
    unseeded = lambda a, generator=None: float(torch.distributions.Beta(a, a).sample()) if a > 0 else 1.0  # noqa: E731
    assert check_sample_lambda(unseeded) is True
    assert "Note" in capsys.readouterr().out


@pytest.mark.parametrize("name", SAMPLE_LAMBDA_MISTAKES)
def test_sample_lambda_mistakes(name, capsys):
    fn, hint = SAMPLE_LAMBDA_MISTAKES[name]
    assert check_sample_lambda(fn) is False
    assert hint in capsys.readouterr().out


def _draw(x, generator, alpha):
    return me.sample_lambda(alpha, generator), torch.randperm(len(x), generator=generator)


def swapped(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    return (1 - lam) * x + lam * x[p], y, y[p], lam


def labels_not_permuted(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    return lam * x + (1 - lam) * x[p], y, y, lam


def labels_other_permutation(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    return lam * x + (1 - lam) * x[p], y, y[p.roll(1)], lam


def in_place(x, y, alpha, generator=None):
    lam, p = _draw(x, generator, alpha)
    partner = x[p]
    return x.mul_(lam).add_((1 - lam) * partner), y, y[p], lam


def with_itself(x, y, alpha, generator=None):
    lam, _ = _draw(x, generator, alpha)
    return lam * x + (1 - lam) * x, y, y, lam


MIXUP_DATA_MISTAKES = {
    swapped: "swapped",
    labels_not_permuted: "same permutation",
    labels_other_permutation: "same permutation",
    in_place: "in place",
    with_itself: "mixed with itself",
}


def test_mixup_data_reference_passes():
    assert check_mixup_data(lambda x, y, a, generator=None: me.mixup_data(x, y, a, generator=generator)) is True


@pytest.mark.parametrize("fn", MIXUP_DATA_MISTAKES, ids=lambda f: f.__name__)
def test_mixup_data_mistakes(fn, capsys):
    assert check_mixup_data(fn) is False
    assert MIXUP_DATA_MISTAKES[fn] in capsys.readouterr().out


def test_mixup_data_wrong_return_never_raises(capsys):
    assert check_mixup_data(lambda x, y, a, generator=None: x) is False
    assert "four things" in capsys.readouterr().out


ce = F.cross_entropy
MIXUP_LOSS_MISTAKES = {
    "swapped": (lambda lo, a, b, lam: (1 - lam) * ce(lo, a) + lam * ce(lo, b), "swapped"),
    "dropped term": (lambda lo, a, b, lam: lam * ce(lo, a), "missing"),
    "only y_a": (lambda lo, a, b, lam: ce(lo, a), "missing"),
    "rounded indices": (lambda lo, a, b, lam: ce(lo, (lam * a + (1 - lam) * b).round().long()), "class indices"),
    "interpolated indices": (lambda lo, a, b, lam: ce(lo, lam * a + (1 - lam) * b), "class indices"),
    "per-sample vector": (lambda lo, a, b, lam: lam * ce(lo, a, reduction="none") + (1 - lam) * ce(lo, b, reduction="none"), "one number"),
    "squared weights": (lambda lo, a, b, lam: lam**2 * ce(lo, a) + (1 - lam) ** 2 * ce(lo, b), "expected"),
}


def test_mixup_loss_reference_passes():
    assert check_mixup_loss(lambda lo, a, b, lam: me.mixup_criterion(ce, lo, a, b, lam)) is True
    assert check_mixup_loss(lambda lo, a, b, lam: me.soft_cross_entropy(lo, me.mix_targets(a, b, lam, 10))) is True


@pytest.mark.parametrize("name", MIXUP_LOSS_MISTAKES)
def test_mixup_loss_mistakes(name, capsys):
    fn, hint = MIXUP_LOSS_MISTAKES[name]
    assert check_mixup_loss(fn) is False
    assert hint in capsys.readouterr().out


@pytest.mark.parametrize("check", [check_sample_lambda, check_mixup_data, check_mixup_loss])
def test_an_unwritten_stub_is_reported_plainly(check, capsys):
    def stub(*args, **kwargs):
        raise NotImplementedError("your code here")

    assert check(stub) is False
    assert "raised NotImplementedError: your code here" in capsys.readouterr().out
