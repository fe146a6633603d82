import pytest
import torch

from mixup_edu import MLP, evaluate, make_moons, predict_proba


@pytest.fixture
def moons():
    g = torch.Generator().manual_seed(0)
    return make_moons(400, noise=0.1, generator=g), make_moons(400, noise=0.1, generator=g)


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
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"n_bins": 0}, ValueError, "n_bins"),
        ({"n_bins": 2.5}, TypeError, "n_bins"),
        ({"n_bins": True}, TypeError, "n_bins"),
        ({"n_bins": "10"}, TypeError, "n_bins"),
    ],
)
def test_evaluate_bad_arguments(moons, kwargs, error, match):
    with pytest.raises(error, match=match):
        evaluate(MLP(), moons[1], **kwargs)


def test_evaluate_refuses_a_diverged_model(moons):
    model = MLP(seed=0)
    with torch.no_grad():
        next(model.parameters()).fill_(float("nan"))
    with pytest.raises(ValueError, match="NaN or infinite"):
        evaluate(model, moons[1])


