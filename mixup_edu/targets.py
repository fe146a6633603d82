"""Soft targets: one-hot labels, and the mixed label ỹ = λ·onehot(y_a) + (1 − λ)·onehot(y_b).

Losses on them are in ``mixup_edu.losses``.
"""

from __future__ import annotations

import torch

from ._checks import check_class_indices, check_dtype, check_lam, check_num_classes, check_same_batch


def one_hot(y: torch.Tensor, num_classes: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Float one-hot targets of shape (B, C): ``out[i, y[i]] = 1``, every other entry 0.

    ``y`` may have any integer dtype (uint8 … int64).
    """
    num_classes = check_num_classes(num_classes)
    return _one_hot(check_class_indices(y, "y", num_classes), num_classes, check_dtype(dtype))


def _one_hot(y: torch.Tensor, num_classes: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """``one_hot`` for labels already checked against ``num_classes``."""
    out = torch.zeros(len(y), num_classes, dtype=dtype, device=y.device)
    return out.scatter_(1, y.long().unsqueeze(1), 1.0)


def mix_targets(y_a: torch.Tensor, y_b: torch.Tensor, lam: float | torch.Tensor, num_classes: int) -> torch.Tensor:
    """Soft targets ``lam * one_hot(y_a) + (1 - lam) * one_hot(y_b)``, shape (B, C).

    ``lam`` is a float or a tensor of shape (B,), one weight per sample.
    """
    num_classes = check_num_classes(num_classes)
    a = _one_hot(check_class_indices(y_a, "y_a", num_classes), num_classes)
    b = _one_hot(check_class_indices(y_b, "y_b", num_classes), num_classes)
    check_same_batch(a, b, "y_a", "y_b")
    lam = check_lam(lam, a.shape[0])
    if isinstance(lam, torch.Tensor):
        lam = lam.to(a).unsqueeze(1)
    return lam * a + (1 - lam) * b
