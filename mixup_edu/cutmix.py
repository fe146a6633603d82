"""CutMix (Yun et al., "CutMix: Regularization Strategy to Train Strong
Classifiers with Localizable Features", ICCV 2019).

Instead of blending whole images, CutMix pastes one box from the partner
image. The box has area (1 − λ)·H·W before clipping at the image border, so
λ is recomputed afterwards as the exact fraction of pixels kept:

    λ = 1 − (box height · box width) / (H · W)

Like mixup (``mixup_edu.mixup``), it first draws its parameters (λ, the
partners, the box: ``draw_cutmix``), then applies them (``apply_cutmix``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from ._checks import check_alpha, check_batch, check_generator, check_int, check_real
from ._random import rng_device
from .mixup import _sample_lambda


class Box(NamedTuple):
    """Rows ``top:bottom`` and columns ``left:right`` of an image."""

    top: int
    bottom: int
    left: int
    right: int


class CutMixParams(NamedTuple):
    """What CutMix draws for a batch: the partners ``perm``, the ``box`` pasted from them, and ``lam``, the
    exact fraction of pixels kept from each image (the λ that weighs the labels)."""

    lam: float
    perm: torch.Tensor
    box: Box


def random_box(height: int, width: int, lam: float, generator: torch.Generator | None = None) -> Box:
    """A box ``(top, bottom, left, right)`` of about (1 − λ)·H·W pixels.

    Its sides are H·√(1 − λ) and W·√(1 − λ), its centre uniform over the
    image, and it is clipped to the image. λ = 1 gives an empty box.
    """
    height, width = check_int(height, "height", low=1), check_int(width, "width", low=1)
    scale = math.sqrt(1.0 - check_real(lam, "lam", low=0.0, high=1.0))
    box_h, box_w = int(height * scale), int(width * scale)
    device = rng_device(check_generator(generator))
    cy = int(torch.randint(height, (), generator=generator, device=device))
    cx = int(torch.randint(width, (), generator=generator, device=device))
    top, bottom = max(cy - box_h // 2, 0), min(cy + box_h - box_h // 2, height)
    left, right = max(cx - box_w // 2, 0), min(cx + box_w - box_w // 2, width)
    return Box(top, bottom, left, right)


def cutmix_box(height: int, width: int, lam: float, generator: torch.Generator | None = None) -> tuple[Box, float]:
    """``random_box`` and, with it, the exact fraction of pixels outside it: 1 − (box area) / (H·W)."""
    box = random_box(height, width, lam, generator)
    return box, 1.0 - (box.bottom - box.top) * (box.right - box.left) / (height * width)


def draw_cutmix(x: torch.Tensor, alpha: float, *, generator: torch.Generator | None = None) -> CutMixParams:
    """Draw λ ~ Beta(α, α), the partners (a random permutation of the batch ``x``) and the box.

    ``alpha`` is assumed checked; ``x`` has shape (B, ..., H, W).
    """
    lam = _sample_lambda(alpha, generator)
    perm = torch.randperm(x.shape[0], generator=generator, device=rng_device(generator))
    box, lam = cutmix_box(x.shape[-2], x.shape[-1], lam, generator)
    return CutMixParams(lam, perm.to(x.device), box)


def apply_cutmix(x: torch.Tensor, params: CutMixParams) -> torch.Tensor:
    """A copy of ``x`` with ``params.box`` of every image replaced by the same box of its partner."""
    top, bottom, left, right = params.box
    mixed = x.clone()
    mixed[..., top:bottom, left:right] = x[params.perm, ..., top:bottom, left:right]
    return mixed


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
    x, y = check_batch(x, y)
    alpha = check_alpha(alpha)
    check_generator(generator)
    if x.ndim < 3:
        raise ValueError(f"cutmix_data needs images of shape (B, ..., H, W), got {tuple(x.shape)}")
    params = draw_cutmix(x, alpha, generator=generator)
    return apply_cutmix(x, params), y, y[params.perm.to(y.device)], params.lam
