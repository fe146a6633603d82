"""CutMix (Yun et al., "CutMix: Regularization Strategy to Train Strong
Classifiers with Localizable Features", ICCV 2019).

Instead of blending whole images, CutMix pastes one box from the partner
image. The box has area (1 − λ)·H·W before clipping at the image border, so
λ is recomputed afterwards as the exact fraction of pixels kept:

    λ = 1 − (box height · box width) / (H · W)
"""

from __future__ import annotations

import math

import torch

from ._checks import check_alpha, check_generator, check_images, check_int, check_labels, check_real, check_same_batch
from .mix import _rng_device, sample_lambda


def random_box(
    height: int, width: int, lam: float, generator: torch.Generator | None = None
) -> tuple[int, int, int, int]:
    """A box ``(top, bottom, left, right)`` of about (1 − λ)·H·W pixels.

    Its sides are H·√(1 − λ) and W·√(1 − λ), its centre uniform over the
    image, and it is clipped to the image. λ = 1 gives an empty box.
    """
    height, width = check_int(height, "height", low=1), check_int(width, "width", low=1)
    scale = math.sqrt(1.0 - check_real(lam, "lam", low=0.0, high=1.0))
    box_h, box_w = int(height * scale), int(width * scale)
    device = _rng_device(check_generator(generator))
    cy = int(torch.randint(height, (), generator=generator, device=device))
    cx = int(torch.randint(width, (), generator=generator, device=device))
    top, bottom = max(cy - box_h // 2, 0), min(cy + box_h - box_h // 2, height)
    left, right = max(cx - box_w // 2, 0), min(cx + box_w - box_w // 2, width)
    return top, bottom, left, right


def cutmix_data(
    x: torch.Tensor,
    y: torch.Tensor,
    alpha: float = 1.0,
    *,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]:
    """Paste one random box of ``x[perm]`` into each image of ``x``.

    ``x`` has shape (B, ..., H, W). Returns ``(mixed_x, y_a, y_b, lam)`` with
    ``y_a = y``, ``y_b = y[perm]`` and ``lam`` the exact fraction of pixels
    that still come from ``x``. ``x`` is not modified; ``alpha = 0`` returns
    a copy of it (λ = 1, nothing pasted).
    """
    x = check_images(x)
    y = check_labels(y)
    check_same_batch(x, y)
    alpha = check_alpha(alpha)
    check_generator(generator)
    if x.ndim < 3:
        raise ValueError(f"cutmix_data needs images of shape (B, ..., H, W), got {tuple(x.shape)}")
    height, width = x.shape[-2:]
    lam = sample_lambda(alpha, generator)
    perm = torch.randperm(x.shape[0], generator=generator, device=_rng_device(generator))
    top, bottom, left, right = random_box(height, width, lam, generator)
    mixed = x.clone()
    perm = perm.to(x.device)
    mixed[..., top:bottom, left:right] = x[perm, ..., top:bottom, left:right]
    lam = 1.0 - (bottom - top) * (right - left) / (height * width)
    return mixed, y, y[perm.to(y.device)], lam
