import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import cutmix_data, random_box


@given(b=st.integers(2, 8), h=st.integers(1, 12), w=st.integers(1, 12), alpha=st.floats(0, 5), seed=st.integers(0, 10**6))
def test_lambda_is_the_exact_fraction_kept(b, h, w, alpha, seed):
    # Image i is filled with the value i + 1, so each pixel tells where it came from.
    x = torch.arange(1, b + 1, dtype=torch.float32).view(b, 1, 1, 1).expand(b, 2, h, w).clone()
    x0 = x.clone()
    mixed, y_a, perm, lam = cutmix_data(x, torch.arange(b), alpha, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(x, x0)
    assert 0.0 <= lam <= 1.0
    for i in range(b):
        if perm[i] != i:
            kept = (mixed[i] == i + 1).float().mean().item()
            assert kept == pytest.approx(lam)
        assert set(mixed[i].unique().tolist()) <= {i + 1.0, perm[i].item() + 1.0}


def test_box_is_one_rectangle_from_the_partner(gen):
    x = torch.zeros(2, 1, 10, 10)
    x[1] = 1.0
    mixed, _, perm, lam = cutmix_data(x, torch.arange(2), 1.0, generator=torch.Generator().manual_seed(4))
    if perm[0] == 1:
        rows, cols = torch.nonzero(mixed[0, 0], as_tuple=True)
        area = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
        assert area.item() == len(rows)  # a filled rectangle
        assert lam == pytest.approx(1 - len(rows) / 100)


def test_alpha_zero_pastes_nothing(gen):
    x = torch.rand(4, 1, 6, 6)
    mixed, _, _, lam = cutmix_data(x, torch.arange(4), 0.0, generator=gen)
    assert lam == 1.0 and torch.equal(mixed, x)


def test_random_box_size_before_clipping(gen):
    top, bottom, left, right = random_box(100, 100, 0.75, gen)
    assert 0 <= top <= bottom <= 100 and 0 <= left <= right <= 100
    assert bottom - top <= 50 and right - left <= 50


def test_same_seed_same_result():
    x = torch.rand(5, 1, 8, 8)
    a = cutmix_data(x, torch.arange(5), 1.0, generator=torch.Generator().manual_seed(9))
    b = cutmix_data(x, torch.arange(5), 1.0, generator=torch.Generator().manual_seed(9))
    assert torch.equal(a[0], b[0]) and a[3] == b[3]


@pytest.mark.parametrize(
    "x, y, error, match",
    [
        (torch.rand(4, 8), torch.arange(4), ValueError, r"\(B, \.\.\., H, W\)"),
        (torch.rand(4, 1, 8, 8), torch.arange(3), ValueError, "batch sizes differ"),
        (torch.rand(0, 1, 8, 8), torch.arange(0), ValueError, "empty batch"),
        (torch.rand(2, 1, 8, 8), torch.tensor([0.0, 1.0]), TypeError, "class indices"),
    ],
)
def test_bad_input(x, y, error, match):
    with pytest.raises(error, match=match):
        cutmix_data(x, y)


def test_alpha_zero_copies_infinite_images(gen):
    x = torch.tensor([1.0, math.inf, -math.inf, 2.0]).view(4, 1, 1, 1).expand(4, 1, 3, 3).clone()
    mixed, _, _, lam = cutmix_data(x, torch.arange(4), 0.0, generator=gen)
    assert lam == 1.0 and torch.equal(mixed, x)


@pytest.mark.parametrize("lam, area", [(1.0, 0), (0.0, 100)], ids=["lam-1-empty-box", "lam-0-whole-image"])
def test_random_box_at_the_ends(lam, area, gen):
    top, bottom, left, right = random_box(10, 10, lam, gen)
    assert (bottom - top) * (right - left) <= area and (area == 0 or (bottom - top) * (right - left) > 0)
