"""Golden tests: the story's message and a model rewrite, with their exact expected findings."""

from outreach_coach import grade
from tests.people import GARY, GOOD_TO_MARIA, MARIA, PRIYA, STORY_MESSAGE


def flagged(text: str, recipient: dict, sender: dict) -> list[tuple[str, str | None]]:
    """(code, flagged text) for every error and warning, in the report's order."""
    report = grade(text, recipient=recipient, sender=sender)
    return [
        (f.code, text[f.start : f.end] if f.start is not None else None) for f in report.problems
    ]


def test_story_message_exact_findings() -> None:
    assert sorted(flagged(STORY_MESSAGE, MARIA, GARY), key=str) == sorted(
        [
            ("PERS003", None),
            ("PERS001", "thank you for your continued support."),
            ("REL003", None),
            ("REL002", "anything else i can do"),
            ("MECH001", "thank"),
            ("MECH002", "i"),
            ("MECH001", "if"),
            ("MECH003", "com ,"),
            ("MECH001", "thanks"),
            ("ETIQ006", "www.pruittpromo.com"),
            ("ETIQ001", "Bob Harlan"),
        ],
        key=str,
    )


def test_defensive_reply_exact_findings() -> None:
    reply = (
        "sorry but its not spam i dont do spam . we are a legit small company been here for "
        "10 years .please look at it again .thanks"
    )
    assert sorted(flagged(reply, MARIA, GARY), key=str) == sorted(
        [
            ("PERS003", None),
            ("PERS001", "sorry but its not spam i dont do spam ."),
            ("REL001", None),
            ("REL006", None),
            ("MECH001", "sorry"),
            ("MECH002", "i"),
            ("MECH007", "dont"),
            ("MECH011", "its not"),
            ("MECH003", "spam ."),
            ("MECH001", "we"),
            ("MECH003", "years ."),
            ("MECH001", "please"),
            ("MECH003", "again ."),
            ("MECH001", "thanks"),
            ("ETIQ002", None),
            ("ETIQ003", "its not spam"),
            ("ETIQ003", "i dont do spam"),
            ("ETIQ003", "we are a legit"),
            ("ETIQ003", "look at it again"),
        ],
        key=str,
    )


def test_model_rewrite_has_no_problems_and_says_why_it_passes() -> None:
    report = grade(GOOD_TO_MARIA, recipient=MARIA, sender=PRIYA)
    assert report.problems == []
    assert report.passed and report.score == 100
    notes = {f.code: f.message for f in report.findings}
    assert set(notes) == {"PERS100", "REL100"}
    assert "recent activity" in notes["PERS100"] or "recent post" in notes["PERS100"]
    assert "cold-chain logistics" in notes["REL100"]
