"""The lessons' view helpers: cards, tables, annotated messages, offer matching, writing pairs."""

from __future__ import annotations

import pytest

from outreach_coach import data, lesson_views
from outreach_coach.grader.profiles import Recipient, Sender
from outreach_coach.lesson_views import (
    EQUALLY_CLOSE,
    NONE_FITS,
    OfferMatcher,
    PairComparer,
    annotated_message_html,
    best_offer_for,
    category_view_html,
    graceful_reply,
    grade_example,
    grade_pair,
    judge_offer_choice,
    length_note,
    messages_table,
    offer_fit,
    pair_length_notes,
    reply_contrast,
)
from outreach_coach.views import ErrorBox, profile_card_html, run_guarded, sender_card_html

# The offer-matching exercise of lesson 4: the sender and the profiles the notebook uses.
MATCH_SENDER = "andre-baptiste"
MATCH_EXPECTED = {
    "marcus-bell": "real estate listing photography",
    # A renovated ballroom taking bookings is sold by photos of the venue; photographing the
    # events themselves fits too, a little less closely (the couples hire that, not the inn).
    "rafael-dominguez": "brand and venue photo shoots",
    "daniel-okafor": None,
}

NASTY = Recipient(
    name="<script>alert(1)</script> Smith",
    headline="Boss & <b>chief</b>",
    company="A<B Ltd",
    industry="Tests",
    interests=("x<y", "fish & chips"),
    recent_activity="Posted <img src=x onerror=alert(1)>",
    about="'quoted' \"text\"",
)


def test_profile_card_escapes_every_field() -> None:
    html = profile_card_html(NASTY)
    assert "<script>" not in html and "<img" not in html and "<b>chief" not in html
    assert "&lt;script&gt;" in html and "fish &amp; chips" in html
    assert "<dt style='font-weight:bold'>About</dt>" in html
    assert ">About<" not in profile_card_html(NASTY, compact=True)


def test_cards_from_ids() -> None:
    assert "Marcus Bell" in profile_card_html("marcus-bell")
    card = sender_card_html(MATCH_SENDER)
    for offer in data.senders()[MATCH_SENDER].offers:
        assert offer in card
    with pytest.raises(KeyError, match="known ids"):
        profile_card_html("nobody-here")


def test_messages_table_lists_every_example() -> None:
    table = messages_table()
    assert list(table.index) == list(data.messages())
    assert list(table.columns) == [
        "kind",
        "title",
        "from",
        "to",
        "starts with",
        "words",
        "characters",
    ]
    assert (table["words"] > 0).all()
    only_good = messages_table("good")
    assert set(only_good.index) == {m.id for m in data.messages().values() if m.kind == "good"}


@pytest.mark.parametrize("message_id", list(data.messages()))
def test_every_example_is_annotated_with_its_findings(message_id: str) -> None:
    html = annotated_message_html(message_id)
    report = grade_example(message_id)
    if data.messages()[message_id].kind in lesson_views.REPLY_ALL_KINDS:
        report = report.as_reply()  # a reply: only its mechanics and etiquette are shown
    problems = [f for f in report.graded_findings if f.severity != "info"]
    located = [f for f in problems if f.start is not None and f.end is not None]
    assert html.count("<mark") >= (1 if located else 0)
    for finding in report.graded_findings:
        if finding.severity != "info":
            assert finding.code in html
    assert "✓" in html or "✗" in html


def test_category_view_shows_only_the_chosen_category() -> None:
    defensive = next(m for m in data.messages().values() if m.kind == "defensive")
    html = category_view_html(defensive.text, defensive.recipient, defensive.sender)
    assert "ETIQ003" in html
    assert "MECH" not in html and "PERS" not in html


def test_graceful_reply_has_no_etiquette_or_mechanics_problems() -> None:
    defensive = next(m for m in data.messages().values() if m.kind == "defensive")
    reply = graceful_reply(defensive)
    report = lesson_views.grade(
        reply, data.recipients()[defensive.recipient], data.senders()[defensive.sender]
    )
    assert report.categories["etiquette"].passed and report.categories["mechanics"].passed
    assert data.recipients()[defensive.recipient].first_name in reply
    html = reply_contrast().data
    assert html.count("oc-category-view") == 2 and "ETIQ003" in html


@pytest.mark.parametrize(("recipient", "expected"), list(MATCH_EXPECTED.items()))
def test_best_offer_follows_the_grader(recipient: str, expected: str | None) -> None:
    best = best_offer_for(recipient, sender=MATCH_SENDER)
    offers = data.senders()[MATCH_SENDER].offers
    assert best_offer_for(data.recipients()[recipient], offers) == best
    if expected is None:
        assert best is None
    else:  # the expected offer is the best, or fits as well as the best within the game's tie
        strength = {o: offer_fit(o, recipient, MATCH_SENDER).strength for o in offers}
        assert strength[expected] >= strength[best] - EQUALLY_CLOSE, strength
        assert judge_offer_choice(recipient, MATCH_SENDER, expected).correct


def test_offer_fit_explains_itself() -> None:
    fit = offer_fit("event photography", "rafael-dominguez", MATCH_SENDER)
    assert fit.fits and fit.strength > 0 and "'event photography' ties to" in fit.explanation
    miss = offer_fit("professional headshots", "daniel-okafor", MATCH_SENDER)
    assert not miss.fits and miss.strength == 0 and "Daniel" in miss.explanation
    with pytest.raises(ValueError, match="needs the offers"):
        best_offer_for("daniel-okafor")


