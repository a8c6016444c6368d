"""The course's records: example messages, rewriting scenarios and labelled messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


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
    mode: str = "outreach"
    # What an exercise practises and what to remember: its notebook's opening and closing lists.
    objectives: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    # An exercise's notes for whoever runs it with a group (its instructor copy in solutions/).
    instructor_notes: tuple[str, ...] = ()

    @property
    def is_reply(self) -> bool:
        """True for a reply (to a complaint): graded on mechanics and etiquette only."""
        return self.mode == "reply"


@dataclass(frozen=True)
class EvaluationItem:
    """A message labelled pass or fail per category by a person, for measuring the grader."""

    id: str
    recipient: str
    text: str
    labels: Mapping[str, bool] = field(default_factory=dict)
    sender: str = ""


@dataclass(frozen=True)
class WritingPair:
    """The same note written carelessly and then carefully, to compare the grader's reports."""

    id: str
    title: str
    point: str
    sender: str
    recipient: str
    before: str
    after: str


@dataclass(frozen=True)
class LessonTexts:
    """What the lessons show besides scenarios, messages and quizzes (data/lessons.toml)."""

    openers: tuple[str, ...]  # opening lines to compare, each graded with opener_body after it
    opener_body: str
    opener_recipient: str
    opener_sender: str
    pairs: tuple[WritingPair, ...]  # before/after writing pairs
    graceful_reply: str  # the calm answer to a complaint, with {first_name} and {sender_first}
    capstone_hints: tuple[str, ...]
    capstone_example: str  # a message the capstone's instructor copy checks
    capstone_example_recipient: str
    capstone_example_sender: str
