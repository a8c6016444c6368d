"""The grader's word lists, cues and topics: data files inside the package (so an installed
wheel grades), read once, validated on load, and DataError naming the file, row and field."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_DERIVED: list[Callable[[], None]] = []


def derived_from_data(function: F) -> F:
    """Mark a cached function whose results come from the data files, so clear_cache() clears it."""
    _DERIVED.append(function.cache_clear)
    return function


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
    return Path(__file__).resolve().parent / "resources"


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at `path`, or a DataError saying what is wrong with the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found: check the data folder") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, None, f"is not valid TOML ({error})") from None
    except UnicodeDecodeError as error:
        raise DataError(path, None, None, not_utf8(error)) from None


def not_utf8(error: UnicodeDecodeError) -> str:
    """What to tell an author whose file is not UTF-8."""
    return f"is not UTF-8 text (bad byte at position {error.start}): save it as UTF-8"


LEXICON_LISTS = (
    "stopwords",
    "generic",
    "acronyms",
    "common_words",
    "not_a_name",
    "courtesy_titles",
    "offer_nouns",
)
CUE_LISTS = (
    "connect_only",
    "sender_serving",
    "negated_fit",
    "solved_need",
    "mass_mail",
    "activity",
    "offer_verbs",
    "asks",
    "soft_asks",
    "compliments",
    "need",
    "sign_offs",
)


@cache
def topics() -> dict[str, tuple[str, ...]]:
    """The topic lexicon: topic name to the words and phrases that signal it."""
    path = grader_data_dir() / "topics.toml"
    table = read_toml(path).get("topics")
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
    document = read_toml(path)
    for name in LEXICON_LISTS:
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
    document = read_toml(path)
    for name in CUE_LISTS:
        phrases = document.get(name)
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
            raise DataError(path, None, name, "expected a list of phrases")
        for phrase in phrases:
            if not phrase[0].isalnum():
                raise DataError(path, None, name, f"a phrase starts with a letter, not {phrase!r}")
            if "*" in phrase.replace("* ", " ").rstrip("*"):
                raise DataError(path, None, name, f"'*' may only end a word, found {phrase!r}")
    return {name: tuple(phrases) for name, phrases in document.items()}


def cue_alternation(name: str) -> str:
    """The phrases of one cue list as a regular-expression alternation, longest first: words
    matched case-insensitively with any run of spaces between them, a trailing * letting a word
    go on ("launch*" is launch, launched, launching, launch's)."""
    phrases = sorted(cues()[name], key=len, reverse=True)
    return "|".join(r"[ \t]+".join(_cue_word(word) for word in p.split()) for p in phrases)


def _cue_word(word: str) -> str:
    # A word that may go on may also be a possessive: "auditor's" is a form of "audit*".
    return re.escape(word[:-1]) + r"\w*(?:['’]s)?" if word.endswith("*") else re.escape(word)


@derived_from_data
@cache
def cue_pattern(name: str) -> re.Pattern[str]:
    """One pattern for a list of cue phrases in resources/cues.toml, matched as whole words."""
    # Every phrase starts with a letter: the leading \b lets a search skip a run of punctuation
    # without trying each phrase at each of its characters.
    return re.compile(rf"(?<![\w'’])\b(?:{cue_alternation(name)})(?![\w'’])", re.IGNORECASE)


def has_cue(name: str, text: str) -> re.Match[str] | None:
    """The first cue phrase of the named list in text, or None."""
    return cue_pattern(name).search(text)


def load() -> None:
    """Load (and so validate) the word lists grade() reads, before the first message needs them."""
    lexicon()
    topics()
    cues()


def clear_cache() -> None:
    """Forget the loaded word lists and everything computed from them, so edited files are read
    again."""
    for loader in (topics, lexicon, cues):
        loader.cache_clear()
    for clear in _DERIVED:
        clear()
