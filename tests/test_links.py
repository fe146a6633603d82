"""The launch links in the README and the notebooks come from one address."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_badges_and_readme_table_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "badges.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + "\nrun: python scripts/badges.py"


def test_every_notebook_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert f"](notebooks/{path.name})" in readme
