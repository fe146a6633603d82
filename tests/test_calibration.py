import pytest
import torch

from mixup_edu.calibration import apply_temperature, fit_temperature, temperature_nll


def _logits_and_labels(true_temperature: float, n: int = 20_000, classes: int = 5, seed: int = 0):
    """Logits z and labels drawn from softmax(z / T₀): the best temperature for (z, y) is T₀."""
    generator = torch.Generator().manual_seed(seed)
    logits = 3 * torch.randn(n, classes, generator=generator)
    labels = torch.multinomial((logits / true_temperature).softmax(1), 1, generator=generator).squeeze(1)
    return logits, labels


@pytest.mark.parametrize("true_temperature", [0.5, 1.0, 2.5, 6.0])
def test_recovers_a_known_temperature(true_temperature):
    logits, labels = _logits_and_labels(true_temperature)
    fitted = fit_temperature(logits, labels)
    assert fitted == pytest.approx(true_temperature, rel=0.05)
    nll = temperature_nll(logits, labels, fitted)
    assert nll <= temperature_nll(logits, labels, 1.1 * fitted) and nll <= temperature_nll(logits, labels, fitted / 1.1)


def test_never_changes_the_predicted_class_and_leaves_inputs_alone():
    logits, labels = _logits_and_labels(3.0)
    before = (logits.clone(), labels.clone())
    for temperature in (fit_temperature(logits, labels), 0.05, 1.0, 20.0):
        probs = apply_temperature(logits, temperature)
        assert torch.equal(probs.argmax(1), logits.argmax(1))
        assert torch.allclose(probs.sum(1), torch.ones(len(probs)))
    assert torch.equal(logits, before[0]) and torch.equal(labels, before[1])


def test_fixes_an_over_confident_model_on_held_out_data():
    """Fitted on a validation split, T > 1 lowers the NLL of a separate test split of an over-confident model."""
    logits, labels = _logits_and_labels(3.0, n=4000)
    temperature = fit_temperature(logits[:2000], labels[:2000])
    assert temperature > 2
    test_logits, test_labels = logits[2000:], labels[2000:]
    assert temperature_nll(test_logits, test_labels, temperature) < temperature_nll(test_logits, test_labels, 1.0)


def test_accepts_logits_made_in_inference_mode():
    logits, labels = _logits_and_labels(2.0, n=2000)
    with torch.inference_mode():
        frozen = logits * 1.0
    assert fit_temperature(frozen, labels) == pytest.approx(fit_temperature(logits, labels))


GOOD = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.5]])
LABELS = torch.tensor([0, 1, 0])


@pytest.mark.parametrize(
    "logits, labels, options, error, message",
    [
        ([[2.0, 0.0]], LABELS, {}, TypeError, "logits must be a torch.Tensor"),
        (GOOD.long(), LABELS, {}, TypeError, "floating-point"),
        (GOOD[:, 0], LABELS, {}, ValueError, "shape (N, C)"),
        (GOOD[:, :1], LABELS, {}, ValueError, "C >= 2"),
        (torch.tensor([[float("nan"), 0.0], [0.0, 1.0], [1.0, 1.5]]), LABELS, {}, ValueError, "finite"),
        (GOOD, LABELS.float(), {}, TypeError, "integer class indices"),
        (GOOD, torch.tensor([0, 2, 0]), {}, ValueError, "outside [0, 2)"),
        (GOOD, LABELS[:2], {}, ValueError, "batch sizes differ"),
        (GOOD, LABELS, {"low": 0.0}, ValueError, "low"),
        (GOOD, LABELS, {"low": 2.0, "high": 1.0}, ValueError, "high"),
        (GOOD, LABELS, {"tol": -1e-3}, ValueError, "tol"),
        (GOOD, LABELS, {"high": "20"}, TypeError, "high must be a real number"),
    ],
)
def test_fit_temperature_refuses_bad_input(logits, labels, options, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        fit_temperature(logits, labels, **options)


@pytest.mark.parametrize(
    "temperature, error",
    [(0.0, ValueError), (-1.0, ValueError), (float("inf"), ValueError), (True, TypeError), ("2", TypeError)],
)
def test_temperature_must_be_a_positive_number(temperature, error):
    with pytest.raises(error, match="temperature"):
        apply_temperature(GOOD, temperature)
    with pytest.raises(error, match="temperature"):
        temperature_nll(GOOD, LABELS, temperature)
