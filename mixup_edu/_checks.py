"""Input checks shared by the public functions.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError``
(right kind, wrong value) with a message that says what was received and
what was expected. Nothing here modifies its arguments.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch


def _is_number_tensor(value: object) -> bool:
    return isinstance(value, torch.Tensor) and value.numel() == 1 and value.dtype != torch.bool


def check_real(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` in the interval [low, high] (ends open when asked).

    Any real number is accepted: ``int``, ``float``, NumPy scalars (``numbers.Real``)
    and one-element tensors. ``bool``, ``str`` and other objects raise ``TypeError``;
    NaN, ±inf and values outside the interval raise ``ValueError``.
    """
    if type(value) is not float and (  # a float, the usual case, skips the slower ABC check
        isinstance(value, (bool, np.bool_)) or not (isinstance(value, numbers.Real) or _is_number_tensor(value))
    ):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    number = float(value)  # type: ignore[arg-type]
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if not math.isfinite(number) or below or above:
        interval = (
            f"{'(' if low_open or low is None else '['}{'-inf' if low is None else f'{low:g}'}, "
            f"{'inf' if high is None else f'{high:g}'}{')' if high_open or high is None else ']'}"
        )
        raise ValueError(f"{name} must be a finite number in {interval}, got {number}")
    return number


def check_int(value: object, name: str, *, low: int | None = None) -> int:
    """Return ``value`` as an ``int`` >= ``low``.

    Any integer is accepted: ``int``, NumPy integers (``numbers.Integral``) and
    one-element integer tensors. ``bool``, floats (even 3.0) and ``str`` raise
    ``TypeError``; an integer below ``low`` raises ``ValueError``.
    """
    is_int_tensor = (
        isinstance(value, torch.Tensor)
        and _is_number_tensor(value)
        and not value.is_floating_point()
        and not value.is_complex()
    )
    if isinstance(value, (bool, np.bool_)) or not (isinstance(value, numbers.Integral) or is_int_tensor):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    number = int(value)  # type: ignore[call-overload]
    if low is not None and number < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {number}")
    return number


def check_alpha(alpha: object) -> float:
    """Return ``alpha`` as a float; it must be a finite real number >= 0 (0 means no mixing)."""
    return check_real(alpha, "alpha (0 means no mixing)", low=0.0)


def check_num_classes(num_classes: object) -> int:
    """Return ``num_classes`` as an int; it must be an integer >= 1."""
    return check_int(num_classes, "num_classes", low=1)


_MAX_SEED = 2**64 - 1


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as an int in [0, 2⁶⁴ − 1], the range that ``torch.Generator.manual_seed`` accepts."""
    seed = check_int(seed, name, low=0)
    if seed > _MAX_SEED:
        raise ValueError(f"{name} must be an integer in [0, 2**64 - 1], got {seed}")
    return seed


def check_generator(generator: object, name: str = "generator") -> torch.Generator | None:
    """``generator`` must be ``None`` or a ``torch.Generator`` (seed one with ``torch.Generator().manual_seed(s)``)."""
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{name} must be a torch.Generator or None, got {type(generator).__name__} {generator!r}; "
            "for a seed s, pass torch.Generator().manual_seed(s)"
        )
    return generator


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
            f"{name} is an empty batch (shape {tuple(x.shape)}); expected at least one sample along dimension 0"
        )
    if not x.is_floating_point():
        raise TypeError(
            f"{name} must be a floating-point tensor, got {x.dtype}; convert images first, e.g. x.float() / 255"
        )
    return x


# Unsigned dtypes wider than 8 bits: torch lacks min/max and indexing for them.
_PARTLY_SUPPORTED = (torch.uint16, torch.uint32, torch.uint64)


def check_class_indices(y: object, name: str = "y", num_classes: int | None = None) -> torch.Tensor:
    """``y`` must be a 1-D integer tensor of class indices in [0, num_classes).

    Any integer dtype torch can index with is accepted (uint8, int8, int16,
    int32, int64); functions that need ``torch.long`` convert internally.
    """
    y = check_tensor(y, name)
    if y.is_floating_point() or y.is_complex() or y.dtype == torch.bool:
        raise TypeError(
            f"{name} must hold integer class indices (torch.long), got {y.dtype}; "
            "if these are one-hot or soft targets, use them as probabilities instead"
        )
    if y.dtype in _PARTLY_SUPPORTED:
        raise TypeError(f"{name} has dtype {y.dtype}, which torch supports only in part; convert it with {name}.long()")
    if y.ndim != 1:
        raise ValueError(f"{name} must have shape (B,) with one class index per sample, got shape {tuple(y.shape)}")
    if y.numel() == 0:
        raise ValueError(f"{name} is empty; expected at least one label")
    if num_classes is not None:
        num_classes = check_num_classes(num_classes)
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
            f"{name} is a {y.dtype} tensor of shape {tuple(y.shape)}; expected integer "
            "class indices of shape (B,) or float targets of shape (B, C)"
        )
    return check_class_indices(y, name)


def check_same_batch(x: torch.Tensor, y: torch.Tensor, x_name: str = "x", y_name: str = "y") -> None:
    """``x`` and ``y`` must hold the same number of samples."""
    for t, name in ((x, x_name), (y, y_name)):
        if t.ndim == 0:
            raise ValueError(f"{name} is a 0-dim tensor; expected a batch with the samples along dimension 0")
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"batch sizes differ: {x_name} has {x.shape[0]} samples but "
            f"{y_name} has {y.shape[0]}; expected one label per sample"
        )


def check_batch(x: object, y: object) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch to mix: float inputs ``x`` of shape (B, ...) and labels ``y`` (indices (B,) or targets (B, C))."""
    x, y = check_images(x), check_labels(y)
    check_same_batch(x, y)
    return x, y


