"""The class report: grade every learner's exported answers and show how the class did.

The report reads data only (exported-answers files and DraftStore save files); it never runs
learner code or notebooks. The steps are pure functions so they can be tested and reused:

    accepted, rejected = load_submissions(folder)  # files -> Submission, Rejected
    frame = grade_class(accepted)  # one row per learner x scenario x category
    html = render_html(frame, rejected)  # a self-contained HTML page

`run()` ties them together for `python -m outreach_coach report`.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import os
import re
import secrets
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from html import escape
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import pandas as pd
from tqdm import tqdm

from . import data, marks
from .export import (
    CAPSTONE_PREFIX,
    MAX_BYTES,
    SCHEMA,
    SCHEMA_VERSION,
    AnswersError,
    validate_answers,
)
from .files import UnreadableFile, printable, read_json, read_regular
from .grader import grade
from .grader.report import CATEGORIES, CATEGORY_TITLES, Finding
from .grader.wordlists import derived_from_data
from .outline import course_quizzes
from .storage import (
    COURSE_FILE,
    DISPUTES_DIR,
    FORMAT,
    FORMAT_VERSION,
    HISTORY_LIMIT,
    LEARNER_FILE,
    MAX_DRAFT_CHARS,
    MAX_LEARNER_FILE_BYTES,
    QuizRecord,
    check_learner_id,
    quiz_records,
)

EXIT_OK = 0
EXIT_REJECTED = 3  # the report was written, but some files (or answers) were not graded
DEFAULT_MAX_BYTES = MAX_BYTES
SALT_ENV = "OUTREACH_COACH_REPORT_SALT"
# The class's own pseudonym key, made on the first --anonymize run beside the report's files.
SECRET_FILE = "outreach-coach-report.secret"
PSEUDONYM_LENGTH = 8  # hex digits: collisions stay unlikely (~1e-4) even for 1,000 learners
PROGRESS_MIN = 100  # items before a progress bar is worth showing
PARALLEL_MIN = 300  # distinct drafts before worker processes pay for their start-up
CHUNK = 50  # drafts per task sent to a worker process
GALLERY_SIZE = 3
TOP_FINDINGS = 10

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

REJECT_KINDS = {
    "too-large": "File too large",
    "not-a-file": "Not a regular file",
    "unreadable": "Cannot be read",
    "invalid-json": "Not valid JSON",
    "not-answers": "Not an answers file",
    "schema-version": "Unsupported schema version",
    "invalid-fields": "Missing or malformed fields",
    "no-answers": "No answers in the file",
    "unknown-scenario": "Unknown scenario",
    "draft-version": "Unsupported save-file version",
    "draft-fields": "Save file with missing or malformed fields",
    "draft-scenario": "Save file of an unknown scenario",
    "duplicate": "Duplicate learner",
    "draft-cut": "Draft cut to what the grader reads",
    "grader-error": "Grader error",
    "dispute": "Dispute file not read",
}


class ReportInputError(Exception):
    """The submissions folder cannot be used at all: the message says what to do."""


@dataclass(frozen=True)
class Answer:
    """One learner's rewrite of one scenario (or of the capstone, to one recipient)."""

    scenario_id: str
    draft: str
    saved_at: str = ""
    sender_id: str = ""  # the capstone's chosen sender; exercises name theirs
    history: tuple[str, ...] = ()  # the texts of earlier checks, oldest first


@dataclass(frozen=True)
class Target:
    """Whom a gradable id's drafts are written to and as, and what the learner started from."""

    recipient: str
    sender: str | None  # None: the capstone, whose sender the learner picked
    title: str
    model_answer: str = ""
    original: str = ""
    is_reply: bool = False  # graded on mechanics and etiquette only, as the workbench does


@derived_from_data
@cache
def targets() -> dict[str, Target]:
    """Every id the report grades: the scenarios, and capstone-<recipient id> per recipient."""
    found = {
        sid: Target(s.recipient, s.sender, s.title, s.model_answer, s.original, s.is_reply)
        for sid, s in data.scenarios().items()
    }
    for rid, recipient in data.recipients().items():
        found.setdefault(
            CAPSTONE_PREFIX + rid,
            Target(rid, None, f"Capstone: your own prospect, to {recipient.name}"),
        )
    return found


class QuizAnswer(NamedTuple):
    """One quiz as a learner's record has it: right at least once, and after how many tries."""

    quiz: str
    correct: bool
    tries: int


@dataclass(frozen=True)
class Submission:
    """Everything one learner handed in, from one answers file or one progress folder."""

    learner_id: str
    source: str  # path relative to the submissions folder, for messages
    exported_at: datetime | None
    answers: tuple[Answer, ...]
    quizzes: tuple[QuizAnswer, ...] = ()  # the course's quizzes this learner answered


@dataclass(frozen=True)
class Rejected:
    """A file (or some answers in it) that was not graded, and why."""

    source: str
    kind: str  # a key of REJECT_KINDS
    reason: str
    learner_id: str | None = None
    other: str | None = None  # the file that was graded instead (duplicates)


@dataclass(frozen=True)
class _DraftFile:
    """One DraftStore save file (<scenario_id>.json) found in a progress folder."""

    folder: Path
    answer: Answer


class Graded(NamedTuple):
    """The parts of a Report the class report needs (small, so it crosses processes cheaply)."""

    passed: bool
    score: float
    categories: tuple[tuple[str, bool, float, tuple[Finding, ...]], ...]


# --- loading ---------------------------------------------------------------------------------


