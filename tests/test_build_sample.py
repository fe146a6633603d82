"""The sample's build script: reproducible bytes, duplicates dropped, hash recorded."""

import hashlib

import numpy as np
import pytest

import mixup_edu.data as data


@pytest.fixture(scope="module")
def build(import_script):
    return import_script("build_fashion_mnist_sample")


def test_recorded_hash_is_the_bundled_file():
    assert hashlib.sha256(data.SAMPLE_PATH.read_bytes()).hexdigest() == data.SAMPLE_SHA256


def test_npz_bytes_are_reproducible(build, tmp_path):
    arrays = {"x": np.arange(100, dtype=np.uint8).reshape(4, 25), "y": np.arange(4, dtype=np.uint8)}
    first = build.write_npz(arrays, tmp_path / "a.npz")
    second = build.write_npz(arrays, tmp_path / "b.npz")
    assert first == second
    with np.load(tmp_path / "a.npz", allow_pickle=False) as loaded:
        assert np.array_equal(loaded["x"], arrays["x"])


def test_duplicates_are_dropped_everywhere(build):
    a = np.array([[1, 2], [3, 4], [1, 2]], dtype=np.uint8)
    b = np.array([[3, 4], [5, 6]], dtype=np.uint8)
    kept = build.unique_rows([a, b])
    assert kept[0].size == 0 and kept[1].tolist() == [[5, 6]]
