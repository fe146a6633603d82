import pytest
import torch

from mixup_edu import MLP, SmallCNN


def test_small_cnn_shapes():
    model = SmallCNN(seed=0)
    assert model(torch.rand(5, 1, 28, 28)).shape == (5, 10)
    assert model.features(torch.rand(2, 1, 28, 28)).shape == (2, 16, 7, 7)
    assert SmallCNN(widths=(4, 6), hidden=8)(torch.rand(3, 1, 28, 28)).shape == (3, 10)


@pytest.mark.parametrize("shape", [(2, 3, 28, 28), (2, 1, 32, 32), (2, 784), (2, 28, 28)])
def test_small_cnn_rejects_wrong_shapes_clearly(shape):
    with pytest.raises(ValueError, match=r"\(B, 1, 28, 28\)"):
        SmallCNN()(torch.rand(shape))


def test_seeded_init_is_reproducible_and_leaves_global_rng_alone():
    torch.manual_seed(0)
    before = torch.rand(1)
    torch.manual_seed(0)
    a, b = SmallCNN(seed=3), SmallCNN(seed=3)
    after = torch.rand(1)
    assert torch.equal(before, after)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    c = SmallCNN(seed=4)
    assert not torch.equal(next(a.parameters()), next(c.parameters()))


def test_mlp():
    model = MLP(hidden=16, depth=3, seed=0)
    assert model(torch.rand(7, 2)).shape == (7, 2)
    assert sum(isinstance(m, torch.nn.Linear) for m in model) == 4
