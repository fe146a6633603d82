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


def _unmix(rows: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows of a blend of basis vectors, row i = λᵢ·e_i + (1 − λᵢ)·e_perm(i): check that form, return (λ, perm).

    Mixing the basis vectors e_0 .. e_(B−1) (as images, or as one-hot labels 0 .. B − 1) shows everything a mix did:
    each row is non-negative, sums to 1, has at most two non-zero entries, its own and its partner's, and the
    partners form a permutation. A row with no partner (λ = 1, or perm(i) = i) gets itself.
    """
    rows = rows.detach().cpu().double().flatten(1)
    b = len(rows)
    own = rows[:, :b].diagonal().clone()
    others = rows.clone()
    others[range(b), range(b)] = -1.0
    weight, partner = others.max(dim=1)
    perm = torch.where(weight > 1e-6, partner, torch.arange(b))
    assert sorted(perm.tolist()) == list(range(b)), f"the partners {perm.tolist()} are not a permutation"
    basis = torch.eye(rows.shape[1], dtype=torch.float64)[:b]
    torch.testing.assert_close(rows, own[:, None] * basis + (1 - own[:, None]) * basis[perm], rtol=0, atol=1e-6)
    return own, perm


@pytest.fixture
def unmix():
    """``unmix(rows) -> (λ, perm)`` for a blend of basis vectors; fails unless each row is one (see ``_unmix``)."""
    return _unmix


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
