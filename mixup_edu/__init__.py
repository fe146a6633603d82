"""mixup_edu: the helpers behind the mixup-edu notebooks.

mixup (Zhang et al., ICLR 2018) trains on convex combinations of pairs of
examples and of their labels: x̃ = λ·x_i + (1 − λ)·x_j, ỹ = λ·y_i + (1 − λ)·y_j,
with λ ~ Beta(α, α).
"""

from .cutmix import cutmix_data, random_box
from .data import FASHION_MNIST_CLASSES, add_label_noise, load_fashion_mnist
from .metrics import accuracy, expected_calibration_error, reliability_bins
from .mix import MixUp, mix, mixup_data, sample_beta, sample_lambda
from .models import MLP, SmallCNN
from .plots import (
    plot_beta_pdfs,
    plot_decision_boundary,
    plot_history,
    plot_mixed_batch,
    plot_reliability_diagram,
    show_images,
    soft_label_title,
)
from .settings import fast_mode, full_or_fast
from .targets import mix_targets, mixup_criterion, one_hot, soft_cross_entropy
from .toy import make_moons, make_spirals
from .train import evaluate, fit, predict_logits, predict_proba, resolve_device

__version__ = "0.1.0"

__all__ = [
    "FASHION_MNIST_CLASSES",
    "MLP",
    "MixUp",
    "SmallCNN",
    "accuracy",
    "add_label_noise",
    "cutmix_data",
    "evaluate",
    "expected_calibration_error",
    "fast_mode",
    "fit",
    "full_or_fast",
    "load_fashion_mnist",
    "make_moons",
    "make_spirals",
    "mix",
    "mix_targets",
    "mixup_criterion",
    "mixup_data",
    "one_hot",
    "plot_beta_pdfs",
    "plot_decision_boundary",
    "plot_history",
    "plot_mixed_batch",
    "plot_reliability_diagram",
    "predict_logits",
    "predict_proba",
    "random_box",
    "reliability_bins",
    "resolve_device",
    "sample_beta",
    "sample_lambda",
    "show_images",
    "soft_cross_entropy",
    "soft_label_title",
]