def load_submissions(
    folder: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    progress: bool | None = None,
) -> tuple[list[Submission], list[Rejected]]:
    """Read every answers file (and learner progress folder) in folder; bad ones are rejected."""
    root = Path(folder)
    files = candidate_files(root)
    base = root if root.is_dir() else root.parent
    known = targets()
    exports: list[Submission] = []
    drafts: list[_DraftFile] = []
    rejected: list[Rejected] = []
    learners: dict[Path, str] = {}
    for path in _bar(files, "reading", progress):
        outcome = _read_file(path, _relative(path, base), max_bytes, known)
        if isinstance(outcome, Rejected) and outcome.kind in DRAFT_FILE_KINDS:
            # Whose save file it is lets --anonymize hide the folder name too.
            if path.parent not in learners:
                learners[path.parent] = _folder_learner(path.parent)
            outcome = replace(outcome, learner_id=learners[path.parent])
        if isinstance(outcome, Submission):
            exports.append(outcome)
        elif isinstance(outcome, _DraftFile):
            drafts.append(outcome)
        else:
            rejected.append(outcome)
    folders = _progress_folders(drafts, exports, base, learners)
    kept, duplicates = _drop_duplicates([*exports, *folders])
    accepted: list[Submission] = []
    for submission in kept:
        usable, problem = _known_answers(submission, known)
        if problem is not None:
            rejected.append(problem)
        if usable is not None:
            usable, cut = _cut_long_drafts(usable)
            accepted.append(usable)
            rejected.extend(cut)
    rejected.extend(duplicates)
    return accepted, sorted(rejected, key=lambda r: (r.source, r.kind))


def candidate_files(root: Path) -> list[Path]:
    """The .json files the report reads: in root and in each folder directly inside it."""
    if not root.exists():
        raise ReportInputError(f"{root} does not exist: pass the folder that holds the answers")
    if root.is_file():
        return [root]
    inside = sorted(p for p in root.iterdir() if _visible(p))
    # A progress folder's disputes/ holds verdicts a learner questioned, not answers to grade.
    folders = [
        root,
        *(p for p in inside if p.is_dir() and not p.is_symlink() and p.name != DISPUTES_DIR),
    ]
    # Anything that is not a regular file (a FIFO, a device, a symbolic link, a linked folder)
    # is listed, not read: _read_file rejects it with a reason.
    linked = [p for p in inside if p.is_symlink() and p.is_dir()]
    files = [
        path
        for folder in folders
        for path in sorted(folder.glob("*.json"))
        # The learner's id and the course record (quizzes, lessons read): not answers to grade.
        if _visible(path) and path.name not in (LEARNER_FILE, COURSE_FILE)
    ]
    files = sorted([*files, *linked])
    if not files:
        raise ReportInputError(
            f"nothing to read in {root}: expected answers-<learner>.json files "
            "(or a learner's progress folder with <scenario>.json files)"
        )
    return files


def _visible(path: Path) -> bool:
    # DraftStore writes through hidden temporary files (.name.xyz.tmp); never read those.
    return not path.name.startswith(".")


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def _read_file(
    path: Path, name: str, max_bytes: int, known: Mapping[str, Any]
) -> Submission | _DraftFile | Rejected:
    """Read one .json file as exported answers or as a DraftStore save file."""
    try:
        document = read_json(path, max_bytes, follow_symlinks=False)
    except FileNotFoundError:
        return Rejected(name, "unreadable", "disappeared while the report was reading it")
    except UnreadableFile as error:
        return _unreadable(name, error)
    if not path.name.startswith("answers-") and _looks_like_draft(document):
        return _read_draft_file(document, path, name, known)
    return _read_export(document, path.name, name)


def _unreadable(name: str, error: UnreadableFile) -> Rejected:
    if error.kind == "too-large":
        reason = (
            f"{error.reason} (--max-bytes); an answers file is much smaller, "
            "so this is probably not one"
        )
        return Rejected(name, "too-large", reason)
    if error.kind == "not-regular":
        return Rejected(name, "not-a-file", error.reason)
    return Rejected(name, error.kind, error.reason)


def _looks_like_draft(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "answers" not in document
        and (document.get("format") == FORMAT or "text" in document)
    )


def _read_export(document: Any, file_name: str, name: str) -> Submission | Rejected:
    """Validate exported answers with the course's own checks (export.validate_answers)."""
    try:
        validate_answers(document, file_name)
    except AnswersError as error:
        kind, learner_id = _classify(document)
        return Rejected(name, kind, _without_name(error.reason, file_name), learner_id)
    answers = tuple(
        Answer(
            a["scenario_id"],
            a["draft"],
            a.get("saved_at") or "",
            _sender_of(a.get("sender_id"), a.get("report")),
            _history_texts(a.get("history")),
        )
        for a in document["answers"]
    )
    if not answers:
        return Rejected(
            name,
            "no-answers",
            "has no answers: the learner exported before saving any rewrite",
            document["learner_id"],
        )
    return Submission(
        document["learner_id"],
        name,
        _parse_time(document.get("exported_at")),
        answers,
        quiz_answers(quiz_records(document.get("quizzes"))),
    )


def quiz_answers(records: Mapping[str, QuizRecord]) -> tuple[QuizAnswer, ...]:
    """The course's quizzes among a learner's quiz answers, in course order (answers to ids
    the course does not have are left out)."""
    return tuple(
        QuizAnswer(quiz, record.correct, record.tries)
        for quiz in course_quizzes()
        if (record := records.get(quiz)) is not None
    )


