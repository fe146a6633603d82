"""Losses for mixed batches.

A mixed sample has the soft label ỹ = λ·onehot(y_a) + (1 − λ)·onehot(y_b).
Because cross-entropy is linear in its target,

    CE(p, ỹ) = λ · CE(p, y_a) + (1 − λ) · CE(p, y_b),

so training can use either the soft targets (``soft_cross_entropy``) or the
two-term loss (``mixup_criterion`` for any criterion; ``mixup_cross_entropy``,
the same for cross-entropy with one softmax, is what training uses). ``fit`` minimises a *batch loss*, a
function ``(model, x, y, generator) -> loss`` that mixes the batch itself:
``mixed_batch_loss`` (ERM, mixup or CutMix), ``manifold_mixup_loss``, and
``mixup_ablation_loss`` (mixup with one of its parts taken away, as in the
paper's ablation study).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import (
    check_alpha,
    check_class_indices,
    check_flag,
    check_int,
    check_labels,
    check_lam,
    check_real,
    check_same_batch,
    check_tensor,
)
from ._random import rng_device
from .cutmix import cutmix_data
from .manifold import network_layers, run_layers, split_points
from .mixup import _blend, mixup_data, sample_lambda


def soft_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy against probability targets.

    ``-(1/B) Σ_i Σ_c targets[i, c] · log softmax(logits[i])[c]``, the same as
    ``F.cross_entropy(logits, targets)`` with probability targets. NaN in
    either input gives a NaN loss, as in torch.
    """
    _check_logits(logits)
    check_tensor(targets, "targets")
    if not targets.is_floating_point():
        raise TypeError(
            f"targets must be float probabilities of shape (B, C), got {targets.dtype}; "
            "for class indices use F.cross_entropy or one_hot(y, num_classes)"
        )
    if targets.shape != logits.shape:
        raise ValueError(
            f"targets have shape {tuple(targets.shape)} but logits have shape "
            f"{tuple(logits.shape)}; expected one probability row per logit row"
        )
    if logits.shape[0] == 0:
        raise ValueError("empty batch: logits and targets hold no samples")
    return _negative_log_likelihood(F.log_softmax(logits, dim=1), targets, per_sample=False)


def _check_logits(logits: object) -> torch.Tensor:
    """``logits`` must be a float tensor of shape (B, C)."""
    logits = check_tensor(logits, "logits")
    if not logits.is_floating_point():
        raise TypeError(f"logits must be a floating-point tensor, got {logits.dtype}")
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (B, C), got {tuple(logits.shape)}")
    return logits


def _as_long_if_integer(y: torch.Tensor) -> torch.Tensor:
    integer = not (y.dtype == torch.long or y.is_floating_point() or y.is_complex() or y.dtype == torch.bool)
    return y.long() if integer else y


def mixup_criterion(
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    pred: torch.Tensor,
    y_a: torch.Tensor,
    y_b: torch.Tensor,
    lam: float | torch.Tensor,
) -> torch.Tensor:
    """The two-term mixup loss ``lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)``.

    With a per-sample ``lam`` of shape (B,), ``criterion`` must return one
    loss per sample (e.g. ``nn.CrossEntropyLoss(reduction="none")``); the
    result then has shape (B,) too, to be reduced with ``.mean()``. Integer
    labels of any dtype reach ``criterion`` as ``torch.long``.
    """
    if not callable(criterion):
        raise TypeError(f"criterion must be a loss function (pred, target) -> loss, got {type(criterion).__name__}")
    check_tensor(pred, "pred")
    y_a, y_b = (_as_long_if_integer(check_tensor(y, name)) for y, name in ((y_a, "y_a"), (y_b, "y_b")))
    check_same_batch(pred, y_a, "pred", "y_a")
    check_same_batch(pred, y_b, "pred", "y_b")
    lam = check_lam(lam, pred.shape[0])
    loss_a = criterion(pred, y_a)
    loss_b = criterion(pred, y_b)
    if isinstance(lam, torch.Tensor):
        if loss_a.shape != lam.shape:
            raise ValueError(
                f"a per-sample lam of shape {tuple(lam.shape)} needs one loss per sample, "
                f"but the criterion returned shape {tuple(loss_a.shape)}; "
                "use a criterion with reduction='none'"
            )
        lam = lam.to(loss_a)
    return lam * loss_a + (1 - lam) * loss_b


