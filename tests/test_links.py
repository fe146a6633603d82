"""The launch links in the README and the notebooks come from one address."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest


def test_badges_and_readme_table_are_up_to_date(root):
    result = subprocess.run(
        [sys.executable, str(root / "scripts" / "badges.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + "\nrun: python scripts/badges.py"


BINDER = re.compile(r"https://mybinder\.org/v2/gh/(?P<repo>[^/]+/[^/]+)/(?P<branch>[^?]+)\?urlpath=lab/tree/(?P<path>[^)\s]+)")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/(?P<repo>[^/]+/[^/]+)/blob/(?P<branch>[^/]+)/(?P<path>[^)\s]+)")


def launch_links(text: str) -> list[re.Match]:
    return [*BINDER.finditer(text), *COLAB.finditer(text)]


def test_every_launch_link_opens_a_file_of_this_repository(root):
    """Parsed from the rendered text, not from badges.py: one address, one branch, paths that exist."""
    texts = {name: (root / name).read_text() for name in ("README.md", "README.zh-CN.md")}
    for path in sorted((root / "notebooks").rglob("*.ipynb")):  # solutions and translations included
        cells = nbformat.read(path, as_version=4).cells
        texts[path.relative_to(root).as_posix()] = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    links = [(name, match) for name, text in texts.items() for match in launch_links(text)]
    assert len({match["repo"] for _, match in links}) == 1, "every link must name the same repository"
    assert {match["branch"] for _, match in links} == {"main"}
    for name, match in links:
        assert (root / match["path"]).exists(), f"{name}: {match[0]} opens a path that does not exist"
        if name.endswith(".ipynb"):
            assert match["path"] == name, f"{name}'s badge opens {match['path']}"


@pytest.mark.parametrize("readme, folder", [("README.md", "notebooks"), ("README.zh-CN.md", "notebooks/zh-CN")])
def test_each_readme_lists_its_notebooks_in_order_and_each_row_launches_it(root, readme, folder):
    table = (root / readme).read_text().split("<!-- notebook table: start -->")[1].split("<!-- notebook table: end -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    notebooks = [re.match(r"\| \[[^]]+\]\(([^)]+)\)", row)[1] for row in rows]
    assert notebooks == [p.relative_to(root).as_posix() for p in sorted((root / folder).glob("[0-9][0-9]_*.ipynb"))]
    assert len(notebooks) == 6
    for row, notebook in zip(rows, notebooks):
        assert [match["path"] for match in launch_links(row)] == [notebook, notebook], row



LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def markdown_texts(root: Path) -> dict[Path, str]:
    """The markdown of every notebook (solutions and translations included), of the READMEs and of docs/."""
    texts = {path: path.read_text() for path in [*sorted(root.glob("README*.md")), *sorted((root / "docs").glob("*.md"))]}
    for path in sorted((root / "notebooks").rglob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        texts[path] = "\n\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    return texts


def heading_text(line: str) -> str:
    """A markdown heading line as the reader sees it: no hashes, no emphasis, no code marks, link texts only."""
    text = LINK.sub(lambda m: m[0][1 : m[0].index("](")], line.lstrip("#").strip())
    return re.sub(r"[*_`]", "", text)


def anchors(path: Path, text: str) -> set[str]:
    """The ids of the headings of ``text``: JupyterLab's for a notebook (spaces become hyphens), GitHub's for
    markdown (lower case, punctuation dropped)."""
    headings = [heading_text(line) for line in text.splitlines() if re.match(r"#{1,6} ", line)]
    if path.suffix == ".ipynb":
        return {h.replace(" ", "-") for h in headings}
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_every_relative_link_opens_a_file_and_a_heading_that_exist(root):
    """Links between notebooks and documents, such as 04_erm_vs_mixup.ipynb#A-short-budget, must survive renames.

    JupyterLab looks a fragment up as it is, without decoding it, and a browser percent-encodes every character
    beyond ASCII in it: a link to a heading with α in its name would open the notebook but not scroll to it.
    """
    texts = markdown_texts(root)
    problems = []
    for path, text in texts.items():
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
                continue
            file, _, fragment = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            where = f"{path.relative_to(root)}: {target}"
            if not linked.exists():
                problems.append(f"{where}: no such file")
            elif fragment and not fragment.isascii():
                problems.append(f"{where}: a fragment beyond ASCII, which JupyterLab cannot find once encoded")
            elif fragment and linked.suffix in (".ipynb", ".md"):
                linked_text = texts.get(linked) or linked.read_text()
                if fragment not in anchors(linked, linked_text):
                    problems.append(f"{where}: no heading with that id")
    assert not problems, "\n".join(problems)
