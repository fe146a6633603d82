"""``python -m mixup_edu bench``: is the teaching code also fast code?

Three ratios, each measured side by side in one run so that it holds on a
noisy, shared machine: the contenders' repetitions are interleaved, each
contender is warmed up first, and medians are compared (for the training
step, the median of ratios taken within each round).

* ``mixing_time_ratio_vs_torchvision``: median time of ``mixup_edu.MixUp``
  and of ``mixup_data``, divided by that of ``torchvision.transforms.v2.MixUp``,
  on batches of 128 × 1×28×28 and 128 × 3×224×224; the worst case is the
  headline. Goal ≤ 1.0.
* ``train_step_time_ratio_mixup_vs_erm``: one training step of ``SmallCNN``
  with mixup against one without, timed in pairs of adjacent steps (see
  ``paired_ratio``), in 100 fresh setups of 8 rounds; the median of the setups'
  ratios (see ``bench_train_step``). Goal ≤ 1.03.
* ``mixing_time_ratio_vs_add_floor``: the same mixing times on the large
  batch, divided by that of ``torch.add(a, b, out=c)`` on tensors of the batch's
  size. Any blend of two batches reads two tensors and writes one, so that
  addition is the memory-bound floor; the ratio says how close mixing comes.

Where a mixup step's extra time goes is measured the same way: each part of
mixup (drawing λ and the partners, blending the batch, the two-term loss) is
added alone to the ERM step, and that step is paired against plain ERM.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable

import torch
from torch import nn

from ._checks import check_int
from .losses import BatchLoss, _mixup_cross_entropy, mixed_batch_loss
from .mixup import MixUp, _blend, _partners, draw_mixup, mixup_data
from .models import SmallCNN

SHAPES = {"128x1x28x28": (128, 1, 28, 28), "128x3x224x224": (128, 3, 224, 224)}
LARGE = "128x3x224x224"  # memory-bound: the floor ratio is read here
TORCHVISION, FLOOR, FRESH = (
    "torchvision.transforms.v2.MixUp",
    "torch.add(a, b, out=c) floor",
    "torch.add(a, b) new tensor",
)
OURS = ("mixup_edu.MixUp", "mixup_edu.mixup_data")
PARTS = ("draw λ and the partners", "blend the batch", "two-term loss")  # of a mixup step, timed one by one
STEP_SETUPS = 100  # fresh setups (batch, model, optimizer, draws) for the headline ratio, mixup against ERM
PART_SETUPS = 25  # the first of them also time each part of mixup alone


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def interleaved_medians(
    contenders: dict[str, Callable[[], object]], device: torch.device, repeats: int, warmup: int = 3
) -> dict[str, float]:
    """Median seconds per call of each contender, timing them in turn, round after round."""
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            _sync(device)
            start = time.perf_counter()
            fn()
            _sync(device)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def mixing_contenders(x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> dict[str, Callable[[], object]]:
    """The batch-mixing implementations to compare, all at α = 1 on the same batch."""
    from torchvision.transforms import v2

    ours = MixUp(alpha=1.0, num_classes=10, generator=generator)
    torchvision_mixup = v2.MixUp(alpha=1.0, num_classes=10)
    contenders = {
        TORCHVISION: lambda: torchvision_mixup(x, y),
        "mixup_edu.MixUp": lambda: ours(x, y),
        "mixup_edu.mixup_data": lambda: mixup_data(x, y, 1.0, generator=generator),
    }
    try:
        from timm.data import Mixup as TimmMixup
    except ImportError:
        return contenders
    timm_mixup = TimmMixup(mixup_alpha=1.0, cutmix_alpha=0.0, label_smoothing=0.0, num_classes=10)
    contenders["timm.data.Mixup"] = lambda: timm_mixup(x.clone(), y)  # timm mixes in place
    return contenders


def additions(x: torch.Tensor) -> dict[str, Callable[[], torch.Tensor]]:
    """``a + b`` with ``a``, ``b`` the size of ``x``: into a preallocated ``c`` (two reads and one write, the
    floor), and into a new tensor, as mixing must return one (the difference is the cost of fresh memory)."""
    partner, out = x.roll(1, 0), torch.empty_like(x)
    return {FLOOR: lambda: torch.add(x, partner, out=out), FRESH: lambda: torch.add(x, partner)}


def bench_mixing(device: torch.device, repeats: int) -> dict[str, dict[str, float]]:
    """Median times (seconds) per batch shape and contender, the addition floor included."""
    results = {}
    generator = torch.Generator(device=device).manual_seed(0)
    for name, shape in SHAPES.items():
        x = torch.rand(shape, generator=generator, device=device)
        y = torch.randint(0, 10, (shape[0],), generator=generator, device=device)
        contenders = {**mixing_contenders(x, y, generator), **additions(x)}
        results[name] = interleaved_medians(contenders, device, repeats)
    return results


def median_interval(values: list[float], z: float = 1.96) -> tuple[float, float]:
    """A distribution-free, approximately 95 % confidence interval for the median of ``values``: the order
    statistics of ranks n/2 ∓ z·√n/2 (the binomial count of values below the median, normal approximation).
    With few values it widens to their whole range."""
    ordered = sorted(values)
    low = max(1, math.floor(len(ordered) / 2 - z * math.sqrt(len(ordered)) / 2))  # a rank, 1-based
    return ordered[low - 1], ordered[len(ordered) - low]


def paired_ratio(
    base: Callable[[], object], other: Callable[[], object], device: torch.device, rounds: int, warmup: int = 5
) -> dict[str, float]:
    """How much longer ``other`` takes than ``base``, from ``rounds`` rounds of adjacent calls.

    Each round times four calls in the order base, other, other, base and gives one ratio,
    (other + other) / (base + base). The statistic is the median of these ratios over rounds, with an
    approximate 95 % confidence interval (``median_interval``). Why, rather than a ratio of two medians:

    * the four calls of a round run back to back, so a slow spell of a shared machine (another process, a
      clock change) slows both contenders of the round alike and cancels in its ratio, whereas each of two
      medians taken over the whole run can come from a round of a different speed;
    * the order ABBA gives both contenders the first and the last place of the round, so a drift within the
      round, or a cost of following the other contender, falls on both alike;
    * the median over rounds ignores the rounds in which a burst of other work hit one contender and not the
      other, which a mean would average in, and it needs no choice of how much to trim.

    Returns the median seconds per call of ``base`` and of ``other``, the median ``ratio``, and ``ratio_low``
    and ``ratio_high``, the bounds of its interval.
    """
    for fn in (base, other):
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {"base": [], "other": []}
    ratios = []
    for _ in range(rounds):
        round_times = {"base": 0.0, "other": 0.0}
        for name, fn in (("base", base), ("other", other), ("other", other), ("base", base)):
            _sync(device)
            start = time.perf_counter()
            fn()
            _sync(device)
            elapsed = time.perf_counter() - start
            times[name].append(elapsed)
            round_times[name] += elapsed
        ratios.append(round_times["other"] / round_times["base"])
    low, high = median_interval(ratios)
    return {
        "base": statistics.median(times["base"]),
        "other": statistics.median(times["other"]),
        "ratio": statistics.median(ratios),
        "ratio_low": low,
        "ratio_high": high,
    }


def usable_cores() -> int | None:
    """The CPU cores this process may run on (its affinity where the platform tells it), or None if unknown."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def load_average() -> float | None:
    """The system's load average over the last minute (runnable threads, this process's included), or None
    where the platform has none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def step_losses(lam: float, perm: torch.Tensor) -> dict[str, BatchLoss]:
    """The batch losses that the training-step bench times: ``"ERM"``, ``"mixup"`` (α = 1, as ``fit`` trains),
    and ERM with one part of mixup added, named as in ``PARTS``:

    * draw λ ~ Beta(1, 1) and a random permutation, then train on the batch as it is;
    * blend the batch with the fixed ``lam`` and ``perm``, λ·x + (1 − λ)·x[perm], and train on it with
      the batch's own labels;
    * train on the batch as it is with the two-term loss λ·CE(f(x), y) + (1 − λ)·CE(f(x), y[perm])
      (``_mixup_cross_entropy``, as ``mixed_batch_loss`` runs it, without the public function's checks).

    Each part runs the package's own code for it, so that its cost can be compared with the whole mixup step's.
    """
    erm = mixed_batch_loss(0.0)

    def draw(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        draw_mixup(x, 1.0, generator=generator)
        return erm(model, x, y, generator)

    def blend(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return erm(model, _blend(x, perm, lam), y, generator)

    def two_term(model: nn.Module, x: torch.Tensor, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return _mixup_cross_entropy(model(x), y, _partners(y, perm), lam)

    return {"ERM": erm, "mixup": mixed_batch_loss(1.0), **dict(zip(PARTS, (draw, blend, two_term), strict=True))}


def training_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss: BatchLoss,
    x: torch.Tensor,
    y: torch.Tensor,
    generator: torch.Generator,
) -> Callable[[], None]:
    """One SGD step of ``model`` on the batch ``(x, y)`` with the batch loss ``loss``, as a call to time."""

    def train_once() -> None:
        value = loss(model, x, y, generator)
        optimizer.zero_grad(set_to_none=True)
        value.backward()
        optimizer.step()

    return train_once


def bench_train_step(
    device: torch.device, repeats: int, setups: int = STEP_SETUPS, part_setups: int = PART_SETUPS
) -> dict:
    """One SmallCNN training step (batch 128) with mixup against one without, and each of mixup's parts alone
    (``step_losses``) against the same ERM step: ``repeats`` rounds of mixup against ERM, split evenly (rounded
    up) over ``setups`` fresh setups, and as many rounds per setup for each part in the first ``part_setups``.

    A setup is a batch, λ and partners drawn from its own seed; each contender's pairing trains a fresh model
    and optimizer from that seed. A pairing can favour one contender by several per cent for as long as it
    lives, far more than its own interval shows (the same seed's setup read 1.09 in one run and 1.01 in the
    next), so many short pairings measure better than a few long ones: the answer is taken across setups.
    The median of 25 setups of 8 rounds still moved by about ±0.01 from run to run, as much as a third of the
    goal's margin, so the headline gets 100 setups; the parts, which only say where the time goes, get 25.
    For each contender it is the median of the setups' paired ratios (``paired_ratio``) with its approximate
    95 % interval (``median_interval`` over the setups). Also returned: every setup's ratio for mixup and their
    median over the setups that timed the parts (to compare with the parts' sum), the
    seconds per step of ERM and of mixup, each the median of the setups' medians in the mixup pairing (taken
    over rounds, so their quotient is not the paired ratio), and the load average before and after.

    The load is recorded because pairing cancels a slow spell but not contention for the cores: when other
    processes keep a core busy, each of the step's parallel operations waits for a descheduled thread, and
    the mixup step, which runs more small operations, slows down more than the ERM step (docs/performance.md).
    """
    setups = check_int(setups, "setups", low=1)
    part_setups = min(check_int(part_setups, "part_setups", low=1), setups)
    rounds = math.ceil(check_int(repeats, "repeats", low=1) / setups)
    load_before = load_average()
    per_setup: dict[str, list[dict[str, float]]] = {name: [] for name in ("mixup", *PARTS)}
    for seed in range(setups):
        generator = torch.Generator(device=device).manual_seed(seed)
        x = torch.rand(128, 1, 28, 28, generator=generator, device=device)
        y = torch.randint(0, 10, (128,), generator=generator, device=device)
        lam, perm = draw_mixup(x, 1.0, generator=generator)
        losses = step_losses(float(lam), perm)
        for name in ("mixup", *PARTS) if seed < part_setups else ("mixup",):
            model = SmallCNN(seed=seed).to(device)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
            erm, other = (training_step(model, optimizer, losses[key], x, y, generator) for key in ("ERM", name))
            per_setup[name].append(paired_ratio(erm, other, device, rounds))

    def across_setups(name: str) -> list[float]:
        ratios = [result["ratio"] for result in per_setup[name]]
        return [statistics.median(ratios), *median_interval(ratios)]

    whole = per_setup["mixup"]
    ratio, *interval = across_setups("mixup")
    setup_ratios = [result["ratio"] for result in whole]
    return {
        "ERM": statistics.median(result["base"] for result in whole),
        "mixup": statistics.median(result["other"] for result in whole),
        "ratio": ratio,
        "ratio_interval": interval,
        "ratio_in_part_setups": statistics.median(setup_ratios[:part_setups]),
        "setup_ratios": setup_ratios,
        "rounds_per_setup": rounds,
        "part_setups": part_setups,
        "parts": {name: across_setups(name) for name in PARTS},
        "load_before": load_before,
        "load_after": load_average(),
    }


def run_bench(
    device: torch.device,
    repeats: int = 30,
    step_repeats: int = 800,
    setups: int = STEP_SETUPS,
    part_setups: int = PART_SETUPS,
) -> dict:
    """Both benchmarks on ``device``, with their ratios (``setups``, ``part_setups``: see ``bench_train_step``)."""
    mixing = bench_mixing(device, repeats)
    ratios = {shape: {name: t / times[TORCHVISION] for name, t in times.items()} for shape, times in mixing.items()}
    floor_ratios = {shape: {name: t / times[FLOOR] for name, t in times.items()} for shape, times in mixing.items()}
    step = bench_train_step(device, step_repeats, setups, part_setups)
    return {
        "mixing_time_ratio_vs_torchvision": max(r[name] for r in ratios.values() for name in OURS),
        "train_step_time_ratio_mixup_vs_erm": step["ratio"],
        "mixing_time_ratio_vs_add_floor": max(floor_ratios[LARGE][name] for name in OURS),
        "mixing_seconds": mixing,
        "mixing_ratios": ratios,
        "mixing_ratios_vs_add_floor": floor_ratios,
        "train_step_seconds": {"ERM": step["ERM"], "mixup": step["mixup"]},
        "train_step_ratio_interval": step["ratio_interval"],
        "train_step_setup_ratios": step["setup_ratios"],
        "train_step_rounds_per_setup": step["rounds_per_setup"],
        "train_step_part_setups": step["part_setups"],
        "train_step_ratio_in_part_setups": step["ratio_in_part_setups"],
        "train_step_parts": step["parts"],
        "train_step_load_average": [step["load_before"], step["load_after"]],
    }


def _percent(fraction: float) -> str:
    """``fraction`` as a signed percentage with one decimal, "+0.0 %" rather than "-0.0 %" for a tiny negative."""
    return f"{round(100 * fraction, 1) + 0.0:+.1f} %"


def format_report(section: str, results: dict) -> str:
    """A readable table of one device's results."""
    lines = [f"== {section} =="]
    for shape, times in results["mixing_seconds"].items():
        lines.append(f"mixing a batch of {shape}:")
        for name, seconds in times.items():
            ratio, floor = results["mixing_ratios"][shape][name], results["mixing_ratios_vs_add_floor"][shape][name]
            lines.append(f"  {name:<34} {1e3 * seconds:9.3f} ms   {ratio:5.2f}× torchvision   {floor:5.2f}× add floor")
    step = results["train_step_seconds"]
    setup_ratios = results["train_step_setup_ratios"]
    low, high = results["train_step_ratio_interval"]
    ratio = results["train_step_time_ratio_mixup_vs_erm"]
    lines.append(
        f"SmallCNN training step, batch 128: ERM {1e3 * step['ERM']:.2f} ms, mixup {1e3 * step['mixup']:.2f} ms "
        "(medians of the setups' medians; the ratios below are taken within rounds)"
    )
    lines.append(
        f"  mixup against ERM in {len(setup_ratios)} setups ({results['train_step_rounds_per_setup']} paired rounds "
        f"each): median {ratio:.3f}, 95 % interval {low:.3f}–{high:.3f}, setups ranged "
        f"{min(setup_ratios):.3f}–{max(setup_ratios):.3f}"
    )
    lines.append(
        f"  each part of mixup alone added to the ERM step, in the first {results['train_step_part_setups']} setups "
        "(median over them, and its 95 % interval):"
    )
    for name, (part, part_low, part_high) in results["train_step_parts"].items():
        lines.append(f"    {name:<26} {part:.3f}  ({part_low:.3f}–{part_high:.3f})")
    extra = sum(part - 1 for part, _, _ in results["train_step_parts"].values())
    lines.append(
        f"    the parts' extra time added up: {_percent(extra)}; the whole mixup step's in the same "
        f"{results['train_step_part_setups']} setups: {_percent(results['train_step_ratio_in_part_setups'] - 1)}"
    )
    loads = " → ".join("n/a" if load is None else f"{load:.2f}" for load in results["train_step_load_average"])
    lines.append(
        f"  load average during the steps: {loads} on {usable_cores()} cores, this run's "
        f"{torch.get_num_threads()} threads included; above the cores, other processes competed, and the ratio "
        "then overstates mixup's cost"
    )
    lines.append(
        f"headline: mixing_time_ratio_vs_torchvision = {results['mixing_time_ratio_vs_torchvision']:.3f} (goal ≤ 1.0)"
    )
    lines.append(
        f"headline: train_step_time_ratio_mixup_vs_erm = {ratio:.3f} "
        f"(goal ≤ 1.03; median over {len(setup_ratios)} setups, 95 % interval {low:.3f}–{high:.3f})"
    )
    lines.append(
        f"headline: mixing_time_ratio_vs_add_floor = {results['mixing_time_ratio_vs_add_floor']:.3f} "
        f"(batch {LARGE}; 1.0 would be a blend as cheap as one addition)"
    )
    return "\n".join(lines)
