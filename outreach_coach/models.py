"""The course's records: recipients, senders, example messages and scenarios."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class ExampleMessage:
    """A real-looking message from the story or the course, with the findings it should earn."""

    id: str
    kind: str
    title: str
    sender: str
    recipient: str
    text: str
    expected_codes: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    """One rewriting task: a sender, a recipient, the bad original message and the task."""

    id: str
    title: str
    sender: str
    recipient: str
    original: str
    task: str
    hints: tuple[str, ...]
    model_answer: str
    use: str = "exercise"


@dataclass(frozen=True)
class EvaluationItem:
    """A message labelled pass or fail per category by a person, for measuring the grader."""

    id: str
    recipient: str
    text: str
    labels: Mapping[str, bool] = field(default_factory=dict)
    sender: str = ""


TITLE_WORDS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof"})


def is_title(word: str) -> bool:
    """True for a courtesy title such as Dr or Ms., with or without its full stop."""
    return word.lower().strip(".") in TITLE_WORDS


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


def as_recipient(source: Any) -> Recipient:
    """Turn a mapping (or an object with the same attributes) into a Recipient."""
    if isinstance(source, Recipient):
        return source
    _check_required(source, RECIPIENT_REQUIRED, "recipient")
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
    """Turn a mapping (or an object with the same attributes) into a Sender."""
    if isinstance(source, Sender):
        return source
    _check_required(source, SENDER_REQUIRED, "sender")
    return Sender(
        name=_text(_field(source, "name")),
        headline=_text(_field(source, "headline")),
        company=_text(_field(source, "company")),
        offers=_phrases(_field(source, "offers"), "offers", "sender"),
        id=_text(_field(source, "id")),
    )
