"""Grading a class: every distinct draft once (in worker processes for large classes), into
rows of learner x scenario x category."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

import pandas as pd
from tqdm import tqdm

from .. import data
from ..grader import grade
from ..report import Finding
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


class Graded(NamedTuple):
    """The parts of a Report the class report needs (small, so it crosses processes cheaply)."""

    passed: bool
    score: float
    categories: tuple[tuple[str, bool, float, tuple[Finding, ...]], ...]


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
    x scenario x category is appended to it (see improvement_rows).
    """
    submissions = list(submissions)
    known = targets()
    wanted = [(a.scenario_id, a.draft, a.sender_id) for s in submissions for a in s.answers]
    if improvement is not None:
        wanted += [
            (a.scenario_id, text, a.sender_id)
            for s in submissions
            for a in s.answers
            for text in a.history
        ]
    tasks = list(dict.fromkeys(wanted))
    results = dict(zip(tasks, _grade_all(tasks, workers, progress), strict=True))
    rows = []
    for submission in submissions:
        for answer in submission.answers:
            graded = results[(answer.scenario_id, answer.draft, answer.sender_id)]
            if isinstance(graded, str):
                if errors is not None:
                    errors.append(
                        Rejected(submission.source, "grader-error", graded, submission.learner_id)
                    )
                continue
            origin = _origin(answer.draft, known[answer.scenario_id])
            rows.extend(_rows(submission.learner_id, answer, graded, origin))
            if improvement is not None:
                checks = [
                    results[(answer.scenario_id, t, answer.sender_id)] for t in answer.history
                ]
                improvement.extend(
                    improvement_rows(submission.learner_id, answer.scenario_id, checks)
                )
    return pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))


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


def _rows(learner_id: str, answer: Answer, graded: Graded, origin: str) -> Iterator[tuple]:
    """The frame's rows of one answer, as tuples in FRAME_COLUMNS order (a tenth of the memory
    of a dict per row, which matters at 10,000 learners)."""
    for category, passed, score, findings in graded.categories:
        yield (
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


def _grade_chunk(tasks: Sequence[tuple[str, str, str]]) -> list[Graded | str]:
    return [grade_draft(*task) for task in tasks]


def _grade_all(
    tasks: list[tuple[str, str, str]], workers: int | None, progress: bool | None
) -> list[Graded | str]:
    chunks = [tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)]
    count = _worker_count(workers, len(tasks))
    with progress_bar(len(tasks), "grading", progress) as bar:
        if count > 1:
            try:
                return _grade_parallel(chunks, count, bar)
            except (OSError, BrokenProcessPool):
                # Some sandboxes forbid worker processes: grade here, slower but the same result.
                bar.reset()
        results: list[Graded | str] = []
        for chunk in chunks:
            results.extend(_grade_chunk(chunk))
            bar.update(len(chunk))
        return results


def _grade_parallel(chunks: list[list[tuple[str, str, str]]], count: int, bar: tqdm) -> list:
    # Grade one draft per scenario before forking, so every worker inherits the loaded data and
    # the grader's warm caches instead of building them again.
    scenarios = data.scenarios()
    for scenario_id in sorted({task[0] for chunk in chunks for task in chunk} & set(scenarios)):
        grade_draft(scenario_id, scenarios[scenario_id].original)
    results: list[Graded | str] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        for part in pool.map(_grade_chunk, chunks):
            results.extend(part)
            bar.update(len(part))
    return results


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
