"""Small models that train in seconds to minutes on a laptop CPU."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn

from ._checks import check_int, check_num_classes, check_seed, check_tensor


@contextlib.contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Run the block with the CPU RNG seeded, leaving the global RNG untouched."""
    if seed is None:
        yield
        return
    seed = check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


class MLP(nn.Sequential):
    """A multilayer perceptron for 2-D toy data: ``depth`` hidden ReLU layers."""

    def __init__(
        self, in_features: int = 2, hidden: int = 64, num_classes: int = 2, depth: int = 2, *, seed: int | None = None
    ) -> None:
        in_features, hidden = check_int(in_features, "in_features", low=1), check_int(hidden, "hidden", low=1)
        num_classes, depth = check_num_classes(num_classes), check_int(depth, "depth", low=0)
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
    ``features`` and ``classifier`` are kept apart, and ``forward`` is
    ``classifier(features(x))``, so that Manifold Mixup can split the network
    between any two of their layers (``mixup_edu.manifold.network_layers``).
    """

    input_shape = (1, 28, 28)

    def __init__(
        self, num_classes: int = 10, widths: tuple[int, int] = (8, 16), hidden: int = 1024, *, seed: int | None = None
    ) -> None:
        super().__init__()
        if not isinstance(widths, (tuple, list)) or len(widths) != 2:
            raise TypeError(f"widths must be a pair of channel counts such as (8, 16), got {widths!r}")
        w1, w2 = (check_int(w, "each of widths", low=1) for w in widths)
        num_classes, hidden = check_num_classes(num_classes), check_int(hidden, "hidden", low=1)
        with _seeded(seed):
            self.features = nn.Sequential(
                nn.Conv2d(1, w1, 3, padding=1),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(w1, w2, 3, padding=1),
                nn.ReLU(),
                nn.MaxPool2d(2),
            )
            self.classifier = nn.Sequential(
                nn.Flatten(), nn.Linear(w2 * 7 * 7, hidden), nn.ReLU(), nn.Linear(hidden, num_classes)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x")
        if x.ndim != 4 or tuple(x.shape[1:]) != self.input_shape:
            raise ValueError(f"SmallCNN expects images of shape (B, 1, 28, 28), got {tuple(x.shape)}")
        return self.classifier(self.features(x))
