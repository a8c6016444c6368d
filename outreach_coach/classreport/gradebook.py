"""The gradebook CSV and the per-learner feedback files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..report import CATEGORY_TITLES
from .grading import CSV_COLUMNS


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the gradebook table (CSV_COLUMNS) and return its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.loc[:, list(CSV_COLUMNS)].to_csv(target, index=False)
    return target


def feedback_text(
    learner_id: str,
    rows: pd.DataFrame,
    titles: Mapping[str, str] | None = None,
    alias: str | None = None,
) -> str:
    """One learner's feedback as Markdown: per scenario, the verdict and what to work on."""
    titles = titles or {}
    lines = [f"# Feedback on your rewrites, {learner_id}", ""]
    if alias:
        lines += [f"In the class report shared with the group you appear as **{alias}**.", ""]
    for scenario_id, group in rows.groupby("scenario", sort=True):
        first = group.iloc[0]
        verdict = "Passed" if first["scenario_passed"] else "Needs work"
        title = titles.get(str(scenario_id), "")
        lines += [
            f"## {scenario_id}{': ' + title if title else ''}",
            "",
            f"**{verdict}**, score {first['scenario_score']:.0f}/100",
            "",
        ]
        for row in group.itertuples():
            mark = "passed" if row.passed else "needs work"
            lines.append(f"- {CATEGORY_TITLES.get(row.category, row.category)}: {mark}")
            for finding in row.findings:
                lines.append(f"    - {finding.code} ({finding.severity}): {finding.message}")
                if finding.hint:
                    lines.append(f"      How to fix it: {finding.hint}")
                if finding.lesson:
                    lines.append(f"      See {finding.lesson}")
        lines.append("")
    return "\n".join(lines)


def write_feedback(
    frame: pd.DataFrame,
    folder: str | os.PathLike[str],
    *,
    titles: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write feedback-<learner>.md per learner (named by real id: each goes to one learner)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for learner_id, rows in frame.groupby("learner", sort=True):
        alias = aliases.get(str(learner_id)) if aliases else None
        path = target / f"feedback-{learner_id}.md"
        path.write_text(feedback_text(str(learner_id), rows, titles, alias), encoding="utf-8")
        written.append(path)
    return written