def _classify(document: Any) -> tuple[str, str | None]:
    """Which kind of problem validate_answers found (its reason is text), and the learner."""
    if not isinstance(document, dict):
        return "not-answers", None
    learner_id = document.get("learner_id")
    learner_id = learner_id if isinstance(learner_id, str) else None
    if "schema" in document and document["schema"] != SCHEMA:
        return "not-answers", learner_id
    if "schema" not in document and "answers" not in document:
        return "not-answers", learner_id
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        return "schema-version", learner_id
    return "invalid-fields", learner_id


def _cut_long_drafts(submission: Submission) -> tuple[Submission, list[Rejected]]:
    """Drafts cut to what the grader reads (one huge paste must not sink the other answers)."""
    notes, answers = [], []
    for answer in submission.answers:
        if len(answer.draft) > MAX_DRAFT_CHARS:
            reason = (
                f"the {answer.scenario_id} draft is {len(answer.draft):,} characters; its first "
                f"{MAX_DRAFT_CHARS:,} (all the grader reads) were graded"
            )
            notes.append(Rejected(submission.source, "draft-cut", reason, submission.learner_id))
            answer = replace(answer, draft=answer.draft[:MAX_DRAFT_CHARS])
        answers.append(answer)
    return (replace(submission, answers=tuple(answers)) if notes else submission), notes


def _without_name(reason: str, name: str) -> str:
    # read_answers starts its reasons with the file name; the report shows the name beside them.
    for prefix in (f"{name}: ", f"{name} "):
        if reason.startswith(prefix):
            return reason[len(prefix) :]
    return reason


# Kinds _read_draft_file gives (learner_id filled in afterwards from the folder).
DRAFT_FILE_KINDS = ("draft-version", "draft-fields", "draft-scenario")


def _read_draft_file(
    document: dict[str, Any], path: Path, name: str, known: Mapping[str, Any]
) -> _DraftFile | Rejected:
    """One DraftStore save file: {"scenario_id", "text", "saved_at", ...}."""
    version = document.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        return Rejected(
            name,
            "draft-version",
            f"is a save file of format version {version!r}; this course reads {FORMAT_VERSION}",
        )
    for key in ("scenario_id", "text", "saved_at"):
        if not isinstance(document.get(key), str):
            return Rejected(name, "draft-fields", f"field {key!r} is missing or is not text")
    scenario_id = document["scenario_id"]
    if scenario_id != path.stem:
        return Rejected(
            name,
            "draft-fields",
            f"holds scenario {scenario_id!r} but its name says {path.stem!r}",
        )
    if scenario_id not in known:
        return Rejected(name, "draft-scenario", _unknown_reason([scenario_id], known))
    answer = Answer(
        scenario_id,
        document["text"],
        document["saved_at"],
        _sender_of(None, document.get("report")),
        _history_texts(document.get("history")),
    )
    return _DraftFile(path.parent, answer)


def _sender_of(sender_id: Any, report: Any) -> str:
    """A capstone draft's sender: the exported id, else the one its saved report names."""
    senders = data.senders()
    if isinstance(sender_id, str) and sender_id in senders:
        return sender_id
    name = report.get("sender") if isinstance(report, dict) else None
    return next((s.id for s in senders.values() if name and s.name == name), "")


def _history_texts(history: Any) -> tuple[str, ...]:
    """The texts of the checked versions in an exported or saved history (others ignored:
    history is optional, and a malformed one must not cost the learner their grade)."""
    if not isinstance(history, list):
        return ()
    return tuple(
        item["text"][:MAX_DRAFT_CHARS]
        for item in history[:HISTORY_LIMIT]
        if isinstance(item, dict)
        and isinstance(item.get("text"), str)
        and isinstance(item.get("score"), (int, float))
        and not isinstance(item.get("score"), bool)
    )


def _progress_folders(
    drafts: list[_DraftFile], exports: list[Submission], base: Path, learners: dict[Path, str]
) -> list[Submission]:
    """One submission per progress folder, unless an export from that folder is as new."""
    by_folder: dict[Path, list[Answer]] = {}
    for item in drafts:
        by_folder.setdefault(item.folder, []).append(item.answer)
    result = []
    for folder, answers in by_folder.items():
        if folder not in learners:
            learners[folder] = _folder_learner(folder)
        learner_id = learners[folder]
        latest = max((_parse_time(a.saved_at) for a in answers), key=_time_key)
        source = _relative(folder, base) if folder != base else "."
        source = "./" if source == "." else source + "/"
        # The learner's own export next to their drafts is the same work, not a second copy.
        if any(
            s.learner_id == learner_id
            and _parent(s.source) == source
            and _time_key(s.exported_at) >= _time_key(latest)
            for s in exports
        ):
            continue
        ordered = tuple(sorted(answers, key=lambda a: a.scenario_id))
        quizzes = quiz_answers(quiz_records(_course_quizzes(folder)))
        result.append(Submission(learner_id, source, latest, ordered, quizzes))
    return result


def _course_quizzes(folder: Path) -> Any:
    """The "quizzes" object of a progress folder's course.json (never through a symlink: it
    could point into another learner's folder); None if missing or unusable."""
    try:
        document = read_json(folder / COURSE_FILE, MAX_LEARNER_FILE_BYTES, follow_symlinks=False)
    except (OSError, UnreadableFile):
        return None
    return document.get("quizzes") if isinstance(document, dict) else None


def _parent(source: str) -> str:
    head = source.rpartition("/")[0]
    return head + "/" if head else "./"


