"""The grader's answer: findings, per-category results and the whole report, with renderings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from .. import marks

CATEGORIES = ("personalization", "relevance", "mechanics", "etiquette")
CATEGORY_TITLES = {
    "personalization": "Personalisation",
    "relevance": "Offer relevance",
    "mechanics": "Professional mechanics",
    "etiquette": "Etiquette",
}
SEVERITIES = ("error", "warning", "info")
ERROR_WEIGHT = 0.4
WARNING_WEIGHT = 0.1
PASS_FLOOR = 0.7
FAIL_CEILING = 0.6
# A reply (to "unsubscribe", to "this is spam") is judged on how it is written and sent only:
# it has no reason to be personal or to offer anything, and a short reply is the right one.
REPLY_CATEGORIES = ("mechanics", "etiquette")
NOT_FOR_REPLIES = frozenset({"MECH009"})
TOP_FIXES = 3


@dataclass(frozen=True)
class Finding:
    """One thing the grader noticed: what, why it matters, how to fix it, and where."""

    code: str
    name: str
    category: str
    severity: str
    message: str
    hint: str
    start: int | None = None
    end: int | None = None
    lesson: str = ""
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields of this finding."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "start": self.start,
            "end": self.end,
            "lesson": self.lesson,
            "why": self.why,
        }


@dataclass(frozen=True)
class CategoryResult:
    """How a message did in one category."""

    category: str
    passed: bool
    score: float
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @classmethod
    def from_findings(cls, category: str, findings: list[Finding]) -> CategoryResult:
        """Score a category: each distinct error or warning code costs a fixed share."""
        errors = {f.code for f in findings if f.severity == "error"}
        warnings = {f.code for f in findings if f.severity == "warning"}
        score = 1.0 - ERROR_WEIGHT * len(errors) - WARNING_WEIGHT * len(warnings)
        passed = not errors
        score = max(score, PASS_FLOOR) if passed else min(max(score, 0.0), FAIL_CEILING)
        return cls(category, passed, round(score, 3), tuple(findings))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields of this category result."""
        return {
            "passed": self.passed,
            "score": self.score,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Report:
    """The grade of one message: four categories, an overall score and every finding."""

    text: str
    categories: dict[str, CategoryResult]
    recipient_name: str = ""
    sender_name: str = ""
    graded: tuple[str, ...] = CATEGORIES

    @property
    def passed(self) -> bool:
        """True when every graded category passes."""
        return all(self.categories[c].passed for c in self.graded)

    @property
    def score(self) -> float:
        """The mean of the graded categories' scores, from 0 to 100."""
        mean = sum(self.categories[c].score for c in self.graded) / len(self.graded)
        return round(100 * mean, 1)

    @property
    def is_reply(self) -> bool:
        """True for a report graded as a reply (mechanics and etiquette only)."""
        return self.graded == REPLY_CATEGORIES

    def as_reply(self) -> Report:
        """This report judged as a reply: mechanics and etiquette only, no advice to add an
        offer or a personal detail (the other categories stay in `categories`, not graded)."""
        categories = dict(self.categories)
        for category in REPLY_CATEGORIES:
            kept = [f for f in categories[category].findings if f.code not in NOT_FOR_REPLIES]
            categories[category] = CategoryResult.from_findings(category, kept)
        return replace(self, categories=categories, graded=REPLY_CATEGORIES)

    @property
    def findings(self) -> list[Finding]:
        """Every finding, category by category."""
        return [f for c in CATEGORIES for f in self.categories[c].findings]

    @property
    def graded_findings(self) -> list[Finding]:
        """The findings of the graded categories (all of them, unless this is a reply)."""
        return [f for c in self.graded for f in self.categories[c].findings]

    @property
    def problems(self) -> list[Finding]:
        """The findings that are errors or warnings (not the notes on what went well)."""
        return [f for f in self.findings if f.severity != "info"]

    @property
    def codes(self) -> set[str]:
        """The distinct codes of the errors and warnings."""
        return {f.code for f in self.problems}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: verdict, score, categories and findings (and, for a reply, the
        categories that were graded)."""
        result = {
            "passed": self.passed,
            "score": self.score,
            "recipient": self.recipient_name,
            "sender": self.sender_name,
            "categories": {c: self.categories[c].to_dict() for c in CATEGORIES},
        }
        if self.graded != CATEGORIES:
            result["graded"] = list(self.graded)
        return result

    def summary(self) -> str:
        """Plain text: the verdict, then each category with its findings and hints."""
        verdict = "PASSED" if self.passed else "NEEDS WORK"
        lines = [f"Overall: {verdict} (score {self.score:.0f}/100)"]
        for category in self.graded:
            result = self.categories[category]
            mark = "pass" if result.passed else "FAIL"
            lines.append(f"[{mark}] {CATEGORY_TITLES[category]} ({result.score:.2f})")
            for finding in result.findings:
                lines.append(f"    {finding.severity} {finding.code}: {finding.message}")
                if finding.severity != "info" and finding.hint:
                    lines.append(f"        hint: {finding.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return render_report_html(self)


def category_badge(result: CategoryResult) -> str:
    """An icon and a word for pass or fail, so the verdict never rests on colour alone."""
    return marks.PASSED if result.passed else marks.NEEDS_WORK


@dataclass(frozen=True)
class FindingGroup:
    """Every finding of one code in a text: one line for the learner, each place quoted."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        """The first finding of the group, whose message and hint stand for all of them."""
        return self.findings[0]

    @property
    def code(self) -> str:
        """The code the findings share."""
        return self.first.code

    @property
    def severity(self) -> str:
        """The group's severity (every finding of a code has the same)."""
        return self.first.severity


def group_findings(findings: tuple[Finding, ...] | list[Finding]) -> list[FindingGroup]:
    """Findings grouped by code and hint, in the order each group first appears."""
    # Same code and same advice: one line. A misspelling of two words has two fixes, two lines.
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.code, finding.hint), []).append(finding)
    return [FindingGroup(tuple(group)) for group in groups.values()]


