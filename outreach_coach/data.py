"""Load and validate the course data in data/: profiles, senders, messages and scenarios."""

from __future__ import annotations

import csv
import io
import os
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .files import course_root
from .grader.profiles import (
    RECIPIENT_REQUIRED,
    SENDER_REQUIRED,
    Recipient,
    Sender,
    as_recipient,
    as_sender,
)
from .grader.report import CATEGORIES
from .grader.wordlists import DataError, not_utf8, read_toml
from .grader.wordlists import clear_cache as clear_grader_cache
from .grader.wordlists import load as load_word_lists
from .models import EvaluationItem, ExampleMessage, LessonTexts, Scenario, WritingPair

MESSAGE_KINDS = ("mass", "defensive", "unsubscribe", "bad", "good")
SCENARIO_USES = ("exercise", "lesson")
SCENARIO_MODES = ("outreach", "reply")
TEACHING_LISTS = ("objectives", "key_points", "instructor_notes")  # required for an exercise
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# A research figure's id is also its {{ research.<id> }} field in a lesson source.
FIGURE_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
FIGURE_UNITS = ("characters", "words", "percent", "emails")


def data_dir() -> Path:
    """The folder holding the course data (OUTREACH_COACH_DATA overrides the course's data/)."""
    override = os.environ.get("OUTREACH_COACH_DATA")
    if override:
        return Path(override)
    return course_root() / "data"


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV table as dicts of text, blank lines skipped (the csv module, not
    pandas, so the course data also loads in the browser, where pandas does not exist)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found: check the data folder") from None
    except UnicodeDecodeError as error:
        raise DataError(path, None, None, not_utf8(error)) from None
    if not text.strip():
        header = ", ".join(("id", *required))
        raise DataError(path, None, None, f"is empty: expected a header row ({header})")
    header, *rows = [row for row in _csv_rows(path, text) if row]
    missing = [column for column in ("id", *required) if column not in header]
    if missing:
        raise DataError(path, None, missing[0], f"column '{missing[0]}' is missing from the header")
    records = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        if len(row) > len(header):
            expected = (
                f"is not a readable CSV table (row {number} has {len(row)} fields, the header "
                f"{len(header)}): quote a field that holds a comma"
            )
            raise DataError(path, None, None, expected)
        records.append(dict(zip(header, row + [""] * (len(header) - len(row)), strict=True)))
    return records


