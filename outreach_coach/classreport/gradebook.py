"""The gradebook CSV and the per-learner feedback files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import pandas as pd

from ..grader.report import CATEGORY_TITLES
from .grading import CSV_COLUMNS


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the gradebook table (CSV_COLUMNS) and return its path."""
    with Gradebook(path) as gradebook:
        gradebook.write(frame)
    return gradebook.path


class Gradebook:
    """The gradebook CSV written a batch at a time, into a hidden file beside it that replaces
    it only when complete: a run that stops half-way leaves the previous gradebook whole."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._partial = self.path.with_name(f".{self.path.name}.partial")
        self._handle: TextIO = self._partial.open("w", encoding="utf-8", newline="")
        pd.DataFrame(columns=list(CSV_COLUMNS)).to_csv(self._handle, index=False)

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of a graded frame (FRAME_COLUMNS)."""
        frame.loc[:, list(CSV_COLUMNS)].to_csv(self._handle, index=False, header=False)

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        self._handle.close()
        if error_type is None:
            os.replace(self._partial, self.path)
        else:
            self._partial.unlink(missing_ok=True)


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
