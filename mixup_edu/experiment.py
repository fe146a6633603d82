"""ERM against mixup on Fashion-MNIST: one comparison, shared by notebook 04
and ``python -m mixup_edu compare``.

Every run of a comparison uses the same data, the same label noise, the
same initial weights, optimiser and number of epochs for a given seed; only
α changes (α = 0 is ERM).
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

import torch

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
        if not self.alphas or any(not a >= 0 for a in self.alphas):
            raise ValueError(f"alphas must be numbers >= 0 (0 is ERM), got {self.alphas}")
        if isinstance(self.epochs, bool) or not isinstance(self.epochs, int) or self.epochs < 1:
            raise ValueError(f"epochs must be an integer >= 1, got {self.epochs}")
        if not 0 <= self.noise < 1:
            raise ValueError(f"noise must be a rate in [0, 1), got {self.noise}")
        if not self.seeds:
            raise ValueError("give at least one seed")
        if self.train_size < 1 or self.batch_size < 1:
            raise ValueError("train_size and batch_size must be >= 1")
        resolve_device(self.device)


def make_model(config: Config, seed: int) -> SmallCNN:
    """The comparison's model, with initial weights fixed by ``seed``."""
    return SmallCNN(widths=config.widths, hidden=config.hidden, seed=seed)


def prepare_data(config: Config, seed: int) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Training data (first ``train_size`` images, labels flipped at rate ``noise``) and clean test data."""
    x, y = load_fashion_mnist(train=True, full=config.full)
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
