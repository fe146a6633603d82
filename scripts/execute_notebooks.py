"""Execute notebooks top to bottom in full mode and store their outputs.

The stored outputs are what GitHub and nbviewer show and what nbval compares
against, so they must come from a clean run with default settings:

    python scripts/execute_notebooks.py notebooks/*.ipynb

``MIXUP_EDU_FAST`` is removed from the kernel's environment, and
``OMP_NUM_THREADS`` is set to 1: the stored outputs come from one PyTorch
thread, as on Binder's 1-CPU quota. Another thread count sums the
convolutions in another order, so training results differ in their last bits
and, after many steps, in printed digits (notebook 04's seed 0 reads 83.0 %
instead of 83.2 % at two threads). Each notebook's wall time is printed.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed per cell (default: 900)")
    args = parser.parse_args()
    os.environ.pop("MIXUP_EDU_FAST", None)
    os.environ["OMP_NUM_THREADS"] = "1"  # the kernels inherit it; see the module docstring
    for path in args.notebooks:
        print(f"{path}: {execute(path, args.timeout):.0f} s", flush=True)


if __name__ == "__main__":
    main()
