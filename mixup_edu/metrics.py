"""Accuracy and calibration.

A model is calibrated when, among predictions made with confidence p, a
fraction p is correct. The expected calibration error (Guo et al., "On
Calibration of Modern Neural Networks", ICML 2017) splits the confidences
max_c p(c | x) into equal-width bins B_1..B_M over (0, 1] and averages the
gap between accuracy and confidence, weighted by bin size:

    ECE = Σ_m |B_m| / N · |acc(B_m) − conf(B_m)|
"""

from __future__ import annotations

import torch

from ._checks import check_class_indices, check_int, check_same_batch, check_tensor


def _check_probs(probs: torch.Tensor, labels: torch.Tensor) -> None:
    check_tensor(probs, "probs")
    if not probs.is_floating_point():
        raise TypeError(f"probs must be float probabilities, got {probs.dtype}")
    if probs.ndim != 2 or probs.numel() == 0:
        raise ValueError(f"probs must have shape (N, C), one row of probabilities per sample, got {tuple(probs.shape)}")
    check_class_indices(labels, "labels", probs.shape[1])
    check_same_batch(probs, labels, "probs", "labels")
    p = probs.detach().double()
    if not bool(p.isfinite().all()):
        raise ValueError("probs hold NaN or inf: the model's outputs are not finite (did training diverge?)")
    # rows of a low-precision softmax sum to 1 only up to rounding: about one eps of bfloat16 or float16
    tolerance = max(1e-3, 2 * torch.finfo(probs.dtype).eps)
    if bool((p < 0).any()) or bool(((p.sum(1) - 1).abs() > tolerance).any()):
        raise ValueError("probs rows must be probabilities that sum to 1; apply softmax to logits first")


def accuracy(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of samples whose highest score (logit or probability) is the label.

    ``scores`` has shape (N, C); ±inf scores are allowed (a masked class), NaN is refused.
    """
    check_tensor(scores, "scores")
    if scores.dtype == torch.bool or scores.is_complex():
        raise TypeError(f"scores must be real logits or probabilities, got {scores.dtype}")
    if scores.ndim != 2 or scores.numel() == 0:
        raise ValueError(f"scores must have shape (N, C), one row of scores per sample, got {tuple(scores.shape)}")
    labels = check_class_indices(labels, "labels", scores.shape[1])
    check_same_batch(scores, labels, "scores", "labels")
    if scores.is_floating_point() and bool(scores.isnan().any()):
        raise ValueError("scores hold NaN: the model's outputs are not finite (did training diverge?)")
    return (scores.argmax(dim=1) == labels.to(scores.device)).float().mean().item()


def reliability_bins(probs: torch.Tensor, labels: torch.Tensor, n_bins: int = 15) -> dict[str, torch.Tensor]:
    """Per-bin counts, mean confidence and accuracy for a reliability diagram.

    Bin m covers confidences in (m/M, (m+1)/M]. Empty bins have count 0 and
    NaN confidence and accuracy. Returns a dict of tensors ``edges`` (M+1),
    ``count``, ``confidence`` and ``accuracy`` (M each). Computed in
    float64, so float16 and bfloat16 probabilities are accepted as they are.
    """
    _check_probs(probs, labels)
    n_bins = check_int(n_bins, "n_bins", low=1)
    confidence, prediction = probs.detach().double().cpu().max(dim=1)
    correct = (prediction == labels.cpu()).double()
    edges = torch.linspace(0, 1, n_bins + 1, dtype=torch.float64)
    index = torch.bucketize(confidence, edges[1:-1])
    count = torch.bincount(index, minlength=n_bins).double()
    mean_conf = torch.bincount(index, confidence, minlength=n_bins) / count
    mean_acc = torch.bincount(index, correct, minlength=n_bins) / count
    return {"edges": edges, "count": count, "confidence": mean_conf, "accuracy": mean_acc}


def expected_calibration_error(probs: torch.Tensor, labels: torch.Tensor, n_bins: int = 15) -> float:
    """ECE = Σ_m |B_m|/N · |acc(B_m) − conf(B_m)| over ``n_bins`` equal-width bins."""
    bins = reliability_bins(probs, labels, n_bins)
    filled = bins["count"] > 0
    weight = bins["count"][filled] / bins["count"].sum()
    gap = (bins["accuracy"][filled] - bins["confidence"][filled]).abs()
    return float((weight * gap).sum())
