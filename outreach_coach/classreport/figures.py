"""The report's figures computed from graded rows: best rewrites, top findings, improvement
and quiz tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from ..outline import course_quizzes
from ..report import CATEGORIES, Finding
from .grading import normalized
from .loading import QuizAnswer, Submission

GALLERY_SIZE = 3
TOP_FINDINGS = 10


def draft_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per learner x scenario (the category rows collapsed)."""
    columns = ["learner", "scenario", "scenario_passed", "scenario_score", "origin", "draft"]
    return frame.drop_duplicates(["learner", "scenario"])[columns].reset_index(drop=True)


def top_findings(frame: pd.DataFrame, limit: int = TOP_FINDINGS) -> list[tuple[Finding, int]]:
    """The error codes that failed the most drafts, then the most frequent warnings (which
    fail nothing): (an example finding, drafts that have it)."""
    counts: Counter[str] = Counter()
    example: dict[str, Finding] = {}
    for findings in frame["findings"]:
        for code in {f.code for f in findings}:  # a code counts once per draft
            counts[code] += 1
        for finding in findings:
            example.setdefault(finding.code, finding)
    ranked = sorted(
        counts.items(),
        key=lambda item: (example[item[0]].severity != "error", -item[1], item[0]),
    )[:limit]
    return [(example[code], count) for code, count in ranked]


def best_rewrites(drafts: pd.DataFrame, size: int = GALLERY_SIZE) -> dict[str, pd.DataFrame]:
    """Per scenario, the best distinct passing drafts the learners wrote themselves."""
    own = drafts[(drafts["origin"] == "own") & drafts["scenario_passed"].astype(bool)]
    if own.empty:
        return {}
    own = own.assign(length=[len(text) for text in own["draft"]])
    own = own.sort_values(
        ["scenario", "scenario_passed", "scenario_score", "length", "learner"],
        ascending=[True, False, False, True, True],
    )
    own = own.assign(key=[normalized(text) for text in own["draft"]])
    own = own.drop_duplicates(["scenario", "key"])
    return {sid: group.head(size) for sid, group in own.groupby("scenario", sort=True)}


def improvement_summary(improvement: pd.DataFrame) -> pd.DataFrame:
    """Per category: answers with two or more checks, first-check and best-check pass rates,
    and how many failed on the first check but passed later."""
    grouped = improvement.groupby("category", sort=False)
    table = pd.DataFrame(
        {
            "answers": grouped.size(),
            "first": grouped["first_passed"].mean(),
            "best": grouped["best_passed"].mean(),
            "improved": grouped.apply(
                lambda g: int((~g["first_passed"].astype(bool) & g["best_passed"]).sum()),
                include_groups=False,
            ),
            "learners": grouped["learner"].nunique(),
        }
    )
    return table.reindex([c for c in CATEGORIES if c in table.index])


def quiz_table(submissions: Iterable[Submission]) -> pd.DataFrame:
    """Per quiz, in course order: learners whose record has it, how many got it right (at any
    try), and the mean number of tries."""
    answers = [a for s in submissions for a in s.quizzes]
    frame = pd.DataFrame(answers, columns=list(QuizAnswer._fields))
    grouped = frame.groupby("quiz", sort=False)
    table = pd.DataFrame(
        {
            "learners": grouped.size(),
            "right": grouped["correct"].sum(),
            "tries": grouped["tries"].mean(),
        }
    )
    order = [q for q in course_quizzes() if q in table.index]
    return table.reindex(order).astype({"learners": int, "right": int})
