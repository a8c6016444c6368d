"""Does an offer fit the reader? Sentence roles, needs a profile says are met, closeness by
meaning, and the learned decision that weighs them (weights in relevance_model.json).

Everything here is a pure function of texts: the checks in checks.py pass in what they read
off the message (the offer passages and the lexical tie) and turn the verdict into findings.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from . import wordlists
from .meaning import coverage, similarity
from .profiles import Recipient, Sender
from .text import content_stems, excerpt, sentences

MODEL_FILE = "relevance_model.json"
# An offer fits when the model is sure enough; an offer that also names a need of the profile in
# its words or topics needs less. Chosen by leave-one-writer-out validation on the training
# writers together with the team's older sets (tools/train_grader.py --cv).
FIT_THRESHOLD = 0.5
TIED_THRESHOLD = 0.35
FEATURES = (
    "lexical_words",
    "interest_tie",
    "post_tie",
    "post_cover",
    "post_precision",
    "post_match",
    "need_match",
    "body_need_match",
    "post_meaning",
    "about_cover",
    "interest_cover",
    "meaning_best",
    "meaning_profile",
    "pitched_fit",
    "body_post_cover",
    "body_about_cover",
    "body_interest_cover",
    "body_meaning",
    "asks_for_self",
    "met_words",
    "pitched_met_words",
    "company_named",
    "recited",
    "solved",
)


@dataclass(frozen=True)
class Tie:
    """A need the offer shares words or a topic with: the profile field it is in ("interest",
    "post", "role", "about", "industry"), how a finding names it, and how many words it shares
    (a shared topic counts as two)."""

    field: str
    label: str
    words: int
    topic: bool = False


@dataclass(frozen=True)
class Need:
    """One statement of the profile that can show a need, and how a finding names it."""

    text: str
    label: str
    met: bool


def statements(field: str) -> list[str]:
    """The sentences of a profile field that say something (two content words or more)."""
    return [s.text.strip() for s in sentences(field) if len(content_stems(s.text)) >= 2]


@wordlists.derived_from_data
@lru_cache(maxsize=1024)
def needs(recipient: Recipient) -> tuple[Need, ...]:
    """The profile's need statements: each interest, each sentence of the post and the About,
    and the role. A statement with a "solved" cue says the need is already met."""
    found = [Need(p, f"their interest in {p}", False) for p in recipient.interests]
    fields = ((recipient.recent_activity, "their recent post"), (recipient.about, "their About"))
    for field, label in fields:
        for text in statements(field):
            met = bool(wordlists.has_cue("solved_need", text))
            found.append(Need(text, f"{label} ('{excerpt(text, 70)}')", met))
    role = re.split(r"\s+(?:at|@)\s+|\s*[|]\s*", recipient.headline)[0]
    if role:
        found.append(Need(role, f"their role ({role})", False))
    return tuple(found)


@wordlists.derived_from_data
@lru_cache(maxsize=1024)
def open_profile(recipient: Recipient) -> Recipient:
    """The profile without the sentences that say a need is already met."""

    def kept(field: str) -> str:
        spans = sentences(field)
        return " ".join(
            s.text.strip() for s in spans if not wordlists.has_cue("solved_need", s.text)
        )

    return replace(
        recipient, recent_activity=kept(recipient.recent_activity), about=kept(recipient.about)
    )


@dataclass(frozen=True)
class Fit:
    """The decision on one message's offer, with the evidence a finding quotes."""

    probability: float
    nearest: Need | None
    met_need: Need | None
    features: Mapping[str, float]

    @property
    def fits(self) -> bool:
        """True when the offer fits a need the profile shows (and does not say is met)."""
        # A shared word does not rescue an offer aimed at a need the profile says is met.
        tied = self.features["lexical_words"] > 0 and self.met_need is None
        return self.probability >= FIT_THRESHOLD or (tied and self.probability >= TIED_THRESHOLD)


@lru_cache(maxsize=4096)
def _ranked(offer: str, recipient: Recipient) -> tuple[tuple[float, Need], ...]:
    scored = [(similarity(offer, need.text), need) for need in needs(recipient)]
    return tuple(sorted(scored, key=lambda pair: -pair[0]))


