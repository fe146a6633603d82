"""Run the notebooks under Binder's limits: a 1-CPU quota and a 2 GB memory limit.

    python scripts/binder_sim.py --out docs/performance.md    # or: make binder-perf

mybinder.org gives each user about 1 CPU and 2 GB, enforced by cgroups: a CFS
quota on CPU time and a memory limit, while every core of the host stays
visible. This script makes such a cgroup (v1 or v2; it needs root and a
writable /sys/fs/cgroup) and measures, inside it:

1. every notebook's full-mode wall time and the kernel's peak memory, started
   through ``binder/start`` as on Binder, which sizes the thread pools to the quota;
2. one SmallCNN training step with 1, 2, 4 and 8 PyTorch threads, side by side
   with the same steps outside the cgroup, to show what a thread pool sized to
   the host's cores costs under the quota.

Both tables are written between markers in ``--out``; the cgroup is removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from mixup_edu.machine import describe

from perf_notebooks import measure, replace_section
from repo_paths import ROOT, course_notebooks

CGROUP = Path("/sys/fs/cgroup")
NAME = "mixup-edu-binder"
CPUS, MEMORY_BYTES = 1, 2 * 1024**3
PERIOD_US = 100_000
START, END = "<!-- binder: start -->", "<!-- binder: end -->"
STEP = """
import sys, time, torch
from mixup_edu import SmallCNN
from mixup_edu.losses import mixed_batch_loss
torch.set_num_threads(int(sys.argv[1]))
generator = torch.Generator().manual_seed(0)
x, y = torch.rand(128, 1, 28, 28, generator=generator), torch.randint(0, 10, (128,), generator=generator)
model = SmallCNN(seed=0)
optimizer, loss_fn = torch.optim.SGD(model.parameters(), lr=0.01), mixed_batch_loss(0.0)
def step():
    optimizer.zero_grad(set_to_none=True)
    loss_fn(model, x, y, generator).backward()
    optimizer.step()
for _ in range(5):
    step()
start = time.perf_counter()
for _ in range(int(sys.argv[2])):
    step()
print((time.perf_counter() - start) / int(sys.argv[2]))
"""


@contextlib.contextmanager
def binder_cgroup() -> Iterator[list[Path]]:
    """A cgroup limited to CPUS and MEMORY_BYTES, removed on exit; yields the cgroup.procs files to join."""
    folders: list[Path] = []
    try:
        if (CGROUP / "cgroup.controllers").exists():  # cgroup v2
            (CGROUP / "cgroup.subtree_control").write_text("+cpu +memory")
            folder = CGROUP / NAME
            folder.mkdir(exist_ok=True)
            folders.append(folder)
            (folder / "cpu.max").write_text(f"{CPUS * PERIOD_US} {PERIOD_US}")
            (folder / "memory.max").write_text(str(MEMORY_BYTES))
            (folder / "memory.swap.max").write_text("0")
        else:  # cgroup v1
            cpu, memory = CGROUP / "cpu" / NAME, CGROUP / "memory" / NAME
            for folder in (cpu, memory):
                folder.mkdir(exist_ok=True)
                folders.append(folder)
            (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(CPUS * PERIOD_US))
            (memory / "memory.limit_in_bytes").write_text(str(MEMORY_BYTES))
    except OSError as error:
        _remove(folders)
        sys.exit(f"cannot make a cgroup with Binder's limits ({error}); run as root on Linux with cgroups mounted rw")
    try:
        yield [folder / "cgroup.procs" for folder in folders]
    finally:
        _remove(folders)


def _remove(folders: list[Path]) -> None:
    """Remove cgroups whose processes have all exited (rmdir is how a cgroup is deleted)."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def joiner(procs: list[Path]) -> Callable[[], None]:
    """A preexec_fn that moves the child into the cgroup before it runs anything."""

    def join() -> None:
        for path in procs:
            path.write_text(str(os.getpid()))

    return join


def notebook_rows(join: Callable[[], None]) -> list[str]:
    rows = []
    for path in course_notebooks():
        try:
            result = measure(path, fast=False, preexec_fn=join, launcher=[str(ROOT / "binder" / "start")])
            row = f"| {path.stem} | {result['wall_s']:.0f} s | {result['peak_mb']:.0f} MB |"
        except subprocess.CalledProcessError as error:
            row = f"| {path.stem} | failed (exit {error.returncode}) | — |"
        print(row, flush=True)
        rows.append(row)
    return rows


def thread_rows(join: Callable[[], None], rounds: int = 3, steps: int = 60) -> list[str]:
    """Mean time per step over ``steps`` consecutive steps, which span many quota periods (a single step's
    time hides the throttling that follows it), under the quota and without it; median over rounds, every
    thread count and setting taking turns."""
    counts, settings = (1, 2, 4, 8), {"quota": join, "free": None}
    times: dict[tuple[int, str], list[float]] = {(n, s): [] for n in counts for s in settings}
    for _ in range(rounds):
        for (n, setting), values in times.items():
            out = subprocess.run(
                [sys.executable, "-c", STEP, str(n), str(steps)],
                capture_output=True,
                text=True,
                check=True,
                preexec_fn=settings[setting],
            )
            values.append(float(out.stdout.strip().splitlines()[-1]))
    median = {key: statistics.median(values) for key, values in times.items()}
    rows = []
    for n in counts:
        quota, free = median[n, "quota"], median[n, "free"]
        rows.append(
            f"| {n} | {1e3 * quota:.1f} ms | {quota / median[1, 'quota']:.2f}× "
            f"| {1e3 * free:.1f} ms | {free / median[1, 'free']:.2f}× |"
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--skip-notebooks", action="store_true", help="only the thread-count table")
    args = parser.parse_args()
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # binder/start's python
    with binder_cgroup() as procs:
        join = joiner(procs)
        threads = thread_rows(join)
        notebooks = [] if args.skip_notebooks else notebook_rows(join)
    body = [
        (
            f"Measured with `python scripts/binder_sim.py` on {describe()['cpu']}, {os.cpu_count()} cores visible, "
            f"inside a cgroup limited to {CPUS} CPU and {MEMORY_BYTES // 1024**3} GB, {time.strftime('%Y-%m-%d')}."
        ),
        "",
        (
            "One SmallCNN training step (batch 128, no mixup) by PyTorch thread count, under the 1-CPU quota and, "
            "for comparison, with no limit on the same machine:"
        ),
        "",
        "| threads | step, 1-CPU quota | vs 1 thread | step, no quota | vs 1 thread |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *threads,
    ]
    if notebooks:
        body += [
            "",
            "Every notebook in full mode under the same limits, threads as `binder/start` sets them:",
            "",
            "| notebook | full mode, 1 CPU | peak memory |",
            "| --- | ---: | ---: |",
            *notebooks,
        ]
    replace_section(args.out, START, END, "\n".join(body))


if __name__ == "__main__":
    main()
