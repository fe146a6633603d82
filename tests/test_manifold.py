import pytest
import torch
import torch.nn.functional as F

import mixup_edu as me
from mixup_edu.manifold import manifold_mixup_loss, mixing_points
from mixup_edu.train import mixing_loss


def test_mixing_points_of_an_mlp():
    assert mixing_points(me.MLP(depth=3)) == [0, 2, 4, 6]


def test_split_at_zero_is_input_mixup():
    model, x, y = me.MLP(seed=0), torch.randn(16, 2), torch.randint(0, 2, (16,))
    manifold = manifold_mixup_loss(1.0, points=[0])(model, x, y, torch.Generator().manual_seed(3))
    g = torch.Generator().manual_seed(3)
    torch.randint(1, (), generator=g)  # the split-point draw
    mixed, y_a, y_b, lam = me.mixup_data(x, y, 1.0, generator=g)
    torch.testing.assert_close(manifold, me.mixup_criterion(F.cross_entropy, model(mixed), y_a, y_b, lam))


def test_manifold_mixup_trains_the_moons():
    g = torch.Generator().manual_seed(0)
    train, test = me.make_moons(300, noise=0.1, generator=g), me.make_moons(300, noise=0.1, generator=g)
    history = me.fit(me.MLP(seed=0), train, test, epochs=40, batch_size=32, lr=0.05, device="cpu",
                     progress=False, batch_loss=manifold_mixup_loss(1.0))
    assert history[-1]["test_accuracy"] > 0.9


def test_needs_a_sequential_model():
    with pytest.raises(TypeError, match="nn.Sequential"):
        manifold_mixup_loss(1.0)(me.SmallCNN(), torch.rand(2, 1, 28, 28), torch.tensor([0, 1]), torch.Generator())


def test_mixing_loss_variants():
    model, x, y = me.SmallCNN(seed=0), torch.rand(8, 1, 28, 28), torch.randint(0, 10, (8,))
    g = lambda: torch.Generator().manual_seed(0)  # noqa: E731
    erm = mixing_loss(0.0)(model, x, y, g())
    torch.testing.assert_close(erm, F.cross_entropy(model(x), y))
    smoothed = mixing_loss(0.0, label_smoothing=0.1)(model, x, y, g())
    torch.testing.assert_close(smoothed, F.cross_entropy(model(x), y, label_smoothing=0.1))
    cut = mixing_loss(1.0, mixer=me.cutmix_data)(model, x, y, g())
    mixed, y_a, y_b, lam = me.cutmix_data(x, y, 1.0, generator=g())
    torch.testing.assert_close(cut, me.mixup_criterion(F.cross_entropy, model(mixed), y_a, y_b, lam))


@pytest.mark.parametrize(
    "points, error, match",
    [([], ValueError, "points is empty"), ([0, 2.5], TypeError, "split point"), ([-1], ValueError, "split point"),
     (3, TypeError, "points must be a list"), ([0, 99], ValueError, "go past")],
    ids=["empty", "float", "negative", "not-a-list", "past-the-model"],
)
def test_bad_split_points(points, error, match):
    model, x, y = me.MLP(seed=0), torch.randn(4, 2), torch.tensor([0, 1, 0, 1])
    with pytest.raises(error, match=match):
        manifold_mixup_loss(1.0, points=points)(model, x, y, torch.Generator().manual_seed(0))