def features(
    offer: str,
    recipient: Recipient,
    sender: Sender | None,
    lexical_tie: Tie | None,
    message: str,
    context: str,
) -> tuple[dict[str, float], Need | None, Need | None]:
    """The numbers the decision weighs, the nearest open need, and the met need the offer is
    aimed at (if any). `message` is the body; `context` the body without
    its compliments."""
    ranked = _ranked(offer, recipient)
    open_needs = [(score, need) for score, need in ranked if not need.met]
    met = [(score, need) for score, need in ranked if need.met]
    best, nearest = open_needs[0] if open_needs else (0.0, None)
    met_score, met_need = met[0] if met else (0.0, None)
    profile = open_profile(recipient)
    post_cover, post_precision = coverage(offer, profile.recent_activity)
    pitched_fit, pitched = 0.0, None
    if open_needs:
        # The sender's own words for what the message pitches (the closest of their offers): a
        # second reading of an offer the message may word loosely. Without a sender, the
        # message's own words are all there is.
        declared = sender.offers if sender is not None and sender.offers else (offer,)
        pitched = max(declared, key=lambda candidate: similarity(offer, candidate))
        pitched_fit = max(coverage(pitched, need.text)[0] for _, need in open_needs)
    met_only = _met_only_stems(recipient)
    pitched_met = bool(pitched is not None and content_stems(pitched) & met_only)
    interests = [set(content_stems(p)) for p in recipient.interests]
    message_stems = content_stems(message)
    recited = sum(1 for stems in interests if stems and stems <= message_stems)
    company = recipient.company.lower().strip()
    all_text = " ".join([profile.recent_activity, profile.about, *recipient.interests])
    open_texts = [need.text for _, need in open_needs]
    values = {
        "post_match": _match(offer, profile.recent_activity),
        "need_match": max((_match(offer, text) for text in open_texts), default=0.0),
        "body_need_match": max((_match(context, text) for text in open_texts), default=0.0),
        "lexical_words": min(lexical_tie.words, 3) / 3 if lexical_tie else 0.0,
        "interest_tie": 1.0 if lexical_tie and lexical_tie.field == "interest" else 0.0,
        "post_tie": 1.0 if lexical_tie and lexical_tie.field == "post" else 0.0,
        "post_cover": post_cover,
        "post_precision": post_precision,
        "post_meaning": similarity(offer, profile.recent_activity),
        "about_cover": coverage(offer, profile.about)[0],
        "interest_cover": max((coverage(offer, p)[0] for p in recipient.interests), default=0.0),
        "meaning_best": best,
        "meaning_profile": similarity(offer, all_text),
        "pitched_fit": pitched_fit,
        # The whole body too: a candidate's list of skills or an adviser's numbers meet the need
        # in sentences that do not read as an offer.
        "body_post_cover": coverage(context, profile.recent_activity)[0],
        "body_about_cover": coverage(context, profile.about)[0],
        "body_interest_cover": max(
            (coverage(context, p)[0] for p in recipient.interests), default=0.0
        ),
        "body_meaning": similarity(context, all_text),
        "asks_for_self": 1.0
        if wordlists.has_cue("connect_only", message)
        or wordlists.has_cue("sender_serving", message)
        else 0.0,
        "met_words": 1.0 if content_stems(offer) & met_only else 0.0,
        "pitched_met_words": 1.0 if pitched_met else 0.0,
        "company_named": 1.0 if company and company in offer.lower() else 0.0,
        "recited": recited / len(interests) if interests else 0.0,
        "solved": max(0.0, met_score - best) if met_need else 0.0,
    }
    # The met need the offer names in words no open need uses ("agency" cover, "website").
    aimed_at_met = met_need if met_need and (values["met_words"] or pitched_met) else None
    return values, nearest, aimed_at_met


def _match(first: str, second: str) -> float:
    """The harmonic mean of how well each text's words cover the other's: high only when a
    short offer and a long post (or the reverse) are about the same thing."""
    cover, precision = coverage(first, second)
    return 2 * cover * precision / (cover + precision) if cover + precision > 0 else 0.0


@wordlists.derived_from_data
@lru_cache(maxsize=1024)
def _met_only_stems(recipient: Recipient) -> frozenset[str]:
    """Words of the profile's met-need statements that its open needs never use."""
    met = " ".join(need.text for need in needs(recipient) if need.met)
    open_ = open_profile(recipient)
    open_text = " ".join([open_.recent_activity, open_.about, *recipient.interests])
    return frozenset(content_stems(met) - content_stems(open_text))


@cache
def model() -> dict[str, Any]:
    """The learned weights of the decision (written by tools/train_grader.py)."""
    weights = files(__package__).joinpath("resources", MODEL_FILE)
    return json.loads(weights.read_text(encoding="utf-8"))


def probability(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The logistic model's probability that the offer fits."""
    z = weights["intercept"] + sum(weights[name] * values[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(
    offers: Sequence[str],
    recipient: Recipient,
    sender: Sender | None,
    lexical_tie: Tie | None,
    message: str,
    context: str,
) -> Fit:
    """Weigh the evidence that the message's offer fits a need in the profile."""
    offer = " ".join(offers)
    values, nearest, met_need = features(offer, recipient, sender, lexical_tie, message, context)
    return Fit(probability(values, model()["weights"]), nearest, met_need, values)
