import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import mix, mixup_data


def indexed_batch(b, shape=(1, 4, 4)):
    """Images whose pixels encode their own index, with labels = index."""
    x = torch.arange(b, dtype=torch.float32).reshape(b, 1, 1, 1).expand(b, *shape).clone() / max(b, 1)
    return x, torch.arange(b)


def test_formula_and_labels_follow_the_same_permutation(gen):
    x, y = indexed_batch(16)
    mixed, y_a, y_b, lam = mixup_data(x, y, 1.0, generator=gen)
    assert isinstance(lam, float)
    assert torch.equal(y_a, y)
    perm = y_b  # labels are indices, so y_b is the permutation itself
    assert sorted(perm.tolist()) == list(range(16))
    torch.testing.assert_close(mixed, lam * x + (1 - lam) * x[perm])


def test_per_sample_lambda(gen):
    x, y = indexed_batch(32)
    mixed, _, y_b, lam = mixup_data(x, y, 0.4, per_sample=True, generator=gen)
    assert lam.shape == (32,)
    assert ((lam >= 0) & (lam <= 1)).all()
    assert lam.unique().numel() > 1
    w = lam.view(-1, 1, 1, 1)
    torch.testing.assert_close(mixed, w * x + (1 - w) * x[y_b])


def test_alpha_zero_returns_the_batch_unchanged(gen):
    x, y = indexed_batch(8)
    mixed, y_a, _, lam = mixup_data(x, y, 0.0, generator=gen)
    assert lam == 1.0
    assert torch.equal(mixed, x) and torch.equal(y_a, y)


def test_same_seed_same_tensors():
    x, y = torch.rand(10, 3), torch.randint(0, 3, (10,))
    a = mixup_data(x, y, 0.2, generator=torch.Generator().manual_seed(5))
    b = mixup_data(x, y, 0.2, generator=torch.Generator().manual_seed(5))
    for u, v in zip(a, b):
        assert torch.equal(torch.as_tensor(u), torch.as_tensor(v))


def test_soft_targets_are_accepted(gen):
    x, y = torch.rand(6, 2), torch.softmax(torch.rand(6, 3), 1)
    _, y_a, y_b, _ = mixup_data(x, y, 1.0, generator=gen)
    assert y_a.shape == y_b.shape == (6, 3)


@given(b=st.integers(1, 20), d=st.integers(1, 6), alpha=st.floats(0, 10), seed=st.integers(0, 10**6), per_sample=st.booleans())
def test_convex_and_never_in_place(b, d, alpha, seed, per_sample):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, d, generator=g)
    y = torch.arange(b)  # labels are indices, so y_b is the permutation
    x0, y0 = x.clone(), y.clone()
    mixed, _, perm, lam = mixup_data(x, y, alpha, per_sample=per_sample, generator=g)
    assert torch.equal(x, x0) and torch.equal(y, y0)
    lam_t = torch.as_tensor(lam)
    assert ((lam_t >= 0) & (lam_t <= 1)).all()
    # each mixed value lies on the segment between the two values it came from
    low, high = torch.minimum(x, x[perm]), torch.maximum(x, x[perm])
    assert torch.all(mixed >= low - 1e-6) and torch.all(mixed <= high + 1e-6)


@pytest.mark.parametrize(
    "x, y, error, match",
    [
        (torch.rand(4, 3), torch.arange(3), ValueError, "batch sizes differ"),
        (torch.rand(0, 3), torch.arange(0), ValueError, "empty batch"),
        (torch.rand(4, 3), torch.rand(4), TypeError, "class indices"),
        (torch.randint(0, 255, (4, 3), dtype=torch.uint8), torch.arange(4), TypeError, "floating-point"),
        ([[1.0]], torch.arange(1), TypeError, "torch.Tensor"),
        (torch.rand(4, 3), torch.zeros(4, 2, dtype=torch.long), ValueError, r"shape \(B,\)"),
    ],
)
def test_bad_input(x, y, error, match):
    with pytest.raises(error, match=match):
        mixup_data(x, y, 1.0)


def test_negative_alpha():
    with pytest.raises(ValueError, match="alpha"):
        mixup_data(torch.rand(2, 2), torch.arange(2), -0.5)


@pytest.mark.parametrize("per_sample", [False, True], ids=["one-lam", "per-sample-lam"])
def test_alpha_zero_never_blends_so_infinities_stay(per_sample):
    # at α = 0 nothing is blended: 0 · inf would turn a finite sample whose partner is inf into NaN
    x = torch.tensor([[1.0], [math.inf], [2.0], [-math.inf]])
    mixed, *_ = mixup_data(x, torch.arange(4), 0.0, per_sample=per_sample, generator=torch.Generator().manual_seed(0))
    assert torch.equal(mixed, x) and mixed.data_ptr() != x.data_ptr()


def test_mix_at_lambda_one_and_zero_is_exact():
    x = torch.tensor([[1.0], [math.inf], [2.0]])
    perm = torch.tensor([1, 2, 0])
    assert torch.equal(mix(x, perm, 1.0), x)
    assert torch.equal(mix(x, perm, np.float32(0.0)), x[perm])


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_integer_label_dtypes_are_kept_and_permuted(dtype):
    x, y = torch.rand(6, 2), torch.tensor([5, 0, 1, 2, 3, 4])
    mixed, y_a, y_b, lam = mixup_data(x, y.to(dtype), 0.5, generator=torch.Generator().manual_seed(0))
    expected = mixup_data(x, y, 0.5, generator=torch.Generator().manual_seed(0))
    assert y_a.dtype == y_b.dtype == dtype
    assert torch.equal(mixed, expected[0]) and torch.equal(y_b.long(), expected[2]) and lam == expected[3]
