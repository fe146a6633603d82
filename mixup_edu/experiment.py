"""ERM against mixup on Fashion-MNIST: one comparison, shared by notebook 04
and ``python -m mixup_edu compare``.

Every run of a comparison uses the same data, the same label noise, the
same initial weights, optimiser and number of epochs for a given seed; only
α changes (α = 0 is ERM).

With a validation split (``Config.val_size > 0``, images held out from the
end of the training set, labels always clean) every run also gets the two
fair baselines that a reviewer asks for: ERM stopped at the epoch that scored
best on the validation split (early stopping), and a temperature fitted on
that split (temperature scaling, Guo et al., ICML 2017). The test set is
never used to choose anything.
"""

from __future__ import annotations

import copy
import statistics
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from ._checks import check_int, check_real, check_seed
from .calibration import apply_temperature, fit_temperature
from .data import FASHION_MNIST_CLASSES, add_label_noise, load_fashion_mnist
from .devices import resolve_device
from .evaluation import Data, evaluate, predict_logits
from .metrics import expected_calibration_error
from .models import SmallCNN
from .train import fit


@dataclass
class Config:
    """Settings of one comparison.

    ``val_size`` images from the end of the training set form a clean
    validation split, never trained on: with it each run also records early
    stopping and temperature scaling (see ``run_comparison``). With
    ``val_size = 0`` (the default) there is none, and the test set is scored
    after every epoch instead.
    """

    alphas: list[float] = field(default_factory=lambda: [0.0, 0.2, 1.0])
    epochs: int = 50
    noise: float = 0.0
    seeds: list[int] = field(default_factory=lambda: [0])
    train_size: int = 10_000
    batch_size: int = 64
    lr: float = 0.1
    weight_decay: float = 1e-4
    widths: tuple[int, int] = (8, 16)
    hidden: int = 1024
    device: str = "auto"
    full: bool = False
    val_size: int = 0

    def __post_init__(self) -> None:
        """Check every field (``TypeError`` for a wrong kind, ``ValueError`` for a wrong value) and store
        plain Python numbers, so that ``asdict(config)`` is JSON-serialisable."""
        alphas = _items(self.alphas, "alphas")
        self.alphas = _distinct([check_real(a, "each alpha in alphas (0 is ERM)", low=0.0) for a in alphas], "alphas")
        self.epochs = check_int(self.epochs, "epochs", low=1)
        self.noise = check_real(self.noise, "noise (a label-noise rate)", low=0.0, high=1.0, high_open=True)
        self.seeds = _distinct([check_seed(s, "each seed in seeds") for s in _items(self.seeds, "seeds")], "seeds")
        self.train_size = check_int(self.train_size, "train_size", low=1)
        self.batch_size = check_int(self.batch_size, "batch_size", low=1)
        self.lr = check_real(self.lr, "lr", low=0.0, low_open=True)
        self.weight_decay = check_real(self.weight_decay, "weight_decay", low=0.0)
        widths = _items(self.widths, "widths")
        if len(widths) != 2:
            raise ValueError(f"widths must hold 2 channel counts (w1, w2), got {len(widths)}: {self.widths!r}")
        self.widths = tuple(check_int(w, "each width in widths", low=1) for w in widths)  # type: ignore[assignment]
        self.hidden = check_int(self.hidden, "hidden", low=1)
        if not isinstance(self.device, (str, torch.device)):
            raise TypeError(f"device must be 'auto', 'cpu' or 'cuda', got {type(self.device).__name__} {self.device!r}")
        self.device = str(self.device)
        resolve_device(self.device)
        if not isinstance(self.full, (bool, np.bool_)):
            raise TypeError(f"full must be True or False, got {type(self.full).__name__} {self.full!r}")
        self.full = bool(self.full)
        self.val_size = check_int(self.val_size, "val_size", low=0)


def _items(values: object, name: str) -> list:
    """``values`` as a non-empty list; a list or tuple is expected."""
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{name} must be a list of numbers, got {type(values).__name__} {values!r}")
    if not values:
        raise ValueError(f"{name} is empty; give at least one value")
    return list(values)


def _distinct(values: list, name: str) -> list:
    """Refuse repeated values: each one is a separate run, and a repeat is not an independent one."""
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(
            f"{name} holds {', '.join(f'{v:g}' for v in repeated)} more than once; a repeat trains the same "
            f"run again and is not an independent result, so give distinct {name}"
        )
    return values


def make_model(config: Config, seed: int) -> SmallCNN:
    """The comparison's model, with initial weights fixed by ``seed``.

    Its weights are stored ``channels_last``, so that convolutions and max-pooling
    run on (B, H, W, C) data, which is faster on a CPU; the maths is unchanged.
    """
    return SmallCNN(widths=config.widths, hidden=config.hidden, seed=seed).to(memory_format=torch.channels_last)