def _folder_learner(folder: Path) -> str:
    """The learner id from learner.json, or else the folder's name made into a valid id."""
    try:
        document = read_json(folder / LEARNER_FILE, MAX_LEARNER_FILE_BYTES, follow_symlinks=False)
        return check_learner_id(document["learner_id"])
    except (OSError, UnreadableFile, ValueError, KeyError, TypeError):
        pass
    name = folder.resolve().name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:64] or "learner"


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _time_key(moment: datetime | None) -> datetime:
    return moment or datetime.min.replace(tzinfo=UTC)


def _drop_duplicates(
    submissions: list[Submission],
) -> tuple[list[Submission], list[Rejected]]:
    """Keep each learner's newest submission (by exported_at, then file name); list the rest."""
    groups: dict[str, list[Submission]] = {}
    for submission in submissions:
        groups.setdefault(submission.learner_id, []).append(submission)
    kept, dropped = [], []
    for learner_id, group in groups.items():
        group.sort(key=lambda s: (_time_key(s.exported_at), s.source))
        newest = group[-1]
        kept.append(newest)
        for older in group[:-1]:
            if older.exported_at is not None and older.exported_at == newest.exported_at:
                why = "was exported at the same time"
            else:
                when = newest.exported_at.isoformat() if newest.exported_at else "unknown time"
                why = f"is newer (exported {when})"
            # No learner id in the text: --anonymize rewrites file names, not free text.
            reason = f"same learner as {newest.source}, which {why}; only that one was graded"
            dropped.append(Rejected(older.source, "duplicate", reason, learner_id, newest.source))
    kept.sort(key=lambda s: s.learner_id)
    return kept, dropped


def _known_answers(
    submission: Submission, known: Mapping[str, Any]
) -> tuple[Submission | None, Rejected | None]:
    """Drop answers to scenarios the course does not have; say which."""
    unknown = [a.scenario_id for a in submission.answers if a.scenario_id not in known]
    if not unknown:
        return submission, None
    usable = tuple(a for a in submission.answers if a.scenario_id in known)
    reason = _unknown_reason(unknown, known)
    if usable:
        reason += f"; its other {len(usable)} answer(s) were graded"
    problem = Rejected(submission.source, "unknown-scenario", reason, submission.learner_id)
    return (replace(submission, answers=usable) if usable else None), problem


def _unknown_reason(unknown: Sequence[str], known: Mapping[str, Any]) -> str:
    listed = ", ".join(repr(s) for s in unknown)
    ids = sorted(k for k in known if not k.startswith(CAPSTONE_PREFIX))
    return (
        f"unknown scenario id {listed} (not in data/scenarios.toml; "
        f"known: {', '.join(ids)}, and {CAPSTONE_PREFIX}<recipient id>)"
    )


def id_mismatches(submissions: Iterable[Submission]) -> list[str]:
    """Warnings for exports whose learner id is not the one their folder's name says (a learner
    who typed the example id, or someone else's): graded, but worth a look."""
    from .collect import id_matches_folder

    warnings = []
    for submission in submissions:
        folder, _, name = submission.source.rpartition("/")
        if folder and name and not id_matches_folder(submission.learner_id, folder.split("/")[-1]):
            warnings.append(
                f"{submission.source}: learner id {submission.learner_id!r} does not match its "
                f"folder {folder!r}"
            )
    return warnings


# --- grading ---------------------------------------------------------------------------------


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


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _origin(draft: str, target: Target) -> str:
    """'model-answer' or 'original' when the draft is one of those unchanged, else 'own'."""
    text = _normalized(draft)
    if target.model_answer and text == _normalized(target.model_answer):
        return "model-answer"
    if target.original and text == _normalized(target.original):
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
    with _progress_bar(len(tasks), "grading", progress) as bar:
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


def _show_progress(progress: bool | None, total: int) -> bool:
    if progress is not None:
        return progress
    quiet = "PYTEST_CURRENT_TEST" in os.environ or not sys.stderr.isatty()
    return not quiet and total >= PROGRESS_MIN


def _secret_folder(*outputs: str | os.PathLike[str] | None) -> Path:
    """Where the pseudonym key lives: beside the HTML, CSV or feedback folder (never inside a
    report, nor among the feedback files that go to learners), else here."""
    for output in outputs:
        if output is not None:
            return Path(output).parent
    return Path()


def _progress_bar(total: int, label: str, progress: bool | None) -> tqdm:
    return tqdm(
        total=total,
        desc=label,
        unit="draft",
        file=sys.stderr,
        disable=not _show_progress(progress, total),
        leave=False,
    )


def _bar(items: Sequence[Path], label: str, progress: bool | None) -> Iterable[Path]:
    show = _show_progress(progress, len(items))
    return tqdm(items, desc=label, unit="file", file=sys.stderr, disable=not show, leave=False)


# --- anonymizing -----------------------------------------------------------------------------


def class_secret(folder: str | os.PathLike[str]) -> bytes:
    """The key of this class's pseudonyms: $OUTREACH_COACH_REPORT_SALT if set, else the secret
    in folder/outreach-coach-report.secret, made (readable by its owner only) on first use.

    A key in the public source would let anyone with a roster recompute every pseudonym; this
    one stays with the instructor, so the same class gets the same pseudonyms run after run.
    """
    override = os.environ.get(SALT_ENV, "")
    if override:
        return override.encode("utf-8")
    path = Path(folder) / SECRET_FILE
    try:
        secret = read_regular(path, 1000).strip()
    except FileNotFoundError:
        return _new_secret(path)
    except UnreadableFile as error:
        raise ReportInputError(f"cannot use the pseudonym key {path}: it {error.reason}") from None
    if len(secret) < 32:
        raise ReportInputError(
            f"the pseudonym key {path} is damaged (too short): restore it from a backup, or "
            "delete it to start new pseudonyms (every learner's pseudonym will change)"
        )
    return secret


