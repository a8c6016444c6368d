"""The class report as one self-contained HTML page (inline CSS and SVG, no scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

import pandas as pd

from .. import marks
from ..grader.report import CATEGORIES, CATEGORY_TITLES
from ..outline import course_quizzes
from .charts import bar_chart, figure_html, histogram
from .figures import ClassFigures, GalleryDraft
from .loading import REJECT_KINDS, Dispute, Rejected


@dataclass
class Extras:
    """What the report shows beside the grades (all optional)."""

    warnings: Sequence[str] = ()
    missing: Sequence[str] = ()  # roster names with nothing handed in
    disputes: Sequence[Dispute] = ()
    quizzes: pd.DataFrame | None = None  # quiz_table
    refresh: int | None = None  # seconds: the page reloads itself (--watch)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1100px;padding:1.5rem;color:#1d1d1f;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e3e3e8;padding-bottom:.2rem}
.meta{color:#555}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #d8d8de;border-radius:8px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.95rem;max-width:100%}
th,td{border:1px solid #d8d8de;padding:.3rem .6rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f2f2f5;overflow-wrap:normal}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
figcaption{color:#555;font-size:.9rem}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem}
.rewrite{border:1px solid #d8d8de;border-radius:8px;padding:.6rem .8rem}
.rewrite pre{white-space:pre-wrap;word-wrap:break-word;font-family:inherit;margin:.4rem 0 0;
background:#fafafa;padding:.5rem;border-radius:4px}
.pass{color:#0a6b2b}.fail{color:#a11}
.note{background:#fff8e1;border-left:4px solid #e0a800;padding:.5rem .8rem}
code{background:#f2f2f5;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}
@media (max-width:900px){body{padding:.8rem}table{font-size:.85rem}th,td{padding:.25rem .35rem}
.card{min-width:7rem}}
@media print{h2{break-after:avoid}.rewrite{break-inside:avoid}
details::details-content{content-visibility:visible;display:block}summary{list-style:none}}
"""


