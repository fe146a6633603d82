"""Training and evaluation with or without mixup.

``fit`` minimises the mixup loss

    L = λ · CE(f(x̃), y_a) + (1 − λ) · CE(f(x̃), y_b),   x̃ = λ·x_a + (1 − λ)·x_b,

over batches of the training set; ``alpha = 0`` gives λ = 1, i.e. plain ERM.
The data stay on the training device as whole tensors and batches are
sliced there, so nothing is copied from the host per step. Runs are
deterministic on the CPU for a given ``seed``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import trange

from ._checks import (
    check_alpha,
    check_class_indices,
    check_images,
    check_int,
    check_real,
    check_same_batch,
    check_seed,
)
from .metrics import expected_calibration_error
from .mix import mixup_data
from .targets import mixup_criterion

Data = tuple[torch.Tensor, torch.Tensor]


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` → CUDA when available, else CPU; ``"cpu"`` and ``"cuda"`` as given."""
    if not isinstance(device, (str, torch.device)):
        raise TypeError(
            f"device must be 'auto', 'cpu', 'cuda' or a torch.device, got {type(device).__name__} {device!r}"
        )
    name = str(device)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.split(":")[0] not in {"cpu", "cuda"}:
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {name!r}")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was asked for, but no CUDA GPU is available; use 'cpu' or 'auto'")
    return torch.device(name)


def _check_model(model: object) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def _count_non_finite(x: torch.Tensor) -> int:
    """How many entries of ``x`` are NaN or ±inf. A NaN or inf anywhere makes the sum non-finite, so one
    cheap sum settles the usual case; only then are the entries counted."""
    if bool(torch.isfinite(x.sum())):
        return 0
    return int((~torch.isfinite(x)).sum())


def _check_data(data: Data, name: str) -> Data:
    """``data`` must be a pair ``(x, y)``: finite float inputs and one class index per sample."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (x, y) of tensors, got {type(data).__name__}")
    x, y = check_images(data[0], f"{name} x"), check_class_indices(data[1], f"{name} y")
    check_same_batch(x, y, f"{name} x", f"{name} y")
    bad = _count_non_finite(x)
    if bad:
        raise ValueError(
            f"{name} x holds {bad} NaN or infinite values; every input must be finite "
            "(look for a division by zero or a missing value in the data)"
        )
    return x, y


@torch.inference_mode()
def predict_logits(model: nn.Module, x: torch.Tensor, *, batch_size: int = 1000) -> torch.Tensor:
    """Logits of ``model`` on ``x`` in eval mode, batch by batch, returned on ``x``'s device."""
    model, batch_size = _check_model(model), check_int(batch_size, "batch_size", low=1)
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


def evaluate(model: nn.Module, data: Data, *, batch_size: int = 1000, n_bins: int = 15) -> dict[str, float]:
    """Mean cross-entropy, accuracy and ECE (``n_bins`` equal-width bins) of ``model`` on ``data = (x, y)``,
    without mixing. A model whose outputs are NaN or infinite raises ``ValueError``."""
    n_bins = check_int(n_bins, "n_bins", low=1)
    x, y = _check_data(data, "data")
    logits = predict_logits(model, x, batch_size=batch_size)
    if not bool(torch.isfinite(logits).all()):
        raise ValueError("the model's outputs hold NaN or infinite values; its weights have probably diverged")
    y = y.to(logits.device)
    return {
        "loss": F.cross_entropy(logits, y).item(),
        "accuracy": (logits.argmax(dim=1) == y).float().mean().item(),
        "ece": expected_calibration_error(logits.softmax(dim=1), y, n_bins),
    }


BatchLoss = Callable[[nn.Module, torch.Tensor, torch.Tensor, torch.Generator], torch.Tensor]


def mixing_loss(
    alpha: float, *, mixer: Callable = mixup_data, per_sample: bool = False, label_smoothing: float = 0.0
) -> BatchLoss:
    """The loss of one batch ``(model, x, y, generator) -> loss`` that ``fit`` minimises.

    ``alpha = 0``: plain cross-entropy (ERM). Otherwise ``mixer`` (``mixup_data``
    or ``cutmix_data``) mixes the batch and the loss is
    ``mean(λ·CE(f(x̃), y_a) + (1 − λ)·CE(f(x̃), y_b))``. ``label_smoothing`` is
    passed to every cross-entropy.
    """
    alpha = check_alpha(alpha)
    ce = functools.partial(F.cross_entropy, reduction="none", label_smoothing=label_smoothing)
    options = {"per_sample": True} if per_sample else {}

    def loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if alpha == 0:
            return F.cross_entropy(model(x), y, label_smoothing=label_smoothing)
        mixed, y_a, y_b, lam = mixer(x, y, alpha, generator=generator, **options)
        return mixup_criterion(ce, model(mixed), y_a, y_b, lam).mean()

    return loss