def _new_secret(path: Path) -> bytes:
    secret = secrets.token_hex(32).encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return class_secret(path.parent)  # another run made it a moment ago
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret + b"\n")
    return secret


def pseudonym(learner_id: str, key: bytes, length: int = PSEUDONYM_LENGTH) -> str:
    """A stable stand-in for a learner id: one id and key always give one 'learner-xxxxxxxx'."""
    return f"learner-{_digest(learner_id, key, length)}"


def pseudonyms(learner_ids: Iterable[str], key: bytes) -> dict[str, str]:
    """Pseudonyms for a class; ids whose short pseudonyms collide get longer ones."""
    ids = sorted(set(learner_ids))
    short = {learner_id: pseudonym(learner_id, key) for learner_id in ids}
    taken = Counter(short.values())
    return {
        learner_id: name if taken[name] == 1 else pseudonym(learner_id, key, 16)
        for learner_id, name in short.items()
    }


def anonymize(
    frame: pd.DataFrame, rejected: Sequence[Rejected], key: bytes
) -> tuple[pd.DataFrame, list[Rejected]]:
    """Replace learner ids (and file names that reveal them) with stable pseudonyms."""
    ids = [*frame["learner"], *(r.learner_id for r in rejected if r.learner_id)]
    names = pseudonyms(ids, key)
    hidden = frame.assign(learner=frame["learner"].map(names))
    known = set(targets())
    return hidden, [_anonymized(item, names, known, key) for item in rejected]


def _anonymized(item: Rejected, names: Mapping[str, str], known: set[str], key: bytes) -> Rejected:
    learner_id = item.learner_id
    match = re.match(r"(?:.*/)?answers-([A-Za-z0-9._-]+?)(?:\.json$|[ (])", item.source)
    if learner_id is None and match:
        learner_id = match.group(1)  # an unreadable file: its name is the only clue to whose
    alias = (names.get(learner_id) or pseudonym(learner_id, key)) if learner_id else None
    table = {item.source: _anonymous_source(item.source, learner_id, alias, known, key)}
    if item.other:
        table[item.other] = _anonymous_source(item.other, learner_id, alias, known, key)
    reason = item.reason
    for original in sorted(table, key=len, reverse=True):
        reason = reason.replace(original, table[original])
    if learner_id and alias:
        # read_answers quotes a malformed learner id in its reason.
        reason = reason.replace(repr(learner_id), repr(alias))
    return Rejected(table[item.source], item.kind, reason, None, table.get(item.other or ""))


def _anonymous_source(
    source: str, learner_id: str | None, alias: str | None, known: set[str], key: bytes
) -> str:
    """A file name that says whose file it is by pseudonym only."""
    if learner_id is None or alias is None:
        return f"file-{_digest(source, key)}.json"
    if source.endswith("/"):
        return f"{alias}/"
    folder, _, filename = source.rpartition("/")
    prefix = f"answers-{learner_id}"
    rest = filename[len(prefix) :]
    if filename.removesuffix(".json") in known:
        name = filename  # a progress folder's <scenario_id>.json says nothing about the learner
    elif filename.startswith(prefix) and re.match(r"[ (.]", rest):
        name = f"answers-{alias}{rest}"  # keeps " (1)", so two files of one learner differ
    else:
        name = f"file-{_digest(filename, key)}.json"  # the name may hold someone else's id
    return f"{alias}/{name}" if folder else name


def _digest(text: str, key: bytes, length: int = PSEUDONYM_LENGTH) -> str:
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:length]


# --- roster, disputes, improvement ----------------------------------------------------------

IMPROVEMENT_COLUMNS = ImprovementRow._fields
MAX_DISPUTE_BYTES = 200_000
MAX_DISPUTES = 1_000
DISPUTE_TEXT = 2_000  # characters of a comment or draft shown in the report


@dataclass(frozen=True)
class Dispute:
    """A learner's "this verdict looks wrong": what they wrote, the verdict, their comment."""

    learner: str
    source: str
    scenario: str
    comment: str
    draft: str
    codes: tuple[str, ...]  # the error codes of the verdict disputed


@dataclass
class Extras:
    """What the report shows beside the grades (all optional)."""

    warnings: Sequence[str] = ()
    missing: Sequence[str] = ()  # roster names with nothing handed in
    disputes: Sequence[Dispute] = ()
    improvement: pd.DataFrame | None = None  # IMPROVEMENT_COLUMNS
    quizzes: pd.DataFrame | None = None  # quiz_table
    refresh: int | None = None  # seconds: the page reloads itself (--watch)


def nothing_handed_in(
    roster: Sequence[str], accepted: Sequence[Submission], rejected: Sequence[Rejected]
) -> list[str]:
    """Roster names matching no graded learner, no listed file's learner and no folder."""
    from .collect import roster_missing

    present = [s.learner_id for s in accepted]
    present += [r.learner_id for r in rejected if r.learner_id]
    present += [s.source.split("/", 1)[0] for s in [*accepted, *rejected] if "/" in s.source]
    return roster_missing(roster, present)


def dispute_files(root: Path) -> list[Path]:
    """*.json in root/disputes and in <folder>/disputes for each folder in root (no links)."""
    if not root.is_dir():
        return []
    folders = [root, *(p for p in sorted(root.iterdir()) if p.is_dir() and not p.is_symlink())]
    found = []
    for folder in folders:
        box = folder / "disputes"
        if box.is_dir() and not box.is_symlink():
            found += sorted(p for p in box.glob("*.json") if _visible(p))
    return found[:MAX_DISPUTES]


