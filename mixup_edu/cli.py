"""The command line: ``python -m mixup_edu compare`` and ``python -m mixup_edu bench``.

    python -m mixup_edu compare --alphas 0 1.0 --noise 0.4 --epochs 15 --out results/

prints a table of test accuracy and ECE on stdout, shows progress on stderr,
and writes ``results.json`` and ``comparison.png`` into ``--out``.

    python -m mixup_edu bench --json bench.json

times batch mixing against torchvision and a training step with and without
mixup, on the CPU and, when there is one, on a CUDA GPU.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from .experiment import Config, format_table, mean_histories, run_comparison


class _Parser(argparse.ArgumentParser):
    """Report bad arguments in one line, with exit code 2 and no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    defaults = Config()
    parser = _Parser(prog="python -m mixup_edu", description="mixup-edu command line")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    compare = commands.add_parser(
        "compare", help="train ERM and mixup on Fashion-MNIST and compare them",
        description="Train the small CNN with ERM (alpha 0) and mixup on Fashion-MNIST, with the same "
        "seed, model, optimiser and budget, and compare test accuracy and calibration (ECE).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    compare.add_argument("--alphas", type=float, nargs="+", default=defaults.alphas, help="mixup alphas to compare; 0 is ERM")
    compare.add_argument("--epochs", type=int, default=defaults.epochs, help="training epochs per run")
    compare.add_argument("--noise", type=float, default=defaults.noise, help="rate of symmetric label noise on the training labels, in [0, 1)")
    compare.add_argument("--seed", type=int, nargs="+", default=defaults.seeds, help="one or more seeds; with several, the table shows mean ± std")
    compare.add_argument("--train-size", type=int, default=defaults.train_size, help="number of training images used")
    compare.add_argument("--batch-size", type=int, default=defaults.batch_size, help="batch size")
    compare.add_argument("--lr", type=float, default=defaults.lr, help="peak learning rate of the one-cycle schedule")
    compare.add_argument("--device", default=defaults.device, choices=["auto", "cpu", "cuda"], help="where to train; auto picks CUDA when available")
    compare.add_argument("--full", action="store_true", help="use the full Fashion-MNIST (downloaded by torchvision; needs a network) instead of the bundled sample")
    compare.add_argument("--out", type=Path, default=Path("mixup-results"), help="folder for results.json and comparison.png")
    compare.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    bench = commands.add_parser(
        "bench", help="time mixing against torchvision and a training step with and without mixup",
        description="Measure, side by side in one run, mixup_edu's batch mixing against "
        "torchvision.transforms.v2.MixUp and a SmallCNN training step with mixup against one without.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    bench.add_argument("--json", type=Path, default=None, help="also write the results to this JSON file")
    bench.add_argument("--repeats", type=int, default=30, help="timed rounds per mixing contender")
    bench.add_argument("--step-repeats", type=int, default=200, help="timed rounds per training step")
    return parser


def compare(args: argparse.Namespace) -> None:
    config = Config(
        alphas=args.alphas, epochs=args.epochs, noise=args.noise, seeds=args.seed, train_size=args.train_size,
        batch_size=args.batch_size, lr=args.lr, device=args.device, full=args.full,
    )
    results = run_comparison(config, progress=not args.no_progress)
    print(format_table(results))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    from .plots import plot_history

    figure = plot_history(mean_histories(results), ("train_loss", "test_loss", "test_accuracy"))
    figure.suptitle(f"ERM vs mixup, noise {config.noise:g}, seeds {config.seeds}", y=1.02)
    figure.savefig(args.out / "comparison.png", dpi=120, bbox_inches="tight")
    print(f"wrote {args.out / 'results.json'} and {args.out / 'comparison.png'}")


def bench(args: argparse.Namespace) -> None:
    from .bench import format_report, machine, run_bench

    if args.repeats < 1 or args.step_repeats < 1:
        raise ValueError("--repeats and --step-repeats must be >= 1")
    info = machine()
    print(f"CPU: {info['cpu']} ({info['cpu_threads']} threads), torch {info['torch_version']}", flush=True)
    cpu = run_bench(torch.device("cpu"), args.repeats, args.step_repeats)
    print(format_report("CPU", cpu), flush=True)
    report = {"mixing_time_ratio_vs_torchvision": cpu["mixing_time_ratio_vs_torchvision"],
              "train_step_time_ratio_mixup_vs_erm": cpu["train_step_time_ratio_mixup_vs_erm"],
              **info, "cpu_results": cpu}
    if torch.cuda.is_available():
        cuda = run_bench(torch.device("cuda"), args.repeats, args.step_repeats)
        print(format_report(f"CUDA: {torch.cuda.get_device_name()}", cuda))
        report["cuda"] = {"device": torch.cuda.get_device_name(), **cuda}
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=1))
        print(f"wrote {args.json}")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        {"compare": compare, "bench": bench}[args.command](args)
    except (ValueError, RuntimeError) as error:
        parser.exit(2, f"{parser.prog} {args.command}: error: {error}\n")
    return 0
