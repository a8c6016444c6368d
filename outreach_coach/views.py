"""The view pieces every widget shares: people's cards, the error box and the callback guard, and
the verdict line. One copy of each, so the workbench and the lessons look and behave alike.

Every piece of learner or data text that goes into HTML is escaped.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from typing import Any, Protocol, TypeVar

import ipywidgets as widgets

from . import data, marks
from .grader.profiles import Recipient, Sender
from .grader.report import CATEGORY_TITLES, Report, category_badge
from .grader.wordlists import DataError

log = logging.getLogger(__name__)
T = TypeVar("T")

# --- people ------------------------------------------------------------------------------------


def by_id(table: Mapping[str, T], key: str, kind: str) -> T:
    """table[key], or a KeyError that names the known ids of that kind."""
    if key not in table:
        raise KeyError(f"no {kind} with id {key!r}; known ids: {', '.join(sorted(table))}")
    return table[key]


def recipient_of(recipient: str | Recipient) -> Recipient:
    """A recipient profile from its id (or the profile itself)."""
    if isinstance(recipient, Recipient):
        return recipient
    return by_id(data.recipients(), recipient, "recipient")


def sender_of(sender: str | Sender) -> Sender:
    """A sender from its id (or the sender itself)."""
    if isinstance(sender, Sender):
        return sender
    return by_id(data.senders(), sender, "sender")


# Inline styles, not a <style> block: a card looks the same in a lesson, the workbench and Voilà.
CARD_STYLE = (
    "border:1px solid #bbb;border-radius:8px;padding:.5em .8em;margin:.4em 0;max-width:44em;"
    "line-height:1.45"
)
FIELDS_STYLE = "margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.15em .8em"
CHIP_STYLE = (
    "display:inline-block;border:1px solid #999;border-radius:1em;padding:0 .6em;margin:.1em"
)


def _chips(items: Iterable[str]) -> str:
    return " ".join(f"<span class='oc-chip' style='{CHIP_STYLE}'>{escape(i)}</span>" for i in items)


def _card(css: str, heading: str, fields: Iterable[tuple[str, str]], style: str = "") -> str:
    """A card: a heading, then a name/value list of the fields that are filled in (values are
    HTML already escaped)."""
    rows = "".join(
        f"<dt style='font-weight:bold'>{escape(name)}</dt><dd style='margin:0'>{value}</dd>"
        for name, value in fields
        if value
    )
    return (
        f"<div class='oc-card {css}' style='{CARD_STYLE}{style}'>"
        f"<h4 style='margin:.1em 0 .3em 0'>{heading}</h4>"
        f"<dl style='{FIELDS_STYLE}'>{rows}</dl></div>"
    )


def profile_card_html(recipient: str | Recipient, *, compact: bool = False) -> str:
    """A recipient's LinkedIn-style profile card (compact: without the About text)."""
    person = recipient_of(recipient)
    fields = [
        ("Headline", escape(person.headline)),
        ("Company", escape(person.company)),
        ("Industry", escape(person.industry)),
        ("Interests", _chips(person.interests)),
        ("Recent activity", escape(person.recent_activity)),
        ("About", "" if compact else escape(person.about)),
    ]
    return _card("oc-profile", f"Writing to {escape(person.name)}", fields)


def sender_card_html(sender: str | Sender) -> str:
    """A card for the sender: who is writing and what they offer."""
    person = sender_of(sender)
    offers = "".join(f"<li>{escape(offer)}</li>" for offer in person.offers)
    fields = [
        ("Headline", escape(person.headline)),
        ("Company", escape(person.company)),
        ("Offers", f"<ul style='margin:0;padding-left:1.2em'>{offers}</ul>" if offers else ""),
    ]
    heading = f"You are writing as {escape(person.name)}"
    return _card("oc-sender", heading, fields, ";border-style:dashed")


# --- errors in widget callbacks ----------------------------------------------------------------


class LearnerError(ValueError):
    """Something the learner can put right; shown in plain words, without technical details."""


ALERT_STYLE = (
    "border:2px solid #b00020;border-radius:6px;padding:.6em .8em;background:#fff4f4;color:#222"
)


