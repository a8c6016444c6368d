"""Short quizzes for the lessons: questions as data, a pure grading function, and a widget.

`grade_quiz(question, chosen)` knows nothing of widgets; `Quiz` only lays out the options and a
button and shows what `grade_quiz` returns. The spot-the-problems question is built from the
grader's own findings, so its answer key follows the grader and the example data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

import ipywidgets as widgets

from . import data, marks
from .grader.wordlists import derived_from_data
from .lesson_views import grade_example, message_of, story_message
from .models import ExampleMessage
from .outline import course_quizzes
from .simulator import reply_all_deliveries
from .storage import DraftStore
from .views import ErrorBox, run_guarded


@dataclass(frozen=True)
class Option:
    """One answer a learner can choose, whether it is right, and why."""

    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class Question:
    """A quiz question: one right answer (radio buttons) or several (tick boxes)."""

    id: str
    prompt: str
    options: tuple[Option, ...]
    multiple: bool = False

    def __post_init__(self) -> None:
        if len(self.options) < 2:
            raise ValueError(f"question {self.id!r} needs at least two options")
        right = sum(option.correct for option in self.options)
        if not self.multiple and right != 1:
            raise ValueError(f"single-choice question {self.id!r} needs exactly one right option")
        if self.multiple and right < 1:
            raise ValueError(f"question {self.id!r} needs at least one right option")

    @property
    def answer(self) -> tuple[int, ...]:
        """The indexes of the right options."""
        return tuple(i for i, option in enumerate(self.options) if option.correct)


@dataclass(frozen=True)
class OptionFeedback:
    """How one option was handled: ticked or not, and whether that was right."""

    index: int
    text: str
    chosen: bool
    correct: bool
    explanation: str

    @property
    def verdict(self) -> str:
        """'hit' (right and chosen), 'wrong' (chosen, not right), 'missed', or 'skipped'."""
        if self.chosen:
            return "hit" if self.correct else "wrong"
        return "missed" if self.correct else "skipped"


@dataclass(frozen=True)
class QuizResult:
    """The verdict on one attempt at a question."""

    answered: bool
    correct: bool
    hits: int
    missed: int
    wrong: int
    summary: str
    feedback: tuple[OptionFeedback, ...]


def _chosen_set(question: Question, chosen: int | Iterable[int] | None) -> set[int]:
    if chosen is None:
        return set()
    picked = {chosen} if isinstance(chosen, int) else set(chosen)
    for index in picked:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"options are chosen by number (0, 1, ...), got {index!r}")
        if not 0 <= index < len(question.options):
            raise ValueError(
                f"question {question.id!r} has options 0 to {len(question.options) - 1}, "
                f"got {index}"
            )
    if not question.multiple and len(picked) > 1:
        raise ValueError(f"question {question.id!r} takes one answer, got {sorted(picked)}")
    return picked


def grade_quiz(question: Question, chosen: int | Iterable[int] | None) -> QuizResult:
    """Grade a choice (an option index, or several for a tick-all question) with explanations."""
    picked = _chosen_set(question, chosen)
    feedback = tuple(
        OptionFeedback(i, option.text, i in picked, option.correct, option.explanation)
        for i, option in enumerate(question.options)
    )
    hits = sum(f.verdict == "hit" for f in feedback)
    missed = sum(f.verdict == "missed" for f in feedback)
    wrong = sum(f.verdict == "wrong" for f in feedback)
    if not picked:
        hint = "Tick every answer you think is right" if question.multiple else "Choose an answer"
        return QuizResult(False, False, 0, missed, 0, f"{hint}, then check.", feedback)
    correct = missed == 0 and wrong == 0
    if not question.multiple:
        summary = "Correct." if correct else "Not quite: read why below, then try again."
    elif correct:
        summary = f"All {hits} found, and nothing extra ticked."
    else:
        total = hits + missed
        extra = f"; {wrong} ticked that {'is' if wrong == 1 else 'are'} not right" if wrong else ""
        summary = f"You found {hits} of {total}{extra}."
    return QuizResult(True, correct, hits, missed, wrong, summary, feedback)


# --- the lessons' questions ---------------------------------------------------------------------


def storm_arithmetic_question(list_size: int = 150, replies: int = 30) -> Question:
    """How many messages land in inboxes when `replies` people reply all to a list?"""
    total = reply_all_deliveries(list_size, replies)
    one_to_one = list_size + replies
    why = (
        f"The original reaches {list_size:,} inboxes, and each of the {replies} reply-alls reaches "
        f"{list_size:,} more (everyone else on the list, plus the sender): "
        f"{list_size:,} × (1 + {replies}) = {total:,}."
    )
    options = (
        Option(
            f"{one_to_one:,}",
            False,
            f"That is what personal notes would cost: {list_size:,} notes plus {replies} replies "
            "to the sender alone. With Reply All, each reply goes to everyone.",
        ),
        Option(f"{total:,}", True, why),
        Option(
            f"{list_size * replies:,}",
            False,
            "Close, but the original message landed in every inbox too. " + why,
        ),
        Option(
            f"{replies:,}",
            False,
            "That counts the replies once each; every one of them lands in every inbox.",
        ),
    )
    return Question(
        id="storm-arithmetic",
        prompt=(
            f"A note goes to {list_size:,} people at once, and {replies} of them answer with "
            "Reply All. Counting the original, how many messages land in inboxes?"
        ),
        options=options,
    )


@derived_from_data
@cache
def fixed_questions() -> dict[str, Question]:
    """The lessons' fixed questions by id, from data/quizzes.toml (checked when it is read)."""
    return {
        question_id: Question(
            id=question_id,
            prompt=record["prompt"],
            options=tuple(Option(*option) for option in record["options"]),
            multiple=record["multiple"],
        )
        for question_id, record in data.quiz_questions().items()
    }


