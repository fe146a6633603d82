"""Figures for the notebooks. Every function returns its figure or axes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import nn

from ._checks import check_class_indices, check_images, check_int, check_real, check_same_batch, check_tensor
from .evaluation import _p_class_one
from .metrics import reliability_bins

History = list[dict[str, float]]


def _axes_or_none(ax: object) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _axes(ax: object, figsize: tuple[float, float] = (5, 3.5)) -> Axes:
    """``ax``, or the axes of a new figure: call it after the other checks, so that bad input opens no figure."""
    ax = _axes_or_none(ax)
    return ax if ax is not None else plt.subplots(figsize=figsize)[1]


def _check_title(title: object) -> None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")


def _check_strings(names: object, name: str, length: int) -> Sequence[str]:
    """``names`` must be a sequence of at least ``length`` strings (a str itself is refused)."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"{name} must be a sequence of str, got {type(names).__name__}")
    if len(names) < length:
        raise ValueError(f"{name} has {len(names)} entries; expected at least {length}")
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"{name} must hold str only")
    return names


def _check_soft_labels(targets: object, name: str) -> torch.Tensor:
    """A non-empty float tensor of finite class weights; the caller checks its shape."""
    targets = check_tensor(targets, name)
    if not targets.is_floating_point():
        raise TypeError(f"{name} must be float class weights, got {targets.dtype}")
    if targets.numel() == 0 or not bool(targets.isfinite().all()):
        raise ValueError(f"{name} must be a non-empty tensor of finite class weights")
    return targets


def plot_beta_pdfs(alphas: Sequence[float] = (0.1, 0.2, 0.4, 1, 2, 8), ax: Axes | None = None) -> Axes:
    """The density of λ ~ Beta(α, α), p(λ) ∝ λ^(α−1) (1 − λ)^(α−1), for each α."""
    if isinstance(alphas, str) or not isinstance(alphas, Iterable):
        raise TypeError(f"alphas must be a sequence of numbers such as (0.2, 1.0), got {type(alphas).__name__}")
    alphas = [check_real(a, "every alpha in alphas", low=0.0, low_open=True) for a in alphas]
    if not alphas:
        raise ValueError("alphas is empty; expected at least one α > 0")
    lam = torch.linspace(0.001, 0.999, 999, dtype=torch.float64)
    pdfs = [(alpha, torch.distributions.Beta(alpha, alpha).log_prob(lam).exp()) for alpha in alphas]
    for alpha, pdf in pdfs:
        if pdf.isnan().any():
            raise ValueError(f"alpha {alpha:g} in alphas is too large: Beta(α, α)'s density is NaN in float64")
    ax = _axes(ax)
    for alpha, pdf in pdfs:
        ax.plot(lam.numpy(), pdf.numpy(), label=f"α = {alpha:g}")
    ax.set(title="λ ~ Beta(α, α)", xlabel="λ", ylabel="density", ylim=(0, 5))
    ax.legend(fontsize="small")
    return ax


def soft_label_title(target: torch.Tensor, class_names: Sequence[str], top: int = 2) -> str:
    """A soft label as text, largest weight first: ``"0.62 Sneaker + 0.38 Bag"``."""
    target = _check_soft_labels(target, "target")
    if target.ndim != 1:
        raise ValueError(f"target must be one soft label of shape (C,), got {tuple(target.shape)}")
    _check_strings(class_names, "class_names", len(target))
    top = check_int(top, "top", low=1)
    weights, classes = target.detach().float().cpu().topk(min(top, len(target)))
    parts = [f"{w:.2f} {class_names[c]}" for w, c in zip(weights.tolist(), classes.tolist()) if w >= 0.005]
    return " + ".join(parts)


