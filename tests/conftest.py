import importlib
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from hypothesis import settings

settings.register_profile("default", max_examples=40, deadline=None)
settings.load_profile("default")

# The repository and its course notebooks, written out once for every test.
ROOT = Path(__file__).resolve().parents[1]
COURSE_NOTEBOOKS = "notebooks/[0-9][0-9]_*.ipynb"  # numbered, in order: not the solutions, not the translations


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.fixture(scope="session")
def course_notebooks() -> list[Path]:
    """The course's notebooks, ``notebooks/NN_*.ipynb``, in order."""
    return sorted(ROOT.glob(COURSE_NOTEBOOKS))


@pytest.fixture(scope="session")
def import_script():
    """``import_script("badges")`` imports scripts/badges.py as running it would: with scripts/ on sys.path."""
    folder = str(ROOT / "scripts")
    sys.path.insert(0, folder)
    yield importlib.import_module
    sys.path.remove(folder)


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(1234)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
