"""Small views the lessons show: profile cards, example tables, annotated messages, two widgets.

Everything that decides something (does an offer fit, how did a message do) is a plain function
that calls the grader; the widget classes only lay out views and call those functions. Every
piece of learner or data text that goes into HTML is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import ipywidgets as widgets
from IPython.display import HTML

from . import data, marks
from .grader import grade
from .grader.analysis import Analysis
from .grader.checks import LONG_CHARS, offer_evidence
from .grader.profiles import Recipient, Sender
from .grader.report import CATEGORIES, Report, category_badge, render_findings_html
from .grader.text import words
from .highlight import annotated_html, highlight_html
from .models import ExampleMessage, WritingPair
from .views import (
    ErrorBox,
    by_id,
    profile_card_html,
    recipient_of,
    run_guarded,
    sender_card_html,
    sender_of,
    verdict_line,
)

# --- looking things up ----------------------------------------------------------------------------


def message_of(message: str | ExampleMessage) -> ExampleMessage:
    """An example message from messages.toml by id (or the message itself)."""
    if isinstance(message, ExampleMessage):
        return message
    return by_id(data.messages(), message, "example message")


def first_message_of_kind(kind: str) -> ExampleMessage:
    """The first example message of a kind (mass, defensive, unsubscribe, bad, good)."""
    for message in data.messages().values():
        if message.kind == kind:
            return message
    raise KeyError(f"messages.toml has no message of kind {kind!r}")


def story_message() -> ExampleMessage:
    """The story's original note: id 'story-original', else the first 'mass' message."""
    table = data.messages()
    return table["story-original"] if "story-original" in table else first_message_of_kind("mass")


def grade_example(message: str | ExampleMessage) -> Report:
    """Grade an example message against the recipient and sender it was written for."""
    example = message_of(message)
    return grade(example.text, recipient_of(example.recipient), sender_of(example.sender))


# --- profile and sender cards ---------------------------------------------------------------------


def profile_card(recipient: str | Recipient, *, compact: bool = False) -> HTML:
    """Show a recipient's profile card in a notebook."""
    return HTML(profile_card_html(recipient, compact=compact))


def sender_card(sender: str | Sender) -> HTML:
    """Show a sender's card in a notebook."""
    return HTML(sender_card_html(sender))


def scenario_cards(scenario_id: str) -> HTML:
    """Show the sender and the recipient profile of a scenario, side by side in reading order."""
    scenario = data.scenarios()[scenario_id]
    return HTML(sender_card_html(scenario.sender) + profile_card_html(scenario.recipient))


# --- example messages -----------------------------------------------------------------------------

KIND_LABELS = {
    "mass": "one note to a whole list",
    "defensive": "defensive reply",
    "unsubscribe": "reply-all unsubscribe",
    "bad": "weak outreach",
    "good": "good outreach",
}


