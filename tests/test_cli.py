"""``python -m mixup_edu``: bad values are refused before any training, and results are never half-written."""

import errno
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.figure
import pytest
import torch
import torchvision.datasets

import mixup_edu.bench
import mixup_edu.cli
import mixup_edu.experiment
from mixup_edu.cli import main
from mixup_edu.experiment import Config, run_comparison

TINY = ["--epochs", "1", "--train-size", "100", "--batch-size", "50", "--device", "cpu", "--no-progress"]


@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if any training or benchmarking starts."""

    def started(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")

    monkeypatch.setattr(mixup_edu.experiment, "fit", started)
    monkeypatch.setattr(mixup_edu.bench, "run_bench", started)


def run_main(argv: list[str], capsys) -> tuple[int, str]:
    """Exit code and stderr of ``main(argv)``."""
    try:
        code = main(argv)
    except SystemExit as exit_info:
        code = exit_info.code
    except KeyboardInterrupt:  # would stop the whole test session
        pytest.fail("KeyboardInterrupt escaped main()")
    return code, capsys.readouterr().err


def assert_one_line_error(code: int, err: str, fragment: str, expected_code: int = 2) -> None:
    assert code == expected_code, err
    assert fragment in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["compare", "--out", "{tmp}/a_file"], "a_file is a file, not a folder"),
        (["compare", "--out", "{tmp}/a_file/sub"], "a_file is a file, not a folder"),
        (["compare", "--alphas", "0", "inf"], "alpha"),
        (["compare", "--alphas", "0", "nan"], "alpha"),
        (["compare", "--alphas", "-1"], "alpha"),
        (["compare", "--alphas", "x"], "invalid float value"),
        (["compare", "--alphas", "0", "0"], "alphas holds 0 more than once"),
        (["compare", "--alphas", "0", "1", "1.0"], "alphas holds 1 more than once"),
        (["compare", "--seed", "0", "0"], "seeds holds 0 more than once"),
        (["compare", "--seed", "-1"], "seed"),
        (["compare", "--lr", "nan"], "lr"),
        (["compare", "--lr", "inf"], "lr"),
        (["compare", "--lr", "0"], "lr"),
        (["compare", "--lr", "-0.1"], "lr"),
        (["compare", "--epochs", "0"], "epochs"),
        (["compare", "--epochs", "-3"], "epochs"),
        (["compare", "--epochs", "2.5"], "invalid int value"),
        (["compare", "--batch-size", "0"], "batch_size"),
        (["compare", "--train-size", "0"], "train_size"),
        (["compare", "--train-size", "20000"], "holds only 10000 training images"),
        (["compare", "--noise", "1"], "noise"),
        (["compare", "--noise", "-0.1"], "noise"),
        (["compare", "--noise", "nan"], "noise"),
        (["compare", "--device", "tpu"], "invalid choice"),
        (["compare", "--hidden", "0"], "hidden"),
        (["compare", "--val-size", "-1"], "val_size"),
        (["compare", "--val-size", "9950"], "besides the val_size = 9950 validation images"),
        (["bench", "--json", "{tmp}"], "is a folder"),
        (["bench", "--json", "{tmp}/a_file/b.json"], "a_file is a file, not a folder"),
        (["bench", "--repeats", "0"], "--repeats"),
        (["bench", "--step-repeats", "-1"], "--step-repeats"),
        (["bench", "--setups", "0"], "--setups"),
        (["bench", "--part-setups", "0"], "--part-setups"),
    ],
)
def test_bad_values_get_one_line_and_exit_2_before_training(args, fragment, tmp_path, capsys, no_training):
    (tmp_path / "a_file").write_text("not a folder")
    argv = [arg.format(tmp=tmp_path) for arg in args]
    if argv[0] == "compare":
        argv[1:1] = [*TINY, "--out", str(tmp_path / "out")]
    assert_one_line_error(*run_main(argv, capsys), fragment)
    assert not (tmp_path / "out").exists()


NEEDS_PROC = pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")


def _unwritable_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return folder
    folder.chmod(0o755)
    pytest.skip("this user can write into a read-only folder (root)")


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda tmp: Path("/proc"), id="proc-refuses-new-files-even-for-root", marks=NEEDS_PROC),
        pytest.param(lambda tmp: Path("/proc/mixup-edu/results"), id="missing-folder-that-cannot-be-made",
                     marks=NEEDS_PROC),
        pytest.param(_unwritable_folder, id="read-only-folder"),
    ],
)
@pytest.mark.parametrize("command", ["compare", "bench"])
def test_an_unwritable_folder_is_refused_before_training(where, command, tmp_path, capsys, no_training):
    folder = where(tmp_path)
    option = ["--out", str(folder), *TINY] if command == "compare" else ["--json", str(folder / "b.json")]
    try:
        assert_one_line_error(*run_main([command, *option], capsys), "cannot write")
    finally:
        if folder.is_relative_to(tmp_path):
            folder.chmod(0o755)


def test_full_without_network_says_to_drop_full(monkeypatch, tmp_path, capsys, no_training):
    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried http://example/, got:\n"
                           "<urlopen error [Errno -2] Name or service not known>\n")

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", offline)  # no real download in a test
    assert_one_line_error(*run_main(["compare", *TINY, "--full", "--out", str(tmp_path)], capsys), "drop --full")


def test_cuda_without_gpu(monkeypatch, tmp_path, capsys, no_training):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert_one_line_error(*run_main(["compare", "--device", "cuda", "--out", str(tmp_path)], capsys), "no CUDA GPU")


def test_writes_results_and_figure_into_new_folders(tmp_path, capsys):
    out = tmp_path / "new" / "deep"
    assert main(["compare", "--alphas", "0", "1", *TINY, "--out", str(out)]) == 0
    assert "test accuracy" in capsys.readouterr().out
    results = json.loads((out / "results.json").read_text())
    assert [r["alpha"] for r in results["runs"]] == [0.0, 1.0] and results["config"]["train_size"] == 100
    assert (out / "comparison.png").stat().st_size > 10_000
    assert sorted(os.listdir(out)) == ["comparison.png", "results.json"]


def test_hidden_and_a_validation_split_reach_the_runs_the_table_and_the_figure(tmp_path, capsys, monkeypatch):
    plotted = []
    plot_history = mixup_edu.cli.plot_history
    def recording_plot_history(histories, metrics):
        plotted.append(metrics)
        return plot_history(histories, metrics)

    monkeypatch.setattr(mixup_edu.cli, "plot_history", recording_plot_history)
    out = tmp_path / "out"
    assert main(["compare", "--alphas", "0", "1", *TINY, "--hidden", "16", "--val-size", "50", "--out", str(out)]) == 0
    table = capsys.readouterr().out
    assert "early-stopped acc." in table and "ECE, T-scaled" in table
    results = json.loads((out / "results.json").read_text())
    assert (results["config"]["hidden"], results["config"]["val_size"]) == (16, 50)
    assert all("early_stopped_accuracy" in run for run in results["runs"])
    assert plotted == [("train_loss", "val_loss", "val_accuracy")]  # the histories scored the validation split


@pytest.fixture(scope="module")
def tiny_results():
    return run_comparison(Config(alphas=[0.0], epochs=1, train_size=100, batch_size=50, device="cpu"), progress=False)


def _fail_writing_the_figure(error: BaseException):
    def savefig(self, target, *args, **kwargs):
        target.write(b"half a png") if hasattr(target, "write") else Path(target).write_bytes(b"half a png")
        raise error

    return matplotlib.figure.Figure, "savefig", savefig


def _fail_putting_results_in_place(error: BaseException):
    replace = os.replace

    def failing_replace(source, destination):
        if Path(destination).name == "results.json":
            raise error
        replace(source, destination)

    return os, "replace", failing_replace


@pytest.mark.parametrize(
    "failure, figure_kept, code",
    [
        (_fail_writing_the_figure(OSError(errno.ENOSPC, "No space left on device")), True, 1),
        (_fail_writing_the_figure(KeyboardInterrupt()), True, 130),
        (_fail_putting_results_in_place(OSError(errno.ENOSPC, "No space left on device")), False, 1),
        (_fail_putting_results_in_place(KeyboardInterrupt()), False, 130),
    ],
    ids=["disk-full-in-figure", "ctrl-c-in-figure", "disk-full-at-results", "ctrl-c-between-figure-and-results"],
)
def test_a_failed_or_interrupted_run_keeps_the_previous_results(
    failure, figure_kept, code, tiny_results, tmp_path, monkeypatch, capsys
):
    previous = {"results.json": b'{"runs": [], "config": {}}', "comparison.png": b"previous figure"}
    for name, content in previous.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.setattr(mixup_edu.cli, "run_comparison", lambda config, progress: tiny_results)
    monkeypatch.setattr(*failure)
    code_seen, err = run_main(["compare", *TINY, "--alphas", "0", "--out", str(tmp_path)], capsys)
    assert code_seen == code and len(err.strip().splitlines()) == 1, err
    assert (tmp_path / "results.json").read_bytes() == previous["results.json"]
    assert ((tmp_path / "comparison.png").read_bytes() == previous["comparison.png"]) == figure_kept
    assert sorted(os.listdir(tmp_path)) == ["comparison.png", "results.json"]  # no temporary file left behind


@pytest.fixture
def fake_bench(monkeypatch):
    report = {"mixing_time_ratio_vs_torchvision": 0.9, "train_step_time_ratio_mixup_vs_erm": 1.01}
    monkeypatch.setattr(mixup_edu.bench, "run_bench", lambda device, repeats, step_repeats, setups, part_setups: report)
    monkeypatch.setattr(mixup_edu.bench, "format_report", lambda section, results: section)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


def test_bench_json_goes_into_new_folders(tmp_path, fake_bench, capsys):
    path = tmp_path / "missing" / "b.json"
    assert main(["bench", "--json", str(path)]) == 0
    assert json.loads(path.read_text())["mixing_time_ratio_vs_torchvision"] == 0.9
    assert os.listdir(path.parent) == ["b.json"]


def test_interrupted_bench_keeps_the_previous_json(tmp_path, fake_bench, monkeypatch, capsys):
    path = tmp_path / "b.json"
    path.write_text('{"previous": true}')
    monkeypatch.setattr(os, "replace", lambda source, destination: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert_one_line_error(*run_main(["bench", "--json", str(path)], capsys), "interrupted", expected_code=130)
    assert json.loads(path.read_text()) == {"previous": True}
    assert os.listdir(tmp_path) == ["b.json"]


def test_bench_writes_its_json(tmp_path, capsys):
    command = ["bench", "--repeats", "1", "--step-repeats", "3", "--setups", "2", "--part-setups", "1"]
    assert main([*command, "--json", str(tmp_path / "b.json")]) == 0
    report = json.loads((tmp_path / "b.json").read_text())
    assert len(report["cpu_results"]["train_step_setup_ratios"]) == 2
    assert report["cpu_results"]["train_step_part_setups"] == 1
    assert {"mixing_time_ratio_vs_torchvision", "train_step_time_ratio_mixup_vs_erm", "cpu", "torch_version"} <= set(report)
    assert "headline" in capsys.readouterr().out


def test_help_shows_every_option_with_its_default(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    options = ("--alphas", "--epochs", "--noise", "--seed", "--train-size", "--batch-size", "--hidden",
               "--val-size", "--device", "--full", "--out")
    assert all(option in out for option in options)
    assert "default: 50" in out and "default: auto" in out


def test_python_dash_m_smoke():
    command = [sys.executable, "-m", "mixup_edu", "compare", "--lr", "nan"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert_one_line_error(result.returncode, result.stderr, "lr")