def load_disputes(folder: str | os.PathLike[str]) -> tuple[list[Dispute], list[Rejected]]:
    """Every dispute file in the submissions folder; unreadable ones are listed, not fatal."""
    root = Path(folder)
    disputes, rejected = [], []
    for path in dispute_files(root):
        name = _relative(path, root)
        owner = path.parent.parent
        learner = _folder_learner(owner) if owner != root else _folder_learner(root)
        try:
            document = read_json(path, MAX_DISPUTE_BYTES, follow_symlinks=False)
        except (UnreadableFile, OSError) as error:
            reason = error.reason if isinstance(error, UnreadableFile) else str(error)
            rejected.append(Rejected(name, "dispute", reason, learner))
            continue
        if not isinstance(document, dict) or not isinstance(document.get("comment"), str):
            reason = "is not a dispute (expected an object with a 'comment' text)"
            rejected.append(Rejected(name, "dispute", reason, learner))
            continue
        disputes.append(
            Dispute(
                learner=learner,
                source=name,
                scenario=_text(document.get("scenario_id")),
                comment=_text(document.get("comment")),
                draft=_text(document.get("draft")),
                codes=_error_codes(document.get("report")),
            )
        )
    return disputes, rejected


def _text(value: Any) -> str:
    return value[:DISPUTE_TEXT] if isinstance(value, str) else ""


def _error_codes(report: Any) -> tuple[str, ...]:
    """The error codes in a saved Report.to_dict(), read without trusting its shape."""
    categories = report.get("categories") if isinstance(report, dict) else None
    if not isinstance(categories, dict):
        return ()
    codes = []
    for result in list(categories.values())[: len(CATEGORIES)]:
        findings = result.get("findings") if isinstance(result, dict) else None
        for finding in findings[:50] if isinstance(findings, list) else []:
            if isinstance(finding, dict) and finding.get("severity") == "error":
                code = finding.get("code")
                if isinstance(code, str):
                    codes.append(code[:40])
    return tuple(dict.fromkeys(codes))