def _csv_rows(path: Path, text: str) -> list[list[str]]:
    """The rows of a CSV text, or a DataError naming the row where a quoted field is opened and
    never closed (not some later field that the rest of the file was read into)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    rows, row = [], 1
    try:
        for parsed in reader:
            rows.append(parsed)
            row = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            path, row, None, f'a quoted field on this row is never closed ({error}): add the "'
        ) from None
    return rows


def _check_id(path: Path, row: int | str, value: Any, seen: set[str]) -> str:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        expected = f"expected lowercase letters, digits and '-', got {value!r}"
        raise DataError(path, row, "id", expected)
    if value in seen:
        raise DataError(path, row, "id", f"duplicate id {value!r}: ids must be unique")
    seen.add(value)
    return value


def _need_text(path: Path, row: int | str, record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, row, name, "expected non-empty text")
    return value.strip()


def _csv_people(path: Path, required: tuple[str, ...], build: Any) -> dict[str, Any]:
    people: dict[str, Any] = {}
    seen: set[str] = set()
    for index, record in enumerate(_read_csv(path, required), start=2):  # row 1 is the header
        person_id = _check_id(path, index, record["id"].strip(), seen)
        for name in required:
            if name != "about":
                _need_text(path, index, record, name)
        try:
            people[person_id] = build(record)
        except ValueError as error:  # a field too long for a profile, say
            raise DataError(path, index, None, str(error)) from None
    return people


@cache
def recipients() -> dict[str, Recipient]:
    """Recipient profiles by id, from recipients.csv."""
    return _csv_people(data_dir() / "recipients.csv", RECIPIENT_REQUIRED, as_recipient)


@cache
def senders() -> dict[str, Sender]:
    """Senders by id, from senders.csv."""
    return _csv_people(data_dir() / "senders.csv", SENDER_REQUIRED, as_sender)


def _tables(path: Path, key: str) -> list[dict[str, Any]]:
    document = read_toml(path)
    tables = document.get(key)
    if not isinstance(tables, list) or not tables:
        raise DataError(path, None, key, f"expected one or more [[{key}]] tables")
    return tables


def _check_ref(
    path: Path, row: str, record: dict[str, Any], name: str, known: dict, kind: str = ""
) -> str:
    value = _need_text(path, row, record, name)
    kind = kind or name
    if value not in known:
        raise DataError(path, row, name, f"unknown {kind} id {value!r}: add it to {kind}s.csv")
    return value


def _string_list(path: Path, row: str, record: dict[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(path, row, name, "expected a list of strings")
    return tuple(value)


def _one_of(path: Path, row: str, record: dict[str, Any], name: str, allowed: tuple) -> str:
    value = record.get(name, allowed[0])
    if value not in allowed:
        raise DataError(path, row, name, f"expected one of {', '.join(allowed)}, got {value!r}")
    return value


@cache
def messages() -> dict[str, ExampleMessage]:
    """Annotated example messages by id, from messages.toml."""
    path = data_dir() / "messages.toml"
    result: dict[str, ExampleMessage] = {}
    seen: set[str] = set()
    for number, record in enumerate(_tables(path, "message"), start=1):
        row = f"[[message]] #{number}"
        message_id = _check_id(path, row, record.get("id"), seen)
        row = f"{row} (id {message_id})"
        result[message_id] = ExampleMessage(
            id=message_id,
            kind=_one_of(path, row, record, "kind", MESSAGE_KINDS),
            title=_need_text(path, row, record, "title"),
            sender=_check_ref(path, row, record, "sender", senders()),
            recipient=_check_ref(path, row, record, "recipient", recipients()),
            text=_need_text(path, row, record, "text"),
            expected_codes=_string_list(path, row, record, "expected_codes"),
            note=str(record.get("note", "")),
        )
    return result


@cache
def scenarios() -> dict[str, Scenario]:
    """Rewriting scenarios by id, from scenarios.toml."""
    path = data_dir() / "scenarios.toml"
    result: dict[str, Scenario] = {}
    seen: set[str] = set()
    for number, record in enumerate(_tables(path, "scenario"), start=1):
        row = f"[[scenario]] #{number}"
        scenario_id = _check_id(path, row, record.get("id"), seen)
        row = f"{row} (id {scenario_id})"  # an author looks a scenario up by its id
        hints = _string_list(path, row, record, "hints")
        if not hints:
            raise DataError(path, row, "hints", "expected at least one hint")
        use = _one_of(path, row, record, "use", SCENARIO_USES)
        teaching = {name: _string_list(path, row, record, name) for name in TEACHING_LISTS}
        for name, items in teaching.items():
            if use == "exercise" and (not items or not all(item.strip() for item in items)):
                expected = "expected a list of non-empty text: an exercise's notebook shows it"
                raise DataError(path, row, name, expected)
        result[scenario_id] = Scenario(
            id=scenario_id,
            title=_need_text(path, row, record, "title"),
            sender=_check_ref(path, row, record, "sender", senders()),
            recipient=_check_ref(path, row, record, "recipient", recipients()),
            original=_need_text(path, row, record, "original"),
            task=_need_text(path, row, record, "task"),
            hints=hints,
            model_answer=_need_text(path, row, record, "model_answer"),
            use=use,
            mode=_one_of(path, row, record, "mode", SCENARIO_MODES),
            **teaching,
        )
    return result


@dataclass(frozen=True)
class ResearchFigure:
    """A figure the course quotes: its value and unit, what it measures and where it is from."""

    id: str
    value: int
    unit: str
    measures: str
    source: str
    address: str | None  # None: the course has never cited where it was published

    @property
    def text(self) -> str:
        """The figure as lessons write it: '1,200', '22%', '40 million'."""
        if self.unit == "percent":
            return f"{self.value}%"
        if self.value >= 1_000_000 and self.value % 1_000_000 == 0:
            return f"{self.value // 1_000_000:,} million"
        return f"{self.value:,}"


@cache
def research() -> dict[str, ResearchFigure]:
    """The research figures the course quotes, by id, from research.toml."""
    path = data_dir() / "research.toml"
    result: dict[str, ResearchFigure] = {}
    for number, record in enumerate(_tables(path, "figure"), start=1):
        row = f"[[figure]] #{number}"
        figure_id = record.get("id")
        if not isinstance(figure_id, str) or not FIGURE_ID.fullmatch(figure_id):
            expected = f"expected lowercase letters, digits and '_', got {figure_id!r}"
            raise DataError(path, row, "id", expected)
        if figure_id in result:
            raise DataError(path, row, "id", f"duplicate id {figure_id!r}: ids must be unique")
        value = record.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DataError(path, row, "value", f"expected a whole number, got {value!r}")
        unit = _need_text(path, row, record, "unit")
        if unit not in FIGURE_UNITS:
            expected = f"expected one of {', '.join(FIGURE_UNITS)}, got {unit!r}"
            raise DataError(path, row, "unit", expected)
        address = record.get("address")
        if address is not None and (
            not isinstance(address, str) or not address.startswith(("https://", "http://"))
        ):
            expected = "expected the web address it was published at, or no 'address' at all"
            raise DataError(path, row, "address", expected)
        result[figure_id] = ResearchFigure(
            id=figure_id,
            value=value,
            unit=unit,
            measures=_need_text(path, row, record, "measures"),
            source=_need_text(path, row, record, "source"),
            address=address,
        )
    return result


GRACEFUL_FIELDS = ("first_name", "sender_first")


def _table_of(path: Path, document: dict[str, Any], key: str) -> dict[str, Any]:
    table = document.get(key)
    if not isinstance(table, dict):
        raise DataError(path, None, key, f"expected a [{key}] table")
    return table


def _texts(path: Path, row: str, record: dict[str, Any], name: str) -> tuple[str, ...]:
    items = _string_list(path, row, record, name)
    if not items or not all(item.strip() for item in items):
        raise DataError(path, row, name, "expected a list of non-empty text")
    return items


def _graceful_reply(path: Path, document: dict[str, Any]) -> str:
    text = _need_text(path, "[graceful_reply]", _table_of(path, document, "graceful_reply"), "text")
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:  # a lone { or }
        raise DataError(
            path, "[graceful_reply]", "text", f"{error}: write {{{{ for a brace"
        ) from None
    for name in names:
        if name not in GRACEFUL_FIELDS:
            known = ", ".join(f"{{{field}}}" for field in GRACEFUL_FIELDS)
            raise DataError(
                path, "[graceful_reply]", "text", f"unknown {{{name}}} (known: {known})"
            )
    return text


@cache
def lesson_texts() -> LessonTexts:
    """The openers to compare, the before/after writing pairs, the graceful reply to a
    complaint and the capstone's hints, from lessons.toml."""
    path = data_dir() / "lessons.toml"
    document = read_toml(path)
    openers = _table_of(path, document, "openers")
    capstone = _table_of(path, document, "capstone")
    body = openers.get("body")
    if not isinstance(body, str) or not body.strip():
        raise DataError(path, "[openers]", "body", "expected non-empty text")
    pairs = []
    seen: set[str] = set()
    for number, record in enumerate(_tables(path, "pair"), start=1):
        row = f"[[pair]] #{number}"
        pairs.append(
            WritingPair(
                id=_check_id(path, row, record.get("id"), seen),
                title=_need_text(path, row, record, "title"),
                point=_need_text(path, row, record, "point"),
                sender=_check_ref(path, row, record, "sender", senders()),
                recipient=_check_ref(path, row, record, "recipient", recipients()),
                before=_need_text(path, row, record, "before"),
                after=_need_text(path, row, record, "after"),
            )
        )
    return LessonTexts(
        openers=_texts(path, "[openers]", openers, "lines"),
        opener_body=body,
        opener_recipient=_check_ref(path, "[openers]", openers, "recipient", recipients()),
        opener_sender=_check_ref(path, "[openers]", openers, "sender", senders()),
        pairs=tuple(pairs),
        graceful_reply=_graceful_reply(path, document),
        capstone_hints=_texts(path, "[capstone]", capstone, "hints"),
        capstone_example=_need_text(path, "[capstone]", capstone, "example"),
        capstone_example_recipient=_check_ref(
            path, "[capstone]", capstone, "example_recipient", recipients(), "recipient"
        ),
        capstone_example_sender=_check_ref(
            path, "[capstone]", capstone, "example_sender", senders(), "sender"
        ),
    )


