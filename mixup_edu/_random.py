"""Random draws from an explicit ``torch.Generator``: its device, and the Gamma draws behind λ ~ Beta(α, α)."""

from __future__ import annotations

import torch

TINY = torch.finfo(torch.float64).tiny  # the smallest positive float64: U is clamped to it, so log U is finite


def rng_device(generator: torch.Generator | None) -> torch.device:
    """The device a draw from ``generator`` must be made on (the CPU for the global generator)."""
    return generator.device if generator is not None else torch.device("cpu")


def gamma_and_uniform(
    alpha: float, shape: tuple[int, ...], generator: torch.Generator | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Two float64 tensors of shape (2, *shape): G' ~ Gamma(α + 1, 1) and U ~ Uniform[0, 1), independent.

    G'·U^(1/α) ~ Gamma(α, 1) (Marsaglia & Tsang, 2000), and G₁ / (G₁ + G₂) ~ Beta(α, α) for G₁, G₂ ~ Gamma(α, 1).
    U can be exactly 0: the caller clamps it to ``TINY`` before taking log U.

    This is the project's one call of ``torch._standard_gamma``, a private op: ``torch.distributions.Gamma``
    cannot take a ``torch.Generator``, so it would draw from the global RNG and break reproducibility.
    """
    device = rng_device(generator)
    concentration = torch.full((2, *shape), alpha + 1.0, dtype=torch.float64, device=device)
    gamma = torch._standard_gamma(concentration, generator=generator)  # shape α + 1 > 1: never 0
    uniform = torch.rand((2, *shape), dtype=torch.float64, device=device, generator=generator)
    return gamma, uniform
