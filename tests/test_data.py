import shutil

import numpy as np
import pytest
import torch
import torchvision.datasets
from hypothesis import given
from hypothesis import strategies as st

import mixup_edu.data as data
from mixup_edu import FASHION_MNIST_CLASSES, add_label_noise, load_fashion_mnist


@pytest.mark.parametrize("train, n", [(True, 10_000), (False, 3_000)])
def test_bundled_sample(train, n):
    x, y = load_fashion_mnist(train)
    assert x.shape == (n, 1, 28, 28) and x.dtype == torch.float32
    assert y.shape == (n,) and y.dtype == torch.long
    assert 0 <= x.min() and x.max() <= 1 and x.max() > 0.9
    assert torch.equal(y.bincount(), torch.full((10,), n // 10))
    x2, y2 = load_fashion_mnist(train)
    assert torch.equal(x, x2) and torch.equal(y, y2)


def test_the_training_split_by_default():
    x, y = load_fashion_mnist()
    assert x.shape[0] == 10_000 and torch.equal(y, load_fashion_mnist(train=True)[1])


def test_train_and_test_share_no_image():
    train = {row.numpy().tobytes() for row in (load_fashion_mnist(True)[0] * 255).byte()}
    test = {row.numpy().tobytes() for row in (load_fashion_mnist(False)[0] * 255).byte()}
    assert len(train) == 10_000 and len(test) == 3_000
    assert not train & test


def test_class_names():
    assert len(FASHION_MNIST_CLASSES) == 10
    assert FASHION_MNIST_CLASSES[7] == "Sneaker" and FASHION_MNIST_CLASSES[8] == "Bag"


def test_damaged_sample_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "sample.npz"
    shutil.copy(data.SAMPLE_PATH, copy)
    raw = bytearray(copy.read_bytes())
    raw[-100] ^= 0xFF
    copy.write_bytes(bytes(raw))
    monkeypatch.setattr(data, "SAMPLE_PATH", copy)
    with pytest.raises(RuntimeError, match="SHA-256"):
        load_fashion_mnist()


def test_the_loaded_arrays_are_the_bytes_that_were_hashed(tmp_path, monkeypatch):
    """The file is swapped for another valid .npz right after it is read: what loads must be what was checked."""
    genuine = load_fashion_mnist(train=False)
    copy = tmp_path / "sample.npz"
    shutil.copy(data.SAMPLE_PATH, copy)

    class SwappedAfterReading(type(copy)):
        def read_bytes(self):
            raw = super().read_bytes()
            with open(self, "wb") as file:
                np.savez(file, x_train=np.zeros((1, 28, 28), np.uint8), y_train=np.zeros(1, np.int64),
                         x_test=np.zeros((1, 28, 28), np.uint8), y_test=np.zeros(1, np.int64))
            return raw

    monkeypatch.setattr(data, "SAMPLE_PATH", SwappedAfterReading(copy))
    x, y = load_fashion_mnist(train=False)
    assert torch.equal(x, genuine[0]) and torch.equal(y, genuine[1])


def test_full_download_without_network_points_to_the_sample_in_one_line(tmp_path, monkeypatch):
    def offline(*args, **kwargs):  # torchvision's own message spans several lines
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried http://example/, got:\n"
                           "<urlopen error [Errno -3] Temporary failure in name resolution>\n")

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", offline)
    with pytest.raises(RuntimeError, match=r"\(RuntimeError: Error downloading .*name resolution>\); .*network.*bundled") as error:
        load_fashion_mnist(full=True, root=tmp_path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("train", [True, False])
def test_full_uses_torchvision(tmp_path, monkeypatch, train):
    asked = {}

    class Fake:
        def __init__(self, root, train, download):
            asked.update(root=root, train=train, download=download)
            self.data = torch.full((3, 28, 28), 255, dtype=torch.uint8)
            self.targets = torch.tensor([0, 1, 2])

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", Fake)
    x, y = load_fashion_mnist(train, full=True, root=tmp_path)
    assert asked == {"root": str(tmp_path), "train": train, "download": True}
    assert x.shape == (3, 1, 28, 28) and x.max() == 1.0 and y.tolist() == [0, 1, 2]
    monkeypatch.setattr(data, "DEFAULT_ROOT", tmp_path / "default")
    load_fashion_mnist(train, full=True)
    assert asked["root"] == str(tmp_path / "default")


@given(n=st.integers(1, 300), c=st.integers(2, 10), rate=st.floats(0, 0.99), seed=st.integers(0, 10**6))
def test_label_noise_flips_exactly_the_rate(n, c, rate, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, c, (n,), generator=g)
    y0 = y.clone()
    noisy, flipped = add_label_noise(y, rate, c, generator=g)
    assert torch.equal(y, y0)
    assert flipped.sum().item() == round(rate * n)
    assert torch.all(noisy[flipped] != y[flipped])
    assert torch.equal(noisy[~flipped], y[~flipped])
    assert noisy.min() >= 0 and noisy.max() < c


def test_label_noise_is_symmetric_and_seeded():
    y = torch.zeros(20_000, dtype=torch.long)
    noisy, _ = add_label_noise(y, 0.5, 5, generator=torch.Generator().manual_seed(0))
    counts = noisy.bincount(minlength=5).float() / len(y)
    torch.testing.assert_close(counts, torch.tensor([0.5, 0.125, 0.125, 0.125, 0.125]), atol=0.01, rtol=0)
    again, _ = add_label_noise(y, 0.5, 5, generator=torch.Generator().manual_seed(0))
    assert torch.equal(noisy, again)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan")])
def test_label_noise_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        add_label_noise(torch.tensor([0, 1]), rate, 2)


@pytest.mark.parametrize("rate", [True, "0.1", None])
def test_label_noise_rate_of_the_wrong_kind(rate):
    with pytest.raises(TypeError, match="rate must be a real number"):
        add_label_noise(torch.tensor([0, 1]), rate, 2)


def test_no_noise_needs_no_second_class():
    noisy, flipped = add_label_noise(torch.zeros(5, dtype=torch.long), 0.0, 1)
    assert torch.equal(noisy, torch.zeros(5, dtype=torch.long)) and not flipped.any()


def test_the_label_dtype_must_hold_every_class():
    y = torch.zeros(300, dtype=torch.int8)
    noisy, _ = add_label_noise(y, 0.9, 128, generator=torch.Generator().manual_seed(0))  # classes 0 .. 127 fit
    assert noisy.dtype == torch.int8 and noisy.max() > 100
    with pytest.raises(ValueError, match="torch.int8 cannot hold class 128"):
        add_label_noise(y, 0.9, 129)


def test_label_noise_bad_labels():
    with pytest.raises(TypeError, match="integer class indices"):
        add_label_noise(torch.tensor([0.0, 1.0]), 0.1, 2)
    with pytest.raises(ValueError, match="outside"):
        add_label_noise(torch.tensor([0, 5]), 0.1, 3)
    with pytest.raises(ValueError, match="torch.int8 cannot hold class 199"):
        add_label_noise(torch.tensor([0, 5], dtype=torch.int8), 0.5, 200)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_label_noise_keeps_the_label_dtype(dtype):
    y = torch.randint(0, 10, (100,), generator=torch.Generator().manual_seed(0))
    g = torch.Generator().manual_seed(1)
    noisy, flipped = add_label_noise(y.to(dtype), np.float32(0.5), np.int64(10), generator=g)
    expected, expected_flipped = add_label_noise(y, 0.5, 10, generator=torch.Generator().manual_seed(1))
    assert noisy.dtype == dtype
    assert torch.equal(noisy.long(), expected) and torch.equal(flipped, expected_flipped)
