"""Show a message with the parts the grader flagged marked, as escaped HTML."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .grader.report import Finding, render_findings_html

MARK_STYLE = (
    "<style>.oc-text{white-space:pre-wrap;font-family:inherit;border:1px solid #ccc;"
    "padding:.6em;border-radius:4px;line-height:1.5}"
    ".oc-mark.oc-error{background:#ffd6d6;text-decoration:underline wavy #b00}"
    ".oc-mark.oc-warning{background:#fff1c2;text-decoration:underline dotted #a60}"
    ".oc-mark sup{font-size:.7em;font-weight:bold}</style>"
)


def flagged_spans(findings: Iterable[Finding]) -> list[tuple[int, int, list[Finding]]]:
    """Non-overlapping (start, end, findings) spans, overlapping findings merged into one."""
    located = sorted(
        (f for f in findings if f.start is not None and f.end is not None and f.end > f.start),
        key=lambda f: (f.start, f.end),
    )
    spans: list[tuple[int, int, list[Finding]]] = []
    for item in located:
        if spans and item.start < spans[-1][1]:
            start, end, group = spans[-1]
            spans[-1] = (start, max(end, item.end), [*group, item])
        else:
            spans.append((item.start, item.end, [item]))
    return spans


def highlight_html(text: str, findings: Iterable[Finding]) -> str:
    """The text with each flagged span in a numbered <mark>; every piece of text is escaped."""
    findings = [f for f in findings if f.severity != "info"]
    parts, cursor = [], 0
    for number, (start, end, group) in enumerate(flagged_spans(findings), start=1):
        severity = "error" if any(f.severity == "error" for f in group) else "warning"
        label = "; ".join(f.message for f in group)  # codes are for the "details" list
        parts.append(escape(text[cursor:start]))
        parts.append(
            f"<mark class='oc-mark oc-{severity}' title='{escape(label, quote=True)}'>"
            f"{escape(text[start:end])}<sup aria-label='flag {number}'>[{number}]</sup></mark>"
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return f"{MARK_STYLE}<div class='oc-text'>{''.join(parts)}</div>"


def annotated_html(text: str, findings: Iterable[Finding]) -> str:
    """The highlighted text followed by the list of findings with their hints."""
    findings = list(findings)
    return highlight_html(text, findings) + render_findings_html(findings, text)
