"""The course build (tools/build_course.py): text sources in, notebooks out, and an edit made in
Jupyter to a built notebook is never lost. Runs the real build command in a fresh copy of the
course, as an author would."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from outreach_coach.course_files import BUILD_MARK, clean_notebook, edited_since_built
from tests.course_copy import clean_copy, porcelain, run_build
from tools import build_course

LESSON = "lessons/03_personalization.ipynb"
SOURCE = "content/lessons/03_personalization.md"
EXERCISE = "exercises/01_mass_note.ipynb"
PARAGRAPH = "It takes a few minutes per person. That is the point: it cannot be done to a list."


def edit_in_jupyter(path: Path, old: str, new: str) -> None:
    """Change one cell's text the way JupyterLab saves it (through the course's save hook)."""
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if old in c.source)
    cell.source = cell.source.replace(old, new)
    clean_notebook(notebook)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_copy(tmp_path_factory.mktemp("course"))


def test_a_fresh_copy_builds_to_identical_bytes(course: Path) -> None:
    done = run_build(course)
    assert done.returncode == 0, done.stderr
    assert "already up to date" in done.stdout
    assert porcelain(course) == ""


def test_an_edit_made_in_jupyter_is_refused_shown_and_kept(course: Path) -> None:
    notebook = course / LESSON
    edit_in_jupyter(notebook, PARAGRAPH, "An edit made in Jupyter.")
    edited = notebook.read_bytes()
    assert edited_since_built(nbformat.reads(edited.decode("utf-8"), as_version=4))
    assert BUILD_MARK in nbformat.reads(edited.decode("utf-8"), 4).metadata, "the hook drops it"

    done = run_build(course)
    assert done.returncode == 1
    assert f"{LESSON} was edited since it was built" in done.stderr
    assert SOURCE in done.stderr, "the refusal must name the source to edit"
    assert "+" + PARAGRAPH in done.stderr and "-An edit made in Jupyter." in done.stderr
    assert "nothing written" in done.stdout and "up to date" not in done.stdout
    assert notebook.read_bytes() == edited, "the build overwrote an edit"

    checked = run_build(course, "--check")
    assert checked.returncode == 1
    assert f"{LESSON} was edited since it was built: copy the change into {SOURCE}" in (
        checked.stderr
    )
    assert notebook.read_bytes() == edited

    done = run_build(course, "--overwrite")
    assert done.returncode == 0, done.stderr
    assert f"wrote {LESSON}" in done.stdout, "discarding an edit must say which notebook it rewrote"
    assert porcelain(course) == "", "--overwrite should give back the built notebook"


def test_an_edited_exercise_is_refused_too(course: Path) -> None:
    notebook = course / EXERCISE
    edit_in_jupyter(notebook, "## Your turn", "## Your turn, edited")
    edited = notebook.read_bytes()
    done = run_build(course)
    assert done.returncode == 1
    assert f"{EXERCISE} was edited since it was built" in done.stderr
    assert "content/exercise.md" in done.stderr
    assert notebook.read_bytes() == edited
    assert run_build(course, "--overwrite").returncode == 0
    assert porcelain(course) == ""


def test_a_paragraph_edited_in_its_source_reaches_its_notebook_only(course: Path) -> None:
    source = course / SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace(PARAGRAPH, "A new paragraph."), "utf-8"
    )
    checked = run_build(course, "--check")
    assert checked.returncode == 1
    assert f"{LESSON} is out of date: edit {SOURCE}" in checked.stderr
    done = run_build(course)
    assert done.returncode == 0, done.stderr
    changed = sorted(line[3:] for line in porcelain(course).splitlines())
    assert changed == sorted([LESSON, SOURCE]), "one source and its notebook, nothing else"
    assert "A new paragraph." in (course / LESSON).read_text(encoding="utf-8")
    assert run_build(course, "--check").returncode == 0


def test_an_unknown_field_in_a_source_names_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(build_course.SourceError, match=r"x\.md, line 2: unknown field"):
        build_course.fill("Hello\n{{ scenario.tilte }}", {"scenario.id": "s"}, tmp_path / "x.md")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Some text.\n", "end with a {keypoints} block"),
        ("Text.\n\n:::{keypoints}\n:::\n", "end with a {keypoints} block"),
        (":::{keypoints}\n- a point\n:::\n\nMore text.\n", "must come last"),
        (":::{solution}\nAn answer.\n:::\n\n:::{keypoints}\n- a\n:::\n", "only for exercises"),
        (":::{keypoint}\n- a\n:::\n", "unknown block {keypoint}"),
        (":::{keypoints}\n- a\n", "never closed"),
    ],
)
def test_a_malformed_source_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    source = tmp_path / "lesson.md"
    source.write_text("---\nobjectives:\n- learn\n---\n\n" + body, encoding="utf-8")
    page = build_course.pages()[3]
    with pytest.raises(build_course.SourceError, match=message.replace("{", r"\{")):
        build_course.build(build_course.Page(**{**page.__dict__, "source": source}))


def test_objectives_are_required(tmp_path: Path) -> None:
    source = tmp_path / "lesson.md"
    source.write_text("Text.\n\n:::{keypoints}\n- a\n:::\n", encoding="utf-8")
    page = build_course.pages()[3]
    with pytest.raises(build_course.SourceError, match="objectives"):
        build_course.build(build_course.Page(**{**page.__dict__, "source": source}))


# --- what every page must have ------------------------------------------------------------------

BUILT = [page for page in build_course.pages() if page.kind != "landing"]


def _items(text: str, prefix: str) -> list[str]:
    return [line[len(prefix) :].strip() for line in text.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("page", BUILT, ids=[page.path for page in BUILT])
def test_every_lesson_and_exercise_has_objectives_and_key_points(page) -> None:
    cells = nbformat.read(build_course.ROOT / page.path, as_version=4).cells
    first = cells[0].source
    objectives = _items(first, "> - " if page.kind in ("lesson", "finish") else "- ")
    assert len(objectives) >= 2 and all(objectives), f"{page.path}: objectives {objectives}"
    points = next(c.source for c in cells if c.source.startswith("## Key points"))
    key_points = _items(points, "- ")
    assert key_points and all(key_points), f"{page.path}: empty key points"
    assert cells[-2].source == points, f"{page.path}: key points must come just before Next step"


def _instructor_notes(cells: list) -> list[str]:
    return [c.source for c in cells if build_course.INSTRUCTOR_TAG in c.metadata.get("tags", [])]


@pytest.mark.parametrize("page", BUILT, ids=[page.path for page in BUILT])
def test_every_lesson_and_exercise_has_an_instructor_note(page) -> None:
    """Carpentries style: a note for whoever runs the page with a group, with real content."""
    cells = nbformat.read(build_course.ROOT / page.path, as_version=4).cells
    notes = _instructor_notes(cells)
    assert notes, f"{page.path}: no {{instructor}} block in {build_course.source_of(page)}"
    for note in notes:
        head, _, body = note.partition("\n>\n")
        assert head == f"> {build_course.INSTRUCTOR_HEAD}"
        assert len(_items(body, "> - ")) >= 2, f"{page.path}: an instructor note needs points"
    # Never in the learner's copy: an exercise's note is stripped with its solution, a lesson's
    # is left out of the Voilà app (where learners work) with the other JupyterLab-only cells.
    expected = {"solution"} if page.path.startswith("solutions/") else {"notebook-only"}
    for cell in cells:
        if build_course.INSTRUCTOR_TAG in cell.metadata.get("tags", []):
            assert expected <= set(cell.metadata["tags"]), page.path
    if page.path.startswith("solutions/"):
        learner = build_course.ROOT / page.path.replace("solutions/", "exercises/", 1)
        cells = nbformat.read(learner, as_version=4).cells
        assert not _instructor_notes(cells) and "For instructors" not in str(cells)


def test_an_empty_instructor_note_is_refused(tmp_path: Path) -> None:
    page = next(p for p in build_course.pages() if p.path == LESSON)
    text = (build_course.ROOT / SOURCE).read_text(encoding="utf-8")
    start = text.index(":::{instructor}\n") + len(":::{instructor}\n")
    source = tmp_path / "03.md"
    source.write_text(text[:start] + text[text.index(":::\n", start) :], encoding="utf-8")
    with pytest.raises(build_course.SourceError, match=r"empty \{instructor\} block"):
        build_course.build(build_course.Page(**{**page.__dict__, "source": source}))


def test_the_course_map_and_the_scenarios_must_list_the_same_exercises(monkeypatch) -> None:
    monkeypatch.setattr(build_course, "EXERCISES", build_course.EXERCISES[1:])
    with pytest.raises(build_course.SourceError, match="s01-mass-note"):
        build_course.pages()


def test_adding_an_exercise_takes_its_data_entry_and_one_map_line(tmp_path: Path) -> None:
    """The recipe in CONTRIBUTING.md: the capstone keeps its name, every link follows."""
    course = clean_copy(tmp_path)
    scenarios = course / "data" / "scenarios.toml"
    text = scenarios.read_text(encoding="utf-8")
    start = text.index('[[scenario]]\nid = "s05-pushy"')
    end = text.index("[[scenario]]", start + 1)
    added = text[start:end].replace('id = "s05-pushy"', 'id = "s06-pushy-again"')
    scenarios.write_text(text[:end] + added + text[end:], encoding="utf-8")
    course_map = course / "outreach_coach" / "course.toml"
    text = course_map.read_text(encoding="utf-8")
    line = '[[exercise]]\nscenario = "s06-pushy-again"\nminutes = 10\n\n'
    course_map.write_text(text.replace("\n[capstone]\n", f"\n{line}[capstone]\n"), "utf-8")

    done = run_build(course)
    assert done.returncode == 0, done.stderr
    for folder in ("exercises", "solutions"):
        assert (course / folder / "06_pushy_again.ipynb").is_file()
        assert sorted(p.name for p in (course / folder).glob("capstone*")) == ["capstone.ipynb"]
    capstone = (course / "exercises" / "capstone.ipynb").read_text(encoding="utf-8")
    assert "06_pushy_again.ipynb" in capstone, "the capstone's back link follows the new exercise"
    for name in ("README.md", "instructor/README.md", "lessons/00_start_here.ipynb"):
        assert "06_pushy_again" in (course / name).read_text(encoding="utf-8"), name
    assert run_build(course, "--check").returncode == 0
