"""The mixing maths of mixup (Zhang et al., "mixup: Beyond Empirical Risk
Minimization", ICLR 2018).

Training pairs are replaced by convex combinations of two samples::

    x̃ = λ · x_i + (1 − λ) · x_j
    ỹ = λ · y_i + (1 − λ) · y_j          (y one-hot)
    λ ~ Beta(α, α)

As in the paper's official code, one λ is drawn per batch and the partner
``j`` of each sample ``i`` comes from a random permutation of the same batch.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import torch
from torch.utils.data import default_collate, get_worker_info

from ._checks import (
    check_alpha,
    check_batch,
    check_class_indices,
    check_flag,
    check_generator,
    check_images,
    check_int,
    check_lam,
    check_num_classes,
    check_permutation,
    check_same_batch,
)
from ._random import TINY, gamma_and_uniform, rng_device
from .targets import _one_hot


def _check_shape(shape: object) -> tuple[int, ...]:
    if not isinstance(shape, (tuple, list, torch.Size)):
        raise TypeError(f"shape must be a tuple of ints such as (n,), got {type(shape).__name__} {shape!r}")
    return tuple(check_int(n, "shape entries", low=0) for n in shape)


def sample_beta(alpha: float, shape: tuple[int, ...] = (), generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw λ ~ Beta(α, α) for α > 0, as a float64 tensor of ``shape``.

    λ = G₁ / (G₁ + G₂) with G₁, G₂ ~ Gamma(α, 1) independent, written as
    λ = sigmoid(log G₁ − log G₂). For small α a Gamma(α) draw can underflow
    to 0, so each log G is computed as log G' + log(U) / α with
    G' ~ Gamma(α + 1) and U ~ Uniform(0, 1) (Marsaglia & Tsang, 2000).
    """
    alpha = check_alpha(alpha)
    if alpha == 0:
        raise ValueError("Beta(0, 0) is not a distribution; sample_lambda handles alpha = 0")
    gamma, uniform = gamma_and_uniform(alpha, _check_shape(shape), check_generator(generator))
    log_gamma, log_uniform = gamma.log(), uniform.clamp_min_(TINY).log()
    # Subtract before dividing by α, so a tiny α gives ±inf (λ = 0 or 1), not inf − inf.
    return torch.sigmoid((log_gamma[0] - log_gamma[1]) + (log_uniform[0] - log_uniform[1]) / alpha)


def sample_lambda(alpha: float, generator: torch.Generator | None = None) -> float:
    """Draw one mixing weight λ ~ Beta(α, α).

    ``alpha == 0`` returns 1.0: every sample keeps its own input and label,
    which is plain empirical risk minimisation (ERM).
    """
    return _sample_lambda(check_alpha(alpha), check_generator(generator))


def _sample_lambda(alpha: float, generator: torch.Generator | None) -> float:
    """``sample_lambda`` for arguments already checked, as the package's mixers call it at every batch."""
    if alpha == 0:
        return 1.0
    # sample_beta's formula on the same draws, so the result equals float(sample_beta(alpha, (), generator));
    # plain Python arithmetic on four numbers is several times faster than tensor ops on them.
    gamma, uniform = gamma_and_uniform(alpha, (), generator)
    (g1, g2), (u1, u2) = gamma.tolist(), uniform.tolist()
    log_ratio = math.log(g1 / g2) + math.log(max(u1, TINY) / max(u2, TINY)) / alpha
    if log_ratio >= 0:  # a sigmoid that cannot overflow
        return 1.0 / (1.0 + math.exp(-log_ratio))
    return math.exp(log_ratio) / (1.0 + math.exp(log_ratio))


class MixupParams(NamedTuple):
    """What mixing a batch draws: the weight λ (one float, or a tensor of one per sample) and the partners
    ``perm``, sample i being blended with sample ``perm[i]``."""

    lam: float | torch.Tensor
    perm: torch.Tensor


def draw_mixup(
    x: torch.Tensor, alpha: float, *, per_sample: bool = False, generator: torch.Generator | None = None
) -> MixupParams:
    """Draw λ ~ Beta(α, α) (once, or per sample) and a random permutation of the batch ``x``.

    ``alpha`` is assumed checked. α = 0 gives λ = 1: nothing is blended.
    """
    batch_size = x.shape[0]
    lam: float | torch.Tensor
    if not per_sample:
        lam = _sample_lambda(alpha, generator)
    elif alpha == 0:
        lam = torch.ones(batch_size, dtype=x.dtype, device=x.device)
    else:
        lam = sample_beta(alpha, (batch_size,), generator).to(dtype=x.dtype, device=x.device)
    perm = torch.randperm(batch_size, generator=generator, device=rng_device(generator))
    return MixupParams(lam, perm.to(x.device))