def _flag(path: Path, row: str, record: dict[str, Any], name: str, default: bool | None) -> bool:
    value = record.get(name, default)
    if not isinstance(value, bool):
        raise DataError(path, row, name, f"expected true or false, got {value!r}")
    return value


@cache
def quiz_questions() -> dict[str, dict[str, Any]]:
    """The lessons' fixed quiz questions by id, from quizzes.toml: prompt, multiple, and options
    as (text, correct, explanation) tuples, with exactly one right option unless multiple."""
    path = data_dir() / "quizzes.toml"
    result: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for number, record in enumerate(_tables(path, "question"), start=1):
        row = f"[[question]] #{number}"
        question_id = _check_id(path, row, record.get("id"), seen)
        multiple = _flag(path, row, record, "multiple", False)
        tables = record.get("option")
        if not isinstance(tables, list) or len(tables) < 2:
            raise DataError(path, row, "option", "expected two or more [[question.option]] tables")
        options = []
        for index, option in enumerate(tables, start=1):
            where = f"{row}, option {index}"
            correct = _flag(path, where, option, "correct", None)
            text = _need_text(path, where, option, "text")
            options.append((text, correct, _need_text(path, where, option, "explanation")))
        right = sum(correct for _, correct, _ in options)
        if right < 1 or (not multiple and right != 1):
            expected = "one or more right options" if multiple else "exactly one right option"
            raise DataError(path, row, "option", f"expected {expected}, found {right}")
        result[question_id] = {
            "prompt": _need_text(path, row, record, "prompt"),
            "multiple": multiple,
            "options": tuple(options),
        }
    return result


