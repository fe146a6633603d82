import pytest
import torch
import tqdm

from mixup_edu import MLP, evaluate, fit, make_moons, mixed_batch_loss


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


def test_on_epoch_adds_to_each_row_and_test_none_skips_the_test_set(moons):
    train, test = moons
    seen = []

    def on_epoch(epoch, model):
        seen.append(epoch)
        return {"val_accuracy": evaluate(model, test)["accuracy"]}

    options = dict(epochs=3, alpha=1.0, batch_size=32, seed=2, device="cpu", progress=False)
    history = fit(MLP(seed=0), train, None, on_epoch=on_epoch, **options)
    assert seen == [1, 2, 3]
    assert set(history[0]) == {"epoch", "train_loss", "val_accuracy"}
    scored = fit(MLP(seed=0), train, test, **options)  # neither the hook nor test=None changes the training
    assert [h["train_loss"] for h in history] == [h["train_loss"] for h in scored]
    assert [h["val_accuracy"] for h in history] == [h["test_accuracy"] for h in scored]


def test_per_sample_trains_on_one_lam_per_sample(moons):
    train, test = moons
    options = dict(epochs=2, batch_size=32, device="cpu", progress=False)
    per_sample = fit(MLP(seed=0), train, test, alpha=1.0, per_sample=True, **options)
    assert per_sample == fit(MLP(seed=0), train, test, loss=mixed_batch_loss(1.0, per_sample=True), **options)
    assert per_sample != fit(MLP(seed=0), train, test, alpha=1.0, **options)


def test_alpha_and_loss_together_are_refused(moons):
    with pytest.raises(ValueError, match="both alpha/per_sample and loss="):
        fit(MLP(), *moons, epochs=1, alpha=1.0, loss=mixed_batch_loss(1.0), progress=False)
    with pytest.raises(ValueError, match="both alpha/per_sample and loss="):
        fit(MLP(), *moons, epochs=1, per_sample=True, loss=mixed_batch_loss(1.0), progress=False)


@pytest.mark.parametrize(
    "options, desc",
    [({}, "ERM"), ({"alpha": 0.4}, "mixup α=0.4"), ({"loss": mixed_batch_loss(1.0, per_sample=True)}, "mixup α=1, per-sample λ"),
     ({"alpha": 1.0, "desc": "mine"}, "mine")],
)
def test_the_progress_bar_names_what_is_trained(moons, monkeypatch, options, desc):
    seen = {}

    def trange(n, **kwargs):
        seen.update(kwargs)
        return tqdm.trange(n, **kwargs)

    monkeypatch.setattr("mixup_edu.train.trange", trange)
    fit(MLP(seed=0), *moons, epochs=1, progress=False, **options)
    assert seen["desc"] == desc


