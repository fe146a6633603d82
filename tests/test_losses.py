import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from torch import nn

import mixup_edu as me
from mixup_edu import manifold_mixup_loss, mix_targets, mixed_batch_loss, one_hot, mixup_criterion, soft_cross_entropy
from mixup_edu.losses import mixup_ablation_loss, same_class_partners
from mixup_edu.manifold import network_layers, run_layers


@given(b=st.integers(1, 12), c=st.integers(2, 8), seed=st.integers(0, 10**6))
def test_soft_cross_entropy_equals_torch(b, c, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g) * 3
    targets = torch.softmax(torch.randn(b, c, generator=g), 1)
    torch.testing.assert_close(soft_cross_entropy(logits, targets), F.cross_entropy(logits, targets))


@pytest.mark.parametrize(
    "logits, targets, error, match",
    [
        (torch.randn(4, 3), torch.rand(4, 2), ValueError, "shape"),
        (torch.randn(4, 3), torch.rand(3, 3), ValueError, "shape"),
        (torch.randn(4, 3), torch.tensor([0, 1, 2, 0]), TypeError, "float probabilities"),
        (torch.randn(4), torch.rand(4), ValueError, r"\(B, C\)"),
        (torch.randn(0, 3), torch.rand(0, 3), ValueError, "empty"),
    ],
)
def test_soft_cross_entropy_bad_input(logits, targets, error, match):
    with pytest.raises(error, match=match):
        soft_cross_entropy(logits, targets)


@given(b=st.integers(1, 12), c=st.integers(2, 8), lam=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_two_loss_forms_agree(b, c, lam, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, c, generator=g)
    y_a, y_b = torch.randint(0, c, (b,), generator=g), torch.randint(0, c, (b,), generator=g)
    two_term = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, lam)
    soft = soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, c))
    torch.testing.assert_close(two_term, soft)


def test_two_loss_forms_agree_per_sample(gen):
    logits = torch.randn(9, 4, generator=gen)
    y_a, y_b = torch.randint(0, 4, (9,), generator=gen), torch.randint(0, 4, (9,), generator=gen)
    lam = torch.rand(9, generator=gen)
    per_sample = mixup_criterion(nn.CrossEntropyLoss(reduction="none"), logits, y_a, y_b, lam)
    assert per_sample.shape == (9,)
    torch.testing.assert_close(per_sample.mean(), soft_cross_entropy(logits, mix_targets(y_a, y_b, lam, 4)))


def test_per_sample_lam_with_a_mean_criterion_is_refused(gen):
    logits = torch.randn(5, 3, generator=gen)
    y = torch.randint(0, 3, (5,), generator=gen)
    with pytest.raises(ValueError, match="reduction='none'"):
        mixup_criterion(nn.CrossEntropyLoss(), logits, y, y, torch.rand(5))


def test_criterion_batch_mismatch():
    with pytest.raises(ValueError, match="batch sizes differ"):
        mixup_criterion(nn.CrossEntropyLoss(), torch.randn(4, 3), torch.arange(3), torch.arange(4) % 3, 0.5)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_works(dtype):
    y_a, y_b = torch.tensor([2, 0, 1]), torch.tensor([1, 1, 0])
    assert torch.equal(one_hot(y_a.to(dtype), 3), one_hot(y_a, 3))
    assert torch.equal(mix_targets(y_a.to(dtype), y_b.to(dtype), 0.3, 3), mix_targets(y_a, y_b, 0.3, 3))
    logits = torch.randn(3, 3, generator=torch.Generator().manual_seed(0))
    loss = mixup_criterion(nn.CrossEntropyLoss(), logits, y_a.to(dtype), y_b.to(dtype), 0.3)
    torch.testing.assert_close(loss, mixup_criterion(nn.CrossEntropyLoss(), logits, y_a, y_b, 0.3))


