"""Quizzes: the grading function, the lessons' questions, and the widget."""

from __future__ import annotations

import pytest

from outreach_coach import data, quiz
from outreach_coach.lesson_views import grade_example, story_message
from outreach_coach.quiz import (
    MASS_LABEL,
    Option,
    Question,
    Quiz,
    fixed_questions,
    grade_quiz,
    question,
    spot_the_problems_question,
    storm_arithmetic_question,
)
from outreach_coach.simulator import reply_all_deliveries

SINGLE = Question(
    "single",
    "Pick one",
    (Option("a", False, "not a"), Option("b", True, "b it is"), Option("c", False, "not c")),
)
MULTI = Question(
    "multi",
    "Tick all",
    (Option("a", True, "yes a"), Option("b", False, "no b"), Option("c", True, "yes c")),
    multiple=True,
)


def test_single_choice_right_and_wrong() -> None:
    right = grade_quiz(SINGLE, 1)
    assert (right.answered, right.correct, right.summary) == (True, True, "Correct.")
    wrong = grade_quiz(SINGLE, 0)
    assert wrong.answered and not wrong.correct
    assert [f.verdict for f in wrong.feedback] == ["wrong", "missed", "skipped"]


def test_nothing_chosen_is_not_an_answer() -> None:
    for q in (SINGLE, MULTI):
        result = grade_quiz(q, None)
        assert not result.answered and not result.correct
        assert grade_quiz(q, []).answered is False


def test_tick_all_needs_every_right_option_and_nothing_else() -> None:
    assert grade_quiz(MULTI, [0, 2]).correct
    partial = grade_quiz(MULTI, [0])
    assert (partial.correct, partial.hits, partial.missed, partial.summary) == (
        False,
        1,
        1,
        "You found 1 of 2.",
    )
    extra = grade_quiz(MULTI, [0, 1, 2])
    assert not extra.correct and extra.wrong == 1
    assert extra.summary == "You found 2 of 2; 1 ticked that is not right."


@pytest.mark.parametrize(
    ("q", "chosen", "error"),
    [(SINGLE, 3, ValueError), (SINGLE, [0, 1], ValueError), (MULTI, ["a"], TypeError)],
)
def test_bad_choices_are_refused(q: Question, chosen: object, error: type) -> None:
    with pytest.raises(error):
        grade_quiz(q, chosen)


def test_questions_check_their_own_answer_key() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Question("x", "?", (Option("a", True, ""), Option("b", True, "")))
    with pytest.raises(ValueError, match="at least one"):
        Question("x", "?", (Option("a", False, ""), Option("b", False, "")), multiple=True)
    with pytest.raises(ValueError, match="two options"):
        Question("x", "?", (Option("a", True, ""),))


def test_every_lesson_question_explains_every_option() -> None:
    for q in [
        *fixed_questions().values(),
        storm_arithmetic_question(),
        spot_the_problems_question(),
    ]:
        assert q.prompt and q.answer
        assert all(option.explanation.strip() for option in q.options), q.id
        assert len({option.text for option in q.options}) == len(q.options), q.id


def test_opt_out_question_rejects_reply_all() -> None:
    q = fixed_questions()["storm-opt-out"]
    for option in q.options:
        assert option.correct == ("Reply All" not in option.text), option.text


def test_arithmetic_question_uses_the_simulator_formula() -> None:
    q = storm_arithmetic_question(80, 12)
    (right,) = q.answer
    assert q.options[right].text == f"{reply_all_deliveries(80, 12):,}" == "1,040"


def test_spot_the_problems_key_is_what_the_grader_finds() -> None:
    example = story_message()
    found = grade_example(example).codes
    q = spot_the_problems_question(example)
    labels = {label: code for code, label in data.spot_labels().items()}
    right = {labels.get(o.text) for o in q.options if o.correct} - {None}
    wrong = {labels[o.text] for o in q.options if not o.correct}
    assert right == {code for code in found if code in data.spot_labels()}
    assert wrong and not wrong & found  # decoys are problems the message does not have
    if "ETIQ005" not in found:
        assert MASS_LABEL in [o.text for o in q.options if o.correct]
    assert not grade_quiz(q, range(len(q.options))).correct  # ticking everything fails
    assert grade_quiz(q, q.answer).correct


def test_question_lookup() -> None:
    assert question("storm-opt-out") is fixed_questions()["storm-opt-out"]
    assert question("spot-the-problems").multiple
    with pytest.raises(KeyError, match="known"):
        question("no-such-question")


def test_radio_quiz_widget_checks_the_choice() -> None:
    widget = Quiz("recovery-reply")
    assert "oc-quiz" in widget._dom_classes
    assert "oc-quiz-option" in widget.options[0]._dom_classes
    assert "oc-quiz-check" in widget.check_button._dom_classes
    assert "oc-quiz-feedback" in widget.feedback._dom_classes
    widget.check_button.click()
    assert "Choose an answer" in widget.feedback.value
    widget.options[0].value = 0
    widget.check_button.click()
    assert "✗" in widget.feedback.value and "reader&#x27;s call" in widget.feedback.value
    widget.choose(1)
    widget.check_button.click()
    assert "✓ Correct." in widget.feedback.value
    assert widget.result is not None and widget.result.correct


def test_tick_box_quiz_widget_shows_every_option_verdict() -> None:
    widget = Quiz("storm-opt-out")
    assert len(widget.options) == len(fixed_questions()["storm-opt-out"].options)
    assert all("oc-quiz-option" in box._dom_classes for box in widget.options)
    widget.options[0].value = True  # Reply All 'unsubscribe'
    widget.options[1].value = True
    widget.check_button.click()
    assert widget.chosen == (0, 1)
    assert "You found 1 of 4; 1 ticked that is not right." in widget.feedback.value
    assert widget.feedback.value.count("<li>") == len(widget.options)
    widget.choose(*fixed_questions()["storm-opt-out"].answer)
    widget.check_button.click()
    assert "✓ All 4 found" in widget.feedback.value


def test_quiz_text_is_escaped() -> None:
    q = Question(
        "esc",
        "Is <b>this</b> bold?",
        (Option("<script>x</script>", True, "a & b"), Option("no", False, "")),
    )
    widget = Quiz(q)
    widget.choose(0)
    widget.check()
    assert "<script>" not in widget.feedback.value
    assert "a &amp; b" in widget.feedback.value
    assert "&lt;b&gt;this&lt;/b&gt;" in widget.children[0].value


def test_a_failing_check_is_shown_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    widget = Quiz("recovery-report")
    monkeypatch.setattr(quiz, "grade_quiz", lambda *_: 1 / 0)
    widget.choose(1)
    widget.check_button.click()  # must not raise
    assert isinstance(widget.last_error, ZeroDivisionError)
    assert widget.error_box.layout.display != "none"
    assert "ZeroDivisionError" in widget.error_box.value
