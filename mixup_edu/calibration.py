"""Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017).

The standard fix for an over-confident classifier: divide every logit by one
temperature T > 0 before the softmax,

    p_T(c | x) = softmax(z(x) / T)_c,

and choose T on a held-out *validation* split (never the test set) by
minimising the negative log-likelihood

    NLL(T) = −(1/N) Σ_i log p_T(y_i | x_i).

T > 1 softens over-confident predictions, T < 1 sharpens under-confident ones.
Dividing a sample's logits by the same positive number keeps their order, so
the predicted class, and with it the accuracy, never changes.

NLL is convex in β = 1/T (a log-sum-exp of terms linear in β, minus a term
linear in β), so it has a single minimum, and a golden-section search over
log T finds it to any precision.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ._checks import check_class_indices, check_real, check_same_batch, check_tensor

_INV_PHI = (math.sqrt(5) - 1) / 2  # 1/φ, the golden-section ratio


def _check_logits(logits: object) -> torch.Tensor:
    logits = check_tensor(logits, "logits")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor, got {logits.dtype}")
    if logits.ndim != 2 or logits.shape[1] < 2:
        raise ValueError(f"logits must have shape (N, C) with C >= 2 classes, got shape {tuple(logits.shape)}")
    if not bool(torch.isfinite(logits).all()):
        raise ValueError("logits must be finite; got NaN or ±inf")
    return logits


def _check_logits_labels(logits: object, labels: object) -> tuple[torch.Tensor, torch.Tensor]:
    logits = _check_logits(logits)
    labels = check_class_indices(labels, "labels", logits.shape[1])
    check_same_batch(logits, labels, "logits", "labels")
    return logits, labels.to(logits.device)


def _nll(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> float:
    return F.cross_entropy(logits / temperature, labels).item()


def temperature_nll(logits: torch.Tensor, labels: torch.Tensor, temperature: float) -> float:
    """NLL(T) = −(1/N) Σ_i log softmax(z_i / T)[y_i], the mean cross-entropy of the scaled logits."""
    logits, labels = _check_logits_labels(logits, labels)
    temperature = check_real(temperature, "temperature", low=0.0, low_open=True)
    return _nll(logits.detach().double(), labels, temperature)


def fit_temperature(
    logits: torch.Tensor, labels: torch.Tensor, *, low: float = 0.05, high: float = 20.0, tol: float = 1e-4
) -> float:
    """The temperature T in [low, high] that minimises ``temperature_nll(logits, labels, T)``.

    Pass a model's logits on a validation split and that split's labels.
    Golden-section search over log T, stopped when the bracket is narrower
    than ``tol`` in log T (a relative precision of about ``tol`` on T). A
    result at an end of [low, high] means that the minimum lies beyond it,
    e.g. when every validation prediction is already correct.
    """
    logits, labels = _check_logits_labels(logits, labels)
    low = check_real(low, "low", low=0.0, low_open=True)
    high = check_real(high, "high", low=low, low_open=True)
    tol = check_real(tol, "tol", low=0.0, low_open=True)
    z = logits.detach().double()

    def nll(log_t: float) -> float:
        return _nll(z, labels, math.exp(log_t))

    a, b = math.log(low), math.log(high)
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    f_c, f_d = nll(c), nll(d)
    while b - a > tol:
        if f_c <= f_d:  # the minimum lies in [a, d]
            b, d, f_d = d, c, f_c
            c = b - _INV_PHI * (b - a)
            f_c = nll(c)
        else:  # the minimum lies in [c, b]
            a, c, f_c = c, d, f_d
            d = a + _INV_PHI * (b - a)
            f_d = nll(d)
    return math.exp((a + b) / 2)


def apply_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Calibrated probabilities softmax(z / T), as a new tensor; the argmax of each row is unchanged."""
    logits = _check_logits(logits)
    temperature = check_real(temperature, "temperature", low=0.0, low_open=True)
    return (logits.detach() / temperature).softmax(dim=1)
