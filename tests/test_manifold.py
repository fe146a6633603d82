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


def test_a_model_that_cannot_be_split_is_refused():
    with pytest.raises(TypeError, match="features and classifier"):
        network_layers(nn.Linear(2, 2))