@cache
def spot_labels() -> dict[str, str]:
    """What the spot-the-problems quiz calls each rule code's problem, from quizzes.toml."""
    path = data_dir() / "quizzes.toml"
    labels = read_toml(path).get("spot_labels")
    if not isinstance(labels, dict) or not labels:
        raise DataError(path, None, "spot_labels", "expected a [spot_labels] table: CODE = text")
    for code, label in labels.items():
        if not isinstance(label, str) or not label.strip():
            raise DataError(path, "[spot_labels]", code, "expected non-empty text")
    return dict(labels)


@cache
def evaluation() -> list[EvaluationItem]:
    """The labelled evaluation set, from evaluation.toml."""
    path = data_dir() / "evaluation.toml"
    items: list[EvaluationItem] = []
    seen: set[str] = set()
    for number, record in enumerate(_tables(path, "item"), start=1):
        row = f"[[item]] #{number}"
        labels = {}
        for category in CATEGORIES:
            if not isinstance(record.get(category), bool):
                raise DataError(path, row, category, "expected true or false")
            labels[category] = record[category]
        sender = record.get("sender", "")
        if sender:
            _check_ref(path, row, record, "sender", senders())
        items.append(
            EvaluationItem(
                id=_check_id(path, row, record.get("id"), seen),
                recipient=_check_ref(path, row, record, "recipient", recipients()),
                text=_need_text(path, row, record, "text"),
                labels=labels,
                sender=sender,
            )
        )
    return items


# Every course data file a learner's course reads (the evaluation set is only for the tests).
COURSE_LOADERS = (
    recipients,
    senders,
    messages,
    scenarios,
    quiz_questions,
    spot_labels,
    research,
    lesson_texts,
)


def load_all() -> None:
    """Load and validate every course data file and the grader's word lists, so a mistake is
    reported when the course opens, not when some later message happens to need that file."""
    for loader in COURSE_LOADERS:
        loader()
    load_word_lists()


def clear_cache() -> None:
    """Forget loaded data, the grader's word lists and everything computed from them, so edited
    files are read again."""
    for loader in (*COURSE_LOADERS, evaluation):
        loader.cache_clear()
    clear_grader_cache()