@pytest.mark.parametrize(
    "lam", [np.float32(0.25), np.float64(0.25), torch.tensor(0.25)], ids=["np.float32", "np.float64", "0-dim-tensor"]
)
def test_lam_of_any_real_kind(lam):
    y_a, y_b = torch.tensor([0, 1]), torch.tensor([1, 0])
    assert torch.equal(mix_targets(y_a, y_b, lam, 2), mix_targets(y_a, y_b, 0.25, 2))
    logits = torch.randn(2, 2, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(mixup_criterion(F.cross_entropy, logits, y_a, y_b, lam),
                               mixup_criterion(F.cross_entropy, logits, y_a, y_b, 0.25))


def _seeded():
    return torch.Generator().manual_seed(0)


@pytest.fixture
def cnn_batch():
    return me.SmallCNN(seed=0), torch.rand(8, 1, 28, 28, generator=_seeded()), torch.randint(0, 10, (8,), generator=_seeded())


def test_erm_loss_is_plain_cross_entropy(cnn_batch):
    model, x, y = cnn_batch
    torch.testing.assert_close(mixed_batch_loss(0.0)(model, x, y, _seeded()), F.cross_entropy(model(x), y))


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_label_smoothing_reaches_every_cross_entropy(cnn_batch, alpha):
    model, x, y = cnn_batch
    smoothed = mixed_batch_loss(alpha, label_smoothing=0.3)(model, x, y, _seeded())
    mixed, y_a, y_b, lam = me.mixup_data(x, y, alpha, generator=_seeded())
    ce = lambda p, t: F.cross_entropy(p, t, label_smoothing=0.3)  # noqa: E731
    torch.testing.assert_close(smoothed, mixup_criterion(ce, model(mixed), y_a, y_b, lam))
    assert not torch.allclose(smoothed, mixed_batch_loss(alpha)(model, x, y, _seeded()))


@pytest.mark.parametrize("mixer", [me.mixup_data, me.cutmix_data], ids=["mixup", "cutmix"])
def test_a_mixer_mixes_the_batch_and_weighs_both_labels(cnn_batch, mixer):
    model, x, y = cnn_batch
    loss = mixed_batch_loss(1.0, mixer=mixer)(model, x, y, _seeded())
    mixed, y_a, y_b, lam = mixer(x, y, 1.0, generator=_seeded())
    torch.testing.assert_close(loss, mixup_criterion(F.cross_entropy, model(mixed), y_a, y_b, lam))


def test_per_sample_draws_one_lam_per_sample(cnn_batch):
    model, x, y = cnn_batch
    loss = mixed_batch_loss(1.0, per_sample=True)(model, x, y, _seeded())
    mixed, y_a, y_b, lam = me.mixup_data(x, y, 1.0, per_sample=True, generator=_seeded())
    assert lam.shape == (8,) and len(set(lam.tolist())) == 8
    ce = nn.CrossEntropyLoss(reduction="none")
    torch.testing.assert_close(loss, mixup_criterion(ce, model(mixed), y_a, y_b, lam).mean())
    assert not torch.allclose(loss, mixed_batch_loss(1.0)(model, x, y, _seeded()))


def test_per_sample_with_cutmix_is_refused_when_built():
    with pytest.raises(ValueError, match="per_sample=True needs a mixer"):
        mixed_batch_loss(1.0, mixer=me.cutmix_data, per_sample=True)


@pytest.mark.parametrize(
    "loss, name",
    [(mixed_batch_loss(0.0), "ERM"), (mixed_batch_loss(0.4), "mixup α=0.4"),
     (mixed_batch_loss(1.0, mixer=me.cutmix_data), "cutmix α=1"),
     (mixed_batch_loss(1.0, per_sample=True, label_smoothing=0.1), "mixup α=1, per-sample λ, label smoothing 0.1"),
     (manifold_mixup_loss(2.0), "Manifold Mixup α=2")],
)
def test_a_batch_loss_is_named_for_what_it_trains(loss, name):
    assert loss.__name__ == name


@pytest.mark.parametrize("model", [me.MLP(seed=0), me.SmallCNN(seed=0)], ids=["MLP", "SmallCNN"])
def test_manifold_mixup_at_each_point_mixes_that_hidden_layer(model):
    x = torch.rand(6, 2, generator=_seeded()) if isinstance(model, me.MLP) else torch.rand(6, 1, 28, 28)
    y = torch.tensor([0, 1, 0, 1, 1, 0])
    layers = network_layers(model)
    for k in me.split_points(model):
        loss = manifold_mixup_loss(1.0, points=[k])(model, x, y, _seeded())
        g = _seeded()
        torch.randint(1, (), generator=g)  # the draw of the split point among one choice
        mixed, y_a, y_b, lam = me.mixup_data(run_layers(layers[:k], x), y, 1.0, generator=g)
        expected = mixup_criterion(F.cross_entropy, run_layers(layers[k:], mixed), y_a, y_b, lam)
        torch.testing.assert_close(loss, expected)


def test_manifold_mixup_draws_its_split_point_from_all_of_them():
    model, x, y = me.MLP(depth=3, seed=0), torch.rand(6, 2, generator=_seeded()), torch.tensor([0, 1, 0, 1, 1, 0])
    by_point = {k: manifold_mixup_loss(1.0, points=[k]) for k in me.split_points(model)}
    g = _seeded()
    drawn = set()
    for _ in range(40):
        state = g.get_state()
        loss = manifold_mixup_loss(1.0)(model, x, y, g)
        # the same draws with one fixed point reproduce it only for the point that was drawn
        drawn |= {k for k, fixed in by_point.items() if torch.equal(fixed(model, x, y, _from(state)), loss)}
    assert drawn == set(me.split_points(model))


def _from(state):
    g = torch.Generator()
    g.set_state(state)
    return g


def test_manifold_mixup_trains_a_smallcnn():
    model = me.SmallCNN(widths=(2, 4), hidden=16, seed=0)
    x, y = torch.rand(32, 1, 28, 28, generator=_seeded()), torch.randint(0, 10, (32,), generator=_seeded())
    before = [p.detach().clone() for p in model.parameters()]
    history = me.fit(model, (x, y), None, epochs=1, batch_size=16, lr=0.01, device="cpu", progress=False,
                     loss=manifold_mixup_loss(1.0))
    assert np.isfinite(history[0]["train_loss"])
    assert all(not torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_same_class_partners_shuffle_within_each_class_only():
    y = torch.tensor([3, 1, 3, 3, 0, 1, 2, 3])  # class 2 and class 0 have one image each
    for seed in range(50):
        perm = same_class_partners(y, torch.Generator().manual_seed(seed))
        assert sorted(perm.tolist()) == list(range(len(y))), "not a permutation"
        assert torch.equal(y[perm], y), "a partner of another class"
        assert perm[4] == 4 and perm[6] == 6, "an image alone in its class must be its own partner"
    assert torch.equal(same_class_partners(y, _seeded()), same_class_partners(y, _seeded())), "not reproducible"


def test_same_class_partners_are_uniform_within_a_class():
    y = torch.tensor([5, 5, 5, 2, 2])
    g = _seeded()
    counts: dict[tuple[int, ...], int] = {}
    for _ in range(6000):
        key = tuple(same_class_partners(y, g)[:3].tolist())
        counts[key] = counts.get(key, 0) + 1
    assert len(counts) == 6, f"the 3 images of class 5 should be shuffled all 6 ways, got {sorted(counts)}"
    assert all(800 < n < 1200 for n in counts.values()), counts  # 1000 each expected, with a standard deviation of 29


def test_same_class_partners_refuse_a_batch_of_soft_labels():
    with pytest.raises(ValueError, match="one class index per sample"):
        same_class_partners(torch.rand(4, 3))


def test_the_ablation_loss_with_nothing_taken_away_is_mixup(cnn_batch):
    model, x, y = cnn_batch
    for seed in range(5):
        g1, g2 = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
        torch.testing.assert_close(mixup_ablation_loss(1.0)(model, x, y, g1), mixed_batch_loss(1.0)(model, x, y, g2))
    torch.testing.assert_close(mixup_ablation_loss(0.0, same_class=True)(model, x, y, _seeded()),
                               F.cross_entropy(model(x), y))


def test_same_class_ablation_mixes_images_of_one_class_against_their_label(cnn_batch):
    model, x, _ = cnn_batch
    y = torch.tensor([0, 1, 0, 1, 0, 1, 2, 2])
    loss = mixup_ablation_loss(1.0, same_class=True)(model, x, y, _seeded())
    g = _seeded()
    lam = me.sample_lambda(1.0, g)
    perm = same_class_partners(y, g)
    torch.testing.assert_close(loss, F.cross_entropy(model(lam * x + (1 - lam) * x[perm]), y))


def test_inputs_only_ablation_keeps_the_label_of_the_larger_weight(cnn_batch):
    model, x, y = cnn_batch
    branches = set()
    for seed in range(20):
        loss = mixup_ablation_loss(1.0, mix_labels=False)(model, x, y, torch.Generator().manual_seed(seed))
        g = torch.Generator().manual_seed(seed)
        lam = me.sample_lambda(1.0, g)
        perm = torch.randperm(len(x), generator=g)
        target = y if lam >= 0.5 else y[perm]
        branches.add(lam >= 0.5)
        torch.testing.assert_close(loss, F.cross_entropy(model(lam * x + (1 - lam) * x[perm]), target))
    assert branches == {True, False}, "the test should see λ on both sides of 0.5"


@pytest.mark.parametrize(
    "loss, name",
    [(mixup_ablation_loss(0.0, mix_labels=False), "ERM"),
     (mixup_ablation_loss(1.0, same_class=True), "mixup α=1, same-class pairs"),
     (mixup_ablation_loss(0.4, mix_labels=False), "mixup α=0.4, inputs only")],
)
def test_an_ablation_loss_is_named_for_what_it_trains(loss, name):
    assert loss.__name__ == name


def test_the_ablation_losses_train_a_smallcnn_with_fit():
    x, y = torch.rand(32, 1, 28, 28, generator=_seeded()), torch.randint(0, 3, (32,), generator=_seeded())
    for loss in (mixup_ablation_loss(1.0, same_class=True), mixup_ablation_loss(1.0, mix_labels=False)):
        model = me.SmallCNN(widths=(2, 4), hidden=16, seed=0)
        before = [p.detach().clone() for p in model.parameters()]
        history = me.fit(model, (x, y), None, epochs=1, batch_size=16, lr=0.01, device="cpu", progress=False, loss=loss)
        assert np.isfinite(history[0]["train_loss"])
        assert all(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
