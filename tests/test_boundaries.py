"""mixup_edu.boundaries: notebook 03's band width and confidence far from the data, on models whose answers are known."""

import math

import pytest
import torch
from torch import nn

import mixup_edu as me

LOG_9 = math.log(9.0)  # sigmoid(±log 9) = 0.9 and 0.1, the band's default edges


def ramp(steepness: float) -> nn.Module:
    """A two-class model with p(class 1 | x) = sigmoid(steepness · x₁): its boundary is the line x₁ = 0."""
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.0, 0.0], [steepness, 0.0]]))
        model.bias.zero_()
    return model


def constant(p1: float) -> nn.Module:
    """A two-class model that answers p(class 1) = p1 everywhere."""
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.copy_(torch.tensor([0.0, math.log(p1 / (1 - p1))]))
    return model


# Two clusters: class 0 at x₁ = −1, class 1 at x₁ = +1, so every cross-class segment is 2 long and crosses x₁ = 0.
X = torch.tensor([[-1.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
Y = torch.tensor([0, 0, 1, 1, 1])


def test_segments_run_from_a_class_0_point_to_a_class_1_point_and_repeat_with_the_seed():
    x, y = me.make_moons(60, noise=0.1, generator=torch.Generator().manual_seed(0))
    starts, ends = me.cross_class_segments(x, y, 40, torch.Generator().manual_seed(3))
    assert starts.shape == ends.shape == (40, 2)
    zeros, ones = {tuple(p) for p in x[y == 0].tolist()}, {tuple(p) for p in x[y == 1].tolist()}
    assert all(tuple(p) in zeros for p in starts.tolist()) and all(tuple(p) in ones for p in ends.tolist())
    again = me.cross_class_segments(x, y, 40, torch.Generator().manual_seed(3))
    other = me.cross_class_segments(x, y, 40, torch.Generator().manual_seed(4))
    assert torch.equal(starts, again[0]) and torch.equal(ends, again[1])
    assert not torch.equal(starts, other[0])


def test_segments_need_both_classes():
    with pytest.raises(ValueError, match="both class 0 and class 1, got 0 and 5"):
        me.cross_class_segments(X, torch.ones(5, dtype=torch.long))


def test_probability_along_a_segment_is_the_model_at_the_interpolated_points():
    model, starts, ends = ramp(1.5), torch.tensor([[-1.0, 2.0], [0.5, 0.0]]), torch.tensor([[3.0, 0.0], [0.5, 4.0]])
    p1 = me.probability_along(model, starts, ends, steps=5)
    assert p1.shape == (2, 5)
    t = torch.tensor([0.0, 0.25, 0.5, 0.75, 1.0])
    x1 = starts[:, :1] + t * (ends[:, :1] - starts[:, :1])  # only x₁ matters to the ramp
    torch.testing.assert_close(p1, torch.sigmoid(1.5 * x1))


def test_probability_along_keeps_float64_points_in_float64():
    model, starts, ends = ramp(1.5).double(), torch.tensor([[-1.0, 2.0]], dtype=torch.float64), torch.tensor(
        [[3.0, 0.0]], dtype=torch.float64)
    p1 = me.probability_along(model, starts, ends, steps=11)  # t = 0, 0.1, ...: not exact in float32
    t = torch.linspace(0, 1, 11, dtype=torch.float64)
    torch.testing.assert_close(p1[0], torch.sigmoid(1.5 * (-1.0 + 4.0 * t)), rtol=1e-14, atol=1e-14)


def test_the_smallest_sizes_work():
    assert me.probability_along(ramp(1.0), X[:1], X[2:3], steps=2).shape == (1, 2)  # the two ends only
    assert me.cross_class_segments(X, Y, 1, torch.Generator().manual_seed(0))[0].shape == (1, 2)
    assert me.confidence_and_distance(constant(0.6), X, n=1)[1].shape == (1,)


def test_probability_along_refuses_a_model_without_two_classes():
    with pytest.raises(ValueError, match="2 class scores"):
        me.probability_along(nn.Linear(2, 3), X[:2], X[2:4])


def test_band_width_is_the_length_where_the_model_is_unsure():
    # p = sigmoid(k·x₁) lies in (0.1, 0.9) where |x₁| < log 9 / k. With k = log 9 / 0.45 that is |x₁| < 0.45: on a
    # segment from x₁ = −1 to +1 sampled at t = i / 100 (x₁ = −1 + i / 50), the points i = 28 .. 72, 45 of 101.
    assert me.band_width(ramp(LOG_9 / 0.45), X, Y) == pytest.approx(2 * 45 / 101, abs=1e-12)
    # a hard boundary: only the midpoint, where p = 1/2 exactly, is unsure
    assert me.band_width(ramp(1e4), X, Y) == pytest.approx(2 * 1 / 101, abs=1e-12)
    # a model unsure everywhere: the whole segment
    assert me.band_width(constant(0.5), X, Y) == pytest.approx(2.0, abs=1e-12)
    # narrower edges, (0.2, 0.8): |x₁| < log 4 / k = 0.45 · log 4 / log 9 ≈ 0.284, the points i = 36 .. 64
    assert me.band_width(ramp(LOG_9 / 0.45), X, Y, low=0.2, high=0.8) == pytest.approx(2 * 29 / 101, abs=1e-12)


def test_band_width_averages_over_segments_of_different_lengths():
    # class-1 points at x₁ = 1 and x₁ = 3: segments of length 2 and 4. Under a hard ramp each is unsure at one of
    # its 101 points only, x₁ = 0 (t = 1/2 and t = 1/4, both on the grid), so the band is the mean length / 101.
    x, y = torch.tensor([[-1.0, 0.0], [1.0, 0.0], [3.0, 0.0]]), torch.tensor([0, 1, 1])
    starts, ends = me.cross_class_segments(x, y, 100, torch.Generator().manual_seed(5))
    lengths = (ends - starts).norm(dim=1)
    assert set(lengths.tolist()) == {2.0, 4.0}
    assert me.band_width(ramp(1e4), x, y, seed=5) == pytest.approx(lengths.double().mean().item() / 101, abs=1e-12)


def test_confidence_and_distance_at_points_around_the_data():
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    confidence, distance = me.confidence_and_distance(constant(0.7), x, n=5000, margin=0.0, seed=1)
    assert confidence.shape == distance.shape == (5000,)
    torch.testing.assert_close(confidence, torch.full((5000,), 0.7))
    # inside the unit square no point is farther than its half-diagonal from a corner
    assert distance.min() >= 0 and distance.max() <= math.sqrt(0.5) + 1e-6
    _, wider = me.confidence_and_distance(constant(0.7), x, n=5000, margin=1.0, seed=1)
    assert wider.max() > 1.0
    assert torch.equal(wider, me.confidence_and_distance(constant(0.7), x, n=5000, margin=1.0, seed=1)[1])


def test_far_confidence_averages_the_top_probability_beyond_the_distance():
    # p(class 1) = sigmoid(x₁): the top probability grows with |x₁|, so far from the data it is higher on average
    x = torch.tensor([[0.0, 0.0], [0.1, 0.1]])
    confidence, distance = me.confidence_and_distance(ramp(1.0), x, seed=2)
    expected = confidence[distance > 0.5].mean().item()
    assert me.far_confidence(ramp(1.0), x, 0.5, seed=2) == pytest.approx(expected)
    assert me.far_confidence(ramp(1.0), x, 0.5, seed=2) > me.far_confidence(ramp(1.0), x, 0.0, seed=2)
    assert me.far_confidence(constant(0.8), x, 0.5) == pytest.approx(0.8)


def test_far_confidence_says_when_no_point_is_that_far():
    with pytest.raises(ValueError, match="no sampled point lies farther than min_distance = 5"):
        me.far_confidence(constant(0.8), X, 5.0)


def test_the_notebook_measures_come_back_the_same_for_the_same_seed():
    x, y = me.make_moons(100, noise=0.2, generator=torch.Generator().manual_seed(0))
    model = me.MLP(hidden=16, depth=2, seed=0)
    assert me.band_width(model, x, y, seed=7) == me.band_width(model, x, y, seed=7)
    assert me.far_confidence(model, x, 0.5, seed=9) == me.far_confidence(model, x, 0.5, seed=9)
    assert me.band_width(model, x, y, seed=7) != me.band_width(model, x, y, seed=8)


def test_the_defaults():
    # 100 segments, a band between p = 0.1 and 0.9, 20,000 points in a box widened by 1, seed 0
    model = ramp(LOG_9 / 0.45)  # its p(class 1) spreads over (0, 1), so other band edges would give another width
    assert me.band_width(model, X, Y) == me.band_width(model, X, Y, n=100, low=0.1, high=0.9, seed=0)
    assert me.band_width(model, X, Y) != me.band_width(model, X, Y, low=0.2, high=0.8)
    default, explicit = me.confidence_and_distance(model, X), me.confidence_and_distance(model, X, n=20_000,
                                                                                         margin=1.0, seed=0)
    assert all(torch.equal(a, b) for a, b in zip(default, explicit))
    assert me.far_confidence(model, X, 0.3) == me.far_confidence(model, X, 0.3, n=20_000, margin=1.0, seed=0)
    assert me.far_confidence(model, X, 0.3) != me.far_confidence(model, X, 0.3, seed=1)
    generator = torch.Generator().manual_seed(2)
    assert me.cross_class_segments(X, Y, generator=generator)[0].shape == (100, 2)


def test_the_band_is_strictly_between_its_edges():
    # a saturated ramp gives p exactly 0 or 1 except at x₁ = 0 (p = 1/2): with edges 0 and 1, only that point counts
    assert me.band_width(ramp(1e4), X, Y, low=0.0, high=1.0) == pytest.approx(2 / 101, abs=1e-12)


def test_a_diverged_model_is_refused_not_measured():
    diverged = nn.Linear(2, 2)
    with torch.no_grad():
        diverged.weight.fill_(math.nan)
    for measure in (lambda: me.band_width(diverged, X, Y), lambda: me.far_confidence(diverged, X, 0.1)):
        with pytest.raises(ValueError, match="NaN or infinite"):
            measure()


def test_labels_other_than_0_and_1_are_refused():
    with pytest.raises(ValueError, match="y holds the label 2, outside \\[0, 2\\)"):
        me.band_width(ramp(1.0), X, torch.tensor([0, 0, 1, 1, 2]))


def test_models_of_another_dtype_and_without_parameters_work():
    points = X.double()  # float64 points, a float32 model: the points are cast to the model's dtype
    assert me.band_width(ramp(LOG_9 / 0.45), points, Y) == me.band_width(ramp(LOG_9 / 0.45), X, Y)
    assert me.far_confidence(nn.Identity(), X, 0.1) > 0.5  # the points themselves as logits


def test_a_model_with_one_output_is_refused():
    with pytest.raises(ValueError, match="at least 2 class scores per point, got 1"):
        me.far_confidence(nn.Linear(2, 1), X, 0.1)
    with pytest.raises(ValueError, match="class scores of shape \\(N, C\\)"):
        me.far_confidence(nn.Sequential(nn.Linear(2, 1), nn.Flatten(0)), X, 0.1)


def test_the_model_keeps_its_mode_even_when_it_raises():
    model = nn.Sequential(nn.Linear(3, 2))  # expects 3 features: the 2-D points make it raise
    model.train()
    with pytest.raises(RuntimeError):
        me.band_width(model, X, Y)
    assert model.training


def test_the_points_are_uniform_over_the_widened_box():
    # The documented draw: U ~ Uniform[0, 1)^D from torch.Generator().manual_seed(seed), then low + (high − low)·U,
    # with the box [min − margin, max + margin] of the training points.
    x = torch.tensor([[0.0, 0.0], [2.0, 1.0]])
    _, distance = me.confidence_and_distance(constant(0.6), x, n=3000, margin=0.5, seed=4)
    u = torch.rand(3000, 2, generator=torch.Generator().manual_seed(4))
    points = torch.tensor([-0.5, -0.5]) + torch.tensor([3.0, 2.0]) * u
    torch.testing.assert_close(distance, torch.cdist(points, x).min(1).values)
    # the farthest spots of the box [−0.5, 2.5] × [−0.5, 1.5] are its corners (2.5, −0.5) and (−0.5, 1.5), both
    # √(0.5² + 1.5²) = √2.5 ≈ 1.58 from their nearest training point; some of the 3,000 points come close
    assert 1.4 < distance.max() <= math.sqrt(2.5) + 1e-6