def test_judging_offer_choices() -> None:
    assert not judge_offer_choice("marcus-bell", MATCH_SENDER, None).answered
    assert judge_offer_choice("daniel-okafor", MATCH_SENDER, NONE_FITS).correct
    assert not judge_offer_choice("marcus-bell", MATCH_SENDER, NONE_FITS).correct
    right = judge_offer_choice("marcus-bell", MATCH_SENDER, "real estate listing photography")
    assert right.correct and right.message.startswith("Yes.")
    close = judge_offer_choice("marcus-bell", MATCH_SENDER, "brand and venue photo shoots")
    assert not close.correct and close.message.startswith("Close")
    wrong = judge_offer_choice("rafael-dominguez", MATCH_SENDER, "professional headshots")
    assert not wrong.correct and wrong.message.startswith("Not this one")
    with pytest.raises(ValueError, match="not one of"):
        judge_offer_choice("marcus-bell", MATCH_SENDER, "free pizza")


def test_offer_matcher_widget() -> None:
    matcher = OfferMatcher(MATCH_SENDER, list(MATCH_EXPECTED))
    assert "oc-offer-matcher" in matcher._dom_classes
    assert all("oc-offer-choice" in c._dom_classes for c in matcher.choices)
    assert "oc-offer-check" in matcher.check_button._dom_classes
    matcher.check_button.click()
    assert "0 of 3" in matcher.score.value
    assert "Pick an offer" in matcher.feedback[0].value
    for choice, expected in zip(matcher.choices, MATCH_EXPECTED.values(), strict=True):
        choice.value = expected if expected is not None else NONE_FITS
    matcher.check_button.click()
    assert "3 of 3" in matcher.score.value
    assert all("✓" in note.value for note in matcher.feedback)
    assert matcher.last_error is None


@pytest.mark.parametrize("pair", data.lesson_texts().pairs, ids=lambda p: p.id)
def test_each_pair_goes_from_failing_to_passing(pair: lesson_views.WritingPair) -> None:
    before, after = grade_pair(pair)
    assert after.passed, after.summary()
    assert before.problems, f"{pair.id}: the 'before' text has nothing to fix"
    assert {f.category for f in before.problems} & {"mechanics", "etiquette"}
    assert before.score < after.score


def test_length_notes() -> None:
    assert "22% better" in length_note("Hi Ann, " + "word " * 60)
    assert "11% worse" in length_note("x" * 1300)
    assert "between 400 and 1,200" in length_note("word " * 100)
    notes = pair_length_notes("length")
    assert notes.startswith("Before: ") and "11% worse" in notes and "22% better" in notes


def test_pair_comparer_switches_pairs() -> None:
    comparer = PairComparer()
    assert "oc-pairs" in comparer._dom_classes
    assert "oc-pair-select" in comparer.select._dom_classes
    first_before = comparer.before.value
    assert "Before" in first_before and "After" in comparer.after.value
    comparer.select.value = "signature"
    assert comparer.before.value != first_before
    assert "ETIQ001" in comparer.before.value
    comparer.show("capitals")
    assert comparer.select.value == "capitals"
    assert "MECH001" in comparer.before.value and "MECH001" not in comparer.after.value


def test_run_guarded_shows_and_clears_errors() -> None:
    class Owner:
        last_error = None
        error_box = ErrorBox("oc-test")

    owner = Owner()
    assert owner.error_box.layout.display == "none"
    assert run_guarded(owner, "dividing", lambda: 1 / 0) is None
    assert isinstance(owner.last_error, ZeroDivisionError)
    assert owner.error_box.layout.display != "none"
    assert "went wrong while dividing" in owner.error_box.value
    assert {"oc-error-box", "oc-test"} <= set(owner.error_box._dom_classes)
    assert run_guarded(owner, "adding", lambda: 2 + 3) == 5
    assert owner.error_box.layout.display == "none" and owner.error_box.value == ""
    with pytest.raises(ZeroDivisionError):
        run_guarded(owner, "dividing", lambda: 1 / 0, reraise=True)
    assert "went wrong while dividing" in owner.error_box.value


def test_a_failing_pair_is_shown_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    comparer = PairComparer()
    monkeypatch.setattr(lesson_views, "pair_html", lambda _pair: (_ for _ in ()).throw(OSError))
    comparer.select.value = "length"
    assert isinstance(comparer.last_error, OSError)
    assert comparer.error_box.layout.display != "none"


def test_sender_card_escapes() -> None:
    person = Sender(name="Eve <x>", headline="h & h", company="c", offers=("<i>o</i>",))
    html = sender_card_html(person)
    assert "<x>" not in html and "<i>o</i>" not in html and "&lt;i&gt;" in html


def test_personalization_table_grades_each_opening() -> None:
    table = lesson_views.personalization_table()
    assert list(table.index) == list(range(1, len(data.lesson_texts().openers) + 1))
    verdicts = ["✓" in v for v in table["personal?"]]
    assert verdicts == [False, False, False, False, True, True]
    assert "Anna" in table.loc[4, "what the grader says"]
    assert "[First Name]" in table.loc[1, "what the grader says"]
