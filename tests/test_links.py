"""The launch links in the README and the notebooks come from one address."""

import re
import subprocess
import sys

import nbformat


def test_badges_and_readme_table_are_up_to_date(root):
    result = subprocess.run(
        [sys.executable, str(root / "scripts" / "badges.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + "\nrun: python scripts/badges.py"


BINDER = re.compile(r"https://mybinder\.org/v2/gh/(?P<repo>[^/]+/[^/]+)/(?P<branch>[^?]+)\?urlpath=lab/tree/(?P<path>[^)\s]+)")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/(?P<repo>[^/]+/[^/]+)/blob/(?P<branch>[^/]+)/(?P<path>[^)\s]+)")


def launch_links(text: str) -> list[re.Match]:
    return [*BINDER.finditer(text), *COLAB.finditer(text)]


def test_every_launch_link_opens_a_file_of_this_repository(root, course_notebooks):
    """Parsed from the rendered text, not from badges.py: one address, one branch, paths that exist."""
    texts = {"README.md": (root / "README.md").read_text()}
    for path in course_notebooks:
        cells = nbformat.read(path, as_version=4).cells
        texts[path.name] = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    links = [(name, match) for name, text in texts.items() for match in launch_links(text)]
    assert len({match["repo"] for _, match in links}) == 1, "every link must name the same repository"
    assert {match["branch"] for _, match in links} == {"main"}
    for name, match in links:
        assert (root / match["path"]).exists(), f"{name}: {match[0]} opens a path that does not exist"
        if name.endswith(".ipynb"):
            assert match["path"] == f"notebooks/{name}", f"{name}'s badge opens {match['path']}"


def test_the_readme_lists_every_notebook_in_order_and_each_row_launches_it(root, course_notebooks):
    table = (root / "README.md").read_text().split("<!-- notebook table: start -->")[1].split("<!-- notebook table: end -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    notebooks = [re.match(r"\| \[[^]]+\]\(([^)]+)\)", row)[1] for row in rows]
    assert notebooks == [p.relative_to(root).as_posix() for p in course_notebooks]
    for row, notebook in zip(rows, notebooks):
        assert [match["path"] for match in launch_links(row)] == [notebook, notebook], row

