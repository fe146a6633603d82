import pytest
import torch
from torch import nn

import mixup_edu as me
from mixup_edu.manifold import network_layers, run_layers


def test_split_points_of_an_mlp():
    assert me.split_points(me.MLP(depth=3)) == [0, 2, 4, 6]


def test_split_points_of_smallcnn_follow_its_relus():
    layers = network_layers(me.SmallCNN(seed=0))
    assert me.split_points(me.SmallCNN(seed=0)) == [0] + [i + 1 for i, m in enumerate(layers) if isinstance(m, nn.ReLU)]
    assert len(me.split_points(me.SmallCNN(seed=0))) == 4  # inputs, after each conv, after the hidden layer


@pytest.mark.parametrize("model", [me.MLP(seed=0), me.SmallCNN(seed=0)], ids=["MLP", "SmallCNN"])
def test_the_layers_compose_to_the_model(model):
    x = torch.rand(3, 2) if isinstance(model, me.MLP) else torch.rand(3, 1, 28, 28)
    torch.testing.assert_close(run_layers(network_layers(model), x), model(x))


class HalfSequential(nn.Module):
    """``features`` is a Sequential but ``classifier`` is not: its layers cannot be listed."""

    def __init__(self):
        super().__init__()
        self.features, self.classifier = nn.Sequential(nn.Linear(2, 2), nn.ReLU()), nn.Linear(2, 2)

    def forward(self, x):
        return self.classifier(self.features(x))


@pytest.mark.parametrize("model", [nn.Linear(2, 2), HalfSequential()], ids=["Linear", "half-Sequential"])
def test_a_model_that_cannot_be_split_is_refused(model):
    with pytest.raises(TypeError, match=rf"features and classifier Sequentials \(like SmallCNN\); got {type(model).__name__}$"):
        network_layers(model)
