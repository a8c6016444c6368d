"""Grading a class: every distinct draft once (in worker processes for large classes), into
rows of learner x scenario x category."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

import pandas as pd

from .. import data
from ..grader import grade
from ..grader.report import Finding
from .loading import Answer, Rejected, Submission, Target, targets
from .progress import progress_bar

PARALLEL_MIN = 300  # distinct drafts before worker processes pay for their start-up
CHUNK = 50  # drafts per task sent to a worker process

CSV_COLUMNS = (
    "learner",
    "scenario",
    "category",
    "passed",
    "score",
    "codes",
    "scenario_passed",
    "scenario_score",
    "origin",
)
FRAME_COLUMNS = (*CSV_COLUMNS, "draft", "saved_at", "findings")
BATCH = 50  # learners graded together: enough work to share out, little to hold in memory
REMEMBERED = 4_096  # gradings kept for drafts seen again (model answers, texts checked twice)


class Graded(NamedTuple):
    """The parts of a Report the class report needs (small, so it crosses processes cheaply)."""

    passed: bool
    score: float
    categories: tuple[tuple[str, bool, float, tuple[Finding, ...]], ...]


class FrameRow(NamedTuple):
    """One row of a graded class: one category of one learner's answer (FRAME_COLUMNS)."""

    learner: str
    scenario: str
    category: str
    passed: bool
    score: float
    codes: str
    scenario_passed: bool
    scenario_score: float
    origin: str
    draft: str
    saved_at: str
    findings: tuple[Finding, ...]


@dataclass
class GradedBatch:
    """What grading some learners gave: their rows, the drafts the grader failed on, and the
    first-against-best rows of their answers' histories."""

    rows: list[FrameRow] = field(default_factory=list)
    errors: list[Rejected] = field(default_factory=list)
    improvement: list[ImprovementRow] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The rows as a frame (FRAME_COLUMNS)."""
        return pd.DataFrame.from_records(self.rows, columns=list(FRAME_COLUMNS))


Task = tuple[str, str, str]  # (scenario id, draft, sender id): what one grading depends on


class DraftGrader:
    """Grades drafts for one class run: worker processes started once and kept for every
    batch, and the most recent gradings remembered so a draft seen again (a model answer
    copied, a text checked twice) is not graded again."""

    def __init__(self, workers: int | None, expected: int) -> None:
        self._count = _worker_count(workers, expected)
        self._pool: ProcessPoolExecutor | None = None
        self._recent: OrderedDict[Task, Graded | str] = OrderedDict()

    def __enter__(self) -> DraftGrader:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def grade(self, wanted: Iterable[Task]) -> dict[Task, Graded | str]:
        """The grading of each distinct task (from memory when recent)."""
        results: dict[Task, Graded | str] = {}
        new: list[Task] = []
        for task in dict.fromkeys(wanted):
            if task in self._recent:
                self._recent.move_to_end(task)
                results[task] = self._recent[task]
            else:
                new.append(task)
        for task, graded in zip(new, self._grade_new(new), strict=True):
            results[task] = self._recent[task] = graded
        while len(self._recent) > REMEMBERED:
            self._recent.popitem(last=False)
        return results

    def _grade_new(self, tasks: list[Task]) -> list[Graded | str]:
        if self._count > 1 and tasks:
            try:
                return self._grade_parallel(tasks)
            except (OSError, BrokenProcessPool):
                # Some sandboxes forbid worker processes: grade here, slower but the same result.
                self._count = 1
        return _grade_chunk(tasks)

    def _grade_parallel(self, tasks: list[Task]) -> list[Graded | str]:
        if self._pool is None:
            # Grade one draft per scenario before forking, so every worker inherits the loaded
            # data and the grader's warm caches instead of building them again.
            scenarios = data.scenarios()
            for scenario_id in sorted({task[0] for task in tasks} & set(scenarios)):
                grade_draft(scenario_id, scenarios[scenario_id].original)
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=self._count, mp_context=context)
        # Small chunks: a batch ends when its slowest chunk does, and the workers share it.
        size = max(1, min(CHUNK, len(tasks) // (4 * self._count)))
        chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
        return [graded for part in self._pool.map(_grade_chunk, chunks) for graded in part]


def grade_class(
    submissions: Iterable[Submission],
    *,
    workers: int | None = None,
    progress: bool | None = None,
    errors: list[Rejected] | None = None,
    improvement: list[ImprovementRow] | None = None,
) -> pd.DataFrame:
    """Grade every answer; one row per learner x scenario x category (see FRAME_COLUMNS).

    Scores are 0-100. `codes` lists the distinct error and warning codes, space-separated.
    Identical drafts of a scenario are graded once. A draft the grader fails on is left out and
    appended to `errors`, so one bad draft never stops the class report. When `improvement` is
    a list, the earlier checks in each answer's history are graded too and one row per learner
    x scenario x category is appended to it (see improvement_rows). Holds the whole class:
    grade_batches is the same grading a batch of learners at a time.
    """
    submissions = list(submissions)
    whole = GradedBatch()
    for batch in grade_batches(
        submissions,
        total=len(submissions),
        answers=sum(len(s.answers) for s in submissions),
        workers=workers,
        progress=progress,
        history=improvement is not None,
    ):
        whole.rows += batch.rows
        whole.errors += batch.errors
        whole.improvement += batch.improvement
    if errors is not None:
        errors.extend(whole.errors)
    if improvement is not None:
        improvement.extend(whole.improvement)
    return whole.frame()


def grade_batches(
    submissions: Iterable[Submission],
    *,
    total: int,
    answers: int,
    workers: int | None = None,
    progress: bool | None = None,
    history: bool = True,
    size: int = BATCH,
) -> Iterator[GradedBatch]:
    """Grade `size` learners at a time (of `total`, with `answers` answers in all, which
    decides whether worker processes pay); with `history`, their earlier checks too. A bar
    counts the learners on a terminal."""
    known = targets()
    learners = iter(submissions)
    with (
        DraftGrader(workers, answers) as grader,
        progress_bar(total, "grading", progress, "learner") as bar,
    ):
        while group := list(islice(learners, size)):
            yield _grade_group(group, grader, known, history)
            bar.update(len(group))


def _grade_group(
    group: list[Submission], grader: DraftGrader, known: Mapping[str, Target], history: bool
) -> GradedBatch:
    wanted = [(a.scenario_id, a.draft, a.sender_id) for s in group for a in s.answers]
    if history:
        wanted += [
            (a.scenario_id, t, a.sender_id) for s in group for a in s.answers for t in a.history
        ]
    results = grader.grade(wanted)
    batch = GradedBatch()
    for submission in group:
        for answer in submission.answers:
            graded = results[(answer.scenario_id, answer.draft, answer.sender_id)]
            if isinstance(graded, str):
                batch.errors.append(
                    Rejected(submission.source, "grader-error", graded, submission.learner_id)
                )
                continue
            origin = _origin(answer.draft, known[answer.scenario_id])
            batch.rows.extend(_rows(submission.learner_id, answer, graded, origin))
            if history:
                checks = [
                    results[(answer.scenario_id, t, answer.sender_id)] for t in answer.history
                ]
                batch.improvement.extend(
                    improvement_rows(submission.learner_id, answer.scenario_id, checks)
                )
    return batch


class ImprovementRow(NamedTuple):
    """First check against best check in one category of one learner's answer."""

    learner: str
    scenario: str
    category: str
    checks: int
    first_passed: bool
    best_passed: bool
    first_score: float
    best_score: float


