"""The course's order: its lessons, what each one asks the learner to do, and the finish page.

One copy for everything that walks the course: tools/build_lessons.py writes the course map and
the "next step" links from it, and the course summary (outreach_coach.summary) lists lessons,
quizzes and workbenches in this order. tests/test_outline.py checks it against the notebooks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook in lessons/, with the quizzes and workbenches it contains."""

    file: str
    title: str
    what: str
    minutes: int
    quizzes: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The file name without '.ipynb': how the course summary records the lesson."""
        return self.file.removesuffix(".ipynb")

    @property
    def number(self) -> str:
        """The two-digit number in front of the file name."""
        return self.file[:2]


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_start_here.ipynb", "Start here", "how the course works (this page)", 5),
    Lesson(
        "01_reply_all_storm.ipynb",
        "The reply-all storm",
        "the true story, and a simulator of what one message to a list does to every inbox",
        20,
        quizzes=("storm-opt-out", "storm-arithmetic"),
    ),
    Lesson(
        "02_anatomy_of_spam.ipynb",
        "Anatomy of spam",
        "spot the problems in real-looking messages, then compare with the grader",
        15,
        quizzes=("spot-the-problems",),
    ),
    Lesson(
        "03_personalization.ipynb",
        "Personalisation",
        "write to one person: their name and one real detail from their profile",
        15,
        scenarios=("l03-personalization",),
    ),
    Lesson(
        "04_offer_relevance.ipynb",
        "Offer relevance",
        "match what you offer to what this person needs",
        15,
        scenarios=("l04-relevance",),
    ),
    Lesson(
        "05_professional_writing.ipynb",
        "Professional writing",
        "capitals, punctuation, length, text-speak and a signature that matches your profile",
        15,
        scenarios=("l05-mechanics",),
    ),
    Lesson(
        "06_when_it_goes_wrong.ipynb",
        "When it goes wrong",
        "answer 'unsubscribe' or 'this is spam' gracefully, and leave a thread quietly",
        10,
        quizzes=("recovery-reply", "recovery-report"),
        scenarios=("l06-reply",),
    ),
)

# The last page: after the exercises, the course summary the learner keeps.
FINISH = Lesson(
    "07_finish.ipynb",
    "Finish: your course summary",
    "what you have done, your best passing drafts, and a page to save or print",
    5,
)


def course_quizzes() -> dict[str, str]:
    """Every quiz in the course, in lesson order, with the name progress and reports give it."""
    return {
        quiz: f"Lesson {int(lesson.number)}, question {n}"
        for lesson in LESSONS
        for n, quiz in enumerate(lesson.quizzes, start=1)
    }
