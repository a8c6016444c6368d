"""The course's order, read from the course map (outreach_coach/course.toml): its lessons, its
exercises, the capstone and the finish page, with titles and minutes.

One copy for everything that walks the course: tools/build_course.py writes the course map, the
"next step" links and the README's course tables from it, and the course summary
(outreach_coach.summary) lists lessons, quizzes and workbenches in this order. The map sits in
the package (not in data/) so that an installed wheel has it. The map is read when first used,
not on import: a malformed one is a DataError naming the file, the entry and what to change,
which the pages that show the course (outreach_coach.summary) turn into a message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from . import data
from .data import DataError
from .grader.wordlists import derived_from_data

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


FIELDS = {
    "lesson": ("file", "title", "what", "minutes", "quizzes", "scenarios", "heading"),
    "exercise": ("scenario", "minutes"),
    "capstone": ("slug", "title", "what", "minutes"),
    "finish": ("file", "title", "what", "minutes", "quizzes", "scenarios", "heading"),
}
FIX = "fix outreach_coach/course.toml (the comments at its top list every field)"


class CourseMap(NamedTuple):
    """The course in order: its lessons, its exercises, the capstone and the finish page."""

    lessons: tuple[Lesson, ...]
    exercises: tuple[Exercise, ...]
    capstone: Capstone
    finish: Lesson


def _field(
    path: Path, table: dict[str, Any], row: str, name: str, kind: type, default: Any = None
) -> Any:
    value = table.get(name, default)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise DataError(path, row, name, "expected a whole number of minutes, 1 or more")
    elif kind is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DataError(path, row, name, "expected a list of ids")
        value = tuple(value)
    elif not isinstance(value, str) or (default is None and not value.strip()):
        missing = "is missing" if name not in table else "is empty or not text"
        raise DataError(path, row, name, f"{missing}: expected non-empty text; {FIX}")
    return value


def _known_fields(path: Path, table: dict[str, Any], row: str, kind: str) -> None:
    for name in table:
        if name not in FIELDS[kind]:
            known = ", ".join(FIELDS[kind])
            raise DataError(path, row, name, f"unknown field (a [{kind}] has {known})")


def _lesson(path: Path, table: dict[str, Any], row: str, kind: str = "lesson") -> Lesson:
    file = _field(path, table, row, "file", str)
    row = f"{row} ({file})"
    if not LESSON_FILE.fullmatch(file):
        raise DataError(path, row, "file", f"expected NN_words.ipynb, got {file!r}")
    _known_fields(path, table, row, kind)
    return Lesson(
        file=file,
        title=_field(path, table, row, "title", str),
        what=_field(path, table, row, "what", str),
        minutes=_field(path, table, row, "minutes", int),
        quizzes=_field(path, table, row, "quizzes", tuple, []),
        scenarios=_field(path, table, row, "scenarios", tuple, []),
        heading=_field(path, table, row, "heading", str, ""),
    )


def _tables(path: Path, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    tables = document.get(key)
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise DataError(path, None, key, f"expected one or more [[{key}]] tables; {FIX}")
    return tables


def _table(path: Path, document: dict[str, Any], key: str) -> dict[str, Any]:
    table = document.get(key)
    if not isinstance(table, dict):
        raise DataError(path, None, key, f"expected one [{key}] table; {FIX}")
    return table


def _exercise(path: Path, table: dict[str, Any], n: int) -> Exercise:
    row = f"[[exercise]] #{n}"
    scenario = _field(path, table, row, "scenario", str)
    row = f"{row} ({scenario})"
    _known_fields(path, table, row, "exercise")
    return Exercise(scenario, _field(path, table, row, "minutes", int), n)


def _capstone(path: Path, table: dict[str, Any]) -> Capstone:
    row = "[capstone]"
    _known_fields(path, table, row, "capstone")
    slug = _field(path, table, row, "slug", str)
    if not SLUG.fullmatch(slug):
        raise DataError(path, row, "slug", f"expected lowercase words, got {slug!r}")
    return Capstone(
        slug=slug,
        title=_field(path, table, row, "title", str),
        what=_field(path, table, row, "what", str),
        minutes=_field(path, table, row, "minutes", int),
    )


def _once(path: Path, kind: str, names: list[tuple[str, str]]) -> None:
    """A DataError for the first name listed twice: (row, name) pairs."""
    seen: dict[str, str] = {}
    for row, name in names:
        if name in seen:
            raise DataError(
                path, row, kind, f"{name!r} is listed twice (also in {seen[name]}): remove one"
            )
        seen[name] = row


def _check_scenarios(path: Path, course: CourseMap) -> None:
    """Every scenario the map names exists in data/scenarios.toml, with the right use (an
    installed wheel, which grades without the course's data/, has the map alone)."""
    if not (data.data_dir() / "scenarios.toml").is_file():
        return
    scenarios = data.scenarios()
    named = [
        (f"[[exercise]] #{e.number} ({e.scenario})", e.scenario, "exercise")
        for e in course.exercises
    ]
    named += [
        (f"[[lesson]] ({lesson.file})", key, "lesson")
        for lesson in (*course.lessons, course.finish)
        for key in lesson.scenarios
    ]
    for row, key, use in named:
        field = "scenario" if use == "exercise" else "scenarios"
        if key not in scenarios:
            known = ", ".join(s.id for s in scenarios.values() if s.use == use)
            expected = f"unknown scenario {key!r}: use one of data/scenarios.toml's ({known})"
            raise DataError(path, row, field, expected)
        if scenarios[key].use != use:
            expected = f"scenario {key!r} has use = {scenarios[key].use!r} in data/scenarios.toml"
            raise DataError(path, row, field, f"{expected}; an {use} needs use = {use!r}")


def load_course_map(path: Path = COURSE_MAP) -> CourseMap:
    """(lessons, exercises, capstone, finish) from the course map, validated: a DataError names
    the file, the entry and what to change."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataError(
            path, None, None, f"cannot be read as TOML ({error}): fix the line it names"
        ) from None
    for key in document:
        if key not in FIELDS:
            tables = "[[lesson]], [[exercise]], [capstone] and [finish]"
            raise DataError(path, None, key, f"unknown table: the course map has {tables}")
    lessons = tuple(
        _lesson(path, table, f"[[lesson]] #{n}")
        for n, table in enumerate(_tables(path, document, "lesson"), start=1)
    )
    exercises = tuple(
        _exercise(path, table, n)
        for n, table in enumerate(_tables(path, document, "exercise"), start=1)
    )
    capstone = _capstone(path, _table(path, document, "capstone"))
    finish = _lesson(path, _table(path, document, "finish"), "[finish]", "finish")
    pages = (*lessons, finish)
    _once(path, "file", [(f"[[lesson]] {lesson.title!r}", lesson.file) for lesson in pages])
    _once(path, "scenario", [(f"[[exercise]] #{e.number}", e.scenario) for e in exercises])
    _once(
        path,
        "quizzes",
        [(f"[[lesson]] ({lesson.file})", quiz) for lesson in pages for quiz in lesson.quizzes],
    )
    course = CourseMap(lessons, exercises, capstone, finish)
    _check_scenarios(path, course)
    return course


@derived_from_data  # it is checked against data/scenarios.toml
@cache
def course_map() -> CourseMap:
    """The course map, read and validated once, when something first needs it (not on import,
    so that a broken map is a message where the course shows it, not an import traceback)."""
    return load_course_map(COURSE_MAP)


def __getattr__(name: str) -> Any:
    """LESSONS, EXERCISES, CAPSTONE and FINISH: the course map's parts, read when first used."""
    parts = {"LESSONS": 0, "EXERCISES": 1, "CAPSTONE": 2, "FINISH": 3}
    if name in parts:
        return course_map()[parts[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def course_quizzes() -> dict[str, str]:
    """Every quiz in the course, in lesson order, with the name progress and reports give it."""
    return {
        quiz: f"Lesson {int(lesson.number)}, question {n}"
        for lesson in course_map().lessons
        for n, quiz in enumerate(lesson.quizzes, start=1)
    }
