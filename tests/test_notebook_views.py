"""Each view shows only the instructions that fit it.

JupyterLab needs "Run All Cells" at the top and, on a return visit, a sentence above every widget
saying what to click when it shows "Error displaying widget". Voilà has already run the page, so
those cells are tagged notebook-only and the course's Voilà template leaves them out.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools.build_course import NOTEBOOK_ONLY, WIDGET_NOTE_TEXT, shows_widget

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    path.relative_to(REPO).as_posix()
    for folder in ("lessons", "exercises", "solutions")
    for path in (REPO / folder).glob("*.ipynb")
)
# Words that only make sense where there are cells to run.
NOTEBOOK_WORDS = ("Run All", "Shift+Enter", "run the cell", "Run the cell")


def cells(path: str) -> list[nbformat.NotebookNode]:
    return nbformat.read(REPO / path, as_version=4).cells


def notebook_only(cell: nbformat.NotebookNode) -> bool:
    return NOTEBOOK_ONLY in cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_run_all_banner_right_below_the_title(path: str) -> None:
    banner = cells(path)[1]
    assert banner.cell_type == "markdown" and notebook_only(banner), (
        f"{path}: the cell after the title should be the notebook-only Run All banner"
    )
    assert "Run All Cells" in banner.source


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_widget_has_the_what_to_click_sentence_above_it(path: str) -> None:
    notebook = cells(path)
    widgets = [index for index, cell in enumerate(notebook) if shows_widget(cell)]
    if "exercises/" in path or "solutions/" in path:
        assert widgets, f"{path} has no workbench cell"
    for index in widgets:
        above = notebook[index - 1]
        assert notebook_only(above) and above.source == WIDGET_NOTE_TEXT, (
            f"{path}: cell {index} shows a widget without the sentence above it"
        )


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_cell_running_instructions_only_in_notebook_only_cells(path: str) -> None:
    for cell in cells(path):
        if cell.cell_type == "markdown" and not notebook_only(cell):
            found = [word for word in NOTEBOOK_WORDS if word in cell.source]
            assert not found, f"{path}: {found} would show in Voilà: {cell.source[:80]!r}"


def test_landing_page_maps_lessons_and_exercises_but_no_solutions() -> None:
    text = "\n".join(cell.source for cell in cells("course.ipynb"))
    for path in NOTEBOOKS:
        if path.startswith("solutions/"):
            assert path not in text
        else:
            assert f"]({path})" in text, f"course.ipynb does not link to {path}"
    assert "solution" not in text.lower()
