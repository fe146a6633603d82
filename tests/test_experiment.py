import json
import subprocess
import sys

import pytest
import torch

from mixup_edu.cli import main
from mixup_edu.experiment import Config, format_table, mean_histories, prepare_data, run_comparison, summarize

TINY = dict(epochs=1, train_size=200, batch_size=50, device="cpu")


def test_comparison_records_every_run():
    results = run_comparison(Config(alphas=[0.0, 1.0], seeds=[0, 1], **TINY), progress=False)
    assert [(r["seed"], r["alpha"]) for r in results["runs"]] == [(0, 0.0), (0, 1.0), (1, 0.0), (1, 1.0)]
    run = results["runs"][0]
    assert set(run) == {"alpha", "noise", "seed", "epochs", "test_accuracy", "ece", "history"}
    assert 0 <= run["test_accuracy"] <= 1 and run["test_accuracy"] == run["history"][-1]["test_accuracy"]
    json.dumps(results)  # serialisable as it is
    rows = summarize(results)
    assert [row["seeds"] for row in rows] == [2, 2]
    assert rows[0]["test_accuracy"] == pytest.approx((results["runs"][0]["test_accuracy"] + results["runs"][2]["test_accuracy"]) / 2)
    assert "mixup α=1" in format_table(results) and "ERM" in format_table(results)
    assert list(mean_histories(results)) == ["ERM", "mixup α=1"]


def test_same_seed_same_numbers():
    config = Config(alphas=[0.5], seeds=[3], **TINY)
    first, second = (run_comparison(config, progress=False)["runs"][0] for _ in range(2))
    assert first == second


def test_label_noise_touches_only_training_labels():
    (x, y_noisy), (x_test, y_test) = prepare_data(Config(noise=0.4, train_size=1000), seed=0)
    (_, y_clean), (_, y_test_clean) = prepare_data(Config(noise=0.0, train_size=1000), seed=0)
    assert (y_noisy != y_clean).float().mean().item() == pytest.approx(0.4)
    assert torch.equal(y_test, y_test_clean)


@pytest.mark.parametrize("bad", [{"epochs": 0}, {"noise": 1.0}, {"noise": -0.1}, {"alphas": [-1.0]}, {"seeds": []}, {"device": "tpu"}])
def test_bad_config(bad):
    with pytest.raises(ValueError):
        Config(**bad)


def test_cli_writes_results_and_figure(tmp_path, capsys):
    assert main(["compare", "--alphas", "0", "1", "--epochs", "1", "--train-size", "200", "--device", "cpu",
                 "--no-progress", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "test accuracy" in out and "mixup α=1" in out
    results = json.loads((tmp_path / "results.json").read_text())
    assert [r["alpha"] for r in results["runs"]] == [0.0, 1.0] and results["config"]["train_size"] == 200
    assert (tmp_path / "comparison.png").stat().st_size > 10_000


@pytest.mark.parametrize(
    "args, message",
    [
        (["--epochs", "-3"], "epochs"),
        (["--noise", "1.5"], "noise"),
        (["--device", "tpu"], "invalid choice"),
        (["--alphas", "x"], "invalid float"),
    ],
)
def test_cli_bad_values_get_one_line_and_exit_2(args, message):
    result = subprocess.run([sys.executable, "-m", "mixup_edu", "compare", *args], capture_output=True, text=True)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_cuda_without_gpu(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--device", "cuda", "--epochs", "1"])
    assert exit_info.value.code == 2
    assert "no CUDA GPU" in capsys.readouterr().err


def test_cli_help_shows_every_option_with_its_default():
    result = subprocess.run([sys.executable, "-m", "mixup_edu", "compare", "--help"], capture_output=True, text=True)
    for option in ("--alphas", "--epochs", "--noise", "--seed", "--train-size", "--batch-size", "--device", "--full", "--out"):
        assert option in result.stdout
    assert "default: 50" in result.stdout and "default: auto" in result.stdout