# Plausible problems to offer when the message does not have them, so ticking everything fails.
DECOYS = ("MECH005", "MECH008", "REL005", "MECH006", "PERS005", "PERS007")
MAX_DECOYS = 3
MASS_LABEL = "It went to a long list of people in one message."


def spot_the_problems_question(message: str | ExampleMessage | None = None) -> Question:
    """Tick the problems you see: the answer key is what the grader finds in the message."""
    example = message_of(message) if message is not None else story_message()
    report = grade_example(example)
    found: dict[str, str] = {}
    for finding in report.problems:
        found.setdefault(finding.code, f"{finding.message} {finding.why}".strip())
    decoys = [code for code in DECOYS if code not in found][:MAX_DECOYS]
    options = []
    for code, label in data.spot_labels().items():
        if code in found:
            options.append(Option(label, True, f"Yes: {found[code]}"))
        elif code in decoys:
            options.append(
                Option(label, False, "Not in this message: the grader found nothing like it.")
            )
    for code in found:
        if code not in data.spot_labels():  # a rule added after the list was written
            options.append(Option(found[code], True, f"Yes: {found[code]}"))
    if example.kind == "mass" and "ETIQ005" not in found:
        options.append(
            Option(
                MASS_LABEL,
                True,
                "Yes: the story says so, even though the text alone cannot show it.",
            )
        )
    return Question(
        id=f"spot-{example.id}",
        prompt=f"“{example.title}”: tick every problem you can see in it, then check.",
        options=tuple(options),
        multiple=True,
    )


def __getattr__(name: str) -> Any:
    """COURSE_QUIZZES: the quizzes the lessons show, in course order, with the name progress
    gives them (tests/test_quiz.py checks it against the lesson notebooks). Read from the course
    map when first used, so that importing this module never fails on a broken map."""
    if name == "COURSE_QUIZZES":
        return course_quizzes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def question(question_id: str) -> Question:
    """A lesson question by id (the spot-the-problems and arithmetic ones are built fresh)."""
    if question_id == "spot-the-problems":
        return spot_the_problems_question()
    if question_id == "storm-arithmetic":
        return storm_arithmetic_question()
    questions = fixed_questions()
    if question_id not in questions:
        known = ", ".join(["spot-the-problems", "storm-arithmetic", *questions])
        raise KeyError(f"no quiz question {question_id!r}; known: {known}")
    return questions[question_id]


# --- the widget ---------------------------------------------------------------------------------

FEEDBACK_FONT = "14px"
MARKS = {
    "hit": (marks.PASS, "Right"),
    "wrong": (marks.FAIL, "Not right"),
    "missed": (marks.TODO, "Missed"),
    "skipped": ("·", "Rightly left out"),
}


