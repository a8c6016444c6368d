"""The grader's inputs: the recipient's profile and the sender's, checked field by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache, lru_cache
from typing import Any

from . import wordlists

# What one profile may hold. LinkedIn's own limits are lower (a headline 220 characters, About
# 2,600, a post 3,000); past these a profile only makes grading slower, never fairer.
FIELD_LIMITS = {
    "name": 100,
    "headline": 300,
    "company": 200,
    "industry": 200,
    "recent_activity": 5000,
    "about": 5000,
    "id": 100,
}
MAX_PHRASES = 50
MAX_PHRASE_CHARS = 200

RECIPIENT_REQUIRED = ("name", "headline", "company", "industry", "interests", "recent_activity")
SENDER_REQUIRED = ("name", "headline", "company", "offers")


@dataclass(frozen=True)
class Recipient:
    """The LinkedIn profile of the person being written to."""

    name: str
    headline: str
    company: str
    industry: str
    interests: tuple[str, ...]
    recent_activity: str
    about: str = ""
    id: str = ""

    @property
    def first_name(self) -> str:
        """The first word of the name that is not a title such as Dr."""
        return first_name_of(self.name)


@dataclass(frozen=True)
class Sender:
    """The person writing, their company and what they offer."""

    name: str
    headline: str
    company: str
    offers: tuple[str, ...]
    id: str = ""

    @property
    def first_name(self) -> str:
        """The first word of the name that is not a title such as Dr."""
        return first_name_of(self.name)


@wordlists.derived_from_data
@cache
def courtesy_titles() -> frozenset[str]:
    """Courtesy titles (Dr, Ms, Frau, Señora...), from the lexicon."""
    return frozenset(wordlists.lexicon()["courtesy_titles"])


def is_title(word: str) -> bool:
    """True for a courtesy title such as Dr or Ms., with or without its full stop."""
    return word.lower().strip(".") in courtesy_titles()


@wordlists.derived_from_data
@lru_cache(maxsize=4096)  # asked for each word a check reads as a possible name
def first_name_of(full_name: str) -> str:
    """Return the first word of a name, skipping courtesy titles."""
    words = [w for w in full_name.split() if not is_title(w)]
    return words[0].strip(",.") if words else full_name.strip()


def _field(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def _phrases(value: Any, field_name: str, kind: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(";") if p.strip())
    try:
        items = list(value)
    except TypeError:
        raise ValueError(
            f"{kind} field '{field_name}' must be a list of short phrases, "
            f"got {type(value).__name__}"
        ) from None
    return tuple(str(p).strip() for p in items if str(p).strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # pandas reads an empty cell as NaN
        return ""
    return str(value).strip()


def _check_required(source: Any, required: tuple[str, ...], kind: str) -> None:
    if source is None:
        raise ValueError(f"a {kind} profile is required, got None")
    for name in required:
        value = _field(source, name)
        if value is None:
            raise ValueError(
                f"{kind} profile is missing the required field '{name}' "
                f"(required: {', '.join(required)})"
            )
    if not _text(_field(source, "name")):
        raise ValueError(f"{kind} profile field 'name' is empty: give the person's full name")


def _checked(record: Any, kind: str) -> Any:
    """The record with its list fields as tuples, or ValueError naming the field that is the
    wrong type or too long (records built directly skip the mapping path's conversions)."""
    changes = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name in ("interests", "offers"):
            if isinstance(value, str) or not isinstance(value, tuple | list):
                raise ValueError(
                    f"{kind} field '{item.name}' must be a tuple of short phrases, "
                    f"got {type(value).__name__}"
                )
            if len(value) > MAX_PHRASES:
                raise ValueError(
                    f"{kind} field '{item.name}' lists {len(value):,} phrases: keep at most "
                    f"{MAX_PHRASES}, the ones that matter most"
                )
            for phrase in value:
                if not isinstance(phrase, str):
                    raise ValueError(
                        f"{kind} field '{item.name}' must hold text, got {type(phrase).__name__}"
                    )
                if len(phrase) > MAX_PHRASE_CHARS:
                    raise ValueError(
                        f"{kind} field '{item.name}' has a phrase of {len(phrase):,} characters: "
                        f"keep each under {MAX_PHRASE_CHARS}"
                    )
            if isinstance(value, list):
                changes[item.name] = tuple(value)
            continue
        if not isinstance(value, str):
            raise ValueError(f"{kind} field '{item.name}' must be text, got {type(value).__name__}")
        limit = FIELD_LIMITS[item.name]
        if len(value) > limit:
            raise ValueError(
                f"{kind} field '{item.name}' has {len(value):,} characters: "
                f"shorten it to at most {limit:,}"
            )
    if not record.name.strip():
        raise ValueError(f"{kind} profile field 'name' is empty: give the person's full name")
    return replace(record, **changes) if changes else record


def as_recipient(source: Any) -> Recipient:
    """Turn a mapping (or an object with the same attributes) into a checked Recipient."""
    if isinstance(source, Recipient):
        return _checked(source, "recipient")
    _check_required(source, RECIPIENT_REQUIRED, "recipient")
    return _checked(_build_recipient(source), "recipient")


def _build_recipient(source: Any) -> Recipient:
    return Recipient(
        name=_text(_field(source, "name")),
        headline=_text(_field(source, "headline")),
        company=_text(_field(source, "company")),
        industry=_text(_field(source, "industry")),
        interests=_phrases(_field(source, "interests"), "interests", "recipient"),
        recent_activity=_text(_field(source, "recent_activity")),
        about=_text(_field(source, "about")),
        id=_text(_field(source, "id")),
    )


def as_sender(source: Any) -> Sender:
    """Turn a mapping (or an object with the same attributes) into a checked Sender."""
    if isinstance(source, Sender):
        return _checked(source, "sender")
    _check_required(source, SENDER_REQUIRED, "sender")
    return _checked(_build_sender(source), "sender")


def _build_sender(source: Any) -> Sender:
    return Sender(
        name=_text(_field(source, "name")),
        headline=_text(_field(source, "headline")),
        company=_text(_field(source, "company")),
        offers=_phrases(_field(source, "offers"), "offers", "sender"),
        id=_text(_field(source, "id")),
    )
