"""The benchmark's mechanics. Speed itself is measured by `python -m mixup_edu bench`, never asserted here."""

import torch

from mixup_edu.bench import additions, interleaved_medians, mixing_contenders, run_bench
from mixup_edu.targets import mix_targets


def test_repetitions_are_interleaved_after_warmup():
    calls = []
    medians = interleaved_medians({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                                  torch.device("cpu"), repeats=3, warmup=2)
    assert calls == ["a", "a", "b", "b"] + ["a", "b"] * 3
    assert set(medians) == {"a", "b"} and all(m >= 0 for m in medians.values())


def test_contenders_mix_the_same_batch_the_same_way(unmix):
    # Image i is the basis vector e_i and its label is i, so every contender's output shows its λ and partners:
    # each must blend images and labels alike, λ·(own) + (1 − λ)·(partner), with one λ and a permutation.
    x, y = torch.eye(8, 10).reshape(8, 1, 1, 10), torch.arange(8)
    with torch.random.fork_rng():  # torchvision draws from the global generator
        torch.manual_seed(0)
        outputs = {name: fn() for name, fn in mixing_contenders(x, y, torch.Generator().manual_seed(0)).items()}
    assert {"torchvision.transforms.v2.MixUp", "mixup_edu.MixUp", "mixup_edu.mixup_data"} <= set(outputs)
    for name, out in outputs.items():
        mixed, soft = (out[0], mix_targets(out[1], out[2], out[3], 10)) if len(out) == 4 else out
        assert mixed.shape == x.shape and soft.shape == (8, 10), name
        torch.testing.assert_close(mixed.flatten(1), soft, rtol=0, atol=1e-6, msg=name)
        lam, perm = unmix(soft)
        paired = perm != torch.arange(8)
        assert paired.any(), name
        torch.testing.assert_close(lam[paired], lam[paired][:1].expand(int(paired.sum())), msg=name)


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
