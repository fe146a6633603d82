"""Prediction and evaluation of a trained model, without mixing: logits, probabilities, loss, accuracy, ECE."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import check_data, check_images, check_int, check_model
from .metrics import expected_calibration_error

Data = tuple[torch.Tensor, torch.Tensor]


DIVERGED = "the model's outputs hold NaN or infinite values; its weights have probably diverged"


@torch.inference_mode()
def predict_logits(model: nn.Module, x: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """Logits of ``model`` on ``x`` in eval mode, batch by batch, returned on ``x``'s device.

    Each batch is moved to the device and dtype of the model's parameters. The model's train or eval mode is
    restored afterwards, also when the model raises.
    """
    model, batch_size = check_model(model), check_int(batch_size, "batch_size", low=1)
    x = check_images(x)
    parameter = next(model.parameters(), None)
    device, dtype = (x.device, x.dtype) if parameter is None else (parameter.device, parameter.dtype)
    was_training = model.training
    model.eval()
    try:
        logits = torch.cat([model(x[i : i + batch_size].to(device, dtype)) for i in range(0, len(x), batch_size)])
    finally:
        model.train(was_training)
    return logits.to(x.device)


def predict_proba(model: nn.Module, x: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """Softmax probabilities p(c | x) of ``model`` on ``x``, shape (N, C)."""
    logits = predict_logits(model, x, batch_size=batch_size)
    if logits.ndim != 2:
        raise ValueError(f"model must return class scores of shape (N, C), got shape {tuple(logits.shape)}")
    return logits.softmax(dim=1)


def _class_probabilities(model: nn.Module, x: torch.Tensor, num_classes: int | None = None) -> torch.Tensor:
    """``predict_proba`` for the measures that read probabilities: finite, and with ``num_classes`` columns (at
    least 2 when ``None``: with one column, the top probability is always 1)."""
    probs = predict_proba(model, x)
    classes = probs.shape[1]
    if num_classes is None and classes < 2:
        raise ValueError(f"model must output at least 2 class scores per point, got {classes}")
    if num_classes is not None and classes != num_classes:
        raise ValueError(f"model must output {num_classes} class scores per point, got {classes}")
    if not bool(probs.isfinite().all()):
        raise ValueError(DIVERGED)
    return probs


def _p_class_one(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """p(class 1 | x) of a two-class ``model``, shape (N,)."""
    return _class_probabilities(model, x, 2)[:, 1]


def evaluate(model: nn.Module, data: Data, *, batch_size: int = 1000, n_bins: int = 15) -> dict[str, float]:
    """Mean cross-entropy, accuracy and ECE (``n_bins`` equal-width bins) of ``model`` on ``data = (x, y)``,
    without mixing. A model whose outputs are NaN or infinite raises ``ValueError``."""
    n_bins = check_int(n_bins, "n_bins", low=1)
    x, y = check_data(data, "data")
    logits = predict_logits(model, x, batch_size=batch_size)
    if not bool(torch.isfinite(logits).all()):
        raise ValueError(DIVERGED)
    y = y.to(logits.device)
    return {
        "loss": F.cross_entropy(logits, y).item(),
        "accuracy": (logits.argmax(dim=1) == y).float().mean().item(),
        "ece": expected_calibration_error(logits.softmax(dim=1), y, n_bins),
    }
