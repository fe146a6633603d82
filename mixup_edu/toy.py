"""Two-class toy data in 2-D, for drawing decision boundaries.

Both generators are pure torch and seeded by a ``torch.Generator``.
Points come back as float32 (N, 2), labels as ``torch.long`` (N,).
"""

from __future__ import annotations

import math

import torch

from ._checks import check_generator, check_int, check_real


def _check_size(n: object, noise: object, generator: object) -> tuple[int, float]:
    rng = check_generator(generator)
    if rng is not None and rng.device.type != "cpu":
        raise ValueError(f"generator must be a CPU generator (toy data is made on the CPU), got {rng.device}")
    return check_int(n, "n", low=2), check_real(noise, "noise", low=0.0)


def _labels(n: int) -> torch.Tensor:
    return (torch.arange(n) >= (n + 1) // 2).long()


def make_moons(
    n: int = 200, noise: float = 0.1, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaving half circles.

    Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), t ~ U(0, π),
    plus Gaussian noise of standard deviation ``noise``.
    """
    n, noise = _check_size(n, noise, generator)
    y = _labels(n)
    t = torch.rand(n, generator=generator) * math.pi
    upper = torch.stack([t.cos(), t.sin()], dim=1)
    lower = torch.stack([1 - t.cos(), 0.5 - t.sin()], dim=1)
    x = torch.where(y.unsqueeze(1) == 0, upper, lower)
    return x + noise * torch.randn(n, 2, generator=generator), y


def make_spirals(
    n: int = 400, noise: float = 0.1, turns: float = 1.5, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved Archimedean spirals.

    Radius r ~ U(0, 1) sets the angle θ = 2π·turns·r; class 1 is class 0
    turned by π. Gaussian noise of standard deviation ``noise`` is added.
    """
    n, noise = _check_size(n, noise, generator)
    turns = check_real(turns, "turns", low=0.0)
    y = _labels(n)
    r = torch.rand(n, generator=generator)
    theta = 2 * math.pi * turns * r + math.pi * y
    x = torch.stack([r * theta.cos(), r * theta.sin()], dim=1)
    return x + noise * torch.randn(n, 2, generator=generator), y