def test_mixup_training_loss_is_higher_than_erm(moons):
    train, test = moons
    erm = fit(MLP(seed=0), train, test, epochs=15, alpha=0.0, batch_size=32, device="cpu", progress=False)
    mix = fit(MLP(seed=0), train, test, epochs=15, alpha=1.0, batch_size=32, device="cpu", progress=False)
    assert mix[-1]["train_loss"] > erm[-1]["train_loss"]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": "3"}, TypeError, "epochs"),
        ({"epochs": 2.5}, TypeError, "epochs"),
        ({"epochs": 1, "alpha": -1.0}, ValueError, "alpha"),
        ({"epochs": 1, "alpha": float("inf")}, ValueError, "alpha"),
        ({"epochs": 1, "device": "tpu"}, ValueError, "device"),
        ({"epochs": 1, "batch_size": 0}, ValueError, "batch_size"),
        ({"epochs": 1, "batch_size": 2.5}, TypeError, "batch_size"),
        ({"epochs": 1, "lr": 0.0}, ValueError, "lr"),
        ({"epochs": 1, "lr": -0.1}, ValueError, "lr"),
        ({"epochs": 1, "lr": float("nan")}, ValueError, "lr"),
        ({"epochs": 1, "lr": float("inf")}, ValueError, "lr"),
        ({"epochs": 1, "lr": "0.1"}, TypeError, "lr"),
        ({"epochs": 1, "momentum": 0.0}, ValueError, "momentum"),
        ({"epochs": 1, "momentum": 1.0}, ValueError, "momentum"),
        ({"epochs": 1, "weight_decay": -1e-4}, ValueError, "weight_decay"),
        ({"epochs": 1, "weight_decay": float("nan")}, ValueError, "weight_decay"),
        ({"epochs": 1, "seed": -1}, ValueError, "seed"),
        ({"epochs": 1, "seed": 2**64}, ValueError, "seed"),
        ({"epochs": 1, "seed": 1.5}, TypeError, "seed"),
        ({"epochs": 1, "batch_loss": "mixup"}, TypeError, "batch_loss"),
        ({"epochs": 1, "on_epoch": "validate"}, TypeError, "on_epoch must be a function"),
        ({"epochs": 1, "on_epoch": lambda epoch, model: 0.5}, TypeError, "on_epoch must return a dict"),
    ],
)
def test_fit_bad_arguments(moons, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit(MLP(), *moons, progress=False, **kwargs)


def test_fit_refuses_a_model_that_is_not_a_module(moons):
    with pytest.raises(TypeError, match="model"):
        fit(lambda x: x, *moons, epochs=1, progress=False)


@pytest.mark.parametrize("which", ["train", "test"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_fit_refuses_non_finite_inputs_before_training(moons, which, value):
    (x, y), test = moons
    bad = x.clone()
    bad[5, 1] = value
    data = {"train": ((bad, y), test), "test": ((x, y), (bad, test[1]))}[which]
    model = MLP(seed=0)
    before = [p.clone() for p in model.parameters()]
    with pytest.raises(ValueError, match=f"{which} x holds 1 NaN or infinite"):
        fit(model, *data, epochs=1, progress=False)
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), before))


@pytest.mark.parametrize("label", [-100, -1])
def test_fit_refuses_negative_labels_such_as_torchs_ignore_index(moons, label):
    (x, y), test = moons
    bad = y.clone()
    bad[3] = label
    with pytest.raises(ValueError, match=rf"train y holds the label {label}; class indices must be 0 or more"):
        fit(MLP(seed=0), (x, bad), test, epochs=1, alpha=1.0, progress=False)


def test_fit_stops_at_the_first_non_finite_loss_and_names_the_learning_rate(moons):
    calls = []

    def loss_that_turns_nan(model, x, y, generator):
        calls.append(len(calls))
        loss = torch.nn.functional.cross_entropy(model(x), y)
        return loss * float("nan") if len(calls) == 3 else loss

    model = MLP(seed=0)
    with pytest.raises(ValueError, match=r"loss became nan at epoch 1, step 3.*learning rate lr=0\.05"):
        fit(model, *moons, epochs=2, lr=0.05, batch_size=32, loss=loss_that_turns_nan, progress=False)
    assert len(calls) == 3
    assert all(torch.isfinite(p).all() for p in model.parameters())  # the NaN step was not applied


def test_a_learning_rate_that_diverges_gets_a_clear_error(moons):
    with pytest.raises(ValueError, match="training diverged.*learning rate"):
        fit(MLP(seed=0), *moons, epochs=1, lr=1e10, batch_size=32, progress=False)


def test_fit_bad_data(moons):
    (x, y), test = moons
    with pytest.raises(ValueError, match="batch sizes differ"):
        fit(MLP(), (x, y[:-1]), test, epochs=1, progress=False)
    with pytest.raises(TypeError, match="pair"):
        fit(MLP(), x, test, epochs=1, progress=False)
    with pytest.raises(TypeError, match="integer class indices"):
        fit(MLP(), (x, y.float()), test, epochs=1, progress=False)