def improvement_rows(
    learner_id: str, scenario_id: str, checks: Sequence[Graded | str]
) -> list[ImprovementRow]:
    """First check against best check, per graded category, for one learner's answer (oldest
    first); nothing when fewer than two checks were graded. Tuples, not dicts: a class of
    10,000 learners has 200,000 of them."""
    graded = [c for c in checks if not isinstance(c, str)]
    if len(graded) < 2:
        return []
    rows = []
    for category, *_ in graded[0].categories:  # a reply is graded on two categories only
        results = [
            (passed, score)
            for g in graded
            for name, passed, score, _ in g.categories
            if name == category
        ]
        rows.append(
            ImprovementRow(
                learner_id,
                scenario_id,
                category,
                len(graded),
                results[0][0],
                any(passed for passed, _ in results),
                results[0][1],
                max(score for _, score in results),
            )
        )
    return rows


def _rows(learner_id: str, answer: Answer, graded: Graded, origin: str) -> Iterator[FrameRow]:
    """The frame's rows of one answer (tuples: a tenth of the memory of a dict per row)."""
    for category, passed, score, findings in graded.categories:
        yield FrameRow(
            learner_id,
            answer.scenario_id,
            category,
            passed,
            score,
            sys.intern(" ".join(sorted({f.code for f in findings}))),  # a few dozen distinct
            graded.passed,
            graded.score,
            origin,
            answer.draft,
            answer.saved_at,
            findings,
        )


def normalized(text: str) -> str:
    return " ".join(text.split())


def _origin(draft: str, target: Target) -> str:
    """'model-answer' or 'original' when the draft is one of those unchanged, else 'own'."""
    text = normalized(draft)
    if target.model_answer and text == normalized(target.model_answer):
        return "model-answer"
    if target.original and text == normalized(target.original):
        return "original"
    return "own"


def grade_draft(scenario_id: str, draft: str, sender_id: str = "") -> Graded | str:
    """Grade one draft against its scenario's recipient and sender (a capstone's: the sender
    the learner chose, if known); a str says why it failed."""
    try:
        target = targets()[scenario_id]
        sender = target.sender or sender_id
        report = grade(
            draft,
            recipient=data.recipients()[target.recipient],
            sender=data.senders()[sender] if sender else None,
        )
        if target.is_reply:  # graded as the workbench grades it: mechanics and etiquette
            report = report.as_reply()
    except Exception as error:  # a grader bug on one draft must not sink the whole class
        return f"the grader failed on the {scenario_id} draft ({type(error).__name__}: {error})"
    categories = []
    for name in report.graded:
        result = report.categories[name]
        problems = tuple(f for f in result.findings if f.severity != "info")
        categories.append((name, result.passed, round(100 * result.score, 1), problems))
    return Graded(report.passed, report.score, tuple(categories))


def _grade_chunk(tasks: Sequence[Task]) -> list[Graded | str]:
    return [grade_draft(*task) for task in tasks]


def _worker_count(workers: int | None, tasks: int) -> int:
    """Worker processes to use: the caller's choice, else one per CPU for large classes."""
    if workers is not None:
        wanted = max(1, workers)
    elif tasks < PARALLEL_MIN:
        return 1
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # Only "fork" lets workers start without re-running the command; elsewhere grade in-process.
    forkable = "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
    return wanted if forkable else 1


IMPROVEMENT_COLUMNS = ImprovementRow._fields
