"""Status marks render with only DejaVu fonts: no learner-visible text needs an emoji font.

Checks the string literals of the modules that build learner views and the Markdown of every
notebook against the character map of DejaVu Sans (the copy matplotlib ships, so the test needs
no system fonts). The grader's matching modules are left out: their patterns name emoji in
order to flag them in a learner's message, and never show them.
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path

import matplotlib
import nbformat
import pytest
from fontTools.ttLib import TTFont

from outreach_coach import marks

REPO = Path(__file__).resolve().parents[1]
VIEW_MODULES = [
    "outreach_coach/marks.py",
    "outreach_coach/grader/report.py",
    "outreach_coach/workbench.py",
    "outreach_coach/quiz.py",
    "outreach_coach/lesson_views.py",
    "outreach_coach/views.py",
    "outreach_coach/simulator.py",
    "outreach_coach/classreport/html.py",
    "outreach_coach/classreport/gradebook.py",
    "outreach_coach/classreport/command.py",
    "outreach_coach/classreport/loading.py",
    "outreach_coach/highlight.py",
    "outreach_coach/storage/answers.py",
    "outreach_coach/storage/store.py",
    "outreach_coach/cli.py",
    "tools/build_course.py",
    "tools/build_exercises.py",
]
NOTEBOOKS = sorted(
    path.relative_to(REPO).as_posix()
    for pattern in ("course.ipynb", "lessons/*.ipynb", "exercises/*.ipynb", "solutions/*.ipynb")
    for path in REPO.glob(pattern)
)


@cache
def dejavu() -> frozenset[int]:
    font = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
    return frozenset(TTFont(font).getBestCmap())


def missing(text: str) -> list[str]:
    """Characters of text that DejaVu Sans cannot draw (control characters aside)."""
    # Lone surrogates are never shown: they only appear in patterns that clean them away.
    shown = (ch for ch in text if ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF)
    return sorted({ch for ch in shown if ord(ch) not in dejavu()})


def string_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_marks_are_in_dejavu_sans() -> None:
    for mark in (marks.PASS, marks.FAIL, marks.WARN, marks.INFO, marks.TODO):
        assert missing(mark) == [], f"{mark!r} needs a font other than DejaVu Sans"


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_learner_strings_need_no_emoji_font(module: str) -> None:
    found = {text[:60]: missing(text) for text in string_literals(REPO / module) if missing(text)}
    assert found == {}, f"{module}: characters DejaVu Sans cannot draw: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_markdown_needs_no_emoji_font(path: str) -> None:
    notebook = nbformat.read(REPO / path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert missing(cell.source) == [], f"{path}: {missing(cell.source)} in {cell.source!r}"
