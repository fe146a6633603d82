import json
from dataclasses import asdict

import numpy as np
import pytest
import torch

from mixup_edu.calibration import apply_temperature
from mixup_edu.data import load_fashion_mnist
from mixup_edu.experiment import (
    Config, format_seeds, format_table, make_model, mean_histories, prepare_data, run_comparison, summarize,
    validation_data,
)
from mixup_edu.metrics import expected_calibration_error
from mixup_edu.evaluation import predict_logits

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


@pytest.mark.parametrize(
    "bad, error, fragment",
    [
        ({"alphas": [-1.0]}, ValueError, "alpha"),
        ({"alphas": [0.0, float("inf")]}, ValueError, "alpha"),
        ({"alphas": [float("nan")]}, ValueError, "alpha"),
        ({"alphas": []}, ValueError, "alphas is empty"),
        ({"alphas": 0.2}, TypeError, "alphas must be a list"),
        ({"alphas": ["0.2"]}, TypeError, "alpha"),
        ({"alphas": [0, 0.0]}, ValueError, "alphas holds 0 more than once"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": "3"}, TypeError, "epochs"),
        ({"epochs": 2.5}, TypeError, "epochs"),
        ({"noise": 1.0}, ValueError, "noise"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"noise": True}, TypeError, "noise"),
        ({"seeds": []}, ValueError, "seeds is empty"),
        ({"seeds": 0}, TypeError, "seeds must be a list"),
        ({"seeds": [0, 0]}, ValueError, "seeds holds 0 more than once"),
        ({"seeds": [-1]}, ValueError, "seed"),
        ({"seeds": [1.5]}, TypeError, "seed"),
        ({"train_size": 0}, ValueError, "train_size"),
        ({"train_size": 2.5}, TypeError, "train_size"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": "64"}, TypeError, "batch_size"),
        ({"lr": 0}, ValueError, "lr"),
        ({"lr": float("nan")}, ValueError, "lr"),
        ({"lr": float("inf")}, ValueError, "lr"),
        ({"lr": "0.1"}, TypeError, "lr"),
        ({"weight_decay": -1e-4}, ValueError, "weight_decay"),
        ({"widths": (8,)}, ValueError, "widths"),
        ({"widths": (8, 0)}, ValueError, "width"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"device": "tpu"}, ValueError, "device"),
        ({"device": 0}, TypeError, "device"),
        ({"full": "yes"}, TypeError, "full"),
        ({"val_size": -1}, ValueError, "val_size"),
        ({"val_size": 1.5}, TypeError, "val_size"),
    ],
)
def test_bad_config(bad, error, fragment):
    with pytest.raises(error, match=fragment):
        Config(**bad)


def test_config_stores_plain_numbers():
    config = Config(alphas=(np.float32(0.5), 0), seeds=[np.int64(3)], epochs=np.int64(2), lr=torch.tensor(0.05))
    assert config.alphas == [0.5, 0.0] and config.seeds == [3] and config.epochs == 2
    assert config.lr == pytest.approx(0.05)
    json.dumps(asdict(config))  # what results.json records


def test_train_size_larger_than_the_data_is_refused():
    with pytest.raises(ValueError, match="holds only 10000 training images"):
        prepare_data(Config(train_size=10_001), seed=0)


def test_validation_split_is_held_out_from_training_and_clean():
    config = Config(train_size=9_000, val_size=1_000, noise=0.4)
    (x, _), _ = prepare_data(config, seed=0)
    x_val, y_val = validation_data(config)
    x_all, y_all = load_fashion_mnist(train=True)
    assert torch.equal(x, x_all[:9_000]) and torch.equal(x_val, x_all[9_000:])  # disjoint
    assert torch.equal(y_val, y_all[9_000:])  # no label noise on the validation split
    with pytest.raises(ValueError, match="use at most 9000 besides the val_size = 1000 validation images"):
        prepare_data(Config(train_size=9_001, val_size=1_000), seed=0)
    with pytest.raises(ValueError, match="no validation split"):
        validation_data(Config())


def test_validation_split_gives_early_stopping_and_temperature_scaling():
    config = Config(alphas=[0.0, 1.0], val_size=300, **{**TINY, "epochs": 3})
    results = run_comparison(config, progress=False, keep_models=True)
    x_val, y_val = validation_data(config)
    _, (x_test, y_test) = prepare_data(config, seed=0)
    for run in results["runs"]:
        history = run["history"]
        assert set(history[0]) == {"epoch", "train_loss", "val_loss", "val_accuracy", "val_ece"}  # no test scores
        val_accuracy = [h["val_accuracy"] for h in history]
        assert run["best_epoch"] == 1 + val_accuracy.index(max(val_accuracy))
        if run["best_epoch"] == config.epochs:
            assert run["early_stopped_accuracy"] == run["test_accuracy"]
        logits = predict_logits(run["model"], x_test)
        assert run["test_accuracy"] == pytest.approx((logits.argmax(1) == y_test).float().mean().item())
        scaled = expected_calibration_error(apply_temperature(logits, run["temperature"]), y_test)
        assert run["ece_temperature_scaled"] == pytest.approx(scaled)
    rows = summarize(results)
    assert {"early_stopped_accuracy", "ece_temperature_scaled"} <= set(rows[0])
    assert "early-stopped acc." in format_table(results) and "ECE, T-scaled" in format_table(results)


def test_one_seed_prints_no_spread_and_several_print_paired_differences():
    accuracies = [(0.80, 0.83), (0.82, 0.83)]  # (ERM, mixup) for seeds 0 and 1
    runs = [{"alpha": alpha, "seed": seed, "test_accuracy": accuracy, "ece": 0.05}
            for seed, pair in enumerate(accuracies) for alpha, accuracy in zip((0.0, 1.0), pair)]
    two = {"config": {"alphas": [0.0, 1.0], "seeds": [0, 1]}, "runs": runs}
    one = {"config": {"alphas": [0.0, 1.0], "seeds": [0]}, "runs": runs[:2]}
    assert summarize(one)[0]["test_accuracy_std"] is None
    assert "±" not in format_table(one) and "±" not in format_seeds(one)
    table = format_seeds(two)
    assert "81.0% ± 1.4" in table  # ERM: mean and std of 80 % and 82 %
    difference = ["mixup", "α=1", "−", "ERM", "+3.0", "pt", "+1.0", "pt", "+2.0", "pt", "±", "1.4"]
    assert table.splitlines()[-1].split() == difference


def test_the_model_is_the_configured_small_cnn():
    model = make_model(Config(widths=(4, 8), hidden=32), seed=0)
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert model.classifier[1].out_features == 32
