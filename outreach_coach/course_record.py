"""Which lessons a learner has read and which quizzes they answered right, kept in course.json.

Drafts live in one file per scenario (outreach_coach.storage); these marks are small, so they
share one file in the same progress folder. A mark keeps the first date, so answering a quiz
wrongly later never takes a pass away. Writing never raises: it returns a note to show instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from filelock import FileLock, Timeout
from IPython.display import HTML

from . import marks
from .files import UnreadableFile, read_json
from .outline import LESSONS
from .storage import LOCK_TIMEOUT, atomic_write_text, default_progress_dir, set_aside, utc_now

RECORD_FILE = "course.json"
RECORD_FORMAT = "outreach-coach/course"
MAX_RECORD_BYTES = 1_000_000
KINDS = ("lessons", "quizzes")


@dataclass(frozen=True)
class CourseRecord:
    """First dates (UTC, ISO 8601) on which each lesson was read and each quiz answered right."""

    lessons: dict[str, str] = field(default_factory=dict)
    quizzes: dict[str, str] = field(default_factory=dict)


def _dates(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def read_record(root: Path) -> CourseRecord:
    """The marks saved in root/course.json; none if it is missing, unreadable or damaged."""
    path = Path(root) / RECORD_FILE
    try:
        document = read_json(path, MAX_RECORD_BYTES)
    except (OSError, UnreadableFile):
        return CourseRecord()
    return _from_document(document) or CourseRecord()


def _from_document(document: object) -> CourseRecord | None:
    """The marks in a parsed course.json, or None if it is not one."""
    if not isinstance(document, dict) or document.get("format") != RECORD_FORMAT:
        return None
    return CourseRecord(_dates(document.get("lessons")), _dates(document.get("quizzes")))


def mark_done(root: Path, kind: str, key: str, when: str | None = None) -> str | None:
    """Record that a lesson was read or a quiz answered right; a learner-facing note if not."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(root) / RECORD_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT):
            record = _load_for_update(path)
            marks = {"lessons": dict(record.lessons), "quizzes": dict(record.quizzes)}
            if key in marks[kind]:
                return None
            marks[kind][key] = when or utc_now()
            document = {"format": RECORD_FORMAT, **marks}
            atomic_write_text(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
    except Timeout:
        return "Your course summary was not updated: its file is busy. Try again in a moment."
    except OSError as error:
        return (
            f"Your course summary was not updated ({error.strerror or error}): check that the "
            f"folder {path.parent} exists and is writable."
        )
    return None


def _load_for_update(path: Path) -> CourseRecord:
    """The marks in path; a damaged file is kept as <name>.corrupt-<time>, so nothing is lost."""
    try:
        document = read_json(path, MAX_RECORD_BYTES)
    except FileNotFoundError:
        return CourseRecord()
    except UnreadableFile as error:
        if error.kind in ("not-regular", "unreadable"):
            raise OSError(f"{path.name} {error.reason}") from None
        document = None
    record = _from_document(document)
    if record is None:
        set_aside(path)
        return CourseRecord()
    return record


def finish_lesson(lesson_key: str, root: Path | None = None) -> HTML:
    """Mark a lesson as read for the course summary, and say so in one line."""
    lesson = next((item for item in LESSONS if item.key == lesson_key), None)
    if lesson is None:
        known = ", ".join(item.key for item in LESSONS)
        raise KeyError(f"no lesson {lesson_key!r}; known: {known}")
    note = mark_done(root if root is not None else default_progress_dir(), "lessons", lesson.key)
    if note:
        return HTML(f"<p class='oc-lesson-done'>{marks.WARN} {escape(note)}</p>")
    return HTML(
        f"<p class='oc-lesson-done'>{marks.PASS} Lesson {int(lesson.number)}, "
        f"“{escape(lesson.title)}”, is marked as read: you will find it in your course summary "
        "at the end.</p>"
    )
