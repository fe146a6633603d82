import json
from dataclasses import asdict

import numpy as np
import pytest
import torch

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
