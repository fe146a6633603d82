"""mixup_edu: the helpers behind the mixup-edu notebooks.

mixup (Zhang et al., ICLR 2018) trains on convex combinations of pairs of
examples and of their labels: x̃ = λ·x_i + (1 − λ)·x_j, ỹ = λ·y_i + (1 − λ)·y_j,
with λ ~ Beta(α, α).

The top level holds what a notebook reader calls. Infrastructure stays in
submodules: ``settings`` (fast mode), ``devices``, ``threads``, ``machine``,
``bench``, ``experiment`` and ``cli``.
"""

from .boundaries import band_width, confidence_and_distance, cross_class_segments, far_confidence, probability_along
from .cutmix import cutmix_data, random_box
from .data import FASHION_MNIST_CLASSES, add_label_noise, load_fashion_mnist
from .evaluation import evaluate, predict_logits, predict_proba
from .losses import (
    manifold_mixup_loss,
    mixed_batch_loss,
    mixup_ablation_loss,
    mixup_criterion,
    mixup_cross_entropy,
    soft_cross_entropy,
)
from .manifold import split_points
from .metrics import accuracy, expected_calibration_error, reliability_bins
from .mixup import MixUp, mix, mixup_data, sample_beta, sample_lambda
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
from .targets import mix_targets, one_hot
from .toy import make_moons, make_spirals
from .train import fit

__version__ = "0.1.0"

__all__ = [
    "FASHION_MNIST_CLASSES",
    "MLP",
    "MixUp",
    "SmallCNN",
    "accuracy",
    "add_label_noise",
    "band_width",
    "confidence_and_distance",
    "cross_class_segments",
    "cutmix_data",
    "evaluate",
    "expected_calibration_error",
    "far_confidence",
    "fit",
    "load_fashion_mnist",
    "make_moons",
    "make_spirals",
    "manifold_mixup_loss",
    "mix",
    "mix_targets",
    "mixed_batch_loss",
    "mixup_ablation_loss",
    "mixup_criterion",
    "mixup_cross_entropy",
    "mixup_data",
    "one_hot",
    "plot_beta_pdfs",
    "plot_decision_boundary",
    "plot_history",
    "plot_mixed_batch",
    "plot_reliability_diagram",
    "predict_logits",
    "predict_proba",
    "probability_along",
    "random_box",
    "reliability_bins",
    "sample_beta",
    "sample_lambda",
    "show_images",
    "soft_cross_entropy",
    "soft_label_title",
    "split_points",
]
