"""What the widgets give assistive technology, checked in Python (the browser checks are in
tests/e2e/test_a11y.py): names for the draft box, the sliders and the plot, verdicts announced,
quiz explanations at 14 px, the comparer free to wrap in a narrow window."""

from __future__ import annotations

import re

from outreach_coach import data
from outreach_coach.lesson_views import PairComparer
from outreach_coach.quiz import Quiz, feedback_html, grade_quiz, question
from outreach_coach.simulator import StormSimulator
from outreach_coach.views import verdict_line
from outreach_coach.workbench import Workbench
from outreach_coach.workbench import grade as workbench_grade


def test_the_draft_box_has_a_name(tmp_path) -> None:
    from outreach_coach.storage import DraftStore

    wb = Workbench("s01-mass-note", store=DraftStore(tmp_path))
    # ipywidgets renders the description as a <label for> the <textarea>: a visible name.
    assert "Your rewrite" in wb.draft.description and wb.draft.description_allow_html


def test_the_verdict_is_announced() -> None:
    scenario = data.scenarios()["s01-mass-note"]
    report = workbench_grade(
        scenario.original,
        recipient=data.recipients()[scenario.recipient],
        sender=data.senders()[scenario.sender],
    )
    assert "role='status'" in verdict_line(report)
    assert "role='status'" in verdict_line(report, ("etiquette",), overall=False)


def test_quiz_feedback_is_announced_at_14_px_without_small_text() -> None:
    for question_id in ("spot-the-problems", "storm-opt-out"):
        q = question(question_id)
        html = feedback_html(q, grade_quiz(q, q.answer))
        assert "role='status'" in html and "font-size:14px" in html
        assert "<small" not in html
    quiz = Quiz("storm-opt-out")
    quiz.check()
    assert "role='status'" in quiz.feedback.value


def test_every_slider_has_a_named_number_box_beside_it() -> None:
    sim = StormSimulator(list_size=150, reply_share=0.2, minutes=60)
    sliders = (sim.list_size, sim.reply_share, sim.minutes)
    # A visible <label for> names each box; the sliders carry no label of their own.
    assert [box.description for box in sim.number_boxes] == [
        "People on the list",
        "Share who hit Reply All (%)",
        "Minutes after sending",
    ]
    assert all(not slider.description for slider in sliders)
    assert [box.value for box in sim.number_boxes] == [150, 20, 60]
    sim.number_boxes[1].value = 35
    assert sim.reply_share.value == 0.35 and sim.figures.reply_share == 0.35
    sim.list_size.value = 300
    assert sim.number_boxes[0].value == 300
    assert all(not slider.readout for slider in sliders)


def test_the_plot_has_a_text_alternative() -> None:
    sim = StormSimulator(list_size=150, reply_share=0.2, minutes=60)
    alt = re.search(r"<img [^>]*alt='([^']+)'", sim.plot.value)
    assert alt and "4,650" in alt.group(1) and "150 people" in alt.group(1)
    sim.list_size.value = 300
    assert "18,300" in re.search(r"alt='([^']+)'", sim.plot.value).group(1)


def test_the_comparer_wraps_instead_of_fixed_halves() -> None:
    comparer = PairComparer()
    row = comparer.children[-1]
    assert row.layout.flex_flow == "row wrap"
    assert comparer.before.layout.width is None and comparer.before.layout.min_width == "0"
    assert re.fullmatch(r"1 1 \d+em", comparer.after.layout.flex)
    assert comparer.select.layout.max_width == "100%"
