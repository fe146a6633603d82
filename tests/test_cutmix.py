import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import cutmix_data, random_box
from mixup_edu.cutmix import cutmix_box


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


@pytest.mark.parametrize("seed", range(6))
def test_box_is_one_rectangle_from_the_partner(seed):
    # Image i is filled with i + 1: a pixel's value says which image it came from.
    x = torch.arange(1, 7, dtype=torch.float32).view(6, 1, 1, 1).expand(6, 2, 10, 12).clone()
    mixed, y_a, perm, lam = cutmix_data(x, torch.arange(6), 1.0, generator=torch.Generator().manual_seed(seed))
    pasted = mixed != x  # where a pixel differs from the image's own
    rows, cols = torch.nonzero(pasted.any(dim=(0, 1)), as_tuple=True)
    assert len(rows) > 0, "no box was pasted"
    box = (slice(int(rows.min()), int(rows.max()) + 1), slice(int(cols.min()), int(cols.max()) + 1))
    for i in range(6):
        expected = x[i].clone()
        expected[:, box[0], box[1]] = perm[i].item() + 1  # one filled rectangle of the partner, the same in every image
        assert torch.equal(mixed[i], expected)
    area = (box[0].stop - box[0].start) * (box[1].stop - box[1].start)
    assert lam == pytest.approx(1 - area / 120)


@pytest.mark.parametrize("shape", [(5, 7, 11), (5, 11, 7)], ids=["wide", "tall"])
def test_images_without_a_channel_dimension(shape):
    # (B, H, W) images: the box is drawn in H × W, whichever is larger, and λ is still the fraction kept
    x = torch.arange(1, 6, dtype=torch.float32).view(5, 1, 1).expand(shape).clone()
    mixed, _, perm, lam = cutmix_data(x, torch.arange(5), 1.0, generator=torch.Generator().manual_seed(2))
    i = int((perm != torch.arange(5)).nonzero()[0])
    assert (mixed[i] == i + 1).float().mean().item() == pytest.approx(lam) and lam < 1


def test_default_alpha_is_one():
    # on a 64 × 64 image the pasted fraction shows λ to within 1/64; on a small one two α can give one box
    x, y = torch.rand(4, 1, 64, 64), torch.arange(4)
    lams = {}
    for alpha in (None, 1.0, 2.0):
        generator, args = torch.Generator().manual_seed(0), () if alpha is None else (alpha,)
        lams[alpha] = [cutmix_data(x, y, *args, generator=generator)[3] for _ in range(5)]
    assert lams[None] == lams[1.0] != lams[2.0]


def test_alpha_zero_pastes_nothing(gen):
    x = torch.rand(4, 1, 6, 6)
    mixed, _, _, lam = cutmix_data(x, torch.arange(4), 0.0, generator=gen)
    assert lam == 1.0 and torch.equal(mixed, x)


@pytest.mark.parametrize("height, width, lam", [(100, 100, 0.75), (40, 90, 0.5), (64, 32, 0.9)])
def test_random_box_size_before_clipping(height, width, lam):
    # Sides H·√(1 − λ) and W·√(1 − λ), so an area of (1 − λ)·H·W, before the border clips the box.
    side_h, side_w = height * math.sqrt(1 - lam), width * math.sqrt(1 - lam)
    generator, inside = torch.Generator().manual_seed(0), 0
    for _ in range(200):
        top, bottom, left, right = random_box(height, width, lam, generator)
        assert 0 <= top <= bottom <= height and 0 <= left <= right <= width
        assert bottom - top <= side_h and right - left <= side_w  # clipping only makes it smaller
        if 0 < top and bottom < height and 0 < left and right < width:  # not clipped: its full size
            inside += 1
            assert side_h - 1 < bottom - top and side_w - 1 < right - left
            assert (bottom - top) * (right - left) == pytest.approx((1 - lam) * height * width, rel=0.1)
    assert inside >= 10  # the centre is uniform over the image: some boxes lie wholly inside it


def test_random_box_centre_is_uniform_over_the_image():
    # At λ = 0.91 both sides, 4·0.3 and 5·0.3, round down to one pixel: the box is its own centre.
    generator, counts = torch.Generator().manual_seed(0), torch.zeros(4, 5)
    for _ in range(2000):
        top, bottom, left, right = random_box(4, 5, 0.91, generator)
        assert (bottom - top, right - left) == (1, 1)
        counts[top, left] += 1
    torch.testing.assert_close(counts / 2000, torch.full((4, 5), 1 / 20), atol=0.02, rtol=0)


@pytest.mark.parametrize("lam", [0.0, 0.3, 0.8, 1.0])
def test_cutmix_box_is_random_box_with_the_fraction_outside_it(lam):
    box, kept = cutmix_box(12, 7, lam, torch.Generator().manual_seed(3))
    assert box == random_box(12, 7, lam, torch.Generator().manual_seed(3))
    assert kept == pytest.approx(1 - (box.bottom - box.top) * (box.right - box.left) / 84)


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
