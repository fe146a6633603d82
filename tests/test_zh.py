"""The zh-CN edition: built from the English notebooks and the catalogs, complete, and faithful in its code."""

from __future__ import annotations

import copy
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat
import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import zh

ENGLISH = zh.english_notebooks()
GLOSSARY = ROOT / "docs" / "glossary.zh-CN.md"


def name(path: Path) -> str:
    return path.relative_to(ROOT / "notebooks").as_posix()


@pytest.mark.parametrize("notebook", ENGLISH, ids=name)
def test_every_text_has_a_current_translation(notebook):
    """No entry is missing, fuzzy or empty: each would be English, or outdated Chinese, in the zh-CN notebook."""
    try:
        zh.translate(notebook, zh.load_catalog(notebook))
    except zh.StaleCatalog as stale:
        pytest.fail("stale catalog entries (update translations/zh-CN, then run make zh):\n" + str(stale))


@pytest.mark.parametrize("notebook", ENGLISH, ids=name)
def test_the_zh_notebook_is_what_the_build_writes(notebook):
    built = zh.translate(notebook, zh.load_catalog(notebook))
    assert nbformat.read(zh.output_path(notebook), as_version=4) == built, "run make zh"


def test_every_zh_notebook_has_an_english_source():
    expected = {zh.output_path(p) for p in ENGLISH}
    assert set((ROOT / "notebooks" / "zh-CN").rglob("*.ipynb")) == expected


def without_comments(source: str) -> str:
    """Code with its comments removed and its lines' trailing blanks stripped."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]
    return "\n".join(line.rstrip() for line in tokenize.untokenize(tokens).splitlines())


@pytest.mark.parametrize("notebook", ENGLISH, ids=name)
def test_code_cells_and_outputs_equal_their_english_twins(notebook):
    english = nbformat.read(notebook, as_version=4)
    chinese = nbformat.read(zh.output_path(notebook), as_version=4)
    assert [c.cell_type for c in chinese.cells] == [c.cell_type for c in english.cells]
    for en, cn in zip(english.cells, chinese.cells):
        if en.cell_type == "code":
            assert without_comments(cn.source) == without_comments(en.source)
            assert cn.outputs == en.outputs


def prose(markdown: str) -> str:
    """The words of a markdown cell a reader reads: no math, code, link targets, HTML or URLs."""
    for pattern in (r"```.*?```", r"\$\$.*?\$\$", r"\$[^$]*\$", r"`[^`]*`", r"<!--.*?-->", r"<[^>]+>",
                    r"\]\([^)]*\)", r"https?://\S+"):
        markdown = re.sub(pattern, " ", markdown, flags=re.DOTALL)
    return markdown


HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_mainly_chinese(markdown: str) -> bool:
    """At least as many Chinese characters as Latin words, names and abbreviations included."""
    text = prose(markdown)
    return len(HAN.findall(text)) >= len(LATIN_WORD.findall(text))


@pytest.mark.parametrize("notebook", ENGLISH, ids=name)
def test_markdown_cells_are_mainly_chinese(notebook):
    chinese = nbformat.read(zh.output_path(notebook), as_version=4)
    english = [c for c in chinese.cells if c.cell_type == "markdown" and not c.source.startswith(zh.BADGE_MARK)]
    assert english, "no markdown cells"
    not_chinese = [c.source[:80] for c in english if not is_mainly_chinese(c.source)]
    assert not not_chinese, f"markdown cells that read as English: {not_chinese}"


def test_the_chinese_check_tells_english_from_chinese():
    assert not is_mainly_chinese("## 3. Mixing a batch\n\nOne λ per batch, and a shuffled copy of `x`.")
    assert is_mainly_chinese("## 3. 混合一个批次\n\n每个批次一个 λ，再配上 `x` 打乱后的副本（mixup, ICLR 2018）。")


def glossary() -> list[tuple[list[str], str]]:
    """(English spellings, Chinese term) for each row of the glossary's table."""
    rows = []
    for line in GLOSSARY.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "---"):
            rows.append(([s.strip() for s in cells[0].split("/")], cells[1]))
    return rows


