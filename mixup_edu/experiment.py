"""ERM against mixup on Fashion-MNIST: one comparison, shared by notebook 04
and ``python -m mixup_edu compare``.

Every run of a comparison uses the same data, the same label noise, the
same initial weights, optimiser and number of epochs for a given seed; only
α changes (α = 0 is ERM).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from ._checks import check_int, check_real, check_seed
from .data import add_label_noise, load_fashion_mnist
from .models import SmallCNN
from .train import fit, resolve_device


@dataclass
class Config:
    """Settings of one comparison; the defaults are notebook 04's full mode."""

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
    """The comparison's model, with initial weights fixed by ``seed``."""
    return SmallCNN(widths=config.widths, hidden=config.hidden, seed=seed)


def prepare_data(config: Config, seed: int) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Training data (first ``train_size`` images, labels flipped at rate ``noise``) and clean test data.

    A ``train_size`` larger than the training set raises ``ValueError`` (rather than training on fewer images
    than the configuration records).
    """
    x, y = load_fashion_mnist(train=True, full=config.full)
    if config.train_size > len(x):
        source = "the full Fashion-MNIST" if config.full else "the bundled sample"
        raise ValueError(
            f"train_size is {config.train_size}, but {source} holds only {len(x)} training images; "
            f"use at most {len(x)}"
        )
    x, y = x[: config.train_size], y[: config.train_size]
    if config.noise > 0:
        y, _ = add_label_noise(y, config.noise, 10, generator=torch.Generator().manual_seed(seed))
    return (x, y), load_fashion_mnist(train=False, full=config.full)


def run_comparison(config: Config, *, progress: bool = True, keep_models: bool = False) -> dict:
    """Train ``SmallCNN`` once per (seed, α); returns ``{"runs": [...], "config": {...}}``.

    Each run records ``alpha``, ``noise``, ``seed``, ``epochs``, the final
    ``test_accuracy`` (a fraction) and ``ece``, and the per-epoch ``history``;
    with ``keep_models=True`` also the trained ``model`` (not JSON-serialisable).
    """
    runs = []
    for seed in config.seeds:
        train, test = prepare_data(config, seed)
        for alpha in config.alphas:
            model = make_model(config, seed)
            history = fit(
                model, train, test, epochs=config.epochs, alpha=alpha, lr=config.lr,
                weight_decay=config.weight_decay, batch_size=config.batch_size, seed=seed,
                device=config.device, progress=progress, desc=f"seed {seed}, alpha {alpha:g}",
            )
            run = {
                "alpha": alpha, "noise": config.noise, "seed": seed, "epochs": config.epochs,
                "test_accuracy": history[-1]["test_accuracy"], "ece": history[-1]["ece"], "history": history,
            }
            runs.append({**run, "model": model} if keep_models else run)
    return {"runs": runs, "config": asdict(config)}


def summarize(results: dict) -> list[dict]:
    """Per α: mean and standard deviation over seeds of the final accuracy and ECE."""
    rows = []
    for alpha in results["config"]["alphas"]:
        runs = [r for r in results["runs"] if r["alpha"] == alpha]
        row = {"alpha": alpha, "seeds": len(runs)}
        for key in ("test_accuracy", "ece"):
            values = [r[key] for r in runs]
            row[key] = statistics.fmean(values)
            row[f"{key}_std"] = statistics.stdev(values) if len(values) > 1 else 0.0
        rows.append(row)
    return rows


def format_table(results: dict) -> str:
    """A plain-text table of ``summarize(results)``; ± is the std over seeds."""
    lines = [f"{'method':<14} {'seeds':>5} {'test accuracy':>16} {'ECE':>16}"]
    for row in summarize(results):
        name = "ERM" if row["alpha"] == 0 else f"mixup α={row['alpha']:g}"
        acc = f"{100 * row['test_accuracy']:.1f}% ± {100 * row['test_accuracy_std']:.1f}"
        ece = f"{row['ece']:.3f} ± {row['ece_std']:.3f}"
        lines.append(f"{name:<14} {row['seeds']:>5} {acc:>16} {ece:>16}")
    return "\n".join(lines)


def mean_histories(results: dict) -> dict[str, list[dict[str, float]]]:
    """Per α, the per-epoch history averaged over seeds, keyed by a readable name."""
    curves = {}
    for alpha in results["config"]["alphas"]:
        histories = [r["history"] for r in results["runs"] if r["alpha"] == alpha]
        name = "ERM" if alpha == 0 else f"mixup α={alpha:g}"
        curves[name] = [
            {"epoch": epoch + 1, **{key: statistics.fmean(h[epoch][key] for h in histories)
                                    for key in histories[0][epoch] if key != "epoch"}}
            for epoch in range(len(histories[0]))
        ]
    return curves
