"""The lesson notebooks: names, Carpentries structure, short code cells, links, clean outputs."""

from __future__ import annotations

import ast
import copy
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest

from outreach_coach import data
from outreach_coach.lesson_views import pair_length_notes
from outreach_coach.quiz import question
from outreach_coach.simulator import storm_report

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
EXERCISES = ROOT / "exercises"
SEED = Path("/work/shared/seed")

EXPECTED = [
    "00_start_here.ipynb",
    "01_reply_all_storm.ipynb",
    "02_anatomy_of_spam.ipynb",
    "03_personalization.ipynb",
    "04_offer_relevance.ipynb",
    "05_professional_writing.ipynb",
    "06_when_it_goes_wrong.ipynb",
    "07_finish.ipynb",
]
NAME = re.compile(r"^\d\d_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
WORKBENCH_IDS = {
    "03_personalization.ipynb": "l03-personalization",
    "04_offer_relevance.ipynb": "l04-relevance",
    "05_professional_writing.ipynb": "l05-mechanics",
}
MAX_CODE_LINES = 3


@cache
def notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(LESSONS / name, as_version=4)


def markdown(name: str) -> str:
    return "\n\n".join(c.source for c in notebook(name).cells if c.cell_type == "markdown")


def code_cells(name: str) -> list[nbformat.NotebookNode]:
    return [c for c in notebook(name).cells if c.cell_type == "code"]


def test_the_lessons_are_exactly_the_planned_ones() -> None:
    assert sorted(p.name for p in LESSONS.glob("*.ipynb")) == EXPECTED
    assert all(NAME.match(name) for name in EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_opens_with_time_and_objectives(name: str) -> None:
    first = notebook(name).cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# ")
    assert re.search(r"\*\*Estimated time:\*\* \d+ minutes", first.source)
    objectives = first.source.split("**Objectives**", 1)
    assert len(objectives) == 2, "no Objectives heading"
    assert objectives[1].count("\n> - ") >= 2


@pytest.mark.parametrize("name", EXPECTED)
def test_ends_with_key_points_then_the_next_step(name: str) -> None:
    points, last = notebook(name).cells[-2:]
    assert points.cell_type == "markdown" and points.source.startswith("## Key points")
    assert points.source.count("\n- ") >= 2
    assert last.cell_type == "markdown" and last.source.startswith("## Next step")


@pytest.mark.parametrize("name", EXPECTED)
def test_no_instructor_notes_for_learners(name: str) -> None:
    text = markdown(name).lower()
    assert "instructor note" not in text and "## instructor" not in text


@pytest.mark.parametrize("name", EXPECTED)
def test_code_cells_are_imports_or_one_call(name: str) -> None:
    for cell in code_cells(name):
        lines = [line for line in cell.source.splitlines() if line.strip()]
        assert 1 <= len(lines) <= MAX_CODE_LINES, cell.source
        body = ast.parse(cell.source).body
        imports = all(isinstance(node, ast.Import | ast.ImportFrom) for node in body)
        one_call = (
            len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call)
        )
        assert imports or one_call, f"not an import or a single call:\n{cell.source}"


@pytest.mark.parametrize("name", EXPECTED)
def test_saved_without_outputs(name: str) -> None:
    nb = notebook(name)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata
    for cell in code_cells(name):
        assert cell.outputs == [] and cell.execution_count is None, cell.source


STORM_FIGURES = storm_report(150, 0.2, 60)


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("01_reply_all_storm.ipynb", "print(storm_report(150, 0.2, 60))", STORM_FIGURES),
        ("05_professional_writing.ipynb", "print(pair_length_notes())", pair_length_notes()),
    ],
)
def test_printed_figures_are_what_the_model_says(name: str, source: str, expected: str) -> None:
    """Run the lesson as a learner would and compare what it prints with the pure functions."""
    from nbclient import NotebookClient

    nb = copy.deepcopy(notebook(name))  # the cached copy must stay as it is on disk
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(LESSONS)}}
    ).execute()
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source == source)
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert printed == expected + "\n"
    assert "4,650" in STORM_FIGURES


LINK = re.compile(r"\]\(([^)\s]+\.ipynb)\)")


def test_start_here_maps_every_lesson_and_exercise() -> None:
    links = {(LESSONS / t).resolve() for t in LINK.findall(markdown("00_start_here.ipynb"))}
    for name in EXPECTED:
        assert (LESSONS / name).resolve() in links, name
    for path in EXERCISES.glob("*.ipynb"):
        assert path.resolve() in links, f"course map misses {path.name}"


def test_start_here_explains_running_saving_and_resetting() -> None:
    text = markdown("00_start_here.ipynb")
    for needed in ("Run → Run All Cells", "progress/", "OUTREACH_COACH_PROGRESS", "delete"):
        assert needed in text, needed


CALL = re.compile(r'(Workbench|Quiz)\("([^"]+)"\)')


@pytest.mark.parametrize("name", EXPECTED)
def test_workbenches_and_quizzes_exist(name: str) -> None:
    for cell in code_cells(name):
        for kind, ident in CALL.findall(cell.source):
            if kind == "Workbench":
                assert ident in data.scenarios(), ident
            else:
                question(ident)  # raises KeyError for an unknown id
    if name in WORKBENCH_IDS:
        sources = "\n".join(c.source for c in code_cells(name))
        assert f'Workbench("{WORKBENCH_IDS[name]}")' in sources


def test_storm_lesson_has_story_simulator_and_quiz() -> None:
    text = markdown("01_reply_all_storm.ipynb")
    for fact in ("2015", "Kentucky", "10:00", "Reply All", "unsubscribe", "spam", "report"):
        assert fact in text, fact
    sources = "\n".join(c.source for c in code_cells("01_reply_all_storm.ipynb"))
    assert "StormSimulator()" in sources and 'Quiz("storm-opt-out")' in sources


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not SEED.is_dir(), reason="the story's seed text is not available here")
def test_no_sentence_is_copied_from_the_seed() -> None:
    size = 7  # seven words in a row in common would be copying, not retelling
    seed_words = []
    for path in SEED.glob("*.txt"):
        seed_words += _words(path.read_text(encoding="utf-8"))
    seed = {tuple(seed_words[i : i + size]) for i in range(len(seed_words) - size + 1)}
    for name in EXPECTED:
        ours = _words(markdown(name))
        shared = [
            " ".join(ours[i : i + size])
            for i in range(len(ours) - size + 1)
            if tuple(ours[i : i + size]) in seed
        ]
        assert not shared, f"{name} repeats the seed: {shared[:3]}"


def test_notebooks_match_their_sources() -> None:
    from tools import build_course

    assert build_course.main(["--check"]) == 0, "edit content/, then run: make build"
