"""Datasets: the bundled Fashion-MNIST sample, the full download, label noise.

Images come back as float tensors in [0, 1] of shape (N, 1, 28, 28) and
labels as ``torch.long`` of shape (N,).
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np
import torch

from ._checks import check_class_indices, check_flag, check_generator, check_num_classes, check_real
from ._random import rng_device

FASHION_MNIST_CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

SAMPLE_PATH = Path(__file__).with_name("data") / "fashion_mnist_sample.npz"
# Printed by scripts/build_fashion_mnist_sample.py, which documents how the
# sample was drawn (1,000 train and 300 test images per class).
SAMPLE_SHA256 = "882f097dabe348106e6134f3fa2ff3ab9a3e58b8d84d210cd353e317a99461f8"
DEFAULT_ROOT = Path.home() / ".cache" / "mixup_edu"


def _to_tensors(
    images: np.ndarray | torch.Tensor, labels: np.ndarray | torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.as_tensor(images).to(torch.float32).div_(255).unsqueeze(1)
    return x, torch.as_tensor(labels).to(torch.long)


def _load_sample(train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    # Read the file once, then hash and parse those same bytes: opening it a second
    # time would load whatever is there by then, not what was checked.
    raw = SAMPLE_PATH.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SAMPLE_SHA256:
        raise RuntimeError(
            f"{SAMPLE_PATH} has SHA-256 {digest}, expected {SAMPLE_SHA256}: the bundled "
            "sample is damaged; reinstall mixup_edu or rebuild it with "
            "scripts/build_fashion_mnist_sample.py"
        )
    split = "train" if train else "test"
    with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
        return _to_tensors(arrays[f"x_{split}"], arrays[f"y_{split}"])


def _load_full(train: bool, root: Path) -> tuple[torch.Tensor, torch.Tensor]:
    from torchvision.datasets import FashionMNIST

    try:
        dataset = FashionMNIST(str(root), train=train, download=True)
    except Exception as error:  # torchvision raises several kinds when offline
        reason = " ".join(str(error).split())  # torchvision's messages span several lines
        raise RuntimeError(
            f"could not download the full Fashion-MNIST into {root} ({type(error).__name__}: {reason}); "
            "this needs a network connection. Without one, use the bundled sample: "
            "load_fashion_mnist(train=...) with full=False (the default)."
        ) from error
    return _to_tensors(dataset.data, dataset.targets)


def load_fashion_mnist(
    train: bool = True, *, full: bool = False, root: str | Path | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Fashion-MNIST images and labels, ``(x, y)``.

    By default the bundled sample: 10,000 training or 3,000 test images,
    balanced over the 10 classes, read from disk with no network and
    checked against its recorded SHA-256. With ``full=True`` the official
    60,000 / 10,000 split is downloaded through torchvision into ``root``
    (default ``~/.cache/mixup_edu``); without a network that raises a
    ``RuntimeError`` that points back to the sample.
    Class names are in ``FASHION_MNIST_CLASSES``.
    """
    train, full = check_flag(train, "train"), check_flag(full, "full")
    if root is not None and not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"root must be a folder path (str or pathlib.Path) or None, got {type(root).__name__}")
    if full:
        return _load_full(train, Path(root) if root is not None else DEFAULT_ROOT)
    return _load_sample(train)


def add_label_noise(
    y: torch.Tensor, rate: float, num_classes: int, generator: torch.Generator | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric label noise: flip ``round(rate · N)`` labels to another class.

    The flipped samples are chosen uniformly at random, and each one gets a
    new label drawn uniformly from the ``num_classes − 1`` *other* classes,
    so exactly that fraction of labels is wrong. Returns ``(noisy_y,
    flipped)``, where ``flipped`` is a bool mask; ``y`` is not modified and
    ``noisy_y`` has ``y``'s integer dtype.
    """
    num_classes = check_num_classes(num_classes)
    y = check_class_indices(y, "y", num_classes)
    rate = check_real(rate, "rate", low=0.0, high=1.0, high_open=True)
    if rate > 0 and num_classes < 2:
        raise ValueError("label noise needs num_classes >= 2, so a label can change")
    if num_classes - 1 > torch.iinfo(y.dtype).max:
        raise ValueError(f"y of dtype {y.dtype} cannot hold class {num_classes - 1}; convert it with y.long()")
    generator = check_generator(generator)
    device = rng_device(generator)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=generator, device=device)[: round(rate * n)]
    shift = torch.randint(1, max(num_classes, 2), (len(chosen),), generator=generator, device=device)
    chosen, shift = chosen.to(y.device), shift.to(y.device)
    noisy = y.clone()
    noisy[chosen] = ((y[chosen].long() + shift) % num_classes).to(y.dtype)
    flipped = torch.zeros(n, dtype=torch.bool, device=y.device)
    flipped[chosen] = True
    return noisy, flipped