def check_model(model: object) -> torch.nn.Module:
    """``model`` must be a ``torch.nn.Module``."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def _count_non_finite(x: torch.Tensor) -> int:
    """How many entries of ``x`` are NaN or ±inf. A NaN or inf anywhere makes the sum non-finite, so one
    cheap sum settles the usual case; only then are the entries counted."""
    if bool(torch.isfinite(x.sum())):
        return 0
    return int((~torch.isfinite(x)).sum())


def check_data(data: object, name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """``data`` must be a pair ``(x, y)``: finite float inputs and one class index per sample."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (x, y) of tensors, got {type(data).__name__}")
    x, y = check_images(data[0], f"{name} x"), check_class_indices(data[1], f"{name} y")
    check_same_batch(x, y, f"{name} x", f"{name} y")
    lowest = int(y.min())
    if lowest < 0:
        raise ValueError(
            f"{name} y holds the label {lowest}; class indices must be 0 or more "
            "(PyTorch's ignore_index, -100, is not supported: drop those samples instead)"
        )
    bad = _count_non_finite(x)
    if bad:
        raise ValueError(
            f"{name} x holds {bad} NaN or infinite values; every input must be finite "
            "(look for a division by zero or a missing value in the data)"
        )
    return x, y


def check_lam(lam: object, batch_size: int) -> float | torch.Tensor:
    """``lam`` is a real number in [0, 1] (returned as a float) or a float tensor of shape (B,) with values in [0, 1].

    The per-sample check reads B values, never the images.
    """
    if not (isinstance(lam, torch.Tensor) and lam.ndim > 0):
        return check_real(lam, "lam", low=0.0, high=1.0)
    if not lam.is_floating_point():
        raise TypeError(f"a per-sample lam must be a floating-point tensor, got {lam.dtype}")
    if lam.shape != (batch_size,):
        raise ValueError(f"a per-sample lam must have shape ({batch_size},), got {tuple(lam.shape)}")
    outside = ~((lam >= 0) & (lam <= 1))  # NaN included
    if bool(outside.any()):
        raise ValueError(f"every per-sample lam must lie in [0, 1], got {lam[outside][0].item()}")
    return lam


def check_permutation(perm: object, batch_size: int, name: str = "perm") -> torch.Tensor:
    """``perm`` must be an integer tensor of shape (B,) holding each index 0 .. B − 1 once (B values read)."""
    perm = check_tensor(perm, name)
    if perm.is_floating_point() or perm.is_complex() or perm.dtype == torch.bool or perm.dtype in _PARTLY_SUPPORTED:
        raise TypeError(f"{name} must be an integer tensor of indices (torch.long), got {perm.dtype}")
    if perm.shape != (batch_size,):
        raise ValueError(f"{name} must have shape ({batch_size},), one partner per sample, got {tuple(perm.shape)}")
    perm = perm.long()
    in_range = bool(((perm >= 0) & (perm < batch_size)).all())
    if not in_range or not bool((torch.bincount(perm, minlength=batch_size) == 1).all()):
        raise ValueError(
            f"{name} must be a permutation of 0 .. {batch_size - 1} (each index once), e.g. torch.randperm(batch_size)"
        )
    return perm


def check_flag(value: object, name: str) -> bool:
    """``value`` must be a ``bool`` (or NumPy bool); ``"yes"``, 1 or None raise ``TypeError``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_dtype(dtype: object, name: str = "dtype") -> torch.dtype:
    """``dtype`` must be a floating-point ``torch.dtype``, such as ``torch.float32``."""
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"{name} must be a floating-point torch.dtype such as torch.float32, got {dtype!r}")
    return dtype