EpochHook = Callable[[int, nn.Module], dict[str, float] | None]


def fit(
    model: nn.Module,
    train: Data,
    test: Data | None,
    *,
    epochs: int,
    alpha: float = 0.0,
    per_sample: bool = False,
    lr: float = 0.1,
    batch_size: int = 128,
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    seed: int = 0,
    device: str | torch.device = "auto",
    progress: bool = True,
    desc: str | None = None,
    batch_loss: BatchLoss | None = None,
    on_epoch: EpochHook | None = None,
) -> list[dict[str, float]]:
    """Train ``model`` in place with SGD (Nesterov momentum) and a one-cycle learning rate.

    ``alpha = 0`` is ERM; ``alpha > 0`` is mixup with λ ~ Beta(α, α), one λ
    per batch (or per sample with ``per_sample=True``). ``batch_loss``
    replaces that loss with any other (see ``mixing_loss``; Manifold Mixup is
    in ``mixup_edu.manifold``). ``train`` and ``test`` are pairs ``(x, y)`` of
    tensors. After every epoch the model is evaluated on ``test``; returns one
    dict per epoch with ``epoch``, ``train_loss`` (the loss that was
    minimised), ``test_loss``, ``test_accuracy`` and ``ece``. With
    ``test=None`` that evaluation is skipped, which saves its time when the
    test scores are needed only once, at the end. ``on_epoch(epoch, model)``,
    if given, is called after every epoch, and the dict it returns is added to
    that epoch's row: a caller can score a validation split there, or keep a
    copy of the weights of its best epoch (early stopping).

    Every argument is checked before training starts, and the inputs of
    ``train`` and ``test`` must be finite. Training stops with ``ValueError``
    at the first loss that is NaN or infinite (the model's weights are then
    left as they were at that step): the learning rate is usually too large.
    """
    model, alpha = _check_model(model), check_alpha(alpha)
    epochs = check_int(epochs, "epochs", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    momentum = check_real(momentum, "momentum", low=0.0, high=1.0, low_open=True, high_open=True)
    weight_decay = check_real(weight_decay, "weight_decay", low=0.0)
    seed = check_seed(seed)
    if batch_loss is not None and not callable(batch_loss):
        raise TypeError(f"batch_loss must be a function (model, x, y, generator) -> loss, got {batch_loss!r}")
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be a function (epoch, model) -> dict or None, got {on_epoch!r}")
    batch_loss = batch_loss or mixing_loss(alpha, per_sample=per_sample)
    device = resolve_device(device)
    x, y = (t.to(device) for t in _check_data(train, "train"))
    if test is not None:
        x_test, y_test = _check_data(test, "test")
        test = (x_test.to(device), y_test.to(device))
    model.to(device)
    generator = torch.Generator(device=device).manual_seed(seed)
    steps = math.ceil(len(x) / batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, nesterov=True, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps)
    history = []
    bar = trange(epochs, desc=desc or f"alpha={alpha:g}", disable=not progress, leave=False)
    for epoch in bar:
        model.train()
        order = torch.randperm(len(x), generator=generator, device=device)
        total = torch.zeros((), device=device)
        for step, start in enumerate(range(0, len(x), batch_size), 1):
            batch = order[start : start + batch_size]
            loss = batch_loss(model, x[batch], y[batch], generator)
            if not bool(torch.isfinite(loss).all()):
                raise ValueError(
                    f"the training loss became {loss.item()} at epoch {epoch + 1}, step {step}: training diverged. "
                    f"The learning rate lr={lr:g} is probably too large (try a smaller one), or the data hold "
                    "extreme values (inputs are expected in a small range such as [0, 1])"
                )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.detach() * len(batch)
        row = {"epoch": epoch + 1, "train_loss": total.item() / len(x)}
        if test is not None:
            scores = evaluate(model, test)
            row.update(test_loss=scores["loss"], test_accuracy=scores["accuracy"], ece=scores["ece"])
            bar.set_postfix(acc=f"{scores['accuracy']:.3f}")
        extra = on_epoch(epoch + 1, model) if on_epoch is not None else None
        if not isinstance(extra, (dict, type(None))):
            raise TypeError(f"on_epoch must return a dict or None, got {type(extra).__name__} {extra!r}")
        history.append({**row, **(extra or {})})
    return history
