import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

from mixup_edu import mix_targets, mixup_criterion, one_hot, soft_cross_entropy


def test_one_hot():
    t = one_hot(torch.tensor([2, 0]), 3)
    assert t.dtype == torch.float32
    assert torch.equal(t, torch.tensor([[0.0, 0, 1], [1, 0, 0]]))


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


@given(b=st.integers(1, 12), c=st.integers(2, 8), seed=st.integers(0, 10**6))
def test_soft_cross_entropy_equals_torch(b, c, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g) * 3
    targets = torch.softmax(torch.randn(b, c, generator=g), 1)
    torch.testing.assert_close(soft_cross_entropy(logits, targets), F.cross_entropy(logits, targets))


@pytest.mark.parametrize(
    "logits, targets, error, match",
    [
        (torch.randn(4, 3), torch.rand(4, 2), ValueError, "shape"),
        (torch.randn(4, 3), torch.rand(3, 3), ValueError, "shape"),
        (torch.randn(4, 3), torch.tensor([0, 1, 2, 0]), TypeError, "float probabilities"),
        (torch.randn(4), torch.rand(4), ValueError, r"\(B, C\)"),
        (torch.randn(0, 3), torch.rand(0, 3), ValueError, "empty"),
    ],
)
def test_soft_cross_entropy_bad_input(logits, targets, error, match):
    with pytest.raises(error, match=match):
        soft_cross_entropy(logits, targets)


@given(b=st.integers(1, 12), c=st.integers(2, 8), lam=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_two_loss_forms_agree(b, c, lam, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g)
    y_a, y_b = torch.randint(0, c, (b,), generator=g), torch.randint(0, c, (b,), generator=g)
    two_term = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, lam)
    soft = soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, c))
    torch.testing.assert_close(two_term, soft)


def test_two_loss_forms_agree_per_sample(gen):
    logits = torch.randn(9, 4, generator=gen)
    y_a, y_b = torch.randint(0, 4, (9,), generator=gen), torch.randint(0, 4, (9,), generator=gen)
    lam = torch.rand(9, generator=gen)
    per_sample = mixup_criterion(nn.CrossEntropyLoss(reduction="none"), logits, y_a, y_b, lam)
    assert per_sample.shape == (9,)
    torch.testing.assert_close(per_sample.mean(), soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, 4)))


def test_per_sample_lam_with_a_mean_criterion_is_refused(gen):
    logits = torch.randn(5, 3, generator=gen)
    y = torch.randint(0, 3, (5,), generator=gen)
    with pytest.raises(ValueError, match="reduction='none'"):
        mixup_criterion(nn.CrossEntropyLoss(), logits, y, y, torch.rand(5))


def test_criterion_batch_mismatch():
    with pytest.raises(ValueError, match="batch sizes differ"):
        mixup_criterion(nn.CrossEntropyLoss(), torch.randn(4, 3), torch.arange(3), torch.arange(4) % 3, 0.5)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_works(dtype):
    y_a, y_b = torch.tensor([2, 0, 1]), torch.tensor([1, 1, 0])
    assert torch.equal(one_hot(y_a.to(dtype), 3), one_hot(y_a, 3))
    assert torch.equal(mix_targets(y_a.to(dtype), y_b.to(dtype), 0.3, 3), mix_targets(y_a, y_b, 0.3, 3))
    logits = torch.randn(3, 3, generator=torch.Generator().manual_seed(0))
    loss = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a.to(dtype), y_b.to(dtype), 0.3)
    torch.testing.assert_close(loss, mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, 0.3))


@pytest.mark.parametrize(
    "lam", [np.float32(0.25), np.float64(0.25), torch.tensor(0.25)], ids=["np.float32", "np.float64", "0-dim-tensor"]
)
def test_lam_of_any_real_kind(lam):
    y_a, y_b = torch.tensor([0, 1]), torch.tensor([1, 0])
    assert torch.equal(mix_targets(y_a, y_b, lam, 2), mix_targets(y_a, y_b, 0.25, 2))
    logits = torch.randn(2, 2, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(mixup_criterion(F.cross_entropy, logits, y_a, y_b, lam),
                               mixup_criterion(F.cross_entropy, logits, y_a, y_b, 0.25))
