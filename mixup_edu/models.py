"""Small models that train in seconds to minutes on a laptop CPU."""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch import nn


@contextlib.contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Run the block with the CPU RNG seeded, leaving the global RNG untouched."""
    if seed is None:
        yield
        return
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class MLP(nn.Sequential):
    """A multilayer perceptron for 2-D toy data: ``depth`` hidden ReLU layers."""

    def __init__(
        self, in_features: int = 2, hidden: int = 64, num_classes: int = 2, depth: int = 2, *, seed: int | None = None
    ) -> None:
        with _seeded(seed):
            layers: list[nn.Module] = []
            width = in_features
            for _ in range(depth):
                layers += [nn.Linear(width, hidden), nn.ReLU()]
                width = hidden
            super().__init__(*layers, nn.Linear(width, num_classes))


class SmallCNN(nn.Module):
    """A CNN for 1×28×28 images such as (Fashion-)MNIST.

    Shapes: (B, 1, 28, 28) → conv 3×3 → pool → (B, w₁, 14, 14) → conv 3×3 →
    pool → (B, w₂, 7, 7) → flatten (w₂·7·7 features) → hidden → classes.
    ``features`` and ``classifier`` are kept apart so that hidden
    representations can be reached (e.g. for Manifold Mixup).
    """

    input_shape = (1, 28, 28)

    def __init__(
        self, num_classes: int = 10, widths: tuple[int, int] = (8, 16), hidden: int = 1024, *, seed: int | None = None
    ) -> None:
        super().__init__()
        w1, w2 = widths
        with _seeded(seed):
            self.features = nn.Sequential(
                nn.Conv2d(1, w1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(w1, w2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(
                nn.Flatten(), nn.Linear(w2 * 7 * 7, hidden), nn.ReLU(), nn.Linear(hidden, num_classes)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 4 or tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(
                f"SmallCNN expects images of shape (B, 1, 28, 28), got {tuple(x.shape)}"
            )
        return self.classifier(self.features(x))
