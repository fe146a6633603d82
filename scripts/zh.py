"""The Simplified Chinese (zh-CN) edition of the notebooks, built from the English ones and gettext catalogs.

The English notebooks are the source. Each has a catalog, ``translations/zh-CN/<name>.po``, whose
entries map an English text (msgid) to its translation (msgstr). A text is the source of one markdown
cell, or one comment of a code cell. ``build`` copies each English notebook, code and stored outputs as
they are, and puts the translations in place of the texts; no notebook is re-executed.

    python scripts/zh.py build    # write notebooks/zh-CN/; exits 1 listing every missing or fuzzy entry
    python scripts/zh.py update   # bring the catalogs in step with the English notebooks
    python scripts/zh.py check    # exit 1 if a catalog is not complete or a zh-CN notebook is not what build writes

``update`` adds an empty entry for every new English text. When an English text has changed, its old
entry is kept as a suggestion: the new entry gets the old translation, flagged ``fuzzy`` with the old
English as ``#| msgid``, and ``build`` refuses it until a translator has updated it and removed the flag.
Entries whose text is gone are kept at the end of the catalog as obsolete (``#~``).
"""

from __future__ import annotations

import argparse
import copy
import difflib
import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import polib

from badges import BADGE_MARK, REPOSITORY, badges
from repo_paths import COURSE_GLOB, NOTEBOOKS, ROOT

LANGUAGE = "zh-CN"
CATALOGS = ROOT / "translations" / LANGUAGE
OUTPUT = NOTEBOOKS / LANGUAGE
# Comments that are instructions to a tool, not text for a reader: never translated.
DIRECTIVE = re.compile(r"#\s*(NBVAL_\w+|noqa\b|type:\s*ignore|fmt:|pragma\b)")
# The smallest similarity at which an old entry is offered, as fuzzy, for a changed English text.
FUZZY_MATCH = 0.6


@dataclass(frozen=True)
class Text:
    """One translatable text of a notebook: a markdown cell, or the ``index``-th comment of a code cell."""

    cell: int
    kind: str  # "markdown" or "comment"
    msgid: str
    index: int = 0


@dataclass(frozen=True)
class Problem:
    """A text that ``build`` cannot translate, and why."""

    notebook: str
    cell: int
    kind: str
    why: str  # "missing", "fuzzy" or "untranslated"
    msgid: str

    def __str__(self) -> str:
        first = self.msgid.strip().splitlines()[0] if self.msgid.strip() else ""
        text = first[:70] + ("…" if len(first) > 70 or "\n" in self.msgid.strip() else "")
        return f"{self.notebook}, cell {self.cell} ({self.kind}): {self.why} catalog entry for {text!r}"


class StaleCatalog(Exception):
    """Raised by ``build`` with every text it could not translate."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def english_notebooks() -> list[Path]:
    """The English notebooks and solutions, in reading order."""
    return sorted(NOTEBOOKS.glob(COURSE_GLOB)) + sorted((NOTEBOOKS / "solutions").glob(COURSE_GLOB))


def _within(notebook: Path, folder: Path) -> Path:
    """``notebook``'s path inside ``folder``; a notebook elsewhere (a test's copy) counts by its file name."""
    return notebook.relative_to(folder) if notebook.is_relative_to(folder) else Path(notebook.name)


def catalog_path(notebook: Path) -> Path:
    return CATALOGS / _within(notebook, NOTEBOOKS).with_suffix(".po")


def output_path(notebook: Path) -> Path:
    return OUTPUT / _within(notebook, NOTEBOOKS)


def _comments(source: str) -> list[tokenize.TokenInfo]:
    """The comment tokens of a code cell that a reader should see translated (tool directives excluded)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t for t in tokens if t.type == tokenize.COMMENT and not DIRECTIVE.match(t.string)]


def _comment_text(token: tokenize.TokenInfo) -> str:
    return token.string[1:].strip()


def texts(notebook: nbformat.NotebookNode) -> list[Text]:
    """Every translatable text of ``notebook``, in order. The generated badge cell is not one: build writes it."""
    found = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and not cell.source.startswith(BADGE_MARK):
            found.append(Text(i, "markdown", cell.source))
        elif cell.cell_type == "code":
            found += [Text(i, "comment", _comment_text(t), k) for k, t in enumerate(_comments(cell.source))]
    return found


LINK = re.compile(r"(\]\(|src=\")([^)\"\s]+)")


def _relink(markdown: str, english: Path, chinese: Path) -> str:
    """Relative links of a markdown cell of ``english``, rewritten for its twin ``chinese``.

    A link to an English notebook opens its zh-CN twin instead, without its ``#anchor``: the anchor names an
    English heading, which the twin has in Chinese. Any other relative link (docs, figures) still opens its
    file from the twin's folder. Absolute URLs are left alone.
    """

    def rewrite(match: re.Match) -> str:
        target = match[2]
        if re.match(r"[a-z][a-z0-9+.-]*:|#|/", target):
            return match[0]
        path, _, anchor = target.partition("#")
        resolved = (english.parent / path).resolve()
        if resolved.suffix == ".ipynb" and resolved.is_relative_to(NOTEBOOKS) and not resolved.is_relative_to(OUTPUT):
            resolved, anchor = OUTPUT / resolved.relative_to(NOTEBOOKS), ""
        relative = os.path.relpath(resolved, chinese.parent)
        return match[1] + Path(relative).as_posix() + (f"#{anchor}" if anchor else "")

    return LINK.sub(rewrite, markdown)