def mix(x: torch.Tensor, perm: torch.Tensor, lam: float | torch.Tensor) -> torch.Tensor:
    """Return ``lam * x + (1 - lam) * x[perm]`` as a new tensor.

    ``perm`` is a permutation of the batch, ``x[i]``'s partner being
    ``x[perm[i]]``. ``lam`` is one number in [0, 1] for the whole batch or a
    tensor of shape (B,), one weight per sample. A number λ = 1 returns a
    copy of ``x`` and λ = 0 returns ``x[perm]``, exactly, even where values
    are ±inf. ``x`` itself is never modified.
    """
    x = check_images(x)
    return _blend(x, check_permutation(perm, x.shape[0]).to(x.device), check_lam(lam, x.shape[0]))


def _partners(x: torch.Tensor, perm: torch.Tensor) -> torch.Tensor:
    """``x[perm]``, a new tensor. On a contiguous ``x`` this is ``index_select``, which copies whole rows: the
    same values as ``x[perm]`` in about a quarter of the time on a batch of 128 small images. Any other layout
    (``channels_last``, a transposed view) keeps ``x[perm]``, which returns it in ``x``'s own layout and is the
    faster of the two there. ``perm`` must be on ``x``'s device."""
    return x.index_select(0, perm) if x.is_contiguous() else x[perm]


def _blend(x: torch.Tensor, perm: torch.Tensor, lam: float | torch.Tensor) -> torch.Tensor:
    """``mix`` for arguments already checked: ``x[perm].lerp_(x, lam)``.

    lerp(a, b, λ) = a + λ·(b − a) = λ·b + (1 − λ)·a: one gather into a fresh
    tensor (``_partners``), then one in-place pass. A float λ of 1 or 0 is
    not blended at all, so an inf partner cannot turn a sample into NaN
    through 0·inf.
    """
    if isinstance(lam, torch.Tensor):
        lam = lam.to(dtype=x.dtype, device=x.device).reshape(-1, *([1] * (x.ndim - 1)))
    elif lam == 1.0:
        return x.clone()
    elif lam == 0.0:
        return _partners(x, perm)
    return _partners(x, perm).lerp_(x, lam)


def mixup_data(
    x: torch.Tensor,
    y: torch.Tensor,
    alpha: float = 1.0,
    *,
    per_sample: bool = False,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float | torch.Tensor]:
    """Mix a batch with a shuffled copy of itself.

    ``mixed_x = lam * x + (1 - lam) * x[perm]``, ``y_a = y``, ``y_b = y[perm]``,
    with ``perm`` a random permutation of the batch and λ ~ Beta(α, α): one
    float per batch, or with ``per_sample=True`` a tensor of shape (B,).

    ``y`` holds class indices of shape (B,) or float targets of shape (B, C);
    the loss is then ``mixup_criterion(criterion, pred, y_a, y_b, lam)``.
    Returns ``(mixed_x, y_a, y_b, lam)``; ``x`` and ``y`` are not modified.
    ``alpha = 0`` returns a copy of ``x`` (λ = 1, nothing blended).
    """
    x, y = check_batch(x, y)
    alpha = check_alpha(alpha)
    lam, perm = draw_mixup(
        x, alpha, per_sample=check_flag(per_sample, "per_sample"), generator=check_generator(generator)
    )
    mixed = x.clone() if alpha == 0 else _blend(x, perm, lam)
    return mixed, y, _partners(y, perm.to(y.device)), lam


