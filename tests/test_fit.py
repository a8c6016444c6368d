"""The relevance decision's parts: cues, met needs, meaning, the learned weights, the corpus."""

import json
import sys
from pathlib import Path

import pytest

from outreach_coach import grade
from outreach_coach.evaluation import cohen_kappa, corpus_part, training_writers
from outreach_coach.grader.fit import FEATURES, MODEL_FILE, model, needs, open_profile
from outreach_coach.grader.meaning import coverage, similarity
from outreach_coach.grader.profiles import as_recipient
from tests.people import MARIA, PRIYA

ROOT = Path(__file__).resolve().parent.parent


def test_a_need_the_profile_says_is_met_is_not_open() -> None:
    maria = as_recipient({**MARIA, "about": "We run 40 routes. Our spoilage alerts work well."})
    met = [need.text for need in needs(maria) if need.met]
    assert met == ["Our spoilage alerts work well."]
    assert "work well" not in open_profile(maria).about


def test_lookalike_words_are_not_taken_for_meaning() -> None:
    # "bookkeeping" and "bookings" share pieces, not meaning; "sensor" and "sensors" are one word.
    assert coverage("monthly bookkeeping", "wedding bookings")[0] < 0.2
    assert coverage("wireless sensors", "temperature sensors")[0] > 0.5
    assert similarity("monthly bookkeeping", "bookings") == 0.0


def test_the_model_file_matches_a_fresh_training_run() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from train_grader import same_model, trained

    committed = json.loads(
        (ROOT / "outreach_coach/grader/resources" / MODEL_FILE).read_text(encoding="utf-8")
    )
    assert same_model(committed, trained()), "stale weights: run python tools/train_grader.py"
    moved = {**committed["weights"], "intercept": committed["weights"]["intercept"] + 0.001}
    assert not same_model(committed, {**committed, "weights": moved})
    assert set(model()["weights"]) == {"intercept", *FEATURES}


def test_connect_only_and_self_serving_asks_are_not_offers() -> None:
    connect = "Hi Maria,\n\nCongrats on the spoilage cut! Would love to connect.\n\nBest,\nPriya"
    endorse = connect.replace("Would love to connect.", "Could you endorse me for food safety?")
    for text, code in ((connect, "REL007"), (endorse, "REL008")):
        relevance = grade(text, recipient=MARIA, sender=PRIYA).categories["relevance"]
        assert not relevance.passed and code in {f.code for f in relevance.findings}


def test_the_held_out_writers_never_train_the_grader() -> None:
    train = training_writers()
    assert all(item.writer in train for item in corpus_part("train"))
    held_out = {item.writer for item in corpus_part("held_out")}
    assert held_out and not held_out & train and "real" not in held_out
    assert {item.writer for item in corpus_part("real")} <= {"real"}


def test_cohen_kappa() -> None:
    assert cohen_kappa([True, False, True, False], [True, False, True, False]) == 1.0
    assert cohen_kappa([True, True, False, False], [True, False, True, False]) == 0.0
    with pytest.raises(ValueError, match="equally long"):
        cohen_kappa([True], [])
