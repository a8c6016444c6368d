"""The course's order, read from the course map (outreach_coach/course.toml): its lessons, its
exercises, the capstone and the finish page, with titles and minutes.

One copy for everything that walks the course: tools/build_course.py writes the course map, the
"next step" links and the README's course tables from it, and the course summary
(outreach_coach.summary) lists lessons, quizzes and workbenches in this order. The map sits in
the package (not in data/) so that an installed wheel has it. A malformed map is a DataError
that names the table and field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .data import DataError

COURSE_MAP = Path(__file__).resolve().parent / "course.toml"
LESSON_FILE = re.compile(r"\d\d_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb")
SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook in lessons/, with the quizzes and workbenches it contains."""

    file: str
    title: str
    what: str
    minutes: int
    quizzes: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    heading: str = ""

    @property
    def key(self) -> str:
        """The file name without '.ipynb': how the course summary records the lesson."""
        return self.file.removesuffix(".ipynb")

    @property
    def number(self) -> str:
        """The two-digit number in front of the file name."""
        return self.file[:2]

    @property
    def title_line(self) -> str:
        """The page's first heading: its own heading, else '2. Anatomy of spam'."""
        return self.heading or f"{int(self.number)}. {self.title}"


@dataclass(frozen=True)
class Exercise:
    """One exercise in exercises/: a rewriting scenario of data/scenarios.toml."""

    scenario: str
    minutes: int
    number: int

    @property
    def file(self) -> str:
        """'01_mass_note.ipynb': its number in the map and the scenario id without its own."""
        head, _, rest = self.scenario.partition("-")
        slug = rest if head[:1] == "s" and head[1:].isdigit() and rest else self.scenario
        return f"{self.number:02d}_{slug.replace('-', '_')}.ipynb"


@dataclass(frozen=True)
class Capstone:
    """The last exercise, where the learner picks the person; its slug names its file."""

    slug: str
    title: str
    what: str
    minutes: int

    @property
    def file(self) -> str:
        """'capstone.ipynb': the same whatever the number of exercises before it."""
        return f"{self.slug}.ipynb"


def _field(table: dict[str, Any], row: str, name: str, kind: type, default: Any = None) -> Any:
    value = table.get(name, default)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DataError(COURSE_MAP, row, name, "expected a whole number of minutes, 1 or more")
    elif kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DataError(COURSE_MAP, row, name, "expected a list of ids")
        value = tuple(value)
    elif not isinstance(value, str) or (default is None and not value.strip()):
        raise DataError(COURSE_MAP, row, name, "expected non-empty text")
    return value


def _lesson(table: dict[str, Any], row: str) -> Lesson:
    file = _field(table, row, "file", str)
    if not LESSON_FILE.fullmatch(file):
        raise DataError(COURSE_MAP, row, "file", f"expected NN_words.ipynb, got {file!r}")
    return Lesson(
        file=file,
        title=_field(table, row, "title", str),
        what=_field(table, row, "what", str),
        minutes=_field(table, row, "minutes", int),
        quizzes=_field(table, row, "quizzes", tuple, []),
        scenarios=_field(table, row, "scenarios", tuple, []),
        heading=_field(table, row, "heading", str, ""),
    )


def _tables(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    tables = document.get(key)
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise DataError(COURSE_MAP, None, key, f"expected one or more [[{key}]] tables")
    return tables


def _table(document: dict[str, Any], key: str) -> dict[str, Any]:
    table = document.get(key)
    if not isinstance(table, dict):
        raise DataError(COURSE_MAP, None, key, f"expected a [{key}] table")
    return table


def load_course_map(
    path: Path = COURSE_MAP,
) -> tuple[tuple[Lesson, ...], tuple[Exercise, ...], Capstone, Lesson]:
    """(lessons, exercises, capstone, finish) from the course map, validated."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataError(path, None, None, f"cannot be read as TOML ({error})") from None
    lessons = tuple(
        _lesson(table, f"[[lesson]] #{n}")
        for n, table in enumerate(_tables(document, "lesson"), start=1)
    )
    exercises = []
    for n, table in enumerate(_tables(document, "exercise"), start=1):
        row = f"[[exercise]] #{n}"
        scenario = _field(table, row, "scenario", str)
        exercises.append(Exercise(scenario, _field(table, row, "minutes", int), n))
    capstone_table = _table(document, "capstone")
    slug = _field(capstone_table, "[capstone]", "slug", str)
    if not SLUG.fullmatch(slug):
        raise DataError(path, "[capstone]", "slug", f"expected lowercase words, got {slug!r}")
    capstone = Capstone(
        slug=slug,
        title=_field(capstone_table, "[capstone]", "title", str),
        what=_field(capstone_table, "[capstone]", "what", str),
        minutes=_field(capstone_table, "[capstone]", "minutes", int),
    )
    finish = _lesson(_table(document, "finish"), "[finish]")
    files = [lesson.file for lesson in (*lessons, finish)]
    for file in files:
        if files.count(file) > 1:
            raise DataError(path, None, "file", f"{file} is listed twice")
    return lessons, tuple(exercises), capstone, finish


LESSONS, EXERCISES, CAPSTONE, FINISH = load_course_map()


def course_quizzes() -> dict[str, str]:
    """Every quiz in the course, in lesson order, with the name progress and reports give it."""
    return {
        quiz: f"Lesson {int(lesson.number)}, question {n}"
        for lesson in LESSONS
        for n, quiz in enumerate(lesson.quizzes, start=1)
    }