def show_images(images: torch.Tensor, titles: Sequence[str] | None = None, ncols: int = 8, size: float = 1.6) -> Figure:
    """A grid of 1-channel images of shape (N, 1, H, W) or (N, H, W), values in [0, 1]."""
    images = check_images(images, "images")
    if not (images.ndim == 3 or (images.ndim == 4 and images.shape[1] == 1)):
        raise ValueError(f"images must have shape (N, 1, H, W) or (N, H, W), got {tuple(images.shape)}")
    if titles is not None:
        _check_strings(titles, "titles", len(images))
    ncols, size = check_int(ncols, "ncols", low=1), check_real(size, "size", low=0.0, low_open=True)
    pixels = images.detach().cpu().reshape(len(images), *images.shape[-2:]).numpy()
    nrows = -(-len(pixels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(pixels):
            ax.imshow(pixels[i], cmap="gray", vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(titles[i], fontsize=7)
    fig.tight_layout()
    return fig


def plot_mixed_batch(
    images: torch.Tensor, soft_labels: torch.Tensor, class_names: Sequence[str], ncols: int = 8
) -> Figure:
    """Mixed images, each titled with its soft label as the model sees it."""
    soft_labels = _check_soft_labels(soft_labels, "soft_labels")
    if soft_labels.ndim != 2:
        raise ValueError(f"soft_labels must have shape (N, C), got {tuple(soft_labels.shape)}")
    check_same_batch(check_images(images, "images"), soft_labels, "images", "soft_labels")
    titles = [soft_label_title(t, class_names) for t in soft_labels]
    return show_images(images, titles, ncols=ncols)


def plot_decision_boundary(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    ax: Axes | None = None,
    resolution: int = 200,
    margin: float = 0.5,
    title: str | None = None,
) -> Axes:
    """Filled contours of p(class 1 | point) for a 2-D, 2-class model, with the data on top.

    The dashed line is the decision boundary p = 0.5.
    """
    if not isinstance(model, nn.Module) or next(model.parameters(), None) is None:
        raise TypeError(f"model must be an nn.Module with parameters, got {type(model).__name__}")
    x = check_images(x, "x")
    if x.ndim != 2 or x.shape[1] != 2 or not bool(x.isfinite().all()):
        raise ValueError(f"x must be finite 2-D points of shape (N, 2), got shape {tuple(x.shape)}")
    check_same_batch(x, check_class_indices(y, "y"), "x", "y")
    resolution = check_int(resolution, "resolution", low=2)
    margin = check_real(margin, "margin", low=0.0)
    _check_title(title)
    _axes_or_none(ax)
    x = x.detach().cpu()
    low, high = x.min(0).values - margin, x.max(0).values + margin
    gx, gy = torch.meshgrid(
        torch.linspace(low[0], high[0], resolution), torch.linspace(low[1], high[1], resolution), indexing="xy"
    )
    grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
    device = next(model.parameters()).device
    p1 = _p_class_one(model, grid.to(device)).cpu().reshape(resolution, resolution).numpy()
    ax = _axes(ax, (4.5, 4))
    filled = ax.contourf(gx.numpy(), gy.numpy(), p1, levels=[i / 10 for i in range(11)], cmap="RdBu_r", alpha=0.8)
    ax.contour(gx.numpy(), gy.numpy(), p1, levels=[0.5], colors="k", linestyles="--", linewidths=1)
    ax.scatter(x[:, 0].numpy(), x[:, 1].numpy(), c=y.cpu().numpy(), cmap="RdBu_r", edgecolors="k", linewidths=0.4, s=12)
    ax.figure.colorbar(filled, ax=ax, label="p(class 1)")
    ax.set(title=title or "decision boundary", xlabel="$x_1$", ylabel="$x_2$")
    return ax


def plot_history(
    histories: dict[str, History], metrics: Sequence[str] = ("train_loss", "test_loss", "test_accuracy")
) -> Figure:
    """One panel per metric, one line per run, against the epoch."""
    if not isinstance(histories, dict):
        raise TypeError(f"histories must be a dict {{name: history}}, got {type(histories).__name__}")
    if not histories:
        raise ValueError("histories is empty; expected at least one run")
    metrics = _check_strings(metrics, "metrics", 1)
    for name, history in histories.items():
        if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
            raise TypeError(f"histories[{name!r}] must be a list of dicts, one per epoch, as fit returns")
        if not history:
            raise ValueError(f"histories[{name!r}] is empty; expected at least one epoch")
        missing = sorted({key for h in history for key in ("epoch", *metrics) if key not in h})
        if missing:
            raise ValueError(f"histories[{name!r}] has epochs without {missing}; expected 'epoch' and {list(metrics)}")
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
    _check_title(title)
    bins = {k: v.numpy() for k, v in reliability_bins(probs, labels, n_bins).items()}
    ax = _axes(ax, (4, 4))
    filled = bins["count"] > 0
    left, acc, conf = bins["edges"][:-1][filled], bins["accuracy"][filled], bins["confidence"][filled]
    ax.bar(left, acc, width=1.0 / n_bins, align="edge", edgecolor="k", label="accuracy in bin")
    ax.bar(
        left,
        conf - acc,
        bottom=acc,
        width=1.0 / n_bins,
        align="edge",
        color="tab:red",
        alpha=0.3,
        label="gap to confidence",
    )
    ax.plot([0, 1], [0, 1], "k--", label="perfect calibration")
    ax.set(title=title or "reliability diagram", xlabel="confidence", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1))
    ax.legend(fontsize="small", loc="upper left")
    return ax