def feedback_html(question: Question, result: QuizResult) -> str:
    """The verdict and, once answered, why each option is right or wrong (escaped HTML)."""
    if not result.answered:
        return (
            f"<div role='status' style='font-size:{FEEDBACK_FONT}'><p class='oc-quiz-verdict'>"
            f"{marks.INFO} {escape(result.summary)}</p></div>"
        )
    icon = marks.PASS if result.correct else marks.FAIL
    parts = [f"<p class='oc-quiz-verdict'><b>{icon} {escape(result.summary)}</b></p>"]
    if question.multiple:
        items = []
        for item in result.feedback:
            mark, word = MARKS[item.verdict]
            items.append(
                f"<li><span aria-hidden='true'>{mark}</span> <b>{word}:</b> "
                f"{escape(item.text)}<br><span class='oc-quiz-why'>"
                f"{escape(item.explanation)}</span></li>"
            )
        parts.append("<ul style='list-style:none;padding-left:.5em'>" + "".join(items) + "</ul>")
    else:
        chosen = next(item for item in result.feedback if item.chosen)
        parts.append(f"<p class='oc-quiz-why'>{escape(chosen.explanation)}</p>")
    # role=status: screen readers announce the verdict; 14 px, not the widgets' 13 px or less.
    return f"<div role='status' style='font-size:{FEEDBACK_FONT}'>{''.join(parts)}</div>"


class Quiz(widgets.VBox):
    """A question with radio buttons or tick boxes, a Check button and feedback."""

    def __init__(self, question_or_id: Question | str, *, store: DraftStore | None = None):
        self.last_error: BaseException | None = None
        self.store = store
        self.question = (
            question(question_or_id) if isinstance(question_or_id, str) else question_or_id
        )
        self.result: QuizResult | None = None
        q = self.question
        prompt = widgets.HTML(f"<p><b>{escape(q.prompt)}</b></p>")
        prompt.add_class("oc-quiz-prompt")
        if q.multiple:
            self.options: list[widgets.ValueWidget] = [
                widgets.Checkbox(
                    value=False,
                    description=option.text,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                for option in q.options
            ]
        else:
            self.options = [
                widgets.RadioButtons(
                    options=[(option.text, i) for i, option in enumerate(q.options)],
                    value=None,
                    layout=widgets.Layout(width="auto"),
                )
            ]
        for widget in self.options:
            widget.add_class("oc-quiz-option")
        self.check_button = widgets.Button(description="Check", icon="check")
        self.check_button.add_class("oc-quiz-check")
        self.check_button.on_click(lambda _button: self.check())
        self.feedback = widgets.HTML()
        self.feedback.add_class("oc-quiz-feedback")
        self.error_box = ErrorBox("oc-quiz-error")
        super().__init__(
            [prompt, *self.options, self.check_button, self.error_box, self.feedback],
            layout=widgets.Layout(border="1px solid #bbb", padding="0.5em", margin="0.5em 0"),
        )
        self.add_class("oc-quiz")

    @property
    def chosen(self) -> tuple[int, ...]:
        """The indexes of the options currently chosen."""
        if self.question.multiple:
            return tuple(i for i, box in enumerate(self.options) if box.value)
        value = self.options[0].value
        return () if value is None else (int(value),)

    def choose(self, *indexes: int) -> None:
        """Choose options by index, as a learner would by clicking them."""
        if self.question.multiple:
            for i, box in enumerate(self.options):
                box.value = i in indexes
        else:
            self.options[0].value = indexes[0] if indexes else None

    def check(self) -> QuizResult | None:
        """Grade the current choice and show the feedback (errors are shown, not raised)."""
        return run_guarded(self, "checking your answer", self._check)

    def _check(self) -> QuizResult:
        result = grade_quiz(self.question, self.chosen)
        self.feedback.value = feedback_html(self.question, result)
        self.result = result
        if result.answered and self.question.id in course_quizzes():
            # Counted in the workbench's progress; the feedback above is shown even if this fails.
            store = self.store if self.store is not None else DraftStore()
            store.record_quiz(self.question.id, result.correct)
        return result
