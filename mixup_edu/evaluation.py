"""Prediction and evaluation of a trained model, without mixing: logits, probabilities, loss, accuracy, ECE."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import check_data, check_images, check_int, check_model
from .metrics import expected_calibration_error

Data = tuple[torch.Tensor, torch.Tensor]


@torch.inference_mode()
def predict_logits(model: nn.Module, x: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """Logits of ``model`` on ``x`` in eval mode, batch by batch, returned on ``x``'s device."""
    model, batch_size = check_model(model), check_int(batch_size, "batch_size", low=1)
    x = check_images(x)
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    logits = torch.cat([model(x[i : i + batch_size].to(device)) for i in range(0, len(x), batch_size)])
    model.train(was_training)
    return logits.to(x.device)


def predict_proba(model: nn.Module, x: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """Softmax probabilities p(c | x) of ``model`` on ``x``."""
    return predict_logits(model, x, batch_size=batch_size).softmax(dim=1)


def _p_class_one(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """p(class 1 | x) of a two-class ``model``, shape (N,); a model with another number of outputs raises."""
    probs = predict_proba(model, x)
    if probs.ndim != 2 or probs.shape[1] != 2:
        raise ValueError(f"model must output 2 class scores per point, got shape {tuple(probs.shape[1:])}")
    return probs[:, 1]


def evaluate(model: nn.Module, data: Data, *, batch_size: int = 1000, n_bins: int = 15) -> dict[str, float]:
    """Mean cross-entropy, accuracy and ECE (``n_bins`` equal-width bins) of ``model`` on ``data = (x, y)``,
    without mixing. A model whose outputs are NaN or infinite raises ``ValueError``."""
    n_bins = check_int(n_bins, "n_bins", low=1)
    x, y = check_data(data, "data")
    logits = predict_logits(model, x, batch_size=batch_size)
    if not bool(torch.isfinite(logits).all()):
        raise ValueError("the model's outputs hold NaN or infinite values; its weights have probably diverged")
    y = y.to(logits.device)
    return {
        "loss": F.cross_entropy(logits, y).item(),
        "accuracy": (logits.argmax(dim=1) == y).float().mean().item(),
        "ece": expected_calibration_error(logits.softmax(dim=1), y, n_bins),
    }
