"""Two measures of a classifier's decision boundary on toy data (notebook 03): how wide the band of
uncertainty between the classes is, and how confident the model stays far from every training point.

Both are taken at random points drawn from a seed, so that every model is measured at the same points.
"""

from __future__ import annotations

import torch
from torch import nn

from ._checks import (
    _count_non_finite,
    check_class_indices,
    check_generator,
    check_images,
    check_int,
    check_model,
    check_real,
    check_same_batch,
    check_seed,
)
from ._random import rng_device
from .evaluation import _class_probabilities, _p_class_one


def _check_points(x: object, name: str = "x") -> torch.Tensor:
    x = check_images(x, name)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"{name} must hold points of shape (N, D) with D >= 1, got shape {tuple(x.shape)}")
    bad = _count_non_finite(x)
    if bad:
        raise ValueError(f"{name} holds {bad} NaN or infinite values; expected finite points")
    return x


def cross_class_segments(
    x: torch.Tensor, y: torch.Tensor, n: int = 100, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` segments between training points of different classes: ``(starts, ends)``, each of shape (n, D).

    Each start is a class-0 point and each end a class-1 point of ``(x, y)``, both drawn uniformly with
    replacement (the starts first, then the ends).
    """
    x, y = _check_points(x), check_class_indices(y, "y", num_classes=2)
    check_same_batch(x, y)
    n, rng = check_int(n, "n", low=1), check_generator(generator)
    y = y.to(x.device)
    zeros, ones = x[y == 0], x[y == 1]
    if len(zeros) == 0 or len(ones) == 0:
        raise ValueError(f"y must hold both class 0 and class 1, got {len(zeros)} and {len(ones)} points of them")
    device = rng_device(rng)
    starts = zeros[torch.randint(len(zeros), (n,), generator=rng, device=device).to(x.device)]
    return starts, ones[torch.randint(len(ones), (n,), generator=rng, device=device).to(x.device)]


def probability_along(model: nn.Module, starts: torch.Tensor, ends: torch.Tensor, steps: int = 101) -> torch.Tensor:
    """p(class 1) of a two-class ``model`` at ``steps`` evenly spaced points of each segment, shape (segments, steps).

    Point k of segment s is (1 − t_k)·starts[s] + t_k·ends[s], with t_k = k / (steps − 1).
    """
    model, starts, ends = check_model(model), _check_points(starts, "starts"), _check_points(ends, "ends")
    if starts.shape != ends.shape or starts.dtype != ends.dtype:
        raise ValueError(
            f"starts and ends must have the same shape and dtype, got {tuple(starts.shape)} {starts.dtype} "
            f"and {tuple(ends.shape)} {ends.dtype}"
        )
    steps = check_int(steps, "steps", low=2)
    t = torch.linspace(0, 1, steps, dtype=starts.dtype, device=starts.device).view(1, -1, 1)
    points = (1 - t) * starts.unsqueeze(1) + t * ends.unsqueeze(1)
    return _p_class_one(model, points.reshape(-1, starts.shape[1])).reshape(len(starts), steps)


def band_width(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    n: int = 100,
    low: float = 0.1,
    high: float = 0.9,
    seed: int = 0,
) -> float:
    """The mean length, along ``n`` random class-0 → class-1 segments, on which low < p(class 1) < high.

    For a segment of length L, that length is L times the fraction of its 101 evenly spaced points where the
    model is unsure; the segments come from ``cross_class_segments`` with ``torch.Generator().manual_seed(seed)``.
    A hard boundary gives about 0; a boundary that blends from one class into the other, as mixup trains it to,
    gives a good fraction of the distance between the classes.
    """
    low = check_real(low, "low", low=0.0, high=1.0)
    high = check_real(high, "high", low=low, high=1.0, low_open=True)
    starts, ends = cross_class_segments(x, y, n, torch.Generator().manual_seed(check_seed(seed)))
    p1 = probability_along(model, starts, ends)
    unsure = ((p1 > low) & (p1 < high)).double().mean(1)
    return (unsure * (ends - starts).norm(dim=1)).mean().item()


def confidence_and_distance(
    model: nn.Module, x: torch.Tensor, *, n: int = 20_000, margin: float = 1.0, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """At ``n`` points drawn uniformly from the box around the training points ``x``, widened by ``margin`` on
    every side: the model's top probability max_c p(c | point), and the distance to the nearest training point.

    The points come from ``torch.Generator().manual_seed(seed)``; both results have shape (n,).
    """
    model, x = check_model(model), _check_points(x)
    n, margin = check_int(n, "n", low=1), check_real(margin, "margin", low=0.0)
    low, high = x.min(0).values - margin, x.max(0).values + margin
    uniform = torch.rand(n, x.shape[1], generator=torch.Generator().manual_seed(check_seed(seed))).to(x)
    points = low + (high - low) * uniform
    return _class_probabilities(model, points).max(1).values, torch.cdist(points, x).min(1).values


def far_confidence(
    model: nn.Module, x: torch.Tensor, min_distance: float, *, n: int = 20_000, margin: float = 1.0, seed: int = 0
) -> float:
    """The mean top probability of ``model`` at those of the ``n`` points of ``confidence_and_distance`` (same
    ``margin`` and ``seed``) that lie farther than ``min_distance`` from every training point. ERM tends to stay
    near 1 there; mixup less so."""
    min_distance = check_real(min_distance, "min_distance", low=0.0)
    confidence, distance = confidence_and_distance(model, x, n=n, margin=margin, seed=seed)
    far = distance > min_distance
    if not bool(far.any()):
        raise ValueError(
            f"no sampled point lies farther than min_distance = {min_distance:g} from the training points "
            f"(the farthest is {distance.max().item():.3g}); choose a smaller min_distance"
        )
    return confidence[far].mean().item()