def plain_reason(error: BaseException) -> str:
    """A plain-language sentence for the learner about what went wrong."""
    if isinstance(error, DataError):
        return f"The course data has a problem, so ask your instructor: {error}"
    if isinstance(error, PermissionError):
        return "The course could not write to your progress folder (permission denied)."
    if isinstance(error, OSError):
        return f"The course could not read or write a file ({error.strerror or error})."
    if isinstance(error, (ValueError, KeyError)):
        return str(error).strip("'\"")
    return "Something unexpected went wrong inside the course code."


def learner_message_html(message: str) -> str:
    """Something the learner can put right, in plain words (no technical details)."""
    return (
        f"<div class='oc-alert' role='alert' style='{ALERT_STYLE}'>{marks.WARN} "
        f"{escape(message)}</div>"
    )


def error_html(action: str, error: BaseException) -> str:
    """What failed, why in plain words, and the details an instructor needs, folded away."""
    if isinstance(error, LearnerError):
        return learner_message_html(str(error))
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return (
        f"<div class='oc-alert' role='alert' style='{ALERT_STYLE}'>"
        f"<b>{marks.WARN} Sorry, something went wrong while {escape(action)}.</b>"
        f"<p>{escape(plain_reason(error))}</p>"
        "<p>Your work is not lost. Try again; if it keeps happening, show this "
        "message to your instructor.</p>"
        f"<details><summary>Details for your instructor</summary><pre>{escape(details)}</pre>"
        "</details></div>"
    )


class ErrorBox(widgets.HTML):
    """The box that tells the learner a widget action failed (CSS class oc-error-box); hidden
    while all is well."""

    def __init__(self, *classes: str):
        super().__init__(value="", layout=widgets.Layout(display="none"))
        for css in ("oc-error-box", *classes):
            self.add_class(css)

    def show(self, action: str, error: BaseException) -> None:
        """Show what went wrong while doing `action`, in words a learner can pass on."""
        self.value = error_html(action, error)
        self.layout.display = None

    def clear(self) -> None:
        """Hide the box (before an action, or after it succeeds)."""
        self.value = ""
        self.layout.display = "none"


class Guarded(Protocol):
    """A widget whose actions run guarded: it keeps the last error and has an error box."""

    last_error: BaseException | None
    error_box: ErrorBox


def run_guarded(
    owner: Guarded, action: str, work: Callable[..., T], *args: Any, reraise: bool = False
) -> T | None:
    """Run `work` for a widget: on failure keep the error on owner.last_error and show it in
    owner.error_box (and raise it again if `reraise`, for calls made from code).

    Widget callbacks run outside the cell that created them, so an uncaught exception would go
    to a log the learner never sees: it is shown in the widget and kept for inspection instead.
    """
    owner.error_box.clear()
    try:
        return work(*args)
    except Exception as error:
        owner.last_error = error
        owner.error_box.show(action, error)
        if reraise:
            raise
        log.exception("%s failed while %s", type(owner).__name__, action)
        return None


# --- the verdict -------------------------------------------------------------------------------


def ready_words(report: Report) -> str:
    """'✓ Ready to send' or '✗ Not ready to send yet' (an icon and words, not colour alone)."""
    return marks.READY if report.passed else marks.NOT_READY


def verdict_line(
    report: Report,
    categories: Sequence[str] = (),
    *,
    overall: bool = True,
    verdicts: Mapping[str, str] | None = None,
) -> str:
    """The verdict as one announced line: ready or not with the score (and, for a reply, what
    was graded) unless `overall` is False, then a badge per category named in `categories`
    (`verdicts` gives some categories other words, e.g. a reply sent to a whole thread)."""
    parts = []
    if overall:
        reply = " &middot; graded as a reply: mechanics and etiquette" if report.is_reply else ""
        parts.append(f"<b>{ready_words(report)}</b> &middot; score {report.score:.0f}/100{reply}")
    words = verdicts or {}
    parts += [
        f"<span class='oc-badge oc-badge-{c}'>{escape(CATEGORY_TITLES[c])}: "
        f"{words.get(c) or category_badge(report.categories[c])}</span>"
        for c in categories
    ]
    # role=status: screen readers announce the verdict when it appears or changes.
    return f"<span class='oc-verdict' role='status'>{' &nbsp;·&nbsp; '.join(parts)}</span>"


__all__ = [
    "ErrorBox",
    "LearnerError",
    "by_id",
    "error_html",
    "learner_message_html",
    "plain_reason",
    "profile_card_html",
    "ready_words",
    "recipient_of",
    "run_guarded",
    "sender_card_html",
    "sender_of",
    "verdict_line",
]
