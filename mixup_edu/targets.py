"""Targets and losses for mixed batches.

A mixed sample has the soft label ỹ = λ·onehot(y_a) + (1 − λ)·onehot(y_b).
Because cross-entropy is linear in its target,

    CE(p, ỹ) = λ · CE(p, y_a) + (1 − λ) · CE(p, y_b),

so training can use either the soft targets or the two-term loss.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from ._checks import check_class_indices, check_dtype, check_lam, check_num_classes, check_same_batch, check_tensor


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


def soft_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy against probability targets.

    ``-(1/B) Σ_i Σ_c targets[i, c] · log softmax(logits[i])[c]``, the same as
    ``F.cross_entropy(logits, targets)`` with probability targets. NaN in
    either input gives a NaN loss, as in torch.
    """
    check_tensor(logits, "logits")
    check_tensor(targets, "targets")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor, got {logits.dtype}")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (B, C), got {tuple(logits.shape)}")
    if not targets.is_floating_point():
        raise TypeError(
            f"targets must be float probabilities of shape (B, C), got {targets.dtype}; "
            "for class indices use F.cross_entropy or one_hot(y, num_classes)"
        )
    if targets.shape != logits.shape:
        raise ValueError(
            f"targets have shape {tuple(targets.shape)} but logits have shape "
            f"{tuple(logits.shape)}; expected one probability row per logit row"
        )
    if logits.shape[0] == 0:
        raise ValueError("empty batch: logits and targets hold no samples")
    return -(targets * F.log_softmax(logits, dim=1)).sum(dim=1).mean()


def _as_long_if_integer(y: torch.Tensor) -> torch.Tensor:
    integer = not (y.is_floating_point() or y.is_complex() or y.dtype == torch.bool)
    return y.long() if integer else y


def mixup_criterion(
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    pred: torch.Tensor,
    y_a: torch.Tensor,
    y_b: torch.Tensor,
    lam: float | torch.Tensor,
) -> torch.Tensor:
    """The two-term mixup loss ``lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)``.

    With a per-sample ``lam`` of shape (B,), ``criterion`` must return one
    loss per sample (e.g. ``nn.CrossEntropyLoss(reduction="none")``); the
    result then has shape (B,) too, to be reduced with ``.mean()``. Integer
    labels of any dtype reach ``criterion`` as ``torch.long``.
    """
    if not callable(criterion):
        raise TypeError(f"criterion must be a loss function (pred, target) -> loss, got {type(criterion).__name__}")
    check_tensor(pred, "pred")
    y_a, y_b = (_as_long_if_integer(check_tensor(y, name)) for y, name in ((y_a, "y_a"), (y_b, "y_b")))
    check_same_batch(pred, y_a, "pred", "y_a")
    check_same_batch(pred, y_b, "pred", "y_b")
    lam = check_lam(lam, pred.shape[0])
    loss_a = criterion(pred, y_a)
    loss_b = criterion(pred, y_b)
    if isinstance(lam, torch.Tensor):
        if loss_a.shape != lam.shape:
            raise ValueError(
                f"a per-sample lam of shape {tuple(lam.shape)} needs one loss per sample, "
                f"but the criterion returned shape {tuple(loss_a.shape)}; "
                "use a criterion with reduction='none'"
            )
        lam = lam.to(loss_a)
    return lam * loss_a + (1 - lam) * loss_b
