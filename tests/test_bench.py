"""The benchmark's mechanics. Speed itself is measured by `python -m mixup_edu bench`, never asserted here."""

import re

import pytest
import torch

from mixup_edu import bench
from mixup_edu.bench import (
    PARTS,
    additions,
    format_report,
    interleaved_medians,
    median_interval,
    mixing_contenders,
    paired_ratio,
    run_bench,
    step_losses,
)
from mixup_edu.losses import mixed_batch_loss
from mixup_edu.mixup import draw_mixup
from mixup_edu.targets import mix_targets


def test_repetitions_are_interleaved_after_warmup():
    calls = []
    medians = interleaved_medians({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
                                  torch.device("cpu"), repeats=3, warmup=2)
    assert calls == ["a", "a", "b", "b"] + ["a", "b"] * 3
    assert set(medians) == {"a", "b"} and all(m >= 0 for m in medians.values())


class FakeClock:
    """perf_counter for bench: each contender's call advances it by the next of its given durations."""

    def __init__(self, durations):
        self.now, self.durations, self.calls = 0.0, {name: iter(d) for name, d in durations.items()}, []

    def perf_counter(self):
        return self.now

    def call(self, name):
        def fn():
            self.calls.append(name)
            self.now += next(self.durations[name])
        return fn


def test_paired_rounds_run_abba_after_warmup(monkeypatch):
    clock = FakeClock({"a": [1.0] * 8, "b": [1.0] * 8})
    monkeypatch.setattr(bench.time, "perf_counter", clock.perf_counter)
    paired_ratio(clock.call("a"), clock.call("b"), torch.device("cpu"), rounds=2, warmup=2)
    assert clock.calls == ["a", "a", "b", "b"] + ["a", "b", "b", "a"] * 2


def test_paired_ratio_is_the_median_of_the_rounds_ratios(monkeypatch):
    # Five rounds of a call of 10 s (the base) against one of 11 s; in two of them a burst of other work
    # lands on one call only. A ratio of medians would still be 1.1 here, but the rounds' own ratios are
    # 1.1 three times, (11 + 31) / 20 = 2.1 and 22 / (10 + 40) = 0.44: their median is 1.1 again.
    base = [10.0, 10.0] * 3 + [10.0, 10.0] + [10.0, 40.0]
    other = [11.0, 11.0] * 3 + [11.0, 31.0] + [11.0, 11.0]
    clock = FakeClock({"base": base, "other": other})
    monkeypatch.setattr(bench.time, "perf_counter", clock.perf_counter)
    result = paired_ratio(clock.call("base"), clock.call("other"), torch.device("cpu"), rounds=5, warmup=0)
    assert result["ratio"] == pytest.approx(1.1)
    assert result["base"] == 10.0 and result["other"] == 11.0
    assert result["ratio_low"] == pytest.approx(22 / 50) and result["ratio_high"] == pytest.approx(42 / 20)


def test_pairing_compares_calls_made_at_the_same_speed(monkeypatch):
    # The machine's speed changes from round to round (×1.0 to ×1.4), and the base's two calls in a round
    # take 30 % less and 30 % more than their mean. The median of all the base's times then comes from a
    # faster round than the median of the other's: their ratio is 14.4 / 11.4 = 1.26, not 1.2. Within each
    # round, both contenders ran at the same speed, and every round's own ratio is exactly 1.2.
    speeds = [1.0, 1.1, 1.2, 1.3, 1.4]
    base = [10.0 * s * jitter for s in speeds for jitter in (0.7, 1.3)]
    other = [12.0 * s for s in speeds for _ in range(2)]
    clock = FakeClock({"base": base, "other": other})
    monkeypatch.setattr(bench.time, "perf_counter", clock.perf_counter)
    result = paired_ratio(clock.call("base"), clock.call("other"), torch.device("cpu"), rounds=5, warmup=0)
    assert result["other"] / result["base"] == pytest.approx(14.4 / 11.4)
    assert result["ratio"] == pytest.approx(1.2) and result["ratio_low"] == pytest.approx(1.2)


def test_median_interval_narrows_around_the_median_as_values_accumulate():
    assert median_interval([3.0]) == (3.0, 3.0)
    assert median_interval([5.0, 1.0, 3.0]) == (1.0, 5.0)  # three values: the whole range
    values = [float(v) for v in range(1, 201)]  # the median is 100.5
    low, high = median_interval(values)
    assert (low, high) == (86.0, 115.0)  # ranks 100 ∓ 1.96·√200/2, the usual 95 % ranks for 200 values


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
    results = run_bench(torch.device("cpu"), repeats=1, step_repeats=3, setups=2, part_setups=1)
    assert results["mixing_time_ratio_vs_torchvision"] > 0
    assert results["train_step_time_ratio_mixup_vs_erm"] > 0
    floor = results["mixing_ratios_vs_add_floor"]["128x3x224x224"]
    assert floor["torch.add(a, b, out=c) floor"] == 1.0
    assert results["mixing_time_ratio_vs_add_floor"] == max(floor["mixup_edu.MixUp"], floor["mixup_edu.mixup_data"])
    assert set(results["mixing_seconds"]) == {"128x1x28x28", "128x3x224x224"}
    assert set(results["train_step_seconds"]) == {"ERM", "mixup"}
    setups = results["train_step_setup_ratios"]
    assert len(setups) == 2 and min(setups) <= results["train_step_time_ratio_mixup_vs_erm"] <= max(setups)
    assert results["train_step_rounds_per_setup"] == 2 and results["train_step_part_setups"] == 1  # ⌈3 / 2⌉
    assert len(results["train_step_load_average"]) == 2
    assert set(results["train_step_parts"]) == set(PARTS)
    assert all(low <= ratio <= high for ratio, low, high in results["train_step_parts"].values())
    report = format_report("CPU", results)
    assert "load average during the steps" in report and all(name in report for name in PARTS)



def test_each_part_of_the_step_adds_one_piece_of_mixup_to_erm():
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 3))
    x, y = torch.rand(6, 1, 2, 2), torch.tensor([0, 1, 2, 0, 1, 2])
    lam, perm = 0.3, torch.tensor([1, 2, 0, 4, 5, 3])
    losses = step_losses(lam, perm)
    assert list(losses) == ["ERM", "mixup", *PARTS]
    cross_entropy = torch.nn.functional.cross_entropy
    erm = cross_entropy(model(x), y)
    generator = torch.Generator().manual_seed(0)
    draws = generator.get_state()
    torch.testing.assert_close(losses["ERM"](model, x, y, generator), erm)
    assert torch.equal(generator.get_state(), draws)  # ERM draws nothing
    # Drawing: the loss is ERM's, and the generator moved on exactly as mixup's own draw moves it.
    torch.testing.assert_close(losses["draw λ and the partners"](model, x, y, generator), erm)
    expected = torch.Generator().manual_seed(0)
    draw_mixup(x, 1.0, generator=expected)
    assert torch.equal(generator.get_state(), expected.get_state())
    # Blending: ERM on λ·x + (1 − λ)·x[perm] with the batch's own labels.
    blended = cross_entropy(model(lam * x + (1 - lam) * x[perm]), y)
    torch.testing.assert_close(losses["blend the batch"](model, x, y, generator), blended)
    # The two-term loss on the unblended batch.
    two_term = lam * cross_entropy(model(x), y) + (1 - lam) * cross_entropy(model(x), y[perm])
    torch.testing.assert_close(losses["two-term loss"](model, x, y, generator), two_term)
    # The whole: mixup as fit trains it.
    torch.testing.assert_close(
        losses["mixup"](model, x, y, torch.Generator().manual_seed(5)),
        mixed_batch_loss(1.0)(model, x, y, torch.Generator().manual_seed(5)),
    )
    assert len({loss.item() for loss in (erm, blended, two_term)}) == 3  # three different losses


