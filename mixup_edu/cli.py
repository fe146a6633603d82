"""The command line: ``python -m mixup_edu compare`` and ``python -m mixup_edu bench``.

    python -m mixup_edu compare --alphas 0 1.0 --noise 0.4 --epochs 15 --out results/

prints a table of test accuracy and ECE on stdout, shows progress on stderr,
and writes ``results.json`` and ``comparison.png`` into ``--out``. Every
option and the output folder are checked before the first epoch; a bad one
gets a one-line error and exit code 2. Each file is written whole or not at
all (see ``write_atomically``): the figure first, ``results.json`` last, so an
interrupted or failed run leaves the previous results in place.

    python -m mixup_edu bench --json bench.json

times batch mixing against torchvision and a training step with and without
mixup, on the CPU and, when there is one, on a CUDA GPU.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import torch

from ._checks import check_int
from .bench import PART_SETUPS, STEP_SETUPS
from .data import load_fashion_mnist
from .experiment import Config, format_table, mean_histories, run_comparison
from .plots import plot_history


class _Parser(argparse.ArgumentParser):
    """Report bad arguments in one line, with exit code 2 and no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    defaults = Config()
    parser = _Parser(prog="python -m mixup_edu", description="mixup-edu command line")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    compare = commands.add_parser(
        "compare",
        help="train ERM and mixup on Fashion-MNIST and compare them",
        description="Train the small CNN with ERM (alpha 0) and mixup on Fashion-MNIST, with the same "
        "seed, model, optimiser and budget, and compare test accuracy and calibration (ECE).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    compare.add_argument(
        "--alphas", type=float, nargs="+", default=defaults.alphas, help="distinct mixup alphas to compare; 0 is ERM"
    )
    compare.add_argument("--epochs", type=int, default=defaults.epochs, help="training epochs per run")
    compare.add_argument(
        "--noise",
        type=float,
        default=defaults.noise,
        help="rate of symmetric label noise on the training labels, in [0, 1)",
    )
    compare.add_argument(
        "--seed",
        type=int,
        nargs="+",
        default=defaults.seeds,
        help="one or more distinct seeds; with several, the table shows mean ± std",
    )
    compare.add_argument(
        "--train-size",
        type=int,
        default=defaults.train_size,
        help="number of training images used (at most 10000 from the sample, 60000 with --full)",
    )
    compare.add_argument("--batch-size", type=int, default=defaults.batch_size, help="batch size")
    compare.add_argument(
        "--hidden", type=int, default=defaults.hidden, help="units in the CNN's hidden layer (notebook 04 uses 256)"
    )
    compare.add_argument(
        "--val-size",
        type=int,
        default=defaults.val_size,
        help="clean validation images held out from the end of the training set; with them each run also "
        "reports early stopping and temperature-scaled ECE (notebook 04 uses 1000); 0 for none",
    )
    compare.add_argument("--lr", type=float, default=defaults.lr, help="peak learning rate of the one-cycle schedule")
    compare.add_argument(
        "--device",
        default=defaults.device,
        choices=["auto", "cpu", "cuda"],
        help="where to train; auto picks CUDA when available",
    )
    compare.add_argument(
        "--full",
        action="store_true",
        help="use the full Fashion-MNIST (downloaded by torchvision; needs a network) instead of the bundled sample",
    )
    compare.add_argument(
        "--out",
        type=Path,
        default=Path("mixup-results"),
        help="folder for comparison.png and results.json, created if missing; each file is "
        "replaced whole, never half-written, and results.json last",
    )
    compare.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    bench = commands.add_parser(
        "bench",
        help="time mixing against torchvision and a training step with and without mixup",
        description="Measure, side by side in one run, mixup_edu's batch mixing against "
        "torchvision.transforms.v2.MixUp and a SmallCNN training step with mixup against one without.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    bench.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    bench.add_argument("--repeats", type=int, default=30, help="timed rounds per mixing contender")
    bench.add_argument(
        "--step-repeats",
        type=int,
        default=800,
        help="paired rounds of the mixup step against the ERM step, split evenly over --setups fresh setups "
        "(each part of mixup gets as many rounds per setup, in the first --part-setups of them)",
    )
    bench.add_argument(
        "--setups", type=int, default=STEP_SETUPS, help="fresh setups (batch, model, draws) of the training-step bench"
    )
    bench.add_argument(
        "--part-setups", type=int, default=PART_SETUPS, help="how many of them also time each part of mixup alone"
    )
    return parser


def check_writable(path: Path, option: str) -> None:
    """Refuse, before any work is done, a file ``path`` that could not be written later.

    ``path`` must not be a folder. Missing folders above it are fine (``write_atomically``
    creates them, like ``mkdir -p``), but the nearest one that exists must be a folder that
    accepts a new file. That is tried for real, by creating and removing a temporary file,
    because permission bits do not tell (root ignores them; read-only mounts ignore them).
    Raises ``ValueError`` naming ``option``.
    """
    try:
        if path.is_dir():
            raise ValueError(f"{option} {path} is a folder; expected a file name")
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise ValueError(f"{option}: cannot write {path}, because {folder} is a file, not a folder")
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ValueError(f"{option}: cannot write {path} ({error.strerror or error})") from None


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` whole or not at all.

    ``write(file)`` fills a temporary file in the same folder, which is flushed to disk and then
    renamed over ``path`` with ``os.replace`` (atomic within a file system). If ``write`` fails or is
    interrupted (a full disk, Ctrl-C), ``path`` keeps its previous content and the temporary file is
    removed. Missing folders are created.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; give it a new file's usual mode
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            reason = f"could not write {path}: {error.strerror or error}"
            raise (OSError(error.errno, reason) if error.errno else OSError(reason)) from error
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_full_download() -> None:
    """``--full`` downloads Fashion-MNIST once; fail in one line, before training, when that is impossible."""
    try:
        for train in (True, False):
            load_fashion_mnist(train, full=True)
    except RuntimeError:
        raise ValueError(
            "--full could not download the full Fashion-MNIST (it needs a network once); "
            "drop --full to use the bundled sample"
        ) from None


def compare(args: argparse.Namespace) -> None:
    config = Config(
        alphas=args.alphas,
        epochs=args.epochs,
        noise=args.noise,
        seeds=args.seed,
        train_size=args.train_size,
        batch_size=args.batch_size,
        hidden=args.hidden,
        val_size=args.val_size,
        lr=args.lr,
        device=args.device,
        full=args.full,
    )
    figure_path, results_path = args.out / "comparison.png", args.out / "results.json"
    for path in (figure_path, results_path):
        check_writable(path, "--out")
    if config.full:
        _check_full_download()
    results = run_comparison(config, progress=not args.no_progress)
    print(format_table(results))
    scored = "val" if config.val_size else "test"  # what the histories scored after each epoch
    figure = plot_history(mean_histories(results), ("train_loss", f"{scored}_loss", f"{scored}_accuracy"))
    figure.suptitle(f"ERM vs mixup, noise {config.noise:g}, seeds {config.seeds}", y=1.02)
    write_atomically(figure_path, lambda file: figure.savefig(file, format="png", dpi=120, bbox_inches="tight"))
    write_atomically(results_path, lambda file: file.write(json.dumps(results, indent=1).encode()))
    print(f"wrote {figure_path} and {results_path}")


def bench(args: argparse.Namespace) -> None:
    from .bench import format_report, run_bench
    from .machine import describe

    repeats = check_int(args.repeats, "--repeats", low=1)
    step_repeats = check_int(args.step_repeats, "--step-repeats", low=1)
    setups = check_int(args.setups, "--setups", low=1)
    part_setups = check_int(args.part_setups, "--part-setups", low=1)
    if args.json is not None:
        check_writable(args.json, "--json")
    info = describe()
    print(f"CPU: {info['cpu']} ({info['cpu_threads']} threads), torch {info['torch_version']}", flush=True)
    cpu = run_bench(torch.device("cpu"), repeats, step_repeats, setups, part_setups)
    print(format_report("CPU", cpu), flush=True)
    report = {
        "mixing_time_ratio_vs_torchvision": cpu["mixing_time_ratio_vs_torchvision"],
        "train_step_time_ratio_mixup_vs_erm": cpu["train_step_time_ratio_mixup_vs_erm"],
        **info,
        "cpu_results": cpu,
    }
    if torch.cuda.is_available():
        cuda = run_bench(torch.device("cuda"), repeats, step_repeats, setups, part_setups)
        print(format_report(f"CUDA: {torch.cuda.get_device_name()}", cuda))
        report["cuda"] = {"device": torch.cuda.get_device_name(), **cuda}
    if args.json is not None:
        write_atomically(args.json, lambda file: file.write(json.dumps(report, indent=1).encode()))
        print(f"wrote {args.json}")


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad values exit with code 2, a failed write with 1, Ctrl-C with 130, each in one line."""
    parser = _parser()
    args = parser.parse_args(argv)
    prefix = f"{parser.prog} {args.command}"
    try:
        {"compare": compare, "bench": bench}[args.command](args)
    except (ValueError, RuntimeError) as error:
        parser.exit(2, f"{prefix}: error: {error}\n")
    except OSError as error:
        parser.exit(1, f"{prefix}: error: {error}\n")
    except KeyboardInterrupt:
        parser.exit(130, f"{prefix}: interrupted; no file was left half-written\n")
    return 0
