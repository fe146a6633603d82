import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import mix_targets, one_hot


def test_one_hot():
    t = one_hot(torch.tensor([2, 0]), 3)
    assert t.dtype == torch.float32
    assert torch.equal(t, torch.tensor([[0.0, 0, 1], [1, 0, 0]]))
    assert one_hot(torch.tensor([2, 0]), 3, torch.float64).dtype == torch.float64


def test_mixed_targets_stay_float32_whatever_the_lambdas_dtype():
    lam = torch.tensor([0.25, 1.0], dtype=torch.float64)
    t = mix_targets(torch.tensor([0, 1]), torch.tensor([1, 1]), lam, 2)
    assert t.dtype == torch.float32
    torch.testing.assert_close(t, torch.tensor([[0.25, 0.75], [0.0, 1.0]]))


@pytest.mark.parametrize(
    "y, c, error, match",
    [
        (torch.tensor([0, 3]), 3, ValueError, r"outside \[0, 3\)"),
        (torch.tensor([-1, 0]), 3, ValueError, "outside"),
        (torch.tensor([0.0, 1.0]), 3, TypeError, "integer class indices"),
        (torch.tensor([0, 1]), 0, ValueError, "num_classes must be an integer >= 1"),
        (torch.tensor([0, 1]), 2.0, TypeError, "num_classes must be an int"),
        (torch.tensor([], dtype=torch.long), 3, ValueError, "empty"),
    ],
)
def test_one_hot_bad_input(y, c, error, match):
    with pytest.raises(error, match=match):
        one_hot(y, c)


@given(b=st.integers(1, 16), c=st.integers(1, 10), lam=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_mixed_targets_are_distributions(b, c, lam, seed):
    g = torch.Generator().manual_seed(seed)
    y_a, y_b = torch.randint(0, c, (b,), generator=g), torch.randint(0, c, (b,), generator=g)
    t = mix_targets(y_a, y_b, lam, c)
    assert t.shape == (b, c)
    assert torch.all(t >= 0)
    torch.testing.assert_close(t.sum(1), torch.ones(b))
    per_sample = mix_targets(y_a, y_b, torch.full((b,), lam), c)
    torch.testing.assert_close(per_sample, t)


def test_mix_targets_values():
    t = mix_targets(torch.tensor([7]), torch.tensor([8]), 0.62, 10)
    assert t[0, 7].item() == pytest.approx(0.62) and t[0, 8].item() == pytest.approx(0.38)
    same = mix_targets(torch.tensor([3]), torch.tensor([3]), 0.3, 5)
    assert same[0, 3].item() == pytest.approx(1.0)


def test_mix_targets_bad_lam():
    with pytest.raises(ValueError, match=r"lam must be a finite number in \[0, 1\]"):
        mix_targets(torch.tensor([0]), torch.tensor([1]), 1.5, 2)
    with pytest.raises(ValueError, match="shape"):
        mix_targets(torch.tensor([0, 1]), torch.tensor([1, 0]), torch.rand(3), 2)