# --- HTML report -----------------------------------------------------------------------------

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
    frame: pd.DataFrame,
    rejected: Sequence[Rejected] = (),
    *,
    titles: Mapping[str, str] | None = None,
    generated_at: datetime | None = None,
    heading: str = "Class report: Not the Place for Spam",
    extras: Extras | None = None,
) -> str:
    """The whole report as one self-contained HTML page (inline CSS and SVG, no scripts)."""
    titles = titles or {}
    extras = extras or Extras()
    moment = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    drafts = _drafts(frame)
    sections = [
        _summary_section(frame, drafts, rejected, extras.missing),
        _missing_section(extras.missing),
        _category_section(frame),
        _scenario_section(frame, drafts, titles),
        _findings_section(frame, len(drafts)),
        _improvement_section(extras.improvement),
        _quiz_section(extras.quizzes),
        _scores_section(drafts),
        _gallery_section(drafts, titles),
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


def _drafts(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per learner x scenario (the category rows collapsed)."""
    columns = ["learner", "scenario", "scenario_passed", "scenario_score", "origin", "draft"]
    return frame.drop_duplicates(["learner", "scenario"])[columns].reset_index(drop=True)


def _percent(value: float) -> str:
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
    frame: pd.DataFrame,
    drafts: pd.DataFrame,
    rejected: Sequence[Rejected],
    missing: Sequence[str] = (),
) -> str:
    all_passed = drafts["scenario_passed"].mean() if len(drafts) else float("nan")
    # No mean-score card: warnings lower a score without failing the draft, so a mean of 90
    # can sit beside a pass rate of 60% and read as better than the class did.
    cards = [
        ("Learners graded", f"{frame['learner'].nunique():,}"),
        ("Drafts graded", f"{len(drafts):,}"),
        ("Drafts passing all four", _percent(all_passed)),
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


def _category_section(frame: pd.DataFrame) -> str:
    rates = frame.groupby("category")["passed"].mean().reindex(list(CATEGORIES))
    labels = [CATEGORY_TITLES[c] for c in CATEGORIES]
    chart = _bar_chart(
        labels, [0 if pd.isna(r) else 100 * r for r in rates], "Drafts passing (%)", "category"
    )
    rows = [(escape(label), _percent(rate)) for label, rate in zip(labels, rates, strict=True)]
    return (
        "<section id='categories'><h2>Pass rate per category</h2>"
        + _figure(chart, "Share of drafts that pass each of the grader's four categories.")
        + _table(["Category", "Drafts passing"], rows, {1})
        + "</section>"
    )


def _scenario_section(frame: pd.DataFrame, drafts: pd.DataFrame, titles: Mapping[str, str]) -> str:
    if drafts.empty:
        return "<section id='scenarios'><h2>Pass rate per scenario</h2><p>No drafts.</p></section>"
    overall = drafts.groupby("scenario").agg(
        drafts=("learner", "size"),
        passed=("scenario_passed", "mean"),
        score=("scenario_score", "mean"),
    )
    by_category = frame.pivot_table(
        index="scenario", columns="category", values="passed", aggfunc="mean"
    ).reindex(columns=list(CATEGORIES))
    chart = _bar_chart(
        list(overall.index),
        list(100 * overall["passed"]),
        "Drafts passing all four categories (%)",
        "scenario",
    )
    rows = [
        (
            f"<code>{escape(sid)}</code><br>{escape(titles.get(sid, ''))}",
            f"{int(row.drafts):,}",
            _percent(row.passed),
            f"{row.score:.0f}",
            *(_percent(by_category.loc[sid, c]) for c in CATEGORIES),
        )
        for sid, row in overall.iterrows()
    ]
    headers = ["Scenario", "Drafts", "All four pass", "Mean score"]
    headers += [CATEGORY_TITLES[c] for c in CATEGORIES]
    return (
        "<section id='scenarios'><h2>Pass rate per scenario</h2>"
        + _figure(chart, "Share of drafts per scenario that pass all four categories.")
        + "<p>A draft passes when it has no error; warnings only lower its score, so the mean "
        "score can be high while the pass rate is low. Read the pass rate first.</p>"
        + _table(headers, rows, set(range(1, len(headers))))
        + "</section>"
    )


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


def _lesson_label(lesson: str) -> str:
    if not lesson:
        return "–"
    name = lesson.rsplit("/", 1)[-1].removesuffix(".ipynb")
    number, _, words = name.partition("_")
    label = f"Lesson {number}: {words.replace('_', ' ')}" if words else name
    return f"{escape(label)}<br><code>{escape(lesson)}</code>"


def _findings_section(frame: pd.DataFrame, total: int) -> str:
    ranked = top_findings(frame)
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
            _percent(count / total if total else float("nan")),
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
    chart = _histogram(list(scores))
    quartiles = scores.quantile([0.25, 0.5, 0.75])
    caption = (
        f"Scores of all {len(scores):,} drafts (0-100): lower quartile {quartiles[0.25]:.0f}, "
        f"median {quartiles[0.5]:.0f}, upper quartile {quartiles[0.75]:.0f}."
    )
    return (
        "<section id='scores'><h2>Score distribution</h2>" + _figure(chart, caption) + "</section>"
    )


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
    own = own.assign(key=[_normalized(text) for text in own["draft"]])
    own = own.drop_duplicates(["scenario", "key"])
    return {sid: group.head(size) for sid, group in own.groupby("scenario", sort=True)}


def _gallery_section(drafts: pd.DataFrame, titles: Mapping[str, str]) -> str:
    parts = [
        "<section id='gallery'><h2>Best rewrites, for class discussion</h2>"
        "<p>The highest-scoring drafts per scenario among those that pass all four categories "
        "(copies of the model answer left out; failing drafts never appear here). Ask the "
        "class what makes each one work, and what the grader cannot see.</p>"
    ]
    best = best_rewrites(drafts)
    if not best:
        parts.append("<p>No learner-written draft passes all four categories yet.</p>")
    for sid, group in best.items():
        parts.append(f"<h3><code>{escape(sid)}</code> {escape(titles.get(sid, ''))}</h3>")
        parts.append("<div class='gallery'>")
        for row in group.itertuples():
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
            f"{int(row.right):,} ({_percent(row.right / row.learners)})",
            f"{row.tries:.1f}",
        )
        for quiz, row in quizzes.iterrows()
    ]
    headers = ["Quiz", "Learners who answered", "Answered right", "Mean tries"]
    return (
        heading + "<p>From the quiz answers in each learner's record: right at least once, and "
        "how many tries it took.</p>" + _table(headers, rows, {1, 2, 3}) + "</section>"
    )


def _improvement_section(improvement: pd.DataFrame | None) -> str:
    if improvement is None or improvement.empty:
        return (
            "<section id='improvement'><h2>Improvement: first check against best check</h2>"
            "<p>No draft history yet: answers checked twice or more, exported by this course "
            "version, show here how learners improved between their first and best check.</p>"
            "</section>"
        )
    table = improvement_summary(improvement)
    rows = [
        (
            escape(CATEGORY_TITLES[c]),
            f"{int(row.learners):,}",
            f"{int(row.answers):,}",
            _percent(row.first),
            _percent(row.best),
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


# --- charts (matplotlib, rendered to inline SVG without touching pyplot or the backend) --------


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _new_figure(height: float) -> Any:
    from matplotlib.figure import Figure  # imported late: `check` never needs matplotlib

    return Figure(figsize=(7.5, height), layout="constrained")


def _bar_chart(labels: Sequence[str], values: Sequence[float], xlabel: str, name: str) -> str:
    figure = _new_figure(0.45 * len(labels) + 1.0)
    axes = figure.add_subplot()
    positions = range(len(labels))
    bars = axes.barh(positions, values, color="#3f6fb5")
    axes.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3)
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, 110)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    summary = ", ".join(
        f"{label} {value:.0f}%" for label, value in zip(labels, values, strict=True)
    )
    return _svg(figure, name, f"{xlabel}: {summary}")


def _histogram(scores: Sequence[float]) -> str:
    figure = _new_figure(2.8)
    axes = figure.add_subplot()
    axes.hist(scores, bins=list(range(0, 101, 10)), color="#3f6fb5", edgecolor="white")
    axes.set_xlabel("Score (0-100)")
    axes.set_ylabel("Drafts")
    axes.set_xticks(list(range(0, 101, 10)))
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, "scores", "Histogram of draft scores in steps of 10")


def _svg(figure: Any, name: str, label: str) -> str:
    """The figure as an inline <svg> element with ids made unique to this chart."""
    from matplotlib import rc_context

    buffer = StringIO()
    # Text stays text (smaller, selectable); a fixed salt makes the output reproducible.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "outreach-coach"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # Several charts share one page, so their internal ids must not collide.
    svg = re.sub(r'id="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{name}-\1"', svg)
    return svg.replace("<svg ", f"<svg role='img' aria-label='{escape(label)}' ", 1)


# --- CSV and feedback ------------------------------------------------------------------------


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


# --- the command -----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run of the report produced (for the command's summary and for tests)."""

    frame: pd.DataFrame
    rejected: list[Rejected]
    written: list[Path] = field(default_factory=list)  # the HTML and CSV files
    feedback: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # roster names with nothing handed in

    @property
    def exit_code(self) -> int:
        """0 when every file was graded, EXIT_REJECTED (3) when some were not."""
        return EXIT_REJECTED if self.rejected else EXIT_OK


def run(
    submissions: str | os.PathLike[str],
    *,
    html: str | os.PathLike[str] | None = None,
    csv: str | os.PathLike[str] | None = None,
    anonymize_ids: bool = False,
    feedback_dir: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    progress: bool | None = None,
    roster: Sequence[str] = (),
    refresh: int | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> Outcome:
    """Load, grade and write the report files; problems with single files go to `err`.

    `roster` names the class: those with nothing handed in are listed. `refresh` (seconds)
    makes the HTML page reload itself, for --watch.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    accepted, rejected = load_submissions(submissions, max_bytes, progress=progress)
    errors: list[Rejected] = []
    history: list[ImprovementRow] = []
    frame = grade_class(
        accepted, workers=workers, progress=progress, errors=errors, improvement=history
    )
    disputes, unread = load_disputes(submissions)
    rejected = sorted([*rejected, *errors, *unread], key=lambda r: (r.source, r.kind))
    for item in rejected:
        print(printable(f"not graded: {item.source}: {item.reason}"), file=err)
    warnings = id_mismatches(accepted)
    for warning in warnings:
        print(printable(f"warning: {warning}"), file=err)
    missing = nothing_handed_in(roster, accepted, rejected)
    if missing:
        print(printable("Nothing handed in by: " + ", ".join(missing)), file=err)
    titles = {sid: t.title for sid, t in targets().items()}
    outcome = Outcome(frame, rejected, missing=missing)
    try:
        key = class_secret(_secret_folder(html, csv, feedback_dir)) if anonymize_ids else b""
        if feedback_dir is not None:
            aliases = pseudonyms(frame["learner"], key) if anonymize_ids else None
            outcome.feedback = write_feedback(frame, feedback_dir, titles=titles, aliases=aliases)
        shown, listed = anonymize(frame, rejected, key) if anonymize_ids else (frame, rejected)
        if html is not None:
            target = Path(html)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Folder names and ids are who someone is: an anonymized report gives counts only.
            extras = Extras(
                warnings=[f"{len(warnings)} export(s)"] if anonymize_ids and warnings else warnings,
                missing=[f"{len(missing)} name(s) on the roster"]
                if anonymize_ids and missing
                else missing,
                disputes=[replace(d, learner=pseudonym(d.learner, key)) for d in disputes]
                if anonymize_ids
                else disputes,
                improvement=pd.DataFrame(history, columns=list(IMPROVEMENT_COLUMNS)),
                quizzes=quiz_table(accepted),
                refresh=refresh,
            )
            page = render_html(shown, listed, titles=titles, extras=extras)
            target.write_text(page, encoding="utf-8")
            outcome.written.append(target)
        if csv is not None:
            outcome.written.append(write_csv(shown, csv))
    except OSError as error:
        raise ReportInputError(
            f"cannot write {error.filename or 'the report'}: {error.strerror or error}"
        ) from None
    print(summary_text(outcome), file=out)
    return outcome


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def summary_text(outcome: Outcome) -> str:
    """A few lines for the terminal: what was graded, the pass rates, what was written."""
    frame = outcome.frame
    drafts = _drafts(frame)
    rates = frame.groupby("category")["passed"].mean().reindex(list(CATEGORIES))
    lines = [
        f"Graded {_count(frame['learner'].nunique(), 'learner')}, "
        f"{_count(len(drafts), 'draft')} ({_count(drafts['scenario'].nunique(), 'scenario')}).",
    ]
    if len(drafts):
        lines.append(
            "Pass rate: "
            + ", ".join(f"{c} {_percent(r)}" for c, r in zip(CATEGORIES, rates, strict=True))
            + f"; all four {_percent(drafts['scenario_passed'].mean())}."
        )
    if outcome.written:
        lines.append("Wrote " + ", ".join(printable(str(p)) for p in outcome.written) + ".")
    if outcome.feedback:
        folder = printable(str(outcome.feedback[0].parent))
        lines.append(f"Wrote {_count(len(outcome.feedback), 'feedback file')} in {folder}.")
    if outcome.missing:
        lines.append(f"Nothing handed in: {len(outcome.missing):,} on the roster (listed above).")
    if outcome.rejected:
        lines.append(
            f"Not graded: {len(outcome.rejected):,} (files or answers, listed above and in "
            f"the report's 'Files not graded'); exit code {EXIT_REJECTED}."
        )
    return "\n".join(lines)


def watch(
    every: int,
    *,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    out: TextIO | None = None,
    **options: Any,
) -> int:
    """Run the report every `every` seconds (the HTML reloads itself) until Ctrl+C, or for
    `rounds` runs; returns the last run's exit code."""
    out = out or sys.stdout
    code, done = EXIT_OK, 0
    try:
        while rounds is None or done < rounds:
            code = run(refresh=every, out=out, **options).exit_code
            done += 1
            if rounds is None or done < rounds:
                print(f"Next update in {every} s (Ctrl+C stops).", file=out)
                sleep(every)
    except KeyboardInterrupt:
        print("Stopped watching.", file=out)
    return code
