"""Where the scripts find the repository: its root and its notebooks, written out once.

The scripts run as ``python scripts/NAME.py``, so this folder is on ``sys.path`` and they
``from repo_paths import ROOT, course_notebooks``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
COURSE_GLOB = "[0-9][0-9]_*.ipynb"  # the course's notebooks, in order: not the solutions, not the translations


def course_notebooks() -> list[Path]:
    """The numbered notebooks of the course, ``notebooks/NN_*.ipynb``, in order."""
    return sorted(NOTEBOOKS.glob(COURSE_GLOB))


def all_notebooks() -> list[Path]:
    """Every notebook under ``notebooks/``, subfolders (solutions, translations) included."""
    return sorted(path for path in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)
