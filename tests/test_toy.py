import math

import numpy as np
import pytest
import torch

from mixup_edu import make_moons, make_spirals


@pytest.mark.parametrize("make", [make_moons, make_spirals])
def test_shapes_balance_and_seed(make):
    x, y = make(101, generator=torch.Generator().manual_seed(0))
    assert x.shape == (101, 2) and x.dtype == torch.float32
    assert y.dtype == torch.long and set(y.tolist()) == {0, 1}
    assert abs(y.sum().item() - 50) <= 1
    x2, y2 = make(101, generator=torch.Generator().manual_seed(0))
    assert torch.equal(x, x2) and torch.equal(y, y2)
    x3, _ = make(101, generator=torch.Generator().manual_seed(1))
    assert not torch.equal(x, x3)


def test_noise_free_moons_lie_on_their_circles():
    x, y = make_moons(200, noise=0.0, generator=torch.Generator().manual_seed(0))
    centre = torch.where(y.unsqueeze(1) == 0, torch.tensor([0.0, 0.0]), torch.tensor([1.0, 0.5]))
    torch.testing.assert_close((x - centre).norm(dim=1), torch.ones(200))


def angle_gap(a, b):
    """a − b as an angle in (−π, π]."""
    return torch.remainder(a - b + math.pi, 2 * math.pi) - math.pi


@pytest.mark.parametrize("turns", [1.5, 0.75])
def test_noise_free_spiral_classes_are_point_reflections(turns):
    # Class 0 lies on r·(cos θ, sin θ) with θ = 2π·turns·r; class 1 is class 0 turned by π, i.e. reflected
    # through the origin: a point x of class 1 has −x on class 0's curve.
    x, y = make_spirals(400, noise=0.0, turns=turns, generator=torch.Generator().manual_seed(0))
    r = x.norm(dim=1)
    assert (r <= 1).all() and r.max() > 0.9
    on_curve = x * torch.where(y == 0, 1.0, -1.0).unsqueeze(1)
    theta = torch.atan2(on_curve[:, 1], on_curve[:, 0])
    torch.testing.assert_close(angle_gap(theta, 2 * math.pi * turns * r), torch.zeros(400), atol=1e-4, rtol=0)
    # and not merely both on one curve: unreflected, class 1 is half a turn away from it
    gap = angle_gap(torch.atan2(x[y == 1, 1], x[y == 1, 0]), 2 * math.pi * turns * r[y == 1])
    assert (gap.abs() > 3).all()


@pytest.mark.parametrize("make", [make_moons, make_spirals])
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n": 1}, ValueError, "n must be an integer >= 2"),
        ({"n": 2.5}, TypeError, "n must be an integer"),
        ({"n": True}, TypeError, "n must be an integer"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"generator": 42}, TypeError, "generator"),
    ],
    ids=["n-too-small", "n-float", "n-bool", "noise-negative", "noise-nan", "generator-int"],
)
def test_bad_arguments(make, kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


@pytest.mark.parametrize("make", [make_moons, make_spirals])
def test_numpy_numbers_are_accepted(make):
    x, _ = make(np.int64(10), noise=np.float32(0.1), generator=torch.Generator().manual_seed(0))
    expected, _ = make(10, noise=0.1, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(x, expected)
