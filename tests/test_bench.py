"""The benchmark's mechanics. Speed itself is measured by `python -m mixup_edu bench`, never asserted here."""

import json

import torch

from mixup_edu.bench import additions, interleaved_medians, mixing_contenders, run_bench
from mixup_edu.cli import main


def test_repetitions_are_interleaved_after_warmup():
    calls = []
    medians = interleaved_medians({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                                  torch.device("cpu"), repeats=3, warmup=2)
    assert calls == ["a", "a", "b", "b"] + ["a", "b"] * 3
    assert set(medians) == {"a", "b"} and all(m >= 0 for m in medians.values())


def test_contenders_mix_the_same_batch_the_same_way():
    x, y = torch.rand(8, 1, 4, 4), torch.randint(0, 10, (8,))
    outputs = {name: fn() for name, fn in mixing_contenders(x, y, torch.Generator().manual_seed(0)).items()}
    for name, out in outputs.items():
        assert out[0].shape == x.shape, name
    assert outputs["torchvision.transforms.v2.MixUp"][1].shape == outputs["mixup_edu.MixUp"][1].shape == (8, 10)


def test_additions_add_two_batches_into_a_third():
    x = torch.rand(6, 1, 3, 3)
    before = x.clone()
    floor, fresh = additions(x).values()
    assert torch.equal(floor(), x + x.roll(1, 0)) and torch.equal(fresh(), x + x.roll(1, 0))
    assert floor() is floor() and fresh() is not fresh()  # the floor reuses its output; the other allocates
    assert torch.equal(x, before)


def test_run_bench_reports_the_three_ratios():
    results = run_bench(torch.device("cpu"), repeats=1, step_repeats=1)
    assert results["mixing_time_ratio_vs_torchvision"] > 0
    assert results["train_step_time_ratio_mixup_vs_erm"] > 0
    floor = results["mixing_ratios_vs_add_floor"]["128x3x224x224"]
    assert floor["torch.add(a, b, out=c) floor"] == 1.0
    assert results["mixing_time_ratio_vs_add_floor"] == max(floor["mixup_edu.MixUp"], floor["mixup_edu.mixup_data"])
    assert set(results["mixing_seconds"]) == {"128x1x28x28", "128x3x224x224"}
    assert set(results["train_step_seconds"]) == {"ERM", "mixup"}


def test_cli_bench_writes_json(tmp_path, capsys):
    assert main(["bench", "--repeats", "1", "--step-repeats", "1", "--json", str(tmp_path / "b.json")]) == 0
    report = json.loads((tmp_path / "b.json").read_text())
    assert {"mixing_time_ratio_vs_torchvision", "train_step_time_ratio_mixup_vs_erm", "cpu", "torch_version"} <= set(report)
    assert "headline" in capsys.readouterr().out
