"""The report's figures, added up batch by batch from graded rows: counts per category,
scenario and finding, one small record per draft, the gallery's best drafts, first against
best check, and the quiz table."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..grader.report import CATEGORIES, Finding
from ..outline import course_quizzes
from .grading import FrameRow, ImprovementRow, normalized
from .loading import QuizAnswer, Submission

GALLERY_SIZE = 3
TOP_FINDINGS = 10
DRAFT_COLUMNS = ("learner", "scenario", "scenario_passed", "scenario_score", "origin")


class GalleryDraft(NamedTuple):
    """A passing draft a learner wrote themselves, as the gallery shows it."""

    learner: str
    scenario_passed: bool
    scenario_score: float
    draft: str


@dataclass
class _Improvement:
    """First against best check in one category, over every answer checked twice or more."""

    answers: int = 0
    first_passed: int = 0
    best_passed: int = 0
    improved: int = 0  # failed on the first check, passed on a later one
    learners: set[str] = field(default_factory=set)


class ClassFigures:
    """Everything the report's sections count, fed rows in class order (add) instead of kept
    as one frame: per draft only its learner, scenario, verdict, score and origin; no finding
    list, and no draft text but the gallery's few."""

    def __init__(self, gallery_size: int = GALLERY_SIZE) -> None:
        self._gallery_size = gallery_size
        self._learners: list[str] = []
        self._scenarios: list[str] = []
        self._passed = array("b")
        self._scores = array("d")
        self._origins: list[str] = []
        self._last: tuple[str, str] | None = None  # the draft whose category rows are coming
        # (scenario, category) -> [rows passing, rows]
        self._categories: dict[tuple[str, str], list[int]] = {}
        self._codes: Counter[str] = Counter()
        self._examples: dict[str, Finding] = {}
        # scenario -> up to gallery_size (rank, normalized text, draft), best first
        self._gallery: dict[str, list[tuple[tuple[float, int, str], str, GalleryDraft]]] = {}
        self._improvement: dict[str, _Improvement] = {}

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ClassFigures:
        """The figures of a whole graded frame (FRAME_COLUMNS)."""
        figures = cls()
        figures.add(FrameRow._make(row) for row in frame.itertuples(index=False, name=None))
        return figures

    def add(self, rows: Iterable[FrameRow]) -> None:
        """Count some graded rows; an answer's category rows come one after another."""
        for row in rows:
            counts = self._categories.setdefault((row.scenario, row.category), [0, 0])
            counts[0] += bool(row.passed)
            counts[1] += 1
            for code in {f.code for f in row.findings}:  # a code counts once per draft
                self._codes[code] += 1
            for finding in row.findings:
                self._examples.setdefault(finding.code, finding)
            if (row.learner, row.scenario) != self._last:
                self._last = (row.learner, row.scenario)
                self._add_draft(row)

    def _add_draft(self, row: FrameRow) -> None:
        self._learners.append(row.learner)
        self._scenarios.append(row.scenario)
        self._passed.append(bool(row.scenario_passed))
        self._scores.append(row.scenario_score)
        self._origins.append(row.origin)
        if row.origin == "own" and row.scenario_passed:
            self._offer(row)

    def _offer(self, row: FrameRow) -> None:
        """Keep the draft if it is among the scenario's best distinct ones so far: highest
        score, then shortest, then learner; one per text (spacing aside), its best copy."""
        rank = (-row.scenario_score, len(row.draft), row.learner)
        key = normalized(row.draft)
        entry = (
            rank,
            key,
            GalleryDraft(row.learner, row.scenario_passed, row.scenario_score, row.draft),
        )
        kept = self._gallery.setdefault(row.scenario, [])
        same = next((i for i, (_, text, _) in enumerate(kept) if text == key), None)
        if same is not None:
            if rank < kept[same][0]:
                kept[same] = entry
        elif len(kept) < self._gallery_size or rank < kept[-1][0]:
            kept.append(entry)
        else:
            return
        kept.sort(key=lambda item: item[0])
        del kept[self._gallery_size :]

    def add_improvement(self, rows: Iterable[ImprovementRow]) -> None:
        """Count first-against-best rows (grading.improvement_rows)."""
        for row in rows:
            tally = self._improvement.setdefault(row.category, _Improvement())
            tally.answers += 1
            tally.first_passed += bool(row.first_passed)
            tally.best_passed += bool(row.best_passed)
            tally.improved += bool(not row.first_passed and row.best_passed)
            tally.learners.add(row.learner)

    def drafts(self) -> pd.DataFrame:
        """One row per learner x scenario (DRAFT_COLUMNS), in the order they were graded."""
        return pd.DataFrame(
            {
                "learner": pd.Series(self._learners, dtype=object),
                "scenario": pd.Series(self._scenarios, dtype=object),
                "scenario_passed": np.frombuffer(self._passed, dtype=np.int8).astype(bool),
                "scenario_score": np.frombuffer(self._scores, dtype=np.float64).copy(),
                "origin": pd.Series(self._origins, dtype=object),
            },
            columns=list(DRAFT_COLUMNS),
        )

    def category_rates(self) -> list[float]:
        """The share of rows passing, per category in CATEGORIES order (NaN where none)."""
        return [self._rate(lambda key, c=category: key[1] == c) for category in CATEGORIES]

    def scenario_rate(self, scenario: str, category: str) -> float:
        """The share of one scenario's drafts passing one category (NaN where none)."""
        return self._rate(lambda key: key == (scenario, category))

    def _rate(self, counted: Callable[[tuple[str, str]], bool]) -> float:
        """Rows passing / rows, over the (scenario, category) pairs counted."""
        passed = total = 0
        for key, (yes, rows) in self._categories.items():
            if counted(key):
                passed, total = passed + yes, total + rows
        return passed / total if total else float("nan")

    def top_findings(self, limit: int = TOP_FINDINGS) -> list[tuple[Finding, int]]:
        """The error codes that failed the most drafts, then the most frequent warnings (which
        fail nothing): (an example finding, drafts that have it)."""
        ranked = sorted(
            self._codes.items(),
            key=lambda item: (self._examples[item[0]].severity != "error", -item[1], item[0]),
        )[:limit]
        return [(self._examples[code], count) for code, count in ranked]

    def best_rewrites(self) -> dict[str, list[GalleryDraft]]:
        """Per scenario (sorted), the best distinct passing drafts the learners wrote."""
        return {sid: [entry for *_, entry in kept] for sid, kept in sorted(self._gallery.items())}

    def improvement_summary(self) -> pd.DataFrame:
        """Per category: answers with two or more checks, first-check and best-check pass
        rates, how many failed on the first check but passed later, and learners."""
        order = [c for c in CATEGORIES if c in self._improvement]
        rows = [self._improvement[c] for c in order]
        return pd.DataFrame(
            {
                "answers": [t.answers for t in rows],
                "first": [t.first_passed / t.answers for t in rows],
                "best": [t.best_passed / t.answers for t in rows],
                "improved": [t.improved for t in rows],
                "learners": [len(t.learners) for t in rows],
            },
            index=pd.Index(order, name="category"),
        )


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
