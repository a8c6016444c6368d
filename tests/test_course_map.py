"""A broken course map (outreach_coach/course.toml) is a message naming the file, the entry and
what to change: from the loader, from the build, and on the page a learner opens."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from outreach_coach import data, outline
from outreach_coach.summary import SummaryPanel, finish_lesson
from tests.course_copy import clean_copy, run_build

MAP = outline.COURSE_MAP.read_text(encoding="utf-8")


def broken_map(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the course map with one change (old must be in it)."""
    assert old in MAP, old
    path = tmp_path / "course.toml"
    path.write_text(MAP.replace(old, new, 1), encoding="utf-8")
    return path


BREAKAGES = {
    "bad TOML": (
        'title = "Anatomy of spam"',
        'title = "Anatomy of spam',
        r"course\.toml: cannot be read as TOML \(.*line \d+.*\): fix the line it names",
    ),
    "a missing field": (
        'title = "Anatomy of spam"\n',
        "",
        r"row \[\[lesson\]\] #3 \(02_anatomy_of_spam\.ipynb\), field 'title': is missing",
    ),
    "a misspelt field": (
        'minutes = 15\nquizzes = ["spot-the-problems"]',
        'minuts = 15\nquizzes = ["spot-the-problems"]',
        r"#3 \(02_anatomy_of_spam\.ipynb\), field 'minuts': unknown field \(a \[lesson\] has",
    ),
    "an unknown table": ("\n[capstone]\n", "\n[capstones]\n", r"field 'capstones': unknown table"),
    "a missing table": (
        "\n[finish]\n",
        "\n[[lesson]]\n",
        r"field 'finish': expected one \[finish\]",
    ),
    "an unknown exercise": (
        'scenario = "s03-flattery"',
        'scenario = "s03-flatery"',
        r"\[\[exercise\]\] #3 \(s03-flatery\), field 'scenario': unknown scenario 's03-flatery': "
        r"use one of data/scenarios\.toml's \(s01-mass-note, ",
    ),
    "a lesson rewrite as an exercise": (
        'scenario = "s03-flattery"',
        'scenario = "l03-personalization"',
        r"scenario 'l03-personalization' has use = 'lesson' .*needs use = 'exercise'",
    ),
    "a duplicate lesson": (
        'file = "04_offer_relevance.ipynb"',
        'file = "03_personalization.ipynb"',
        r"field 'file': '03_personalization\.ipynb' is listed twice \(also in .*\): remove one",
    ),
    "a duplicate exercise": (
        'scenario = "s03-flattery"',
        'scenario = "s02-wrong-offer"',
        r"row \[\[exercise\]\] #3, field 'scenario': 's02-wrong-offer' is listed twice",
    ),
    "a duplicate quiz": (
        'quizzes = ["spot-the-problems"]',
        'quizzes = ["storm-opt-out"]',
        r"field 'quizzes': 'storm-opt-out' is listed twice",
    ),
}


@pytest.mark.parametrize("kind", BREAKAGES)
def test_a_broken_map_names_the_file_the_entry_and_the_fix(tmp_path: Path, kind: str) -> None:
    old, new, message = BREAKAGES[kind]
    with pytest.raises(data.DataError, match=message) as caught:
        outline.load_course_map(broken_map(tmp_path, old, new))
    assert caught.value.file.endswith("course.toml")


@pytest.fixture
def map_is_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The package reads a course map with an unknown exercise in it (and forgets it after)."""
    old, new, _ = BREAKAGES["an unknown exercise"]
    monkeypatch.setattr(outline, "COURSE_MAP", broken_map(tmp_path, old, new))
    monkeypatch.setenv("OUTREACH_COACH_PROGRESS", str(tmp_path / "progress"))
    outline.course_map.cache_clear()
    yield tmp_path
    outline.course_map.cache_clear()


def test_importing_the_course_never_reads_the_map(map_is_broken: Path) -> None:
    code = "import outreach_coach.summary, outreach_coach.quiz, outreach_coach.workbench"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with pytest.raises(data.DataError, match="s03-flatery"):
        outline.course_map()


def test_a_lessons_last_cell_says_the_map_is_broken(map_is_broken: Path) -> None:
    html = finish_lesson("00_start_here").data
    assert "role='alert'" in html and "ask your instructor" in html
    assert "course.toml" in html and "s03-flatery" in html and "unknown scenario" in html


def test_the_finish_page_says_the_map_is_broken(map_is_broken: Path) -> None:
    panel = SummaryPanel()
    assert "course.toml" in panel.view.value and "ask your instructor" in panel.view.value


def test_lesson_00_runs_with_a_broken_map_and_shows_the_message(tmp_path: Path) -> None:
    """As a learner opens it: every cell runs (no traceback) and the page says what is wrong."""
    from nbclient import NotebookClient

    course = clean_copy(tmp_path / "course")
    old, new, _ = BREAKAGES["an unknown exercise"]
    path = course / "outreach_coach" / "course.toml"
    path.write_text(MAP.replace(old, new, 1), encoding="utf-8")
    notebook = nbformat.read(course / "lessons" / "00_start_here.ipynb", as_version=4)
    environment = {"PYTHONPATH": str(course), "OUTREACH_COACH_PROGRESS": str(tmp_path / "p")}
    saved = copy.deepcopy(os.environ)
    os.environ.update(environment)  # the kernel is started with this environment
    try:
        NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(course / "lessons")}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "course.toml" in shown and "s03-flatery" in shown and "ask your instructor" in shown


def test_the_build_says_what_to_fix_in_a_broken_map(tmp_path: Path) -> None:
    course = clean_copy(tmp_path)
    old, new, _ = BREAKAGES["a duplicate exercise"]
    path = course / "outreach_coach" / "course.toml"
    path.write_text(MAP.replace(old, new, 1), encoding="utf-8")
    for args in ([], ["--check"]):
        done = run_build(course, *args)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert "cannot build the course:" in done.stderr and "listed twice" in done.stderr