def test_the_step_ratio_is_taken_across_fresh_setups(monkeypatch):
    names = ("mixup", *PARTS)
    offset = {name: 0.1 * i for i, name in enumerate(names)}  # each contender's own cost
    seeds, batches, pairs = [], [], []
    monkeypatch.setattr(bench, "SmallCNN", lambda seed: seeds.append(seed) or torch.nn.Linear(784, 10))
    monkeypatch.setattr(bench, "step_losses", lambda lam, perm: {name: name for name in ("ERM", *names)})
    monkeypatch.setattr(bench, "training_step", lambda model, opt, loss, x, y, gen: batches.append(x) or (loss, model))
    monkeypatch.setattr(bench, "load_average", iter([1.5, 2.5]).__next__)

    def fake_paired_ratio(base, other, device, rounds):
        pairs.append((base[0], other[0], rounds))
        assert base[1] is other[1]  # both contenders of a pairing train the same fresh model
        ratio = 1.0 + [0.05, 0.0, 0.01, 0.02][seeds[-1]] + offset[other[0]]  # each setup shifts every ratio its own way
        return {"base": 10.0 * (1 + seeds[-1]), "other": 11.0 * (1 + seeds[-1]), "ratio": ratio}

    monkeypatch.setattr(bench, "paired_ratio", fake_paired_ratio)
    monkeypatch.setattr(bench, "median_interval", lambda ratios: (min(ratios), max(ratios) + 1))
    result = bench.bench_train_step(torch.device("cpu"), repeats=7, setups=4, part_setups=3)
    assert seeds == [0] * 4 + [1] * 4 + [2] * 4 + [3]  # a fresh model for each contender in each setup
    # ⌈7 / 4⌉ rounds, ERM as the base; the parts in the first three setups only
    assert pairs == [("ERM", name, 2) for _ in range(3) for name in names] + [("ERM", "mixup", 2)]
    assert not torch.equal(batches[0], batches[2 * 4]) and not torch.equal(batches[2 * 4], batches[4 * 4])
    assert not torch.equal(batches[4 * 4], batches[6 * 4])
    assert result["setup_ratios"] == pytest.approx([1.05, 1.0, 1.01, 1.02]) and result["ratio"] == pytest.approx(1.015)
    assert result["ratio_interval"] == pytest.approx([1.0, 2.05])  # median_interval over the setups' ratios
    assert result["rounds_per_setup"] == 2 and result["part_setups"] == 3
    assert result["ratio_in_part_setups"] == pytest.approx(1.01)  # the median of the first three setups' ratios
    assert (result["ERM"], result["mixup"]) == (25.0, 27.5)  # the medians of the setups' medians
    for name in PARTS:
        assert result["parts"][name] == pytest.approx([1.01 + offset[name], 1.0 + offset[name], 2.05 + offset[name]])
    monkeypatch.setattr(bench, "load_average", lambda: None)
    assert bench.bench_train_step(torch.device("cpu"), repeats=2, setups=2, part_setups=5)["part_setups"] == 2
    assert (result["load_before"], result["load_after"]) == (1.5, 2.5)
    with pytest.raises(ValueError, match="setups"):
        bench.bench_train_step(torch.device("cpu"), repeats=7, setups=0)


