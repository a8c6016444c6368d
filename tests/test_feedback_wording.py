"""Feedback a learner can act on: grouped findings, replies judged as replies, plain wording."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import pytest

from outreach_coach import data, grade, lesson_views
from outreach_coach.grader.report import render_findings_html
from outreach_coach.grader.rules import RULES_BY_CODE
from outreach_coach.grader.text import excerpt
from outreach_coach.quiz import COURSE_QUIZZES

REPO = Path(__file__).resolve().parent.parent
GRACE = data.recipients()["grace-liu"]
NADIA = data.senders()["nadia-sorensen"]
BODY = "Hi Grace,\n\nI saw your post about the warehouse move. Would a short call help?\n\n"


def codes(text: str) -> list[str]:
    return [f.code for f in grade(text, recipient=GRACE, sender=NADIA).findings]


def test_a_one_word_message_is_not_called_1_words() -> None:
    report = grade("UNSUBSCRIBE", recipient=GRACE)
    short = next(f for f in report.findings if f.code == "MECH009")
    assert "1 words" not in short.message
    assert "word count 1" in short.message


def test_a_lowercase_sign_off_with_the_senders_name_is_a_sign_off() -> None:
    found = codes(BODY + "best,\nnadia")
    assert "ETIQ002" not in found  # signed, just without capitals...
    assert "MECH001" in found  # ...which the capitals rule says
    assert "ETIQ002" in codes(BODY.rstrip())  # no sign-off at all is still flagged


def test_a_cut_quote_ends_on_a_whole_word_with_an_ellipsis() -> None:
    source = "I would love to show you how our platform transforms the way teams work"
    quote = excerpt(source, 60)
    assert quote.endswith("…") and len(quote) <= 60
    assert source.startswith(quote[:-1]) and source[len(quote) - 1] == " "
    assert excerpt("short text", 60) == "short text"
    assert excerpt("x" * 100, 20) == "x" * 19 + "…"  # one long token: cut, still marked


def test_boomerang_is_explained_where_it_is_cited() -> None:
    why = RULES_BY_CODE["MECH008"].why
    assert "Boomerang (the maker of an email add-on)" in why


def test_repeated_findings_show_once_with_every_place() -> None:
    text = "hi Grace,\n\nwe move boxes. we plan routes. we cut costs.\n\nBest,\nNadia"
    report = grade(text, recipient=GRACE, sender=NADIA)
    lowercase = [f for f in report.findings if f.code == "MECH001"]
    assert len(lowercase) >= 3
    html = render_findings_html(report.findings, text)
    grouped, details = html.split("<details", 1)
    assert grouped.count("This sentence starts in lowercase") == 1
    assert f"{len(lowercase)} places" in grouped
    for finding in lowercase:
        assert escape(text[finding.start : finding.end]) in grouped
    assert "MECH001" not in grouped and "MECH001" in details


def test_lesson_two_examples_are_grouped_too() -> None:
    html = lesson_views.annotated_message_html("story-original")
    grouped = html.split("<details class='oc-details'>", 1)[0]
    report = lesson_views.grade_example("story-original")
    assert len([f for f in report.findings if f.code == "MECH001"]) > 1
    for code in {f.code for f in report.findings}:
        assert code not in grouped  # codes only behind the toggle
    listed = grouped.split("<ul class='oc-findings'>", 1)[1]
    assert listed.count("This sentence starts in lowercase") == 1


@pytest.mark.parametrize(
    "message_id",
    [m.id for m in data.messages().values() if m.kind in lesson_views.REPLY_ALL_KINDS],
)
def test_replies_get_no_sales_advice_and_fail_etiquette_for_reply_all(message_id: str) -> None:
    html = lesson_views.annotated_message_html(message_id)
    report = lesson_views.grade_example(message_id)
    assert "Etiquette: ✓" not in html
    assert "sent to everyone on the thread" in html
    for finding in report.findings:
        if finding.category in ("personalization", "relevance") or finding.code == "MECH009":
            assert escape(finding.hint) not in html, finding.code
    assert "Personalisation" not in html and "Offer relevance" not in html


def test_course_quizzes_are_the_ones_the_lessons_show() -> None:
    shown = []
    for notebook in sorted((REPO / "lessons").glob("*.ipynb")):
        cells = json.loads(notebook.read_text("utf-8"))["cells"]
        for cell in cells:
            shown += re.findall(r"""Quiz\(\s*["']([a-z0-9-]+)["']""", "".join(cell["source"]))
    assert shown == list(COURSE_QUIZZES)