def top_fixes(
    findings: tuple[Finding, ...] | list[Finding], limit: int = TOP_FIXES
) -> list[FindingGroup]:
    """What to fix first: errors before warnings, then by category in course order, then
    by where the first one is in the text; one entry per group."""
    problems = group_findings([f for f in findings if f.severity != "info"])

    def order(group: FindingGroup) -> tuple[int, int, int]:
        first = group.first
        category = CATEGORIES.index(first.category) if first.category in CATEGORIES else 99
        return (SEVERITIES.index(group.severity), category, first.start or 0)

    return sorted(problems, key=order)[:limit]


def _quote(text: str, finding: Finding) -> str:
    from .text import excerpt  # text loads data, which needs this module first

    if not text or finding.start is None or finding.end is None:
        return ""
    return f"<q class='oc-quote'>{escape(excerpt(text[finding.start : finding.end], 80))}</q>"


def _icon(severity: str) -> str:
    return {"error": marks.FAIL, "warning": marks.WARN, "info": marks.PASS}[severity]


SEVERITY_WORDS = {"error": "Must fix", "warning": "Worth fixing", "info": "Good"}


def group_html(group: FindingGroup, text: str = "") -> str:
    """One line for a group: what is wrong, every place it happens, and how to fix it."""
    first = group.first
    quotes = [q for q in (_quote(text, f) for f in group.findings) if q]
    places = ""
    if len(group.findings) > 1:
        where = f": {', '.join(quotes)}" if quotes else ""
        places = f" <span class='oc-places'>({len(group.findings)} places{where})</span>"
    elif quotes:
        places = f" {quotes[0]}"
    message = first.message if len(group.findings) == 1 else _general(group)
    hint = (
        f"<div class='oc-hint'>How to fix it: {escape(first.hint)}</div>"
        if first.severity != "info" and first.hint
        else ""
    )
    return (
        f"<li class='oc-finding oc-{first.severity}'>"
        f"<span aria-hidden='true'>{_icon(first.severity)}</span> "
        f"<b>{SEVERITY_WORDS[first.severity]}</b>: {escape(message)}{places}{hint}</li>"
    )


QUOTED_END = re.compile(r": '[^']*'\.$")


def _general(group: FindingGroup) -> str:
    # "This sentence starts in lowercase: 'best'." differs only in the part it quotes, and each
    # place is quoted beside it: keep the shared words. Other messages stay as the first says.
    shared = {QUOTED_END.sub(".", f.message) for f in group.findings}
    return shared.pop() if len(shared) == 1 else group.first.message


def render_findings_html(
    findings: tuple[Finding, ...] | list[Finding], text: str = "", *, details: bool = True
) -> str:
    """Findings as HTML, one line per code with every place quoted, then (with details) the
    full list with rule codes behind a toggle; every piece of learner text escaped."""
    if not findings:
        return "<p class='oc-none'>Nothing to flag here.</p>"
    items = "".join(group_html(group, text) for group in group_findings(findings))
    grouped = f"<ul class='oc-findings'>{items}</ul>"
    return grouped + (findings_details_html(findings, text) if details else "")


def findings_details_html(findings: tuple[Finding, ...] | list[Finding], text: str = "") -> str:
    """Every finding with its rule code, behind a "details" toggle."""
    items = []
    for finding in findings:
        items.append(
            f"<li class='oc-finding-detail oc-{finding.severity}'>"
            f"<span aria-hidden='true'>{_icon(finding.severity)}</span> "
            f"<b>{escape(finding.severity.title())} {escape(finding.code)}</b>: "
            f"{escape(finding.message)} {_quote(text, finding)}</li>"
        )
    return (
        "<details class='oc-details'><summary>Details: every finding, with its rule code"
        f"</summary><ul class='oc-findings-all'>{''.join(items)}</ul></details>"
    )


def top_fixes_html(findings: tuple[Finding, ...] | list[Finding], text: str = "") -> str:
    """The three things to fix first, as a numbered list (empty when there is nothing)."""
    groups = top_fixes(findings)
    if not groups:
        return ""
    items = "".join(group_html(group, text) for group in groups)
    return f"<div class='oc-top-fixes'><b>Fix these first</b><ol>{items}</ol></div>"


def render_report_html(report: Report) -> str:
    """The whole report as an HTML fragment for a notebook cell."""
    verdict = marks.READY if report.passed else marks.NOT_READY
    parts = [
        "<div class='oc-report'>",
        f"<h4>{verdict} &middot; score {report.score:.0f}/100</h4>",
        top_fixes_html(report.graded_findings, report.text),
    ]
    for category in report.graded:
        result = report.categories[category]
        parts.append(
            f"<details class='oc-category' {'open' if not result.passed else ''}>"
            f"<summary><b>{escape(CATEGORY_TITLES[category])}</b>: {category_badge(result)}"
            f" ({result.score:.2f})</summary>"
            f"{render_findings_html(result.findings, report.text)}</details>"
        )
    parts.append("</div>")
    return "".join(parts)