def _translate_comments(source: str, translations: list[str]) -> str:
    """``source`` with the text of each comment replaced by the next translation, code untouched."""
    lines = source.splitlines(keepends=True)
    for token, text in reversed(list(zip(_comments(source), translations))):
        row, col = token.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + "# " + text + line[col + len(token.string) :]
    return "".join(lines)


def _lookup(catalog: polib.POFile, text: Text, name: str) -> tuple[str | None, Problem | None]:
    entry = catalog.find(text.msgid)
    why = "missing" if entry is None else "fuzzy" if "fuzzy" in entry.flags else "" if entry.msgstr else "untranslated"
    if why:
        return None, Problem(name, text.cell, text.kind, why, text.msgid)
    return entry.msgstr, None


def translate(notebook_path: Path, catalog: polib.POFile, repo: str = REPOSITORY) -> nbformat.NotebookNode:
    """The zh-CN twin of one English notebook. Raises ``StaleCatalog`` listing every text without a current
    translation; nothing falls back to English or to an outdated translation."""
    english = nbformat.read(notebook_path, as_version=4)
    name = _within(notebook_path, ROOT).as_posix()
    result = copy.deepcopy(english)
    problems = []
    comments: dict[int, list[str]] = {}
    for text in texts(english):
        translation, problem = _lookup(catalog, text, name)
        if problem is not None:
            problems.append(problem)
        elif text.kind == "markdown":
            result.cells[text.cell].source = _relink(translation or "", notebook_path, output_path(notebook_path))
        else:
            comments.setdefault(text.cell, []).append(translation or "")
    if problems:
        raise StaleCatalog(problems)
    for i, translations in comments.items():
        result.cells[i].source = _translate_comments(english.cells[i].source, translations)
    for cell in result.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(BADGE_MARK):
            cell.source = badges(repo, output_path(notebook_path).relative_to(ROOT).as_posix())
    result.metadata["language"] = LANGUAGE
    return result


def load_catalog(notebook: Path) -> polib.POFile:
    path = catalog_path(notebook)
    return polib.pofile(str(path)) if path.exists() else _new_catalog()


def _new_catalog() -> polib.POFile:
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": "mixup-edu",
        "Language": LANGUAGE.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return catalog


def updated_catalog(notebook: Path, old: polib.POFile) -> polib.POFile:
    """The catalog for the current English ``notebook``: entries kept, added, offered as fuzzy, or made obsolete."""
    new = _new_catalog()
    new.metadata = old.metadata or new.metadata
    current = [e for e in old if not e.obsolete]
    unused = {e.msgid: e for e in current}
    name = _within(notebook, ROOT).as_posix()
    for text in texts(nbformat.read(notebook, as_version=4)):
        if new.find(text.msgid) is not None:  # the same text twice: one entry translates both
            continue
        occurrence = [(name, str(text.cell))]
        kept = old.find(text.msgid)
        if kept is not None:
            unused.pop(text.msgid, None)
            new.append(
                polib.POEntry(
                    msgid=text.msgid,
                    msgstr=kept.msgstr,
                    flags=list(kept.flags),
                    previous_msgid=kept.previous_msgid,
                    occurrences=occurrence,
                    tcomment=kept.tcomment,
                )
            )
            continue
        similar = difflib.get_close_matches(text.msgid, list(unused), n=1, cutoff=FUZZY_MATCH)
        if similar:
            was = unused.pop(similar[0])
            new.append(
                polib.POEntry(
                    msgid=text.msgid,
                    msgstr=was.msgstr,
                    flags=["fuzzy"],
                    previous_msgid=was.msgid,
                    occurrences=occurrence,
                    tcomment=was.tcomment,
                )
            )
        else:
            new.append(polib.POEntry(msgid=text.msgid, msgstr="", occurrences=occurrence))
    for entry in [*unused.values(), *(e for e in old if e.obsolete)]:
        if entry.msgstr:  # an obsolete entry keeps a translation that may serve again; an empty one is dropped
            new.append(polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, obsolete=True))
    return new


def _build_all(write: bool) -> list[Problem]:
    problems: list[Problem] = []
    for notebook in english_notebooks():
        try:
            result = translate(notebook, load_catalog(notebook))
        except StaleCatalog as stale:
            problems += stale.problems
            continue
        path = output_path(notebook)
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(result, path)
        elif not path.exists() or nbformat.read(path, as_version=4) != result:
            print(f"out of date: {path.relative_to(ROOT)} (run make zh)")
            problems.append(Problem(path.relative_to(ROOT).as_posix(), -1, "notebook", "out of date", ""))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "update", "check"])
    args = parser.parse_args(argv)
    if args.command == "update":
        for notebook in english_notebooks():
            path = catalog_path(notebook)
            path.parent.mkdir(parents=True, exist_ok=True)
            updated_catalog(notebook, load_catalog(notebook)).save(str(path))
            catalog = polib.pofile(str(path))
            todo = len(catalog.untranslated_entries()) + len(catalog.fuzzy_entries())
            print(f"{path.relative_to(ROOT)}: {catalog.percent_translated()}% translated, {todo} to do")
        return 0
    problems = _build_all(write=args.command == "build")
    for problem in problems:
        if problem.cell >= 0:
            print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); update translations/{LANGUAGE}/*.po, then run make zh", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
