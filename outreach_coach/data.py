"""Load and validate the course data in data/: profiles, senders, messages, scenarios, lexicons."""

from __future__ import annotations

import csv
import io
import os
import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .files import course_root
from .models import (
    RECIPIENT_REQUIRED,
    SENDER_REQUIRED,
    EvaluationItem,
    ExampleMessage,
    Recipient,
    Scenario,
    Sender,
    as_recipient,
    as_sender,
)
from .report import CATEGORIES

F = TypeVar("F", bound=Callable[..., Any])

MESSAGE_KINDS = ("mass", "defensive", "unsubscribe", "bad", "good")
SCENARIO_USES = ("exercise", "lesson")
SCENARIO_MODES = ("outreach", "reply")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class DataError(ValueError):
    """A course data file is malformed; says which file, row and field, and what was expected."""

    def __init__(self, file: str | Path, row: int | str | None, field: str | None, expected: str):
        self.file = str(file)
        self.row = row
        self.field = field
        self.expected = expected
        where = self.file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {expected}")


def grader_data_dir() -> Path:
    """The folder holding the grader's word lists, inside the package so that an installed wheel
    grades (OUTREACH_COACH_GRADER_DATA overrides it)."""
    override = os.environ.get("OUTREACH_COACH_GRADER_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent / "grader_data"


def data_dir() -> Path:
    """The folder holding the course data (OUTREACH_COACH_DATA overrides the course's data/)."""
    override = os.environ.get("OUTREACH_COACH_DATA")
    if override:
        return Path(override)
    return course_root() / "data"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found: check the data folder") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, None, f"is not valid TOML ({error})") from None
    except UnicodeDecodeError as error:
        raise DataError(path, None, None, _not_utf8(error)) from None


def _not_utf8(error: UnicodeDecodeError) -> str:
    return f"is not UTF-8 text (bad byte at position {error.start}): save it as UTF-8"


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV table as dicts of text, blank lines skipped (the csv module, not
    pandas, so the course data also loads in the browser, where pandas does not exist)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found: check the data folder") from None
    except UnicodeDecodeError as error:
        raise DataError(path, None, None, _not_utf8(error)) from None
    if not text.strip():
        header = ", ".join(("id", *required))
        raise DataError(path, None, None, f"is empty: expected a header row ({header})")
    _check_quotes(path, text)
    header, *rows = [row for row in csv.reader(io.StringIO(text), strict=True) if row]
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


def _check_quotes(path: Path, text: str) -> None:
    """DataError naming the row where a quoted field is opened and never closed (a reader would
    read the rest of the file into that field and blame some later field instead)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    row = 1
    try:
        for _ in reader:
            row = reader.line_num + 1
    except csv.Error as error:
        raise DataError(
            path, row, None, f'a quoted field on this row is never closed ({error}): add the "'
        ) from None


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
    document = _read_toml(path)
    tables = document.get(key)
    if not isinstance(tables, list) or not tables:
        raise DataError(path, None, key, f"expected one or more [[{key}]] tables")
    return tables


def _check_ref(path: Path, row: str, record: dict[str, Any], name: str, known: dict) -> str:
    value = _need_text(path, row, record, name)
    if value not in known:
        raise DataError(path, row, name, f"unknown {name} id {value!r}: add it to {name}s.csv")
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
        hints = _string_list(path, row, record, "hints")
        if not hints:
            raise DataError(path, row, "hints", "expected at least one hint")
        result[scenario_id] = Scenario(
            id=scenario_id,
            title=_need_text(path, row, record, "title"),
            sender=_check_ref(path, row, record, "sender", senders()),
            recipient=_check_ref(path, row, record, "recipient", recipients()),
            original=_need_text(path, row, record, "original"),
            task=_need_text(path, row, record, "task"),
            hints=hints,
            model_answer=_need_text(path, row, record, "model_answer"),
            use=_one_of(path, row, record, "use", SCENARIO_USES),
            mode=_one_of(path, row, record, "mode", SCENARIO_MODES),
        )
    return result


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


@cache
def topics() -> dict[str, tuple[str, ...]]:
    """The topic lexicon: topic name to the words and phrases that signal it."""
    path = grader_data_dir() / "topics.toml"
    table = _read_toml(path).get("topics")
    if not isinstance(table, dict) or not table:
        raise DataError(path, None, "topics", "expected a [topics] table of word lists")
    for name, words in table.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataError(path, name, name, "expected a list of words or phrases")
    return {name: tuple(words) for name, words in table.items()}


@cache
def lexicon() -> dict[str, Any]:
    """Word lists the rules use (stopwords, generic words, acronyms, text-speak, nicknames...)."""
    path = grader_data_dir() / "lexicon.toml"
    document = _read_toml(path)
    for name in ("stopwords", "generic", "acronyms", "common_words", "not_a_name"):
        words = document.get(name)
        if not isinstance(words, list):
            raise DataError(path, None, name, "expected a list of words")
        for word in words:
            if not isinstance(word, str):
                raise DataError(path, None, name, f"expected words in quotes, found {word!r}")
    for name in ("misspellings", "nicknames", "text_speak", "number_words"):
        table = document.get(name)
        if not isinstance(table, dict):
            raise DataError(path, None, name, f"expected a [{name}] table")
        for key, value in table.items():
            values = value if name == "nicknames" and isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in values):
                expected = "a list of names in quotes" if name == "nicknames" else "text in quotes"
                raise DataError(path, key, name, f"expected {expected}, found {value!r}")
    return document


@cache
def cues() -> dict[str, tuple[str, ...]]:
    """Phrase lists that tell what a sentence does or what a profile says of a need."""
    path = grader_data_dir() / "cues.toml"
    document = _read_toml(path)
    for name in ("connect_only", "sender_serving", "negated_fit", "solved_need", "mass_mail"):
        phrases = document.get(name)
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            raise DataError(path, None, name, "expected a list of phrases")
    return {name: tuple(phrases) for name, phrases in document.items()}


def grader_data() -> None:
    """Load (and so validate) the word lists grade() reads, before the first message needs them."""
    lexicon()
    topics()
    cues()


def load_all() -> None:
    """Load and validate every course data file, so a mistake is reported when the course
    opens, not when some later message happens to need that file."""
    for loader in (recipients, senders, messages, scenarios, topics, lexicon, cues):
        loader()


_DERIVED: list[Callable[[], None]] = []


def derived_from_data(function: F) -> F:
    """Mark a cached function whose results come from the data files, so clear_cache() clears it."""
    _DERIVED.append(function.cache_clear)
    return function


def clear_cache() -> None:
    """Forget loaded data and everything computed from it, so edited files are read again."""
    for loader in (recipients, senders, messages, scenarios, evaluation, topics, lexicon, cues):
        loader.cache_clear()
    for clear in _DERIVED:
        clear()