def prepare_data(
    config: Config, seed: int
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Training data (first ``train_size`` images, labels flipped at rate ``noise``) and clean test data.

    A ``train_size`` larger than the training set (less the ``val_size`` images held out at its end) raises
    ``ValueError`` (rather than training on fewer images than the configuration records).
    """
    x, y = load_fashion_mnist(train=True, full=config.full)
    if config.train_size + config.val_size > len(x):
        source = "the full Fashion-MNIST" if config.full else "the bundled sample"
        held_out = f" besides the val_size = {config.val_size} validation images" if config.val_size else ""
        raise ValueError(
            f"train_size is {config.train_size}, but {source} holds only {len(x)} training images; "
            f"use at most {len(x) - config.val_size}{held_out}"
        )
    x, y = x[: config.train_size], y[: config.train_size]
    if config.noise > 0:
        y, _ = add_label_noise(
            y, config.noise, len(FASHION_MNIST_CLASSES), generator=torch.Generator().manual_seed(seed)
        )
    return (x, y), load_fashion_mnist(train=False, full=config.full)


def validation_data(config: Config) -> Data:
    """The last ``val_size`` images of the training set with their clean labels: never trained on."""
    if config.val_size == 0:
        raise ValueError("this Config has no validation split; set val_size >= 1")
    x, y = load_fashion_mnist(train=True, full=config.full)
    return x[len(x) - config.val_size :], y[len(y) - config.val_size :]


class _BestEpoch:
    """``fit``'s ``on_epoch``: score every epoch on the validation split, keep the weights of the most accurate."""

    def __init__(self, val: Data) -> None:
        self.val, self.epoch, self.accuracy = val, 0, -1.0
        self.state: dict[str, torch.Tensor] = {}

    def __call__(self, epoch: int, model: nn.Module) -> dict[str, float]:
        scores = evaluate(model, self.val)
        if scores["accuracy"] > self.accuracy:
            self.epoch, self.accuracy, self.state = epoch, scores["accuracy"], copy.deepcopy(model.state_dict())
        return {"val_loss": scores["loss"], "val_accuracy": scores["accuracy"], "val_ece": scores["ece"]}


def _scores(logits: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Test accuracy and ECE of a model's test logits."""
    accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    return {"test_accuracy": accuracy, "ece": expected_calibration_error(logits.softmax(dim=1), y)}


def _scores_and_baselines(model: nn.Module, best: _BestEpoch, test: Data) -> dict[str, float]:
    """The final test scores; the test ECE after temperature scaling with T fitted on the validation split;
    and the test scores of the weights of the best validation epoch (early stopping)."""
    logits = predict_logits(model, test[0])
    y = test[1].to(logits.device)
    temperature = fit_temperature(predict_logits(model, best.val[0]), best.val[1])
    stopped = copy.deepcopy(model)
    stopped.load_state_dict(best.state)
    early = _scores(predict_logits(stopped, test[0]), y)
    return {
        **_scores(logits, y),
        "temperature": temperature,
        "ece_temperature_scaled": expected_calibration_error(apply_temperature(logits, temperature), y),
        "best_epoch": best.epoch,
        "early_stopped_accuracy": early["test_accuracy"],
        "early_stopped_ece": early["ece"],
    }


def run_comparison(config: Config, *, progress: bool = True, keep_models: bool = False) -> dict:
    """Train ``SmallCNN`` once per (seed, α); returns ``{"runs": [...], "config": {...}}``.

    Each run records ``alpha``, ``noise``, ``seed``, ``epochs``, the final
    ``test_accuracy`` (a fraction) and ``ece``, and the per-epoch ``history``;
    with ``keep_models=True`` also the trained ``model`` (not JSON-serialisable).

    Without a validation split (``val_size = 0``) the history scores the test
    set after every epoch. With one, it scores the validation split instead
    (``val_loss``, ``val_accuracy``, ``val_ece``), the test set is scored once
    at the end, and each run also records:

    * ``best_epoch``: the epoch with the highest validation accuracy, and
      ``early_stopped_accuracy`` and ``early_stopped_ece``, the test scores of
      the weights of that epoch (early stopping);
    * ``temperature``: T fitted on the validation split by minimising its
      negative log-likelihood, and ``ece_temperature_scaled``, the test ECE of
      softmax(logits / T) (temperature scaling; the accuracy is unchanged).
    """
    val = validation_data(config) if config.val_size else None
    runs = []
    for seed in config.seeds:
        train, test = prepare_data(config, seed)
        for alpha in config.alphas:
            model = make_model(config, seed)
            best = _BestEpoch(val) if val is not None else None
            history = fit(
                model,
                train,
                test if best is None else None,
                epochs=config.epochs,
                alpha=alpha,
                lr=config.lr,
                weight_decay=config.weight_decay,
                batch_size=config.batch_size,
                seed=seed,
                device=config.device,
                progress=progress,
                desc=f"seed {seed}, {method_name(alpha)}",
                on_epoch=best,
            )
            run: dict[str, object] = {"alpha": alpha, "noise": config.noise, "seed": seed, "epochs": config.epochs}
            if best is None:
                run.update(test_accuracy=history[-1]["test_accuracy"], ece=history[-1]["ece"])
            else:
                run.update(_scores_and_baselines(model, best, test))
            run["history"] = history
            runs.append({**run, "model": model} if keep_models else run)
    return {"runs": runs, "config": asdict(config)}


# The scores a run may record, with their column titles; accuracies print as percentages.
SCORES = {
    "test_accuracy": "test accuracy",
    "ece": "ECE",
    "early_stopped_accuracy": "early-stopped acc.",
    "ece_temperature_scaled": "ECE, T-scaled",
}


def method_name(alpha: float) -> str:
    """``"ERM"`` for α = 0, else ``"mixup α=…"``."""
    return "ERM" if alpha == 0 else f"mixup α={alpha:g}"


def runs_by_alpha(results: dict) -> dict[float, list[dict]]:
    """The runs of ``results`` grouped by α, in the order of the configuration's ``alphas``."""
    return {alpha: [r for r in results["runs"] if r["alpha"] == alpha] for alpha in results["config"]["alphas"]}


def _mean_std(values: list[float]) -> tuple[float, float | None]:
    """Mean and sample standard deviation; the std is None for a single value, which has no spread."""
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else None)


def _format(value: float, std: float | None, key: str, signed: bool = False) -> str:
    """``83.1% ± 0.4`` for an accuracy (``+1.2 pt`` for a signed difference of accuracies), ``0.081 ± 0.004``
    otherwise; no ± without a spread."""
    scale, unit, digits = (100, " pt" if signed else "%", 1) if "accuracy" in key else (1, "", 3)
    text = f"{scale * value:{'+' if signed else ''}.{digits}f}{unit}"
    return text if std is None else f"{text} ± {scale * std:.{digits}f}"


def summarize(results: dict) -> list[dict]:
    """Per α: mean and standard deviation over seeds of each score in ``SCORES`` that every run recorded.

    The std is ``None`` when there is a single seed: one run has no spread.
    """
    rows = []
    for alpha, runs in runs_by_alpha(results).items():
        row: dict[str, float | None] = {"alpha": alpha, "seeds": len(runs)}
        for key in SCORES:
            if all(key in r for r in runs):
                row[key], row[f"{key}_std"] = _mean_std([r[key] for r in runs])
        rows.append(row)
    return rows


def format_table(results: dict) -> str:
    """A plain-text table of ``summarize(results)``: mean ± std over seeds (the value alone for one seed)."""
    rows = summarize(results)
    keys = [key for key in SCORES if all(key in row for row in rows)]
    lines = [f"{'method':<14} {'seeds':>5}" + "".join(f" {SCORES[key]:>19}" for key in keys)]
    for row in rows:
        cells = "".join(f" {_format(row[key], row[f'{key}_std'], key):>19}" for key in keys)
        lines.append(f"{method_name(row['alpha']):<14} {row['seeds']:>5}{cells}")
    return "\n".join(lines)


def format_seeds(results: dict, key: str = "test_accuracy") -> str:
    """One score per seed, one row per method, then mean ± std over seeds.

    When ERM (α = 0) is among the methods, a last row per mixup α gives the
    difference mixup − ERM seed by seed, with its mean ± std: the paired
    comparison, since both runs of a seed share data, initial weights and
    batch order.
    """
    seeds = results["config"]["seeds"]
    by_alpha = {alpha: {r["seed"]: r[key] for r in runs} for alpha, runs in runs_by_alpha(results).items()}
    rows = [(method_name(alpha), [values[seed] for seed in seeds], False) for alpha, values in by_alpha.items()]
    if 0 in by_alpha:
        rows += [
            (f"{method_name(alpha)} − ERM", [values[seed] - by_alpha[0][seed] for seed in seeds], True)
            for alpha, values in by_alpha.items()
            if alpha != 0
        ]
    width = max(len(name) for name, _, _ in rows)
    lines = [
        f"{SCORES.get(key, key):<{width}}"
        + "".join(f" {f'seed {seed}':>8}" for seed in seeds)
        + f" {'mean ± std' if len(seeds) > 1 else 'mean':>15}"
    ]
    for name, values, signed in rows:
        cells = "".join(f" {_format(value, None, key, signed):>8}" for value in values)
        lines.append(f"{name:<{width}}{cells} {_format(*_mean_std(values), key, signed):>15}")
    return "\n".join(lines)


def mean_histories(results: dict) -> dict[str, list[dict[str, float]]]:
    """Per α, the per-epoch history averaged over seeds, keyed by a readable name."""
    curves = {}
    for alpha, runs in runs_by_alpha(results).items():
        histories = [r["history"] for r in runs]
        curves[method_name(alpha)] = [
            {
                "epoch": epoch + 1,
                **{
                    key: statistics.fmean(h[epoch][key] for h in histories)
                    for key in histories[0][epoch]
                    if key != "epoch"
                },
            }
            for epoch in range(len(histories[0]))
        ]
    return curves
