import pytest
import torch

from mixup_edu import MLP, evaluate, fit, make_moons, predict_proba, resolve_device


@pytest.fixture
def moons():
    g = torch.Generator().manual_seed(0)
    return make_moons(400, noise=0.1, generator=g), make_moons(400, noise=0.1, generator=g)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_fit_learns_the_moons(moons, alpha):
    train, test = moons
    history = fit(MLP(seed=0), train, test, epochs=30, alpha=alpha, lr=0.05, batch_size=32, device="cpu", progress=False)
    assert len(history) == 30
    assert set(history[0]) == {"epoch", "train_loss", "test_loss", "test_accuracy", "ece"}
    assert history[-1]["test_accuracy"] > 0.95
    assert history[-1]["test_loss"] < history[0]["test_loss"]


def test_fit_is_deterministic_and_leaves_the_data_alone(moons):
    train, test = moons
    kept = [t.clone() for t in train]
    runs = [fit(MLP(seed=1), train, test, epochs=3, alpha=0.4, batch_size=16, seed=5, device="cpu", progress=False) for _ in range(2)]
    assert runs[0] == runs[1]
    assert all(torch.equal(a, b) for a, b in zip(train, kept))
    other = fit(MLP(seed=1), train, test, epochs=3, alpha=0.4, batch_size=16, seed=6, device="cpu", progress=False)
    assert other != runs[0]


def test_per_sample_lambda_trains(moons):
    train, test = moons
    history = fit(MLP(seed=0), train, test, epochs=5, alpha=1.0, per_sample=True, batch_size=32, device="cpu", progress=False)
    assert history[-1]["test_accuracy"] > 0.8


def test_mixup_training_loss_is_higher_than_erm(moons):
    train, test = moons
    erm = fit(MLP(seed=0), train, test, epochs=15, alpha=0.0, batch_size=32, device="cpu", progress=False)
    mix = fit(MLP(seed=0), train, test, epochs=15, alpha=1.0, batch_size=32, device="cpu", progress=False)
    assert mix[-1]["train_loss"] > erm[-1]["train_loss"]


def test_evaluate_matches_predictions(moons):
    train, test = moons
    model = MLP(seed=0)
    scores = evaluate(model, test)
    probs = predict_proba(model, test[0])
    assert scores["accuracy"] == pytest.approx((probs.argmax(1) == test[1]).float().mean().item())
    assert model.training  # evaluation does not leave the model in eval mode


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 1, "alpha": -1.0}, ValueError, "alpha"),
        ({"epochs": 1, "device": "tpu"}, ValueError, "device"),
    ],
)
def test_fit_bad_arguments(moons, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit(MLP(), *moons, progress=False, **kwargs)


def test_fit_bad_data(moons):
    (x, y), test = moons
    with pytest.raises(ValueError, match="batch sizes differ"):
        fit(MLP(), (x, y[:-1]), test, epochs=1, progress=False)
    with pytest.raises(TypeError, match="pair"):
        fit(MLP(), x, test, epochs=1, progress=False)
    with pytest.raises(TypeError, match="integer class indices"):
        fit(MLP(), (x, y.float()), test, epochs=1, progress=False)


def test_resolve_device(monkeypatch):
    assert resolve_device("cpu") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu")
    with pytest.raises(ValueError, match="no CUDA GPU"):
        resolve_device("cuda")
