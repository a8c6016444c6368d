"""Short quizzes for the lessons: questions as data, a pure grading function, and a widget.

`grade_quiz(question, chosen)` knows nothing of widgets; `Quiz` only lays out the options and a
button and shows what `grade_quiz` returns. The spot-the-problems question is built from the
grader's own findings, so its answer key follows the grader and the example data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from . import marks
from .lesson_views import ErrorBox, grade_example, message_of, run_guarded, story_message
from .models import ExampleMessage
from .outline import course_quizzes
from .simulator import reply_all_deliveries
from .storage import DraftStore


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


QUESTIONS: dict[str, Question] = {
    "storm-opt-out": Question(
        id="storm-opt-out",
        prompt=(
            "A note you never asked for arrives, sent to a long list. Which of these stop it "
            "without adding to the storm? Tick all that do."
        ),
        multiple=True,
        options=(
            Option(
                "Click Reply All and write 'unsubscribe'.",
                False,
                "Your 'unsubscribe' lands in every inbox on the list. LinkedIn messages are not "
                "a mailing list, so the word switches nothing off; it only adds to the pile.",
            ),
            Option(
                "Reply to the sender alone and ask to be taken off the list.",
                True,
                "Only the sender reads it, and the request reaches the one person who can act on "
                "it.",
            ),
            Option(
                "Report the message to LinkedIn as spam.",
                True,
                "The report goes to LinkedIn, not to the thread. Nobody else's inbox fills up.",
            ),
            Option(
                "Reply All asking everyone to stop replying all.",
                False,
                "Well meant, but it is one more message in every inbox, and it invites answers.",
            ),
            Option(
                "Remove the sender from your connections.",
                True,
                "A quiet exit: no message to anyone, and the sender loses the easy way to write "
                "to you.",
            ),
            Option(
                "Mute or leave the conversation.",
                True,
                "Silences the thread for you without sending a word to anyone.",
            ),
        ),
    ),
    "recovery-reply": Question(
        id="recovery-reply",
        prompt=(
            "You sent a note to a list. Someone answers: 'This is spam. Take me off your list.' "
            "Which answer is best?"
        ),
        options=(
            Option(
                "To everyone: 'It is not spam. We are a real company with ten years in business. "
                "Please look at it again.'",
                False,
                "This is what the story's sender did. Whether a message is spam is the reader's "
                "call; arguing, in public, told everyone on the list the sender was not listening.",
            ),
            Option(
                "To that person only: 'You're right, and I'm sorry. I've taken you off my list "
                "and won't write again. Thank you for telling me.'",
                True,
                "It agrees, apologises, does what was asked and thanks them, and only they read "
                "it. Nothing to argue with, nothing to report.",
            ),
            Option(
                "No answer; keep sending the monthly note.",
                False,
                "They asked to be removed. The next note is the one they report to LinkedIn.",
            ),
            Option(
                "To everyone: a long explanation of why the note was sent.",
                False,
                "Every recipient gets one more message they did not want, and explaining still "
                "tells the reader they were wrong.",
            ),
        ),
    ),
    "recovery-report": Question(
        id="recovery-report",
        prompt="What happens when you report a message to LinkedIn as spam?",
        options=(
            Option(
                "It posts a public warning on the sender's profile.",
                False,
                "Reports are not public; other members do not see them.",
            ),
            Option(
                "LinkedIn receives it privately and can act against a sender who is reported "
                "again and again.",
                True,
                "A report is a private signal to LinkedIn, which reviews it and can limit "
                "accounts that keep sending spam. It costs the thread nothing.",
            ),
            Option(
                "It sends your complaint to everyone on the thread.",
                False,
                "No: that is what Reply All does. A report goes to LinkedIn only.",
            ),
            Option(
                "It deletes the message from every recipient's inbox.",
                False,
                "Reporting does not reach into other people's inboxes; each recipient decides "
                "for themselves.",
            ),
        ),
    ),
}

# Learner-facing wording for each problem the spot-the-problems quiz can ask about.
SPOT_LABELS: dict[str, str] = {
    "PERS001": "It does not greet the reader by name.",
    "MECH005": "Words in capitals shout at the reader.",
    "PERS003": "Nothing in it is about the person reading it.",
    "ETIQ006": "It pushes a web link in a first message.",
    "MECH008": "It is far too long.",
    "REL002": "The offer is vague: it never says what the sender could do for the reader.",
    "ETIQ001": "It is signed with a name that is not the one on the sender's profile.",
    "REL005": "It pressures the reader to act now.",
    "MECH001": "Sentences start with a lowercase letter.",
    "PERS005": "A template placeholder such as [First Name] was left in.",
    "ETIQ005": "It is written to a whole group at once ('all of you').",
    "MECH006": "It uses text-speak such as 'u' or 'pls'.",
    "MECH002": "'I' is written as a lowercase 'i'.",
    "MECH003": "There are spaces before punctuation marks.",
    "REL003": "The offer has nothing to do with the reader's work.",
    "PERS004": "It greets a group ('Hi all') instead of one person.",
    "PERS007": "It flatters the reader with words that fit anyone.",
    "MECH004": "It uses runs of punctuation such as '!!'.",
    "MECH007": "Words are misspelled.",
    "ETIQ002": "It has no sign-off with a name.",
    "REL006": "It ends without a question or an easy next step.",
    "ETIQ003": "It argues with the reader.",
    "ETIQ004": "It invites everyone to reply all.",
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
    for code, label in SPOT_LABELS.items():
        if code in found:
            options.append(Option(label, True, f"Yes: {found[code]}"))
        elif code in decoys:
            options.append(
                Option(label, False, "Not in this message: the grader found nothing like it.")
            )
    for code in found:
        if code not in SPOT_LABELS:  # a rule added after this list was written
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


# The quizzes the lessons show, in course order, with the name progress gives them
# (tests/test_quiz.py checks this against the lesson notebooks).
COURSE_QUIZZES = course_quizzes()


def question(question_id: str) -> Question:
    """A lesson question by id (the spot-the-problems and arithmetic ones are built fresh)."""
    if question_id == "spot-the-problems":
        return spot_the_problems_question()
    if question_id == "storm-arithmetic":
        return storm_arithmetic_question()
    if question_id not in QUESTIONS:
        known = ", ".join(["spot-the-problems", "storm-arithmetic", *QUESTIONS])
        raise KeyError(f"no quiz question {question_id!r}; known: {known}")
    return QUESTIONS[question_id]


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
        return run_guarded(self, self._check)

    def _check(self) -> QuizResult:
        result = grade_quiz(self.question, self.chosen)
        self.feedback.value = feedback_html(self.question, result)
        self.result = result
        if result.answered and self.question.id in COURSE_QUIZZES:
            # Counted in the workbench's progress; the feedback above is shown even if this fails.
            store = self.store if self.store is not None else DraftStore()
            store.record_quiz(self.question.id, result.correct)
        return result
