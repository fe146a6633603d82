import math
import pickle

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset, default_collate
from torchvision.transforms import v2

from mixup_edu import MixUp, mix, mix_targets, mixup_data


def test_contract_shapes_and_soft_labels(gen):
    images, labels = torch.rand(8, 1, 28, 28), torch.randint(0, 10, (8,))
    mixed, soft = MixUp(alpha=1.0, num_classes=10, generator=gen)(images, labels)
    assert mixed.shape == images.shape
    assert soft.shape == (8, 10) and soft.dtype == torch.float32
    torch.testing.assert_close(soft.sum(1), torch.ones(8))


def test_matches_mixup_data_for_the_same_seed():
    images, labels = torch.rand(8, 3), torch.randint(0, 4, (8,))
    mixed, soft = MixUp(alpha=0.4, num_classes=4, generator=torch.Generator().manual_seed(3))(images, labels)
    m2, y_a, y_b, lam = mixup_data(images, labels, 0.4, generator=torch.Generator().manual_seed(3))
    assert torch.equal(mixed, m2)
    torch.testing.assert_close(soft, mix_targets(y_a, y_b, lam, 4))


def test_same_result_as_torchvision_for_the_same_lambda_and_partner():
    # torchvision pairs sample i with sample i - 1 (a roll of the batch); give
    # our mixing the same partner and the same lambda and the outputs agree.
    images, labels = torch.rand(6, 1, 5, 5), torch.randint(0, 3, (6,))
    torch.manual_seed(11)
    tv_images, tv_labels = v2.MixUp(alpha=0.5, num_classes=3)(images, labels)
    torch.manual_seed(11)
    lam = float(torch.distributions.Beta(0.5, 0.5).sample(()))
    partner = torch.arange(6).roll(1)
    torch.testing.assert_close(mix(images, partner, lam), tv_images)
    torch.testing.assert_close(mix_targets(labels, labels[partner], lam, 3), tv_labels)


def test_inside_a_dataloader_collate():
    data = TensorDataset(torch.rand(20, 1, 4, 4), torch.randint(0, 5, (20,)))
    mixup = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0))
    loader = DataLoader(data, batch_size=8, collate_fn=lambda batch: mixup(*default_collate(batch)))
    shapes = [(x.shape, t.shape) for x, t in loader]
    assert shapes == [((8, 1, 4, 4), (8, 5)), ((8, 1, 4, 4), (8, 5)), ((4, 1, 4, 4), (4, 5))]
    # without workers, .collate draws from the given generator exactly like a direct call
    images, labels = data.tensors[0][:8], data.tensors[1][:8]
    collate = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0)).collate
    first = next(iter(DataLoader(data, batch_size=8, collate_fn=collate)))
    expected = MixUp(alpha=1.0, num_classes=5, generator=torch.Generator().manual_seed(0))(images, labels)
    assert all(torch.equal(a, b) for a, b in zip(first, expected))


def soft_labels_per_batch(loader, epochs):
    """Within each batch the labels are 0 .. 7 in order, so a batch's soft labels spell out its λ and partners."""
    return [soft for _ in range(epochs) for _, soft in loader]


@pytest.mark.parametrize("persistent_workers", [False, True], ids=["new-workers-each-epoch", "persistent-workers"])
def test_workers_mix_every_batch_afresh_and_reproducibly(persistent_workers):
    data = TensorDataset(torch.rand(32, 3), torch.arange(32) % 8)

    def run(seed):
        mixup = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(0))
        loader = DataLoader(data, batch_size=8, num_workers=2, collate_fn=mixup.collate,
                            persistent_workers=persistent_workers, generator=torch.Generator().manual_seed(seed))
        return soft_labels_per_batch(loader, epochs=3)

    first, again, other_seed = run(0), run(0), run(1)
    assert len(first) == 12
    assert len({tuple(soft.flatten().tolist()) for soft in first}) == 12  # 3 epochs x 4 batches, no repeat
    assert all(torch.equal(a, b) for a, b in zip(first, again))  # same seeds, same batches
    assert not all(torch.equal(a, b) for a, b in zip(first, other_seed))


def test_collate_pickles_for_spawned_workers():
    # Spawned workers receive the collate function pickled; a lambda cannot be, and a torch.Generator
    # pickled for a worker used to arrive as freed shared memory (the worker died). One worker, one epoch.
    data = TensorDataset(torch.rand(16, 3), torch.arange(16) % 8)
    mixup = MixUp(alpha=1.0, num_classes=8, generator=torch.Generator().manual_seed(0))
    loader = DataLoader(data, batch_size=8, num_workers=1, collate_fn=mixup.collate, multiprocessing_context="spawn",
                        generator=torch.Generator().manual_seed(0))
    batches = soft_labels_per_batch(loader, epochs=1)
    assert [soft.shape for soft in batches] == [(8, 8), (8, 8)]
    assert not torch.equal(batches[0], batches[1])


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_every_integer_label_dtype_gives_the_same_soft_labels(dtype):
    images, labels = torch.rand(8, 3), torch.randint(0, 5, (8,), generator=torch.Generator().manual_seed(1))
    expected = MixUp(alpha=0.4, num_classes=5, generator=torch.Generator().manual_seed(2))(images, labels)
    got = MixUp(alpha=0.4, num_classes=5, generator=torch.Generator().manual_seed(2))(images, labels.to(dtype))
    assert all(torch.equal(a, b) for a, b in zip(got, expected))


def test_alpha_zero_leaves_infinite_images_as_they_are():
    images = torch.tensor([[1.0], [math.inf], [2.0], [-math.inf]])
    mixed, soft = MixUp(alpha=0.0, num_classes=4, generator=torch.Generator().manual_seed(0))(images, torch.arange(4))
    assert torch.equal(mixed, images) and torch.equal(soft, torch.eye(4))


def test_bad_construction_and_labels():
    with pytest.raises(TypeError, match="num_classes"):
        MixUp(alpha=1.0)
    with pytest.raises(ValueError, match="alpha"):
        MixUp(alpha=-1, num_classes=3)
    with pytest.raises(ValueError, match="num_classes must be an integer >= 1"):
        MixUp(num_classes=0)
    mixup = MixUp(num_classes=3)
    with pytest.raises(ValueError, match="outside"):
        mixup(torch.rand(2, 2), torch.tensor([0, 3]))
    with pytest.raises(TypeError, match="integer class indices"):
        mixup(torch.rand(2, 2), torch.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="batch sizes differ"):
        mixup(torch.rand(3, 2), torch.tensor([0, 1]))


def test_pickled_copy_draws_the_same_numbers():
    mixup = MixUp(alpha=0.4, num_classes=3, generator=torch.Generator().manual_seed(5))
    copy = pickle.loads(pickle.dumps(mixup))
    images, labels = torch.rand(6, 2), torch.tensor([0, 1, 2, 0, 1, 2])
    assert all(torch.equal(a, b) for a, b in zip(copy(images, labels), mixup(images, labels)))