class MixUp:
    """Batch transform ``(images, labels) -> (mixed_images, soft_labels)``.

    The same convention as ``torchvision.transforms.v2.MixUp``: integer labels
    of shape (B,) go in, float targets of shape (B, C) come out, with
    ``soft_labels = lam * one_hot(y) + (1 - lam) * one_hot(y[perm])``. Train
    on them with ``soft_cross_entropy``.

    Use it after batching, as the ``DataLoader``'s collate function::

        loader = DataLoader(dataset, batch_size=128, shuffle=True, num_workers=2,
                            collate_fn=mixup.collate, generator=torch.Generator().manual_seed(0))

    ``mixup.collate`` is ``mixup(*default_collate(batch))``. A lambda such as
    ``collate_fn=lambda b: mixup(*default_collate(b))`` works too, but only
    with workers started by fork: spawn and forkserver (the default on
    Windows and macOS, and on Linux from Python 3.14) pickle the collate
    function for each worker, and a lambda cannot be pickled. The bound
    method ``mixup.collate`` can, as can any function defined at the top
    level of a module.

    Worker processes: every ``DataLoader`` worker gets a copy of this object,
    and so of ``generator``. So that copies do not repeat each other's draws,
    inside a worker the draws come from a generator seeded by both
    ``generator``'s state and the worker's seed (``get_worker_info().seed``),
    which the ``DataLoader`` derives afresh for every epoch from its own
    ``generator`` (or from the global RNG). Every batch is then mixed afresh,
    and a run is reproducible when both generators are seeded. With
    ``num_workers=0`` the draws come from ``generator`` itself.

    On a GPU batch, prefer a CPU ``generator``: λ and the permutation are a few
    numbers, and drawing them on the GPU makes each call wait for it
    (docs/performance.md measured 1.4 to 1.5 times the time on an H200).
    """

    def __init__(
        self,
        *args: object,
        alpha: float = 1.0,
        num_classes: int | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        if args:  # keyword-only, as torchvision's MixUp; say so rather than count positional arguments
            raise TypeError(
                f"MixUp takes keyword arguments only, got {len(args)} positional ({', '.join(map(repr, args))}); "
                "write MixUp(alpha=..., num_classes=...)"
            )
        self.alpha = check_alpha(alpha)
        self.num_classes = check_num_classes(num_classes)
        self.generator = check_generator(generator)
        self._worker_rng: tuple[int, torch.Generator] | None = None  # (worker seed, its generator)

    def __call__(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        images = check_images(images, "images")
        targets = _one_hot(check_class_indices(labels, "labels", self.num_classes), self.num_classes, images.dtype)
        check_same_batch(images, labels, "images", "labels")
        lam, perm = draw_mixup(images, self.alpha, generator=self._draw_generator())
        # the same λ and partners for the one-hot labels: λ·onehot(y) + (1 − λ)·onehot(y[perm])
        return _blend(images, perm, lam), _blend(targets, perm.to(targets.device), lam)

    def collate(self, batch: list) -> tuple[torch.Tensor, torch.Tensor]:
        """A ``collate_fn`` for ``DataLoader``: ``self(*default_collate(batch))``; it pickles, unlike a lambda."""
        if not isinstance(batch, (list, tuple)):
            raise TypeError(f"batch must be a list of (image, label) samples, got {type(batch).__name__}")
        images, labels = default_collate(batch)
        return self(images, labels)

    def _draw_generator(self) -> torch.Generator | None:
        """``generator``, or inside a DataLoader worker, one generator of that worker's own, kept for its life."""
        worker = get_worker_info()
        if worker is None or self.generator is None:  # None: the worker's global RNG is seeded per worker already
            return self.generator
        if self._worker_rng is None or self._worker_rng[0] != worker.seed:
            device = self.generator.device
            own = int(torch.randint(2**62, (), generator=self.generator, device=device))
            # torch seeds from the low 32 bits only: hash both numbers into all 64 bits
            seed = int(np.random.SeedSequence([own, worker.seed]).generate_state(1, np.uint64)[0])
            self._worker_rng = (worker.seed, torch.Generator(device).manual_seed(seed))
        return self._worker_rng[1]

    def __getstate__(self) -> dict:
        # Pickled for a spawned worker, a torch.Generator would travel as a temporary state tensor in shared
        # memory, freed before the worker maps it (the worker dies); send its state as plain bytes instead.
        state = dict(self.__dict__, _worker_rng=None)
        if self.generator is not None:
            state["generator"] = (str(self.generator.device), self.generator.get_state().numpy().tobytes())
        return state

    def __setstate__(self, state: dict) -> None:
        if state["generator"] is not None:
            device, rng_state = state["generator"]
            rng = torch.frombuffer(bytearray(rng_state), dtype=torch.uint8)
            state["generator"] = torch.Generator(device).set_state(rng)
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"MixUp(alpha={self.alpha}, num_classes={self.num_classes})"
