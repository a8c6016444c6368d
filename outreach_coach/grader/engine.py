"""grade(): the one entry point that turns a message and a profile into a Report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import wordlists
from .analysis import Analysis
from .checks import run_rules
from .profiles import Recipient, Sender, as_recipient, as_sender
from .report import CATEGORIES, CategoryResult, Report
from .rules import RULES


def grade(
    message: str,
    recipient: Mapping[str, Any] | Recipient,
    sender: Mapping[str, Any] | Sender | None = None,
) -> Report:
    """Grade a message written to `recipient` (and from `sender`, when given) in four categories."""
    if not isinstance(message, str):
        raise TypeError(
            f"grade() needs the message as text (str), got {type(message).__name__}: "
            "pass the draft's text, e.g. grade(textarea.value, recipient=profile)"
        )
    wordlists.load()
    profile = as_recipient(recipient)
    author = as_sender(sender) if sender is not None else None
    analysis = Analysis(message, profile, author)
    findings = run_rules(analysis, RULES)
    findings.sort(key=lambda f: (f.start if f.start is not None else -1, f.code))
    categories = {
        category: CategoryResult.from_findings(
            category, [f for f in findings if f.category == category]
        )
        for category in CATEGORIES
    }
    return Report(
        text=message,
        categories=categories,
        recipient_name=profile.name,
        sender_name=author.name if author else "",
    )
