"""Highlighted text: flagged spans marked, overlaps merged, every piece of text escaped."""

from outreach_coach import grade
from outreach_coach.grader.report import Finding
from outreach_coach.highlight import annotated_html, flagged_spans, highlight_html
from tests.people import GARY, MARIA, STORY_MESSAGE


def _finding(start: int, end: int, severity: str = "error") -> Finding:
    return Finding("MECH001", "mechanics.x", "mechanics", severity, "msg", "hint", start, end)


def test_overlapping_spans_merge() -> None:
    spans = flagged_spans([_finding(0, 5), _finding(3, 8), _finding(10, 12)])
    assert [(s, e, len(group)) for s, e, group in spans] == [(0, 8, 2), (10, 12, 1)]


def test_unlocated_findings_are_not_marked() -> None:
    spans = flagged_spans([Finding("X", "x.y", "mechanics", "error", "m", "h")])
    assert spans == []


def test_marks_wrap_the_flagged_text() -> None:
    html = highlight_html("hello world", [_finding(0, 5)])
    assert "<mark class='oc-mark oc-error'" in html
    assert ">hello<sup" in html and "</mark> world" in html


def test_learner_html_is_escaped_everywhere() -> None:
    text = "<img src=x onerror=alert(1)> and <script>alert(1)</script>"
    html = highlight_html(text, [_finding(0, 28)])
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_annotated_story_message_lists_findings() -> None:
    report = grade(STORY_MESSAGE, recipient=MARIA, sender=GARY)
    html = annotated_html(STORY_MESSAGE, report.findings)
    assert html.count("<mark") >= 5
    assert "ETIQ001" in html and "How to fix it" in html
