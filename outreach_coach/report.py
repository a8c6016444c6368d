"""The grader's answer: findings, per-category results and the whole report, with renderings."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from . import marks

CATEGORIES = ("personalization", "relevance", "mechanics", "etiquette")
CATEGORY_TITLES = {
    "personalization": "Personalization",
    "relevance": "Offer relevance",
    "mechanics": "Professional mechanics",
    "etiquette": "Etiquette",
}
SEVERITIES = ("error", "warning", "info")
ERROR_WEIGHT = 0.4
WARNING_WEIGHT = 0.1
PASS_FLOOR = 0.7
FAIL_CEILING = 0.6


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

    @property
    def passed(self) -> bool:
        """True when every category passes."""
        return all(result.passed for result in self.categories.values())

    @property
    def score(self) -> float:
        """The mean of the category scores, from 0 to 100."""
        mean = sum(r.score for r in self.categories.values()) / len(self.categories)
        return round(100 * mean, 1)

    @property
    def findings(self) -> list[Finding]:
        """Every finding, category by category."""
        return [f for c in CATEGORIES for f in self.categories[c].findings]

    @property
    def problems(self) -> list[Finding]:
        """The findings that are errors or warnings (not the notes on what went well)."""
        return [f for f in self.findings if f.severity != "info"]

    @property
    def codes(self) -> set[str]:
        """The distinct codes of the errors and warnings."""
        return {f.code for f in self.problems}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: verdict, score, categories and findings."""
        return {
            "passed": self.passed,
            "score": self.score,
            "recipient": self.recipient_name,
            "sender": self.sender_name,
            "categories": {c: self.categories[c].to_dict() for c in CATEGORIES},
        }

    def summary(self) -> str:
        """Plain text: the verdict, then each category with its findings and hints."""
        verdict = "PASSED" if self.passed else "NEEDS WORK"
        lines = [f"Overall: {verdict} (score {self.score:.0f}/100)"]
        for category in CATEGORIES:
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


def render_findings_html(findings: tuple[Finding, ...] | list[Finding], text: str = "") -> str:
    """A list of findings as HTML, every piece of learner text escaped."""
    if not findings:
        return "<p class='oc-none'>Nothing to flag here.</p>"
    items = []
    for finding in findings:
        quoted = ""
        if text and finding.start is not None and finding.end is not None:
            quoted = f" <q class='oc-quote'>{escape(text[finding.start : finding.end][:80])}</q>"
        icon = {"error": marks.FAIL, "warning": marks.WARN, "info": marks.PASS}[finding.severity]
        hint = (
            f"<div class='oc-hint'>How to fix it: {escape(finding.hint)}</div>"
            if finding.severity != "info"
            else ""
        )
        items.append(
            f"<li class='oc-finding oc-{finding.severity}'>"
            f"<span aria-hidden='true'>{icon}</span> <b>{escape(finding.severity.title())}"
            f" {escape(finding.code)}</b>: {escape(finding.message)}{quoted}{hint}</li>"
        )
    return "<ul class='oc-findings'>" + "".join(items) + "</ul>"


def render_report_html(report: Report) -> str:
    """The whole report as an HTML fragment for a notebook cell."""
    verdict = marks.READY if report.passed else marks.NOT_READY
    parts = [
        "<div class='oc-report'>",
        f"<h4>{verdict} &middot; score {report.score:.0f}/100</h4>",
    ]
    for category in CATEGORIES:
        result = report.categories[category]
        parts.append(
            f"<details class='oc-category' {'open' if not result.passed else ''}>"
            f"<summary><b>{escape(CATEGORY_TITLES[category])}</b>: {category_badge(result)}"
            f" ({result.score:.2f})</summary>"
            f"{render_findings_html(result.findings, report.text)}</details>"
        )
    parts.append("</div>")
    return "".join(parts)