def render_html(
    graded: ClassFigures | pd.DataFrame,
    rejected: Sequence[Rejected] = (),
    *,
    titles: Mapping[str, str] | None = None,
    generated_at: datetime | None = None,
    heading: str = "Class report: Not the Place for Spam",
    extras: Extras | None = None,
) -> str:
    """The whole report as one self-contained HTML page (inline CSS and SVG, no scripts), from
    a class's figures or from a whole graded frame (FRAME_COLUMNS)."""
    figures = ClassFigures.of(graded) if isinstance(graded, pd.DataFrame) else graded
    titles = titles or {}
    extras = extras or Extras()
    moment = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    drafts = figures.drafts()
    sections = [
        _summary_section(drafts, rejected, extras.missing),
        _missing_section(extras.missing),
        _category_section(figures),
        _scenario_section(figures, drafts, titles),
        _findings_section(figures, len(drafts)),
        _improvement_section(figures.improvement_summary()),
        _quiz_section(extras.quizzes),
        _scores_section(drafts),
        _gallery_section(figures.best_rewrites(), titles),
        _disputes_section(extras.disputes, titles),
        _learners_section(drafts),
        _rejected_section(rejected),
        _warnings_section(extras.warnings),
    ]
    # A refresh header is no script: the page still runs nothing, it is only fetched again.
    refresh = (
        f"<meta http-equiv='refresh' content='{int(extras.refresh)}'>" if extras.refresh else ""
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"{refresh}<title>{escape(heading)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(heading)}</h1><p class='meta'>Generated {escape(moment)} by "
        "<code>python -m outreach_coach report</code>. Every draft was graded again with the "
        "course's grader; learners' own scores were not trusted.</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


def percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{100 * value:.0f}%"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """An HTML table; cells are HTML already (callers escape learner text)."""
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{cell}</td>" if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary_section(
    drafts: pd.DataFrame,
    rejected: Sequence[Rejected],
    missing: Sequence[str] = (),
) -> str:
    all_passed = drafts["scenario_passed"].mean() if len(drafts) else float("nan")
    # No mean-score card: warnings lower a score without failing the draft, so a mean of 90
    # can sit beside a pass rate of 60% and read as better than the class did.
    cards = [
        ("Learners graded", f"{drafts['learner'].nunique():,}"),
        ("Drafts graded", f"{len(drafts):,}"),
        ("Drafts passing all four", percent(all_passed)),
        ("Files not graded", f"{len(rejected):,}"),
    ]
    if missing:
        cards.append(("On the roster, nothing handed in", _missing_count(missing)))
    copies = int((drafts["origin"] == "model-answer").sum())
    untouched = int((drafts["origin"] == "original").sum())
    note = ""
    if copies or untouched:
        note = (
            f"<p class='note'>{copies} draft(s) are the model answer unchanged and "
            f"{untouched} are the original message unchanged; they are graded like any other "
            "but left out of the gallery.</p>"
        )
    return (
        "<section id='summary'><div class='cards'>"
        + "".join(f"<div class='card'><b>{escape(v)}</b>{escape(k)}</div>" for k, v in cards)
        + f"</div>{note}</section>"
    )


def _category_section(figures: ClassFigures) -> str:
    rates = figures.category_rates()
    labels = [CATEGORY_TITLES[c] for c in CATEGORIES]
    chart = bar_chart(
        labels, [0 if pd.isna(r) else 100 * r for r in rates], "Drafts passing (%)", "category"
    )
    rows = [(escape(label), percent(rate)) for label, rate in zip(labels, rates, strict=True)]
    return (
        "<section id='categories'><h2>Pass rate per category</h2>"
        + figure_html(chart, "Share of drafts that pass each of the grader's four categories.")
        + _table(["Category", "Drafts passing"], rows, {1})
        + "</section>"
    )


def _scenario_section(
    figures: ClassFigures, drafts: pd.DataFrame, titles: Mapping[str, str]
) -> str:
    if drafts.empty:
        return "<section id='scenarios'><h2>Pass rate per scenario</h2><p>No drafts.</p></section>"
    overall = drafts.groupby("scenario").agg(
        drafts=("learner", "size"),
        passed=("scenario_passed", "mean"),
        score=("scenario_score", "mean"),
    )
    chart = bar_chart(
        list(overall.index),
        list(100 * overall["passed"]),
        "Drafts passing all four categories (%)",
        "scenario",
    )
    rows = [
        (
            f"<code>{escape(sid)}</code><br>{escape(titles.get(sid, ''))}",
            f"{int(row.drafts):,}",
            percent(row.passed),
            f"{row.score:.0f}",
            *(percent(figures.scenario_rate(sid, c)) for c in CATEGORIES),
        )
        for sid, row in overall.iterrows()
    ]
    headers = ["Scenario", "Drafts", "All four pass", "Mean score"]
    headers += [CATEGORY_TITLES[c] for c in CATEGORIES]
    return (
        "<section id='scenarios'><h2>Pass rate per scenario</h2>"
        + figure_html(chart, "Share of drafts per scenario that pass all four categories.")
        + "<p>A draft passes when it has no error; warnings only lower its score, so the mean "
        "score can be high while the pass rate is low. Read the pass rate first.</p>"
        + _table(headers, rows, set(range(1, len(headers))))
        + "</section>"
    )


def _lesson_label(lesson: str) -> str:
    if not lesson:
        return "–"
    name = lesson.rsplit("/", 1)[-1].removesuffix(".ipynb")
    number, _, words = name.partition("_")
    label = f"Lesson {number}: {words.replace('_', ' ')}" if words else name
    return f"{escape(label)}<br><code>{escape(lesson)}</code>"


def _findings_section(figures: ClassFigures, total: int) -> str:
    ranked = figures.top_findings()
    if not ranked:
        return (
            "<section id='findings'><h2>Most frequent findings</h2>"
            "<p>No errors or warnings in any draft.</p></section>"
        )
    rows = [
        (
            f"<b>{escape(f.code)}</b> <small>{escape(_severity_label(f.severity))}</small>",
            f"{escape(f.name)}<br><small>{escape(f.why)}</small>",
            escape(CATEGORY_TITLES.get(f.category, f.category)),
            f"{count:,}",
            percent(count / total if total else float("nan")),
            _lesson_label(f.lesson),
        )
        for f, count in ranked
    ]
    headers = ["Code", "What it means", "Category", "Drafts", "Share", "Lesson that teaches it"]
    return (
        "<section id='findings'><h2>Most frequent findings</h2>"
        "<p>Errors first (each one failed every draft it is counted in), then warnings (which "
        "lower a score but fail nothing). Each code counts once per draft. Revisit the lesson "
        "beside the top errors.</p>" + _table(headers, rows, {3, 4}) + "</section>"
    )


def _scores_section(drafts: pd.DataFrame) -> str:
    scores = drafts["scenario_score"]
    if scores.empty:
        return "<section id='scores'><h2>Score distribution</h2><p>No drafts.</p></section>"
    chart = histogram(list(scores))
    quartiles = scores.quantile([0.25, 0.5, 0.75])
    caption = (
        f"Scores of all {len(scores):,} drafts (0-100): lower quartile {quartiles[0.25]:.0f}, "
        f"median {quartiles[0.5]:.0f}, upper quartile {quartiles[0.75]:.0f}."
    )
    return (
        "<section id='scores'><h2>Score distribution</h2>"
        + figure_html(chart, caption)
        + "</section>"
    )


def _gallery_section(best: Mapping[str, Sequence[GalleryDraft]], titles: Mapping[str, str]) -> str:
    parts = [
        "<section id='gallery'><h2>Best rewrites, for class discussion</h2>"
        "<p>The highest-scoring drafts per scenario among those that pass all four categories "
        "(copies of the model answer left out; failing drafts never appear here). Ask the "
        "class what makes each one work, and what the grader cannot see.</p>"
    ]
    if not best:
        parts.append("<p>No learner-written draft passes all four categories yet.</p>")
    for sid, group in best.items():
        parts.append(f"<h3><code>{escape(sid)}</code> {escape(titles.get(sid, ''))}</h3>")
        parts.append("<div class='gallery'>")
        for row in group:
            verdict = (
                f"<span class='pass'>{marks.PASSED}</span>"
                if row.scenario_passed
                else f"<span class='fail'>{marks.NEEDS_WORK}</span>"
            )
            parts.append(
                f"<article class='rewrite'><b>{escape(str(row.learner))}</b> · {verdict} · "
                f"score {row.scenario_score:.0f}/100<pre>{escape(row.draft)}</pre></article>"
            )
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _learners_section(drafts: pd.DataFrame) -> str:
    if drafts.empty:
        return ""
    per = drafts.groupby("learner").agg(
        drafts=("scenario", "size"),
        passed=("scenario_passed", "sum"),
        score=("scenario_score", "mean"),
    )
    rows = [
        (escape(str(learner)), f"{int(drafts_)}", f"{int(passed)}", f"{score:.0f}")
        for learner, drafts_, passed, score in per.itertuples()
    ]
    return (
        f"<section id='learners'><h2>Learners</h2><details><summary>{len(per):,} learners "
        "(drafts, drafts passing all four, mean score)</summary>"
        + _table(["Learner", "Drafts", "Passed", "Mean score"], rows, {1, 2, 3})
        + "</details></section>"
    )


def _rejected_section(rejected: Sequence[Rejected]) -> str:
    if not rejected:
        return (
            "<section id='not-graded'><h2>Files not graded</h2>"
            "<p>Every file was read and graded.</p></section>"
        )
    rows = [
        (
            f"<code>{escape(r.source)}</code>",
            escape(REJECT_KINDS.get(r.kind, r.kind)),
            escape(r.reason),
        )
        for r in rejected
    ]
    return (
        "<section id='not-graded'><h2>Files not graded</h2>"
        f"<p>{len(rejected)} file(s) or answer(s) were not graded. Ask those learners to "
        "click “Export my answers” again and send the new file.</p>"
        + _table(["File", "Problem", "Details"], rows, set())
        + "</section>"
    )


def _severity_label(severity: str) -> str:
    return "error: fails the draft" if severity == "error" else severity


def _missing_count(missing: Sequence[str]) -> str:
    # Anonymized reports pass one "N name(s) on the roster" line instead of the names.
    if len(missing) == 1 and " name(s) on the roster" in missing[0]:
        return missing[0].split(" ", 1)[0]
    return f"{len(missing):,}"


def _list_section(anchor: str, heading: str, intro: str, entries: Sequence[str]) -> str:
    """A section of one intro paragraph (HTML) and a list of entries (escaped); none if empty."""
    if not entries:
        return ""
    items = "".join(f"<li>{escape(entry)}</li>" for entry in entries)
    return f"<section id='{anchor}'><h2>{heading}</h2><p>{intro}</p><ul>{items}</ul></section>"


def _missing_section(missing: Sequence[str]) -> str:
    return _list_section(
        "missing",
        "On the roster, nothing handed in",
        "No answers file, progress folder or home folder matches these names: ask them to "
        "click “Export my answers” (or check how their name is spelled).",
        missing,
    )


def _quiz_section(quizzes: pd.DataFrame | None) -> str:
    heading = "<section id='quizzes'><h2>Quizzes</h2>"
    if quizzes is None or quizzes.empty:
        return (
            heading + "<p>No quiz answers yet: exports from this course version carry the "
            "lessons' quiz answers, and so do progress folders.</p></section>"
        )
    titles = course_quizzes()
    rows = [
        (
            escape(titles[quiz]),
            f"{int(row.learners):,}",
            f"{int(row.right):,} ({percent(row.right / row.learners)})",
            f"{row.tries:.1f}",
        )
        for quiz, row in quizzes.iterrows()
    ]
    headers = ["Quiz", "Learners who answered", "Answered right", "Mean tries"]
    return (
        heading + "<p>From the quiz answers in each learner's record: right at least once, and "
        "how many tries it took.</p>" + _table(headers, rows, {1, 2, 3}) + "</section>"
    )


def _improvement_section(table: pd.DataFrame) -> str:
    if table.empty:
        return (
            "<section id='improvement'><h2>Improvement: first check against best check</h2>"
            "<p>No draft history yet: answers checked twice or more, exported by this course "
            "version, show here how learners improved between their first and best check.</p>"
            "</section>"
        )
    rows = [
        (
            escape(CATEGORY_TITLES[c]),
            f"{int(row.learners):,}",
            f"{int(row.answers):,}",
            percent(row.first),
            percent(row.best),
            f"{int(row.improved):,}",
        )
        for c, row in table.iterrows()
    ]
    headers = ["Category", "Learners", "Answers", "First check passes", "Best check passes"]
    headers.append("Failed first, passed later")
    return (
        "<section id='improvement'><h2>Improvement: first check against best check</h2>"
        "<p>From each answer's draft history (answers checked twice or more), every check "
        "graded again with today's grader.</p>"
        + _table(headers, rows, {1, 2, 3, 4, 5})
        + "</section>"
    )


def _disputes_section(disputes: Sequence[Dispute], titles: Mapping[str, str]) -> str:
    if not disputes:
        return ""
    rows = [
        (
            escape(d.learner),
            f"<code>{escape(d.scenario)}</code><br>{escape(titles.get(d.scenario, ''))}"
            if d.scenario
            else "–",
            escape(", ".join(d.codes)) or "–",
            escape(d.comment),
            f"<pre>{escape(d.draft)}</pre>" if d.draft else "–",
        )
        for d in disputes
    ]
    headers = ["Learner", "Scenario", "Errors disputed", "Comment", "Draft"]
    return (
        f"<section id='disputes'><h2>Disputed verdicts ({len(disputes):,})</h2>"
        "<p>Learners clicked “this verdict looks wrong”. Read them before the discussion: a "
        "verdict several learners dispute is worth looking at together.</p>"
        + _table(headers, rows, set())
        + "</section>"
    )


def _warnings_section(warnings: Sequence[str]) -> str:
    return _list_section(
        "id-warnings",
        "Learner ids to check",
        "Graded, but the learner id in each of these exports does not match its folder (the "
        "learner's home folder when you used <code>collect</code>): someone may have typed the "
        "example id or another person's. The terminal names the files.",
        warnings,
    )
