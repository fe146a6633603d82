import pytest
import torch
from matplotlib.axes import Axes
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from torch import nn

import mixup_edu as me


def test_beta_pdfs():
    ax = me.plot_beta_pdfs((0.2, 1, 8))
    assert isinstance(ax, Axes) and len(ax.lines) == 3
    assert ax.get_xlabel() == "λ" and ax.get_title()


def test_soft_label_title():
    names = me.FASHION_MNIST_CLASSES
    target = me.mix_targets(torch.tensor([7]), torch.tensor([8]), 0.62, 10)[0]
    assert me.soft_label_title(target, names) == "0.62 Sneaker + 0.38 Bag"
    assert me.soft_label_title(me.one_hot(torch.tensor([1]), 10)[0], names) == "1.00 Trouser"


def test_mixed_batch_titles():
    soft = me.mix_targets(torch.tensor([0, 1, 2]), torch.tensor([3, 4, 5]), 0.7, 10)
    fig = me.plot_mixed_batch(torch.rand(3, 1, 28, 28), soft, me.FASHION_MNIST_CLASSES, ncols=3)
    assert isinstance(fig, Figure)
    assert [a.get_title() for a in fig.axes] == ["0.70 T-shirt/top + 0.30 Dress", "0.70 Trouser + 0.30 Coat", "0.70 Pullover + 0.30 Sandal"]


def test_decision_boundary():
    x, y = me.make_moons(50, generator=torch.Generator().manual_seed(0))
    ax = me.plot_decision_boundary(me.MLP(seed=0), x, y, resolution=20, title="ERM")
    assert ax.get_title() == "ERM" and ax.get_xlabel()


def test_decision_boundary_shades_the_probability_of_class_1():
    # logits (0, 10·x₁): p(class 1) = sigmoid(10·x₁) rises from left (x₁ < 0) to right (x₁ > 0)
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.0, 0.0], [10.0, 0.0]]))
        model.bias.zero_()
    x = torch.tensor([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    ax = me.plot_decision_boundary(model, x, torch.tensor([0, 1, 0, 1]), resolution=41, margin=0.0)
    filled = next(c for c in ax.collections if isinstance(c, ContourSet) and c.filled)
    assert list(filled.levels) == pytest.approx([i / 10 for i in range(11)])
    lowest, highest = filled.allsegs[0], filled.allsegs[-1]  # the bands p < 0.1 and p > 0.9
    assert lowest and highest
    assert all(polygon[:, 0].max() < 0 for polygon in lowest)
    assert all(polygon[:, 0].min() > 0 for polygon in highest)
    boundary = next(c for c in ax.collections if isinstance(c, ContourSet) and not c.filled)
    assert list(boundary.levels) == [0.5] and boundary.allsegs[0]
    assert all(abs(polygon[:, 0]).max() < 0.05 for polygon in boundary.allsegs[0])  # p = 0.5 at x₁ = 0


def test_history_and_reliability():
    history = [{"epoch": e, "train_loss": 1 / e, "test_loss": 1 / e, "test_accuracy": e / 10} for e in (1, 2)]
    fig = me.plot_history({"ERM": history, "mixup": history})
    assert len(fig.axes) == 3 and all(len(a.lines) == 2 for a in fig.axes)
    probs = torch.softmax(torch.randn(100, 3, generator=torch.Generator().manual_seed(0)), 1)
    ax = me.plot_reliability_diagram(probs, torch.randint(0, 3, (100,)), n_bins=5, title="ERM")
    assert ax.get_title() == "ERM" and ax.get_xlabel() == "confidence"
