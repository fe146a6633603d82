"""Measure every notebook's wall time and peak memory, in full and in fast mode.

    python scripts/perf_notebooks.py --out docs/performance.md   # or: make perf

Each notebook runs in a fresh child process (so the numbers do not mix)
that executes it with nbclient without saving. The kernel's peak resident
memory is read from ``getrusage(RUSAGE_CHILDREN)`` in that process once the
kernel has exited. The table is written between markers in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mixup_edu.machine import describe

from repo_paths import ROOT, course_notebooks

START, END = "<!-- notebook budget: start -->", "<!-- notebook budget: end -->"
BUDGET_S = {"04": 360}  # notebook 04 may take 6 minutes; every other one 2


def measure_one(path: Path) -> None:
    """Child mode: execute one notebook, print wall seconds and the kernel's peak RSS (MB) as JSON."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=1200, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"wall_s": wall, "peak_mb": peak_kb / 1024}))


def measure(
    path: Path, fast: bool, preexec_fn: Callable[[], None] | None = None, launcher: list[str] | None = None
) -> dict:
    """Execute ``path`` in a child process (started after ``preexec_fn``, through ``launcher`` such as
    ``binder/start``) and return its wall time and peak memory."""
    env = {k: v for k, v in os.environ.items() if k != "MIXUP_EDU_FAST"}
    if fast:
        env["MIXUP_EDU_FAST"] = "1"
    out = subprocess.run(
        [*(launcher or []), sys.executable, __file__, "--one", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=preexec_fn,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def replace_section(out: Path, start: str, end: str, body: str) -> None:
    """Write ``body`` between the ``start`` and ``end`` markers of ``out``."""
    text = out.read_text()
    head, tail = text.split(start)[0], text.split(end)[1]
    out.write_text(f"{head}{start}\n{body}\n{end}{tail}")


def table(rows: list[tuple[str, dict, dict]]) -> str:
    lines = [
        f"Measured on {describe()['cpu']}, {os.cpu_count()} CPU cores, {time.strftime('%Y-%m-%d')}.",
        "",
        "| notebook | full mode | fast mode (CI) | peak memory (full) | budget (full) |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name, full, fast in rows:
        budget = BUDGET_S.get(name[:2], 120)
        ok = "within" if full["wall_s"] <= budget and full["peak_mb"] <= 1536 else "**over**"
        lines.append(
            f"| {name} | {full['wall_s']:.0f} s | {fast['wall_s']:.0f} s | {full['peak_mb']:.0f} MB | {ok} ({budget // 60} min, 1.5 GB) |"
        )
    total_fast = sum(fast["wall_s"] for _, _, fast in rows)
    lines += ["", f"All notebooks in fast mode: {total_fast:.0f} s (budget: 6 minutes)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    if args.one:
        return measure_one(args.one)
    paths = args.notebooks or course_notebooks()
    rows = []
    for path in paths:
        full, fast = measure(path, fast=False), measure(path, fast=True)
        print(
            f"{path.name}: full {full['wall_s']:.0f} s, fast {fast['wall_s']:.0f} s, peak {full['peak_mb']:.0f} MB",
            flush=True,
        )
        rows.append((path.stem, full, fast))
    replace_section(args.out, START, END, table(rows))


if __name__ == "__main__":
    main()