def uses(text: str, spelling: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text, flags=re.IGNORECASE) is not None


def test_the_glossary_has_its_terms():
    terms = {spellings[0]: chinese for spellings, chinese in glossary()}
    assert terms["label smoothing"] == "标签平滑" and terms["vicinal risk"] == "邻域风险" and len(terms) >= 25


@pytest.mark.parametrize("notebook", ENGLISH, ids=name)
def test_translations_use_the_glossary_terms(notebook):
    catalog = zh.load_catalog(notebook)
    wrong = []
    for entry in catalog.translated_entries():
        english = prose(entry.msgid)
        for spellings, chinese in glossary():
            if any(uses(english, s) for s in spellings) and chinese not in entry.msgstr:
                wrong.append(f"{spellings[0]!r} is {chinese!r}, not in: {entry.msgstr[:60]!r}")
    assert not wrong, "\n".join(wrong)


def test_a_changed_english_sentence_names_its_stale_entry(tmp_path):
    """Editing one English sentence makes the build fail, naming the notebook, the cell and the entry, until the
    catalog is updated; the update offers the old translation as fuzzy, which still fails until it is reviewed."""
    source = ENGLISH[0]
    english = nbformat.read(source, as_version=4)
    index = next(i for i, c in enumerate(english.cells) if c.cell_type == "markdown" and "## Setup" in c.source)
    edited = copy.deepcopy(english)
    edited.cells[index].source = english.cells[index].source.replace("We seed", "We always seed")
    assert edited.cells[index].source != english.cells[index].source
    path = tmp_path / "notebooks" / source.name
    path.parent.mkdir()
    nbformat.write(edited, path)
    catalog = zh.load_catalog(source)
    with pytest.raises(zh.StaleCatalog) as stale:
        zh.translate(path, catalog)
    [problem] = stale.value.problems
    assert (problem.cell, problem.why) == (index, "missing")
    assert f"cell {index} (markdown): missing catalog entry for '## Setup" in str(stale.value)

    updated = zh.updated_catalog(path, catalog)
    entry = updated.find(edited.cells[index].source)
    assert "fuzzy" in entry.flags and entry.previous_msgid == english.cells[index].source
    assert entry.msgstr == catalog.find(english.cells[index].source).msgstr
    with pytest.raises(zh.StaleCatalog, match=f"cell {index} \\(markdown\\): fuzzy"):
        zh.translate(path, updated)
    entry.flags.remove("fuzzy")
    zh.translate(path, updated)  # reviewed: builds again


def test_translated_comments_leave_the_code_alone():
    source = "x = 1  # one\n# NBVAL_IGNORE_OUTPUT\ny = '# not a comment'  # two\n"
    assert [t.string for t in zh._comments(source)] == ["# one", "# two"]
    assert zh._translate_comments(source, ["一", "二"]) == "x = 1  # 一\n# NBVAL_IGNORE_OUTPUT\ny = '# not a comment'  # 二\n"


def test_links_open_the_zh_cn_twins_and_other_files_from_the_twins_folder():
    notebooks = ROOT / "notebooks"
    lesson, solution = notebooks / "02_mixed_images.ipynb", notebooks / "solutions" / "02_mixed_images_solutions.ipynb"
    assert zh._relink(
        "[指南](../docs/teaching-guide.md) · [05](05_pitfalls.ipynb#10.-Mixing) · [答案](solutions/x.ipynb) · [论文](https://arxiv.org/abs/1710.09412)",
        lesson,
        zh.output_path(lesson),
    ) == "[指南](../../docs/teaching-guide.md) · [05](05_pitfalls.ipynb) · [答案](solutions/x.ipynb) · [论文](https://arxiv.org/abs/1710.09412)"
    assert zh._relink("[02](../02_mixed_images.ipynb)", solution, zh.output_path(solution)) == "[02](../02_mixed_images.ipynb)"


def test_catalogs_are_valid_po_files():
    for notebook in ENGLISH:
        catalog = polib.pofile(str(zh.catalog_path(notebook)))
        assert catalog.metadata["Language"] == "zh_CN"