def _first_line(text: str, limit: int = 70) -> str:
    line = next((piece.strip() for piece in text.splitlines() if piece.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class HtmlTable:
    """A table drawn as HTML by the course, for where pandas does not exist (the browser)."""

    rows: tuple[tuple[Any, ...], ...]
    columns: tuple[str, ...]
    index_name: str = ""

    def _repr_html_(self) -> str:
        head = "".join(f"<th scope='col'>{escape(str(name))}</th>" for name in self.columns)
        body = "".join(
            f"<tr><th scope='row'>{escape(str(row[0]))}</th>"
            + "".join(f"<td>{escape(str(cell))}</td>" for cell in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return (
            f"<table class='dataframe oc-table'><thead><tr><th>{escape(self.index_name)}</th>"
            f"{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def table(rows: Sequence[Mapping[str, Any]], index: str | None = None) -> Any:
    """Rows as a pandas DataFrame indexed by the column `index` (by 1, 2, 3... when None), or,
    where pandas does not exist (the browser), the same table drawn in HTML."""
    columns = list(rows[0]) if rows else []
    labels = [row[index] for row in rows] if index else list(range(1, len(rows) + 1))
    shown = [column for column in columns if column != index]
    try:
        import pandas as pd  # not at the top: the course runs in the browser without pandas
    except ModuleNotFoundError:
        cells = tuple(
            (label, *(row[c] for c in shown)) for label, row in zip(labels, rows, strict=True)
        )
        return HtmlTable(cells, tuple(shown), index or "")
    frame = pd.DataFrame([[row[c] for c in shown] for row in rows], columns=shown, index=labels)
    frame.index.name = index
    return frame


def messages_table(kind: str | None = None) -> Any:
    """The example messages of data/messages.toml as a table (optionally only one kind)."""
    rows = []
    for message in data.messages().values():
        if kind is not None and message.kind != kind:
            continue
        rows.append(
            {
                "id": message.id,
                "kind": KIND_LABELS.get(message.kind, message.kind),
                "title": message.title,
                "from": sender_of(message.sender).name,
                "to": recipient_of(message.recipient).name,
                "starts with": _first_line(message.text),
                "words": sum(1 for _ in words(message.text)),
                "characters": len(message.text),
            }
        )
    return table(rows, index="id")


# Replies in the story: judged as replies (mechanics and etiquette, no sales advice), and every
# one of them went to the whole thread: in the reply-all storm, that is the etiquette failure.
REPLY_ALL_KINDS = frozenset({"defensive", "unsubscribe"})
REPLY_ALL_VERDICT = f"{marks.FAIL} Needs work: sent to everyone on the thread"


def annotated_message_html(message: str | ExampleMessage, *, open_: bool = True) -> str:
    """One example message: who wrote it to whom, the grader's verdict and the marked-up text."""
    example = message_of(message)
    report = grade_example(example)
    verdict = verdict_line(report, CATEGORIES, overall=False)
    findings = report.findings
    if example.kind in REPLY_ALL_KINDS:
        report = report.as_reply()
        verdict = verdict_line(
            report, report.graded, overall=False, verdicts={"etiquette": REPLY_ALL_VERDICT}
        )
        findings = report.graded_findings
    note = f"<p><i>{escape(example.note)}</i></p>" if example.note else ""
    return (
        f"<details class='oc-example' {'open' if open_ else ''} style='margin:.8em 0'>"
        f"<summary><b>{escape(example.title)}</b> "
        f"({escape(KIND_LABELS.get(example.kind, example.kind))})</summary>"
        f"<p>From {escape(sender_of(example.sender).name)} to "
        f"{escape(recipient_of(example.recipient).name)}.</p>{note}"
        f"{verdict}"
        f"{annotated_html(example.text, findings)}</details>"
    )


def annotated_messages(kinds: Sequence[str] | None = None) -> HTML:
    """Show every example message (or those of some kinds) annotated by the grader."""
    parts = [
        annotated_message_html(message)
        for message in data.messages().values()
        if kinds is None or message.kind in kinds
    ]
    return HTML("".join(parts) or "<p>No example messages of that kind.</p>")


def category_view_html(
    text: str,
    recipient: str | Recipient,
    sender: str | Sender | None = None,
    categories: Sequence[str] = ("etiquette",),
    title: str = "",
) -> str:
    """A text graded in full, showing only the findings of some categories, marked in place."""
    report = grade(text, recipient_of(recipient), sender_of(sender) if sender else None)
    findings = [f for f in report.findings if f.category in categories]
    heading = f"<h4>{escape(title)}</h4>" if title else ""
    return (
        f"<div class='oc-category-view'>{heading}{verdict_line(report, categories, overall=False)}"
        f"{highlight_html(text, findings)}{render_findings_html(findings, text)}</div>"
    )


def example_category_view(
    message: str | ExampleMessage, categories: Sequence[str] = ("etiquette",)
) -> HTML:
    """Show an example message with only the findings of some categories."""
    example = message_of(message)
    return HTML(
        category_view_html(
            example.text, example.recipient, example.sender, categories, title=example.title
        )
    )


def message_text_html(message: str | ExampleMessage) -> str:
    """An example message as plain text in a box, with no marks (for reading before the quiz)."""
    example = message_of(message)
    return (
        f"<div class='oc-plain-message'><p>From {escape(sender_of(example.sender).name)}:</p>"
        "<div style='white-space:pre-wrap;border-left:4px solid #999;padding:.4em .8em;"
        f"font-family:inherit'>{escape(example.text.strip())}</div></div>"
    )


def show_message(message: str | ExampleMessage | None = None) -> HTML:
    """Show an example message (the story's note by default) as plain text."""
    return HTML(message_text_html(message if message is not None else story_message()))


# --- openers: what counts as personal -------------------------------------------------------------


def personalization_table(
    openers: Sequence[str] | None = None,
    recipient: str | Recipient | None = None,
    sender: str | Sender | None = None,
    body: str | None = None,
) -> Any:
    """Each opening, followed by the same body, graded for personalization only (by default
    the openings, body and people of data/lessons.toml)."""
    texts = data.lesson_texts()
    openers = texts.openers if openers is None else openers
    body = texts.opener_body if body is None else body
    person = recipient_of(texts.opener_recipient if recipient is None else recipient)
    author = sender_of(texts.opener_sender if sender is None else sender)
    rows = []
    for opener in openers:
        result = grade(opener + body, person, author).categories["personalization"]
        problems = [f for f in result.findings if f.severity != "info"]
        said = problems or [f for f in result.findings if f.severity == "info"]
        rows.append(
            {
                "opening": " ".join(opener.split()),
                "personal?": category_badge(result),
                "what the grader says": " ".join(f.message for f in said),
            }
        )
    return table(rows)  # numbered from 1: learners count lines from 1


# --- graceful reply: answering a complaint --------------------------------------------------------


def graceful_reply(message: str | ExampleMessage | None = None) -> str:
    """A calm answer to the person who complained, for the story's defensive reply's recipient."""
    example = message_of(message) if message is not None else first_message_of_kind("defensive")
    return data.lesson_texts().graceful_reply.format(
        first_name=recipient_of(example.recipient).first_name,
        sender_first=sender_of(example.sender).first_name,
    )


def reply_contrast(categories: Sequence[str] = ("etiquette", "mechanics")) -> HTML:
    """The story's defensive reply next to a graceful one, both graded in some categories."""
    defensive = first_message_of_kind("defensive")
    calm = graceful_reply(defensive)
    return HTML(
        "<div class='oc-reply-contrast'>"
        + category_view_html(
            defensive.text,
            defensive.recipient,
            defensive.sender,
            categories,
            title="What the sender wrote (to everyone)",
        )
        + category_view_html(
            calm,
            defensive.recipient,
            defensive.sender,
            categories,
            title="What would have calmed things (to that one person)",
        )
        + "</div>"
    )


# --- offer fit game: which offer fits whom --------------------------------------------------------

NONE_FITS = "(none)"
NONE_LABEL = "None of these fits: I would not pitch"
# Without a sender the probe still signs off, so only the offer differs between probes.
PROBE_SIGNATURE = "Sam"


def offer_probe(offer: str, recipient: Recipient, sender: Sender | None = None) -> str:
    """A minimal, well-written note that makes exactly one offer, for the grader to judge."""
    signature = sender.first_name if sender is not None else PROBE_SIGNATURE
    return (
        f"Hi {recipient.first_name},\n\n"
        f"I could help you with {offer}. Would that be useful?\n\n"
        f"Best,\n{signature}"
    )


@dataclass(frozen=True)
class OfferFit:
    """What the grader's relevance check says about one offer for one profile."""

    offer: str
    fits: bool
    explanation: str
    strength: float


def offer_fit(
    offer: str, recipient: str | Recipient, sender: str | Sender | None = None
) -> OfferFit:
    """Grade a one-offer note to this profile: the offer fits when relevance finds a tie."""
    person = recipient_of(recipient)
    author = sender_of(sender) if sender is not None else None
    probe = offer_probe(offer, person, author)
    report = grade(probe, person, author)
    relevance = report.categories["relevance"]
    ties = [f for f in relevance.findings if f.code == "REL100"]
    errors = [f for f in relevance.findings if f.severity == "error"]
    fits = bool(ties) and not errors
    if fits:
        explanation = ties[0].message.replace("Your offer", f"'{offer}'", 1)
    else:
        explanation = f"Nothing in {person.first_name}'s profile connects to '{offer}'."
    # How closely it fits, to rank several fitting offers: the relevance decision's confidence.
    decision = offer_evidence(Analysis(probe, person, author)).fit
    strength = decision.probability if decision is not None else 0.0
    return OfferFit(offer, fits, explanation, strength if fits else 0)


def offer_fits(recipient: str | Recipient, sender: str | Sender) -> list[OfferFit]:
    """Every offer of the sender, judged against the profile, in the sender's order."""
    author = sender_of(sender)
    return [offer_fit(offer, recipient, author) for offer in author.offers]


def best_offer_for(
    recipient: str | Recipient,
    offers: Sequence[str] | None = None,
    sender: str | Sender | None = None,
) -> str | None:
    """The offer that fits the profile most closely, or None when none of them fits."""
    author = sender_of(sender) if sender is not None else None
    if offers is None and author is None:
        raise ValueError("best_offer_for needs the offers, or a sender whose offers to use")
    candidates = list(offers) if offers is not None else list(author.offers)
    fits = [offer_fit(o, recipient, author) for o in candidates]
    fitting = [f for f in fits if f.fits]
    if not fitting:
        return None
    return max(fitting, key=lambda f: f.strength).offer


@dataclass(frozen=True)
class ChoiceResult:
    """The verdict on a learner's pick of offer for one profile."""

    answered: bool
    correct: bool
    message: str
    fitting: tuple[str, ...]
    best: str | None


# Fits whose strengths are this close are a tie: the decision's probabilities are not precise
# enough to call one offer better ("event photography" and "venue photo shoots" for an inn
# taking event bookings).
EQUALLY_CLOSE = 0.05


def judge_offer_choice(
    recipient: str | Recipient, sender: str | Sender, choice: str | None
) -> ChoiceResult:
    """Is the chosen offer (or NONE_FITS) the one the grader ties most closely to this profile,
    or one that fits as well within EQUALLY_CLOSE?"""
    person, author = recipient_of(recipient), sender_of(sender)
    fits = {f.offer: f for f in offer_fits(person, author)}
    fitting = tuple(offer for offer, fit in fits.items() if fit.fits)
    best = max(fitting, key=lambda offer: fits[offer].strength) if fitting else None
    first = person.first_name

    def result(answered: bool, correct: bool, message: str) -> ChoiceResult:
        return ChoiceResult(answered, correct, message, fitting, best)

    if choice is None:
        return result(False, False, f"Pick an offer for {first} first.")
    if choice == NONE_FITS:
        if best is None:
            return result(
                True,
                True,
                f"Right: nothing {author.first_name} offers connects to {first}'s profile. "
                "The respectful move is not to pitch at all.",
            )
        return result(True, False, f"Look again: at least one offer connects to {first}'s profile.")
    if choice not in fits:
        raise ValueError(f"{choice!r} is not one of {author.name}'s offers")
    verdict = fits[choice]
    if not verdict.fits:
        return result(
            True,
            False,
            f"Not this one: the grader finds nothing in {first}'s profile that '{choice}' "
            f"connects to. Read {first}'s interests and recent activity again.",
        )
    if verdict.strength < fits[best].strength - EQUALLY_CLOSE:
        return result(
            True,
            False,
            f"Close: {verdict.explanation} But another offer shares more with {first}'s "
            "profile. Which one speaks most directly to their work?",
        )
    others = [
        o
        for o in fitting
        if o != choice and abs(fits[o].strength - verdict.strength) <= EQUALLY_CLOSE
    ]
    also = f" ('{others[0]}' fits just as well.)" if others else ""
    return result(True, True, f"Yes. {verdict.explanation}{also}")


class OfferMatcher(widgets.VBox):
    """For each profile, the learner picks which of the sender's offers fits; the grader judges."""

    def __init__(self, sender: str | Sender, recipients: Sequence[str | Recipient]):
        self.last_error: BaseException | None = None
        self.sender = sender_of(sender)
        self.recipients = [recipient_of(r) for r in recipients]
        self.results: list[ChoiceResult] = []
        options = [("Pick an offer…", None)]
        options += [(offer, offer) for offer in self.sender.offers]
        options += [(NONE_LABEL, NONE_FITS)]
        self.choices: list[widgets.Dropdown] = []
        self.feedback: list[widgets.HTML] = []
        rows: list[widgets.Widget] = [widgets.HTML(sender_card_html(self.sender))]
        for person in self.recipients:
            choice = widgets.Dropdown(
                options=options,
                value=None,
                description=f"Best for {person.first_name}:",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="40em"),
            )
            choice.add_class("oc-offer-choice")
            note = widgets.HTML()
            note.add_class("oc-offer-feedback")
            self.choices.append(choice)
            self.feedback.append(note)
            rows += [widgets.HTML(profile_card_html(person, compact=True)), choice, note]
        self.check_button = widgets.Button(
            description="Check my matches",
            button_style="primary",
            icon="check",
            layout=widgets.Layout(width="auto"),  # the default width cuts the label short
        )
        self.check_button.add_class("oc-offer-check")
        self.check_button.on_click(lambda _button: self.check())
        self.score = widgets.HTML()
        self.score.add_class("oc-offer-score")
        self.error_box = ErrorBox("oc-offer-error")
        super().__init__([*rows, self.check_button, self.error_box, self.score])
        self.add_class("oc-offer-matcher")

    def check(self) -> list[ChoiceResult] | None:
        """Judge every pick and show the verdicts (errors are shown, not raised)."""
        return run_guarded(self, "checking your matches", self._check)

    def _check(self) -> list[ChoiceResult]:
        results = [
            judge_offer_choice(person, self.sender, choice.value)
            for person, choice in zip(self.recipients, self.choices, strict=True)
        ]
        for result, note in zip(results, self.feedback, strict=True):
            icon = marks.PASS if result.correct else (marks.FAIL if result.answered else marks.INFO)
            note.value = f"<div style='margin:0 0 1em 1em'>{icon} {escape(result.message)}</div>"
        right = sum(r.correct for r in results)
        self.score.value = f"<div role='status'><b>{right} of {len(results)} matched.</b></div>"
        self.results = results
        return results


# --- before and after pairs -----------------------------------------------------------------------


def _pair(pair: str | WritingPair) -> WritingPair:
    """A before/after pair of data/lessons.toml by id (or the pair itself)."""
    if not isinstance(pair, str):
        return pair
    return by_id({item.id: item for item in data.lesson_texts().pairs}, pair, "pair")


def grade_pair(pair: str | WritingPair) -> tuple[Report, Report]:
    """Grade the before and the after text of a pair against the same profile."""
    item = _pair(pair)
    person, author = recipient_of(item.recipient), sender_of(item.sender)
    return grade(item.before, person, author), grade(item.after, person, author)


def _side_html(label: str, text: str, report: Report) -> str:
    return (
        f"<div class='oc-pair-side'><h4>{escape(label)}</h4>"
        f"{verdict_line(report, CATEGORIES, overall=False)}"
        f"{annotated_html(text, report.problems)}</div>"
    )


def pair_html(pair: str | WritingPair) -> tuple[str, str]:
    """HTML for the before and after sides of a pair, each with its grader report."""
    item = _pair(pair)
    before, after = grade_pair(item)
    return _side_html("Before", item.before, before), _side_html("After", item.after, after)


@dataclass(frozen=True)
class LengthFacts:
    """How long a text is, and where that falls in the published findings."""

    characters: int
    words: int
    character_band: str
    word_band: str


def length_facts(text: str) -> LengthFacts:
    """Characters and words of a text, against the LinkedIn and Boomerang length findings
    (data/research.toml; the grader's own limit is LONG_CHARS, kept equal to it by a test)."""
    figures = data.research()
    short, lift = figures["inmail_short_chars"], figures["inmail_short_lift"]
    drop = figures["inmail_long_drop"]
    chars = len(text.strip())
    count = sum(1 for _ in words(text))
    if chars < short.value:
        band = (
            f"under {short.text}: LinkedIn found InMails this short did {lift.text} better "
            "than average"
        )
    elif chars > LONG_CHARS:
        band = (
            f"over {LONG_CHARS:,}: LinkedIn found InMails this long did {drop.text} worse "
            "than average"
        )
    else:
        band = f"between {short.text} and {LONG_CHARS:,}: between LinkedIn's two bands"
    low, high = figures["email_best_words_low"].value, figures["email_best_words_high"].value
    if count < low:
        fit = f"below Boomerang's {low}-{high} word sweet spot for email"
    elif count > high:
        fit = f"above Boomerang's {low}-{high} word sweet spot for email"
    else:
        fit = f"inside Boomerang's {low}-{high} word sweet spot for email"
    return LengthFacts(chars, count, band, fit)


def length_note(text: str) -> str:
    """The length of a text and what the research says about it, in a few short lines."""
    facts = length_facts(text)
    return (
        f"{facts.characters:,} characters, {facts.words:,} words\n"
        f"  characters: {facts.character_band}\n"
        f"  words: {facts.word_band}"
    )


def pair_length_notes(pair: str | WritingPair = "length") -> str:
    """Before and after lengths of a pair, with what the research says about each."""
    item = _pair(pair)
    return f"Before: {length_note(item.before)}\nAfter: {length_note(item.after)}"


class PairComparer(widgets.VBox):
    """Pick a before/after pair; see both texts graded live, side by side."""

    def __init__(self, pairs: Sequence[WritingPair] | None = None):
        self.last_error: BaseException | None = None
        pairs = data.lesson_texts().pairs if pairs is None else pairs
        self.pairs = {pair.id: pair for pair in pairs}
        self.select = widgets.Dropdown(
            options=[(pair.title, pair.id) for pair in pairs],
            description="Pair:",
            layout=widgets.Layout(width="30em", max_width="100%"),
        )
        self.select.add_class("oc-pair-select")
        self.point = widgets.HTML()
        self.point.add_class("oc-pair-point")
        # Side by side when there is room, one above the other in a narrow window (800 px with
        # JupyterLab's side bar open), never cut off.
        side = {"flex": "1 1 22em", "min_width": "0"}
        self.before = widgets.HTML(layout=widgets.Layout(**side))
        self.before.add_class("oc-pair-before")
        self.after = widgets.HTML(layout=widgets.Layout(**side))
        self.after.add_class("oc-pair-after")
        self.error_box = ErrorBox("oc-pair-error")
        self.select.observe(lambda _change: self.show(), names="value")
        super().__init__(
            [
                self.select,
                self.point,
                self.error_box,
                widgets.HBox(
                    [self.before, self.after],
                    layout=widgets.Layout(flex_flow="row wrap", grid_gap="0 1em"),
                ),
            ]
        )
        self.add_class("oc-pairs")
        self.show()

    def show(self, pair_id: str | None = None) -> bool | None:
        """Show a pair (the selected one by default); errors are shown, not raised."""
        return run_guarded(self, "showing that pair", self._show, pair_id)

    def _show(self, pair_id: str | None) -> bool:
        if pair_id is not None and pair_id != self.select.value:
            self.select.value = pair_id  # the observer shows it
            return True
        pair = self.pairs[self.select.value]
        self.point.value = f"<p><b>What changes:</b> {escape(pair.point)}</p>"
        self.before.value, self.after.value = pair_html(pair)
        return True
