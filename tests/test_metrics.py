import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from mixup_edu import accuracy, expected_calibration_error, reliability_bins


def test_accuracy():
    scores = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    assert accuracy(scores, torch.tensor([0, 1, 1])) == pytest.approx(2 / 3)


def test_ece_by_hand():
    # every prediction says 0.9 but only half are right: ECE = |0.5 - 0.9| = 0.4
    probs = torch.tensor([[0.9, 0.1]] * 10)
    labels = torch.tensor([0, 1] * 5)
    assert expected_calibration_error(probs, labels) == pytest.approx(0.4)


def test_ece_two_bins_by_hand():
    probs = torch.tensor([[0.95, 0.05]] * 4)
    labels = torch.tensor([0, 0, 0, 1])  # conf 0.95, acc 0.75
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx(0.2)
    probs2 = torch.cat([probs, torch.tensor([[0.6, 0.4]] * 4)])
    labels2 = torch.cat([labels, torch.tensor([0, 0, 1, 1])])  # conf 0.6, acc 0.5
    assert expected_calibration_error(probs2, labels2, n_bins=10) == pytest.approx(0.5 * 0.2 + 0.5 * 0.1)


def test_perfect_calibration_has_zero_ece():
    probs = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    assert expected_calibration_error(probs, torch.tensor([0, 1])) == 0.0


@given(n=st.integers(1, 200), c=st.integers(2, 6), bins=st.integers(1, 20), seed=st.integers(0, 10**6))
def test_bins_and_ece_are_consistent(n, c, bins, seed):
    g = torch.Generator().manual_seed(seed)
    probs = torch.softmax(torch.randn(n, c, generator=g) * 3, 1)
    labels = torch.randint(0, c, (n,), generator=g)
    b = reliability_bins(probs, labels, bins)
    assert b["count"].sum().item() == n and len(b["edges"]) == bins + 1
    filled = b["count"] > 0
    lo, hi = b["edges"][:-1][filled], b["edges"][1:][filled]
    assert torch.all(b["confidence"][filled] > lo - 1e-9) and torch.all(b["confidence"][filled] <= hi + 1e-9)
    assert 0.0 <= expected_calibration_error(probs, labels, bins) <= 1.0


@pytest.mark.parametrize("rows", [[[2.0, -1.0]], [[0.9, 0.9]], [[0.5, 0.498]]], ids=["negative", "sum-1.8", "sum-0.998"])
def test_rows_that_are_not_probabilities_are_refused(rows):
    with pytest.raises(ValueError, match="softmax"):
        expected_calibration_error(torch.tensor(rows), torch.tensor([0]))


def test_rows_within_rounding_of_one_are_accepted():
    assert expected_calibration_error(torch.tensor([[0.5, 0.4995]]), torch.tensor([0])) == pytest.approx(0.5)


def test_ece_counts_a_bin_with_one_sample():
    # one prediction, 0.9 confident and wrong: ECE = 0.9
    assert expected_calibration_error(torch.tensor([[0.9, 0.1]]), torch.tensor([1])) == pytest.approx(0.9)


def test_fifteen_equal_bins_in_float64_by_default():
    probs = torch.softmax(torch.randn(200, 3, generator=torch.Generator().manual_seed(0)) * 3, 1).float()
    labels = torch.randint(0, 3, (200,), generator=torch.Generator().manual_seed(1))
    bins = reliability_bins(probs, labels)
    assert bins["edges"].dtype == torch.float64
    torch.testing.assert_close(bins["edges"], torch.linspace(0, 1, 16, dtype=torch.float64))
    assert len(bins["count"]) == 15
    assert expected_calibration_error(probs, labels) == expected_calibration_error(probs, labels, 15)
    assert expected_calibration_error(probs, labels) != expected_calibration_error(probs, labels, 16)


def test_metric_bad_labels():
    with pytest.raises(ValueError, match="batch sizes differ"):
        expected_calibration_error(torch.tensor([[0.5, 0.5]]), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="outside"):
        reliability_bins(torch.tensor([[0.5, 0.5]]), torch.tensor([2]))


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_low_precision_softmax_output_is_accepted(dtype):
    # each probability is rounded to the dtype, so rows sum to 1 only within its rounding error
    for seed in range(50):
        g = torch.Generator().manual_seed(seed)
        exact, labels = torch.softmax(torch.randn(64, 10, generator=g) * 3, 1), torch.randint(0, 10, (64,), generator=g)
        rounded = exact.to(dtype)
        assert expected_calibration_error(rounded, labels) == pytest.approx(
            expected_calibration_error(exact, labels), abs=0.02)
        assert reliability_bins(rounded, labels)["count"].sum() == 64
        assert accuracy(rounded, labels) == pytest.approx(accuracy(exact, labels), abs=0.02)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_works(dtype):
    probs = torch.softmax(torch.randn(20, 4, generator=torch.Generator().manual_seed(0)), 1)
    labels = torch.randint(0, 4, (20,), generator=torch.Generator().manual_seed(1))
    assert accuracy(probs, labels.to(dtype)) == accuracy(probs, labels)
    assert expected_calibration_error(probs, labels.to(dtype)) == expected_calibration_error(probs, labels)


def test_non_finite_outputs_are_named_as_such():
    with pytest.raises(ValueError, match="NaN or inf"):
        expected_calibration_error(torch.tensor([[float("nan"), 0.5]]), torch.tensor([0]))
    with pytest.raises(ValueError, match="scores hold NaN"):
        accuracy(torch.tensor([[float("nan"), 0.5]]), torch.tensor([0]))
    assert accuracy(torch.tensor([[-float("inf"), 0.5], [1.0, -float("inf")]]), torch.tensor([1, 1])) == 0.5
