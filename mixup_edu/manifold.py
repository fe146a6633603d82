"""Manifold Mixup (Verma et al., "Manifold Mixup: Better Representations by
Interpolating Hidden States", ICML 2019).

Instead of the inputs, mix the hidden representation at a layer k chosen at
random for each batch. For a network written as f = g_k ∘ h_k:

    h̃ = λ · h_k(x_i) + (1 − λ) · h_k(x_j),   loss = λ·CE(g_k(h̃), y_i) + (1 − λ)·CE(g_k(h̃), y_j)

k = 0 mixes the inputs, so input mixup is one of the choices.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import check_alpha, check_int
from .mix import mixup_data
from .targets import mixup_criterion
from .train import BatchLoss


def mixing_points(model: nn.Sequential) -> list[int]:
    """Where a Sequential model may be split for mixing: before the first layer and after every ReLU."""
    return [0] + [i + 1 for i, layer in enumerate(model) if isinstance(layer, nn.ReLU)]


def _run(layers: list[nn.Module], h: torch.Tensor) -> torch.Tensor:
    for layer in layers:
        h = layer(h)
    return h


def manifold_mixup_loss(alpha: float, points: list[int] | None = None) -> BatchLoss:
    """A batch loss for ``fit``: mixup at a random split point k of an ``nn.Sequential`` model.

    ``points`` lists the split points to draw k from (default ``mixing_points(model)``).
    """
    alpha = check_alpha(alpha)
    if points is not None:
        if isinstance(points, (str, bytes)) or not isinstance(points, (list, tuple)):
            raise TypeError(f"points must be a list of split points (ints), got {type(points).__name__}")
        if not points:
            raise ValueError("points is empty; expected at least one split point, e.g. [0]")
        points = [check_int(k, "every split point in points", low=0) for k in points]

    def loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if not isinstance(model, nn.Sequential):
            raise TypeError(f"manifold mixup splits an nn.Sequential model, got {type(model).__name__}")
        choices = points if points is not None else mixing_points(model)
        if max(choices) > len(model):
            raise ValueError(f"points {choices} go past the model's {len(model)} layers")
        k = choices[int(torch.randint(len(choices), (), generator=generator, device=generator.device))]
        mixed, y_a, y_b, lam = mixup_data(_run(list(model)[:k], x), y, alpha, generator=generator)
        return mixup_criterion(F.cross_entropy, _run(list(model)[k:], mixed), y_a, y_b, lam)

    return loss