def step_results(**changes):
    """The results ``format_report`` reads, with the step's entries set to ``changes``."""
    results = {
        "mixing_seconds": {}, "mixing_ratios": {}, "mixing_ratios_vs_add_floor": {},
        "mixing_time_ratio_vs_torchvision": 0.6, "mixing_time_ratio_vs_add_floor": 4.8,
        "train_step_time_ratio_mixup_vs_erm": 1.02, "train_step_seconds": {"ERM": 0.020, "mixup": 0.0205},
        "train_step_setup_ratios": [1.03, 1.01, 1.02, 0.95, 1.08], "train_step_rounds_per_setup": 40,
        "train_step_part_setups": 2, "train_step_ratio_in_part_setups": 1.025,
        "train_step_ratio_interval": [1.01, 1.03],
        "train_step_parts": dict(zip(PARTS, ([1.005, 1.0, 1.01], [1.01, 0.99, 1.02], [1.006, 1.0, 1.01]))),
        "train_step_load_average": [1.0, None],
    }
    return {**results, **{f"train_step_{key}": value for key, value in changes.items()}}


def test_the_report_gives_the_setups_median_interval_and_range_and_adds_up_the_parts():
    results = step_results()
    report = format_report("CPU", results)
    assert "ERM 20.00 ms, mixup 20.50 ms (medians of the setups' medians" in report
    assert "5 setups (40 paired rounds each): median 1.020, 95 % interval 1.010–1.030, setups ranged 0.950–1.080" in report
    assert "added up: +2.1 %; the whole mixup step's in the same 2 setups: +2.5 %" in report
    assert re.search(r"blend the batch +1\.010  \(0\.990–1\.020\)", report)
    assert "added to the ERM step, in the first 2 setups (median over them, and its 95 % interval)" in report
    assert "load average during the steps: 1.00 → n/a" in report
    headline = "mixup_vs_erm = 1.020 (goal ≤ 1.03; median over 5 setups, 95 % interval 1.010–1.030)"
    assert headline in report


def test_the_report_prints_signed_percentages_and_never_a_negative_zero():
    parts = dict(zip(PARTS, ([0.9997, 0.99, 1.01], [1.0, 0.99, 1.01], [1.0, 0.99, 1.01])))
    report = format_report("CPU", step_results(parts=parts, ratio_in_part_setups=0.9996))
    assert "added up: +0.0 %; the whole mixup step's in the same 2 setups: +0.0 %" in report
    parts = dict(zip(PARTS, ([0.98, 0.97, 0.99], [1.0, 0.99, 1.01], [1.0, 0.99, 1.01])))
    report = format_report("CPU", step_results(parts=parts, ratio_in_part_setups=0.985))
    assert "added up: -2.0 %; the whole mixup step's in the same 2 setups: -1.5 %" in report