def _negative_log_likelihood(
    log_p: torch.Tensor, y: torch.Tensor, per_sample: bool, name: str = "targets"
) -> torch.Tensor:
    """−log p[y] for class indices ``y``, −Σ_c y_c · log p_c for probability rows ``y`` (the cross-entropy against
    them): per sample, or its batch mean. Probability rows must have ``log_p``'s shape, which is checked here because
    ``y * log_p`` would broadcast a (B, 1) column without complaint."""
    if y.is_floating_point():
        if y.shape != log_p.shape:
            raise ValueError(
                f"{name} holds probability rows of shape {tuple(y.shape)} but the logits have shape "
                f"{tuple(log_p.shape)}; expected one row of C probabilities per sample, or class indices (B,)"
            )
        nll = -(y * log_p).sum(dim=1)
        return nll if per_sample else nll.mean()
    return F.nll_loss(log_p, y, reduction="none" if per_sample else "mean")


def mixup_cross_entropy(
    logits: torch.Tensor,
    y_a: torch.Tensor,
    y_b: torch.Tensor,
    lam: float | torch.Tensor,
    *,
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """The mixup loss ``mean(λ·CE(logits, y_a) + (1 − λ)·CE(logits, y_b))``, from one log-softmax.

    With log p = log_softmax(logits), cross-entropy with label smoothing ε is
    CE(y) = (1 − ε)·NLL(y) + ε·mean_c(−log p_c), where NLL(y) = −log p_y for a class index and
    −Σ_c y_c·log p_c for a probability row. The smoothing term does not depend on the label, so

        λ·CE(y_a) + (1 − λ)·CE(y_b) = (1 − ε)·lerp(NLL(y_b), NLL(y_a), λ) + ε·mean_c(−log p_c),

    averaged over the batch. ``lam`` is one number for the batch or a tensor of shape (B,), one per sample;
    labels are class indices of shape (B,) (any integer dtype) or probabilities of shape (B, C). The value is
    ``mixup_criterion(F.cross_entropy, ...)``'s up to rounding, but the softmax is taken once and the loss
    is four autograd nodes instead of eight (ERM's cross-entropy is two). In a training step every small
    operation costs far more than its arithmetic (docs/performance.md), so this, with the checks skipped
    there (``_mixup_cross_entropy``), is what keeps a mixup step within a few per cent of an ERM step.

    A single λ of exactly 1 or 0 gives ``F.cross_entropy`` with y_a or y_b alone, even where the other label's
    logit is −inf. Under autocast, float16 and bfloat16 logits get their softmax in float32, as in
    ``F.cross_entropy``.
    """
    logits = _check_logits(logits)
    if logits.shape[0] == 0:
        raise ValueError("logits is an empty batch; expected at least one sample")
    for y, name in ((y_a, "y_a"), (y_b, "y_b")):
        y = check_labels(y, name)
        check_same_batch(logits, y, "logits", name)
        if not y.is_floating_point():
            check_class_indices(y, name, num_classes=logits.shape[1])
    return _mixup_cross_entropy(
        logits,
        y_a,
        y_b,
        check_lam(lam, logits.shape[0]),
        check_real(label_smoothing, "label_smoothing", low=0.0, high=1.0),
    )


def _log_softmax(logits: torch.Tensor) -> torch.Tensor:
    """log p = log_softmax(logits) over the classes (dimension 1). Under autocast, ``F.cross_entropy`` computes it
    in float32 from float16 or bfloat16 logits, so this does the same there; outside autocast it keeps their dtype,
    as ``F.cross_entropy`` does."""
    if logits.dtype in (torch.float16, torch.bfloat16) and _autocast_on(logits.device.type):
        return F.log_softmax(logits, dim=1, dtype=torch.float32)
    return F.log_softmax(logits, dim=1)


def _autocast_on(device_type: str) -> bool:
    """Whether autocast is on for ``device_type``; False for one that autocast does not know, such as "meta"."""
    try:
        return torch.is_autocast_enabled(device_type)
    except TypeError:  # torch < 2.4 takes no device type: one function for the CPU, one for CUDA
        return torch.is_autocast_cpu_enabled() if device_type == "cpu" else torch.is_autocast_enabled()
    except RuntimeError:  # "unknown device type for autocast"
        return False


def _mixup_cross_entropy(
    logits: torch.Tensor, y_a: torch.Tensor, y_b: torch.Tensor, lam: float | torch.Tensor, label_smoothing: float = 0.0
) -> torch.Tensor:
    """``mixup_cross_entropy`` for arguments already checked, as the package's own mixers return them. It
    skips the checks because in a training step they cost more than the loss's arithmetic."""
    log_p = _log_softmax(logits)
    per_sample = isinstance(lam, torch.Tensor)
    nll_a, nll_b = (
        _negative_log_likelihood(log_p, _as_long_if_integer(y), per_sample, name)
        for y, name in ((y_a, "y_a"), (y_b, "y_b"))
    )
    if isinstance(lam, torch.Tensor):
        loss = torch.lerp(nll_b, nll_a, lam.to(nll_a)).mean()
    elif lam == 1.0 or lam == 0.0:  # one term only: an infinite NLL of the other must not give 0·inf = NaN
        loss = nll_a if lam == 1.0 else nll_b
    else:
        loss = torch.lerp(nll_b, nll_a, lam)
    if label_smoothing > 0:
        loss = (1 - label_smoothing) * loss - label_smoothing * log_p.mean(dim=1).mean()
    return loss


BatchLoss = Callable[[nn.Module, torch.Tensor, torch.Tensor, torch.Generator], torch.Tensor]
Mixer = Callable[..., tuple[torch.Tensor, torch.Tensor, torch.Tensor, "float | torch.Tensor"]]


def _check_mixer(mixer: object, per_sample: bool) -> Mixer:
    """A mixer is called as ``mixer(x, y, alpha, generator=...)`` (with ``per_sample=True`` too, if asked)
    and returns ``(mixed_x, y_a, y_b, lam)``, as ``mixup_data`` and ``cutmix_data`` do."""
    if not callable(mixer):
        raise TypeError(f"mixer must be a function such as mixup_data or cutmix_data, got {type(mixer).__name__}")
    needed = ["generator", "per_sample"] if per_sample else ["generator"]
    try:
        inspect.signature(mixer).bind(None, None, 1.0, **dict.fromkeys(needed))
    except TypeError:
        name = getattr(mixer, "__name__", repr(mixer))
        if per_sample:
            raise ValueError(
                f"per_sample=True needs a mixer that draws one λ per sample, such as mixup_data; {name} takes no "
                "per_sample argument (CutMix pastes one box per batch)"
            ) from None
        raise TypeError(
            f"mixer must take (x, y, alpha, *, generator) and return (mixed_x, y_a, y_b, lam), like mixup_data; "
            f"{name} does not"
        ) from None
    return mixer  # type: ignore[return-value]


def _named(loss: BatchLoss, name: str) -> BatchLoss:
    """Give a batch loss the name that ``fit`` shows on its progress bar."""
    loss.__name__ = loss.__qualname__ = name
    return loss


def mixed_batch_loss(
    alpha: float, *, mixer: Mixer = mixup_data, per_sample: bool = False, label_smoothing: float = 0.0
) -> BatchLoss:
    """The loss of one batch ``(model, x, y, generator) -> loss`` for ``fit(loss=...)``.

    ``alpha = 0``: plain cross-entropy (ERM). Otherwise ``mixer`` (``mixup_data``
    or ``cutmix_data``) mixes the batch and the loss is
    ``mean(λ·CE(f(x̃), y_a) + (1 − λ)·CE(f(x̃), y_b))`` (``mixup_cross_entropy``), with one λ per batch, or
    per sample with ``per_sample=True`` (``mixup_data`` only).
    ``label_smoothing`` ε replaces each one-hot target by (1 − ε)·onehot + ε/C
    in every cross-entropy, ERM's included.
    """
    alpha = check_alpha(alpha)
    per_sample = check_flag(per_sample, "per_sample")
    mixer = _check_mixer(mixer, per_sample)
    # The package's mixers return checked λ and labels of the batch's own form (the loss still checks that
    # probability rows match the logits); another mixer's output is checked in full at every batch.
    cross_entropy = _mixup_cross_entropy if mixer in (mixup_data, cutmix_data) else mixup_cross_entropy
    label_smoothing = check_real(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    options = {"per_sample": True} if per_sample else {}

    def loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if alpha == 0:
            return F.cross_entropy(model(x), y, label_smoothing=label_smoothing)
        mixed, y_a, y_b, lam = mixer(x, y, alpha, generator=generator, **options)
        return cross_entropy(model(mixed), y_a, y_b, lam, label_smoothing=label_smoothing)

    method = "ERM" if alpha == 0 else f"{getattr(mixer, '__name__', 'mixer').removesuffix('_data')} α={alpha:g}"
    details = ", per-sample λ" * per_sample + f", label smoothing {label_smoothing:g}" * (label_smoothing > 0)
    return _named(loss, method + details)


def manifold_mixup_loss(alpha: float, points: list[int] | None = None) -> BatchLoss:
    """A batch loss for ``fit(loss=...)``: mixup of the hidden representation at a split point k.

    For each batch, k is drawn uniformly from ``points`` (default: ``split_points(model)``); the network
    ``f = g_k ∘ h_k`` (its layers from ``network_layers``) then gives
    ``h̃ = λ·h_k(x_i) + (1 − λ)·h_k(x_j)`` and the loss ``λ·CE(g_k(h̃), y_i) + (1 − λ)·CE(g_k(h̃), y_j)``.
    """
    alpha = check_alpha(alpha)
    if points is not None:
        if isinstance(points, (str, bytes)) or not isinstance(points, (list, tuple)):
            raise TypeError(f"points must be a list of split points (ints), got {type(points).__name__}")
        if not points:
            raise ValueError("points is empty; expected at least one split point, e.g. [0]")
        points = [check_int(k, "every split point in points", low=0) for k in points]

    def loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        layers = network_layers(model)
        choices = points if points is not None else split_points(model)
        if max(choices) > len(layers):
            raise ValueError(f"points {choices} go past the model's {len(layers)} layers")
        k = choices[int(torch.randint(len(choices), (), generator=generator, device=generator.device))]
        mixed, y_a, y_b, lam = mixup_data(run_layers(layers[:k], x), y, alpha, generator=generator)
        return _mixup_cross_entropy(run_layers(layers[k:], mixed), y_a, y_b, lam)

    return _named(loss, f"Manifold Mixup α={alpha:g}")


def same_class_partners(y: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """A random permutation ``perm`` of the batch with ``y[perm[i]] == y[i]`` for every ``i``.

    Within each class the images are shuffled uniformly at random, so an image is paired with a random image of
    its own class, or with itself when it is the only one of its class in the batch. Two stable sorts do it
    without a loop over the classes: random keys put each class in a random order, and sorting those orders by
    label lines up two random orders of every class, one against the other.
    """
    y = check_tensor(y, "y")
    if y.ndim != 1:
        raise ValueError(f"y must hold one class index per sample, shape (B,), got {tuple(y.shape)}")
    device = rng_device(generator)

    def random_order_by_class() -> torch.Tensor:
        order = torch.rand(len(y), generator=generator, device=device).to(y.device).argsort()
        return order[y[order].argsort(stable=True)]

    first, second = random_order_by_class(), random_order_by_class()
    perm = torch.empty_like(first)
    perm[first] = second
    return perm


def mixup_ablation_loss(alpha: float, *, same_class: bool = False, mix_labels: bool = True) -> BatchLoss:
    """A batch loss for ``fit(loss=...)``: mixup with one of its parts taken away.

    The two ablations of the paper's Section 3.8 (Zhang et al., ICLR 2018), with one λ ~ Beta(α, α) per batch:

    * ``same_class=True``: each image is mixed with a random image *of its own class* from the batch
      (``same_class_partners``), so both images carry the same label and the target stays one-hot.
    * ``mix_labels=False``: the images are mixed with random partners, as in mixup, but the target is not mixed:
      it is the one-hot label of the image with the larger weight (``y_a`` when λ ≥ 0.5, else ``y_b``).

    With both defaults it is mixup, with the same draws and loss as ``mixed_batch_loss(alpha)``; ``alpha = 0``
    is ERM.
    """
    alpha = check_alpha(alpha)
    same_class, mix_labels = check_flag(same_class, "same_class"), check_flag(mix_labels, "mix_labels")

    def loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        if alpha == 0:
            return F.cross_entropy(model(x), y)
        lam = sample_lambda(alpha, generator)
        if same_class:
            perm = same_class_partners(y, generator)
        else:
            perm = torch.randperm(len(x), generator=generator, device=rng_device(generator)).to(x.device)
        logits = model(_blend(x, perm, lam))
        if mix_labels:
            return _mixup_cross_entropy(logits, y, y[perm], lam)
        return F.cross_entropy(logits, y if lam >= 0.5 else y[perm])

    parts = ", same-class pairs" * same_class + ", inputs only" * (not mix_labels)
    return _named(loss, "ERM" if alpha == 0 else f"mixup α={alpha:g}{parts}")
