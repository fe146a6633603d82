"""Figures for the notebooks. Every function returns its figure or axes."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import nn

from .metrics import reliability_bins
from .train import predict_proba

History = list[dict[str, float]]


def _axes(ax: Axes | None, figsize: tuple[float, float] = (5, 3.5)) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=figsize)[1]


def plot_beta_pdfs(alphas: Sequence[float] = (0.1, 0.2, 0.4, 1, 2, 8), ax: Axes | None = None) -> Axes:
    """The density of λ ~ Beta(α, α), p(λ) ∝ λ^(α−1) (1 − λ)^(α−1), for each α."""
    ax = _axes(ax)
    lam = torch.linspace(0.001, 0.999, 999, dtype=torch.float64)
    for alpha in alphas:
        pdf = torch.distributions.Beta(float(alpha), float(alpha)).log_prob(lam).exp()
        ax.plot(lam.numpy(), pdf.numpy(), label=f"α = {alpha:g}")
    ax.set(title="λ ~ Beta(α, α)", xlabel="λ", ylabel="density", ylim=(0, 5))
    ax.legend(fontsize="small")
    return ax


def soft_label_title(target: torch.Tensor, class_names: Sequence[str], top: int = 2) -> str:
    """A soft label as text, largest weight first: ``"0.62 Sneaker + 0.38 Bag"``."""
    weights, classes = target.detach().float().cpu().topk(min(top, len(target)))
    parts = [f"{w:.2f} {class_names[c]}" for w, c in zip(weights.tolist(), classes.tolist()) if w >= 0.005]
    return " + ".join(parts)


def show_images(
    images: torch.Tensor, titles: Sequence[str] | None = None, ncols: int = 8, size: float = 1.6
) -> Figure:
    """A grid of 1-channel images of shape (N, 1, H, W) or (N, H, W), values in [0, 1]."""
    images = images.detach().cpu().reshape(len(images), *images.shape[-2:]).numpy()
    nrows = -(-len(images) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(titles[i], fontsize=7)
    fig.tight_layout()
    return fig


def plot_mixed_batch(
    images: torch.Tensor, soft_labels: torch.Tensor, class_names: Sequence[str], ncols: int = 8
) -> Figure:
    """Mixed images, each titled with its soft label as the model sees it."""
    titles = [soft_label_title(t, class_names) for t in soft_labels]
    return show_images(images, titles, ncols=ncols)


def plot_decision_boundary(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, ax: Axes | None = None,
    resolution: int = 200, margin: float = 0.5, title: str | None = None,
) -> Axes:
    """Filled contours of p(class 1 | point) for a 2-D, 2-class model, with the data on top.

    The dashed line is the decision boundary p = 0.5.
    """
    ax = _axes(ax, (4.5, 4))
    x = x.detach().cpu()
    low, high = x.min(0).values - margin, x.max(0).values + margin
    gx, gy = torch.meshgrid(
        torch.linspace(low[0], high[0], resolution), torch.linspace(low[1], high[1], resolution), indexing="xy"
    )
    grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
    device = next(model.parameters()).device
    p1 = predict_proba(model, grid.to(device))[:, 1].cpu().reshape(resolution, resolution).numpy()
    gx, gy, x = gx.numpy(), gy.numpy(), x.numpy()
    filled = ax.contourf(gx, gy, p1, levels=[i / 10 for i in range(11)], cmap="RdBu_r", alpha=0.8)
    ax.contour(gx, gy, p1, levels=[0.5], colors="k", linestyles="--", linewidths=1)
    ax.scatter(x[:, 0], x[:, 1], c=y.cpu().numpy(), cmap="RdBu_r", edgecolors="k", linewidths=0.4, s=12)
    ax.figure.colorbar(filled, ax=ax, label="p(class 1)")
    ax.set(title=title or "decision boundary", xlabel="$x_1$", ylabel="$x_2$")
    return ax


def plot_history(
    histories: dict[str, History], metrics: Sequence[str] = ("train_loss", "test_loss", "test_accuracy")
) -> Figure:
    """One panel per metric, one line per run, against the epoch."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.3), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for name, history in histories.items():
            ax.plot([h["epoch"] for h in history], [h[metric] for h in history], label=name)
        ax.set(title=metric.replace("_", " "), xlabel="epoch", ylabel=metric.split("_")[-1])
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_reliability_diagram(
    probs: torch.Tensor, labels: torch.Tensor, n_bins: int = 15, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Accuracy per confidence bin against the diagonal of perfect calibration.

    Bars below the diagonal are over-confident bins, bars above it under-confident.
    """
    ax = _axes(ax, (4, 4))
    bins = {k: v.numpy() for k, v in reliability_bins(probs, labels, n_bins).items()}
    filled = bins["count"] > 0
    left, acc, conf = bins["edges"][:-1][filled], bins["accuracy"][filled], bins["confidence"][filled]
    ax.bar(left, acc, width=1.0 / n_bins, align="edge", edgecolor="k", label="accuracy in bin")
    ax.bar(left, conf - acc, bottom=acc, width=1.0 / n_bins, align="edge", color="tab:red", alpha=0.3,
           label="gap to confidence")
    ax.plot([0, 1], [0, 1], "k--", label="perfect calibration")
    ax.set(title=title or "reliability diagram", xlabel="confidence", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1))
    ax.legend(fontsize="small", loc="upper left")
    return ax
