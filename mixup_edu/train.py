"""The training loop: SGD over batches of a batch loss, ERM or mixup.

``fit`` minimises, batch by batch, the mixup loss

    L = λ · CE(f(x̃), y_a) + (1 − λ) · CE(f(x̃), y_b),   x̃ = λ·x_a + (1 − λ)·x_b,

with λ ~ Beta(α, α); ``alpha = 0`` gives λ = 1, i.e. plain ERM. Any other
batch loss (CutMix, Manifold Mixup, label smoothing: ``mixup_edu.losses``)
is passed as ``loss=``. The data stay on the training device as whole
tensors and batches are sliced there, so nothing is copied from the host per
step. Runs are deterministic on the CPU for a given ``seed``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn
from tqdm.auto import trange

from ._checks import check_alpha, check_data, check_flag, check_int, check_model, check_real, check_seed
from .devices import resolve_device
from .evaluation import Data, evaluate
from .losses import BatchLoss, mixed_batch_loss

EpochHook = Callable[[int, nn.Module], "dict[str, float] | None"]


def train_one_epoch(
    model: nn.Module,
    train: Data,
    loss: BatchLoss,
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LRScheduler,
    generator: torch.Generator,
    batch_size: int,
    epoch: int = 1,
) -> float:
    """One pass over ``train = (x, y)`` in a random order, one SGD step per batch; returns the mean loss.

    ``epoch`` numbers the pass in the error raised when the loss stops being finite.

    Mixup enters inside ``loss(model, x, y, generator)``: it mixes the batch, runs the model on the mixed
    inputs and returns λ·CE(·, y_a) + (1 − λ)·CE(·, y_b). The rest is the usual step.
    """
    x, y = train
    model.train()
    order = torch.randperm(len(x), generator=generator, device=x.device)
    total = torch.zeros((), device=x.device)
    for step, start in enumerate(range(0, len(x), batch_size), 1):
        batch = order[start : start + batch_size]
        value = loss(model, x[batch], y[batch], generator)
        if not bool(torch.isfinite(value).all()):
            raise _diverged(value, epoch, step, optimizer)
        optimizer.zero_grad(set_to_none=True)
        value.backward()
        optimizer.step()
        schedule.step()
        total += value.detach() * len(batch)
    return total.item() / len(x)


def _diverged(value: torch.Tensor, epoch: int, step: int, optimizer: torch.optim.Optimizer) -> ValueError:
    group = optimizer.param_groups[0]
    lr = group.get("max_lr", group["lr"])  # the peak rate of a one-cycle schedule, else the rate itself
    return ValueError(
        f"the training loss became {value.item()} at epoch {epoch}, step {step}: training diverged. "
        f"The learning rate lr={lr:g} is probably too large (try a smaller one), or the data hold "
        "extreme values (inputs are expected in a small range such as [0, 1])"
    )


def _choose_loss(alpha: object, per_sample: object, loss: object) -> BatchLoss:
    """The batch loss ``fit`` minimises: mixup with ``alpha`` (ERM for 0), or ``loss``, but never both."""
    alpha, per_sample = check_alpha(alpha), check_flag(per_sample, "per_sample")
    if loss is None:
        return mixed_batch_loss(alpha, per_sample=per_sample)
    if not callable(loss):
        raise TypeError(f"loss must be a batch loss (model, x, y, generator) -> loss, got {loss!r}")
    if alpha != 0 or per_sample:
        raise ValueError(
            "fit got both alpha/per_sample and loss=; a batch loss already decides how batches are mixed. "
            "Give α to the loss instead, e.g. loss=mixed_batch_loss(1.0, per_sample=True)"
        )
    return loss  # type: ignore[return-value]


def _sgd_one_cycle(
    model: nn.Module, lr: float, momentum: float, weight_decay: float, total_steps: int
) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler]:
    """SGD with Nesterov momentum and weight decay, under a one-cycle schedule that peaks at ``lr``."""
    lr = check_real(lr, "lr", low=0.0, low_open=True)
    momentum = check_real(momentum, "momentum", low=0.0, high=1.0, low_open=True, high_open=True)
    weight_decay = check_real(weight_decay, "weight_decay", low=0.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, nesterov=True, weight_decay=weight_decay)
    return optimizer, torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps)


def _epoch_extras(on_epoch: EpochHook | None, epoch: int, model: nn.Module) -> dict[str, float]:
    extra = on_epoch(epoch, model) if on_epoch is not None else None
    if not isinstance(extra, (dict, type(None))):
        raise TypeError(f"on_epoch must return a dict or None, got {type(extra).__name__} {extra!r}")
    return extra or {}


def fit(
    model: nn.Module,
    train: Data,
    test: Data | None,
    *,
    epochs: int,
    alpha: float = 0.0,
    per_sample: bool = False,
    loss: BatchLoss | None = None,
    lr: float = 0.1,
    batch_size: int = 128,
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    seed: int = 0,
    device: str | torch.device = "auto",
    progress: bool = True,
    desc: str | None = None,
    on_epoch: EpochHook | None = None,
) -> list[dict[str, float]]:
    """Train ``model`` in place with SGD (Nesterov momentum) and a one-cycle learning rate.

    ``alpha = 0`` is ERM; ``alpha > 0`` is mixup with λ ~ Beta(α, α), one λ per batch (or per sample with
    ``per_sample=True``). ``loss`` replaces that loss with any other batch loss (``mixup_edu.losses``:
    CutMix, label smoothing, Manifold Mixup); it cannot be combined with ``alpha`` or ``per_sample``.
    ``train`` and ``test`` are pairs ``(x, y)`` of tensors. Returns one dict per epoch with ``epoch``,
    ``train_loss`` (the loss that was minimised) and, unless ``test=None``, the test set's ``test_loss``,
    ``test_accuracy`` and ``ece``. ``on_epoch(epoch, model)``, if given, is called after every epoch and the
    dict it returns is added to that epoch's row (e.g. validation scores, or keeping the best weights).

    Every argument is checked before training starts, and the inputs must be finite. Training stops with
    ``ValueError`` at the first loss that is NaN or infinite: the learning rate is usually too large.
    """
    model, loss = check_model(model), _choose_loss(alpha, per_sample, loss)
    epochs, batch_size = check_int(epochs, "epochs", low=1), check_int(batch_size, "batch_size", low=1)
    seed, device = check_seed(seed), resolve_device(device)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be a function (epoch, model) -> dict or None, got {on_epoch!r}")
    x, y = check_data(train, "train")
    test = None if test is None else check_data(test, "test")
    total_steps = epochs * math.ceil(len(x) / batch_size)
    optimizer, schedule = _sgd_one_cycle(model, lr, momentum, weight_decay, total_steps)
    model.to(device)
    x, y = x.to(device), y.to(device)
    test = None if test is None else (test[0].to(device), test[1].to(device))
    generator = torch.Generator(device=device).manual_seed(seed)
    history = []
    bar = trange(epochs, desc=desc or getattr(loss, "__name__", "custom loss"), disable=not progress, leave=False)
    for epoch in bar:
        train_loss = train_one_epoch(model, (x, y), loss, optimizer, schedule, generator, batch_size, epoch + 1)
        row = {"epoch": epoch + 1, "train_loss": train_loss}
        if test is not None:
            scores = evaluate(model, test)
            row.update(test_loss=scores["loss"], test_accuracy=scores["accuracy"], ece=scores["ece"])
            bar.set_postfix(acc=f"{scores['accuracy']:.3f}")
        history.append({**row, **_epoch_extras(on_epoch, epoch + 1, model)})
    return history
