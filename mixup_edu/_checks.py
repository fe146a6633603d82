"""Input checks shared by the public functions.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong value) with a message that says what was received and
what was expected. Nothing here modifies its arguments.
"""

from __future__ import annotations

import math

import torch


def check_alpha(alpha: float) -> float:
    """Return ``alpha`` as a float; it must be a finite number >= 0."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        if not (isinstance(alpha, torch.Tensor) and alpha.numel() == 1):
            raise TypeError(f"alpha must be a number, got {type(alpha).__name__}")
    alpha = float(alpha)
    if not math.isfinite(alpha) or alpha < 0:
        raise ValueError(
            f"alpha must be a finite number >= 0 (0 means no mixing), got {alpha}"
        )
    return alpha


def check_num_classes(num_classes: int) -> int:
    """Return ``num_classes``; it must be an integer >= 1."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise TypeError(
            f"num_classes must be an int, got {type(num_classes).__name__}"
        )
    if num_classes < 1:
        raise ValueError(f"num_classes must be >= 1, got {num_classes}")
    return num_classes


def check_tensor(t: object, name: str) -> torch.Tensor:
    """``t`` must be a ``torch.Tensor``."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
    return t


def check_images(x: object, name: str = "x") -> torch.Tensor:
    """``x`` must be a non-empty floating-point batch of shape (B, ...)."""
    x = check_tensor(x, name)
    if x.ndim < 1 or x.shape[0] == 0:
        raise ValueError(
            f"{name} is an empty batch (shape {tuple(x.shape)}); "
            "expected at least one sample along dimension 0"
        )
    if not x.is_floating_point():
        raise TypeError(
            f"{name} must be a floating-point tensor, got {x.dtype}; "
            "convert images first, e.g. x.float() / 255"
        )
    return x


def check_class_indices(y: object, name: str = "y", num_classes: int | None = None) -> torch.Tensor:
    """``y`` must be a 1-D integer tensor of class indices in [0, num_classes)."""
    y = check_tensor(y, name)
    if y.is_floating_point() or y.is_complex() or y.dtype == torch.bool:
        raise TypeError(
            f"{name} must hold integer class indices (torch.long), got {y.dtype}; "
            "if these are one-hot or soft targets, use them as probabilities instead"
        )
    if y.ndim != 1:
        raise ValueError(
            f"{name} must have shape (B,) with one class index per sample, "
            f"got shape {tuple(y.shape)}"
        )
    if y.numel() == 0:
        raise ValueError(f"{name} is empty; expected at least one label")
    if num_classes is not None:
        check_num_classes(num_classes)
        low, high = (int(v) for v in torch.aminmax(y))
        if low < 0 or high >= num_classes:
            bad = low if low < 0 else high
            raise ValueError(
                f"{name} holds the label {bad}, outside [0, {num_classes}); "
                f"labels must be class indices 0 .. {num_classes - 1}"
            )
    return y


def check_labels(y: object, name: str = "y") -> torch.Tensor:
    """``y`` is class indices of shape (B,) or float targets of shape (B, C)."""
    y = check_tensor(y, name)
    if y.is_floating_point() and y.ndim == 2:
        return y
    if y.is_floating_point():
        raise TypeError(
            f"{name} is a float tensor of shape {tuple(y.shape)}; expected integer "
            "class indices of shape (B,) or float targets of shape (B, C)"
        )
    return check_class_indices(y, name)


def check_same_batch(x: torch.Tensor, y: torch.Tensor, x_name: str = "x", y_name: str = "y") -> None:
    """``x`` and ``y`` must hold the same number of samples."""
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"batch sizes differ: {x_name} has {x.shape[0]} samples but "
            f"{y_name} has {y.shape[0]}; expected one label per sample"
        )


def check_lam(lam: float | torch.Tensor, batch_size: int) -> float | torch.Tensor:
    """``lam`` is a float in [0, 1] or a tensor of shape (B,) with values in [0, 1]."""
    if isinstance(lam, torch.Tensor) and lam.ndim > 0:
        if lam.shape != (batch_size,):
            raise ValueError(
                f"a per-sample lam must have shape ({batch_size},), got {tuple(lam.shape)}"
            )
        if bool(((lam < 0) | (lam > 1) | lam.isnan()).any()):
            raise ValueError("every lam must lie in [0, 1]")
        return lam
    if isinstance(lam, bool) or not isinstance(lam, (int, float, torch.Tensor)):
        raise TypeError(f"lam must be a float or a tensor, got {type(lam).__name__}")
    value = float(lam)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"lam must lie in [0, 1], got {value}")
    return value
