"""Reading a submissions folder: exported-answers files, learners' progress folders and their
disputes, as data only (no learner code runs, no symbolic link is followed)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .. import data
from ..files import UnreadableFile, read_json
from ..grader.report import CATEGORIES
from ..grader.wordlists import derived_from_data
from ..outline import course_quizzes
from ..storage import (
    CAPSTONE_PREFIX,
    COURSE_FILE,
    DISPUTES_DIR,
    FORMAT,
    FORMAT_VERSION,
    HISTORY_LIMIT,
    LEARNER_FILE,
    MAX_BYTES,
    MAX_DRAFT_CHARS,
    MAX_LEARNER_FILE_BYTES,
    SCHEMA,
    SCHEMA_VERSION,
    AnswersError,
    QuizRecord,
    check_learner_id,
    quiz_records,
    validate_answers,
)
from .progress import file_bar

DEFAULT_MAX_BYTES = MAX_BYTES

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
    # The files its answers were read from (one export, or a progress folder's save files), so
    # a scanned submission can be read again with its texts, a batch at a time (read_answers).
    files: tuple[Path, ...] = ()


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
    answer: Answer  # without its texts (scan_submissions keeps the scenario only)
    path: Path


def load_submissions(
    folder: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    progress: bool | None = None,
) -> tuple[list[Submission], list[Rejected]]:
    """Read every answers file (and learner progress folder) in folder; bad ones are rejected.
    Holds every learner's texts at once: a large class is read in batches with
    scan_submissions and read_answers instead."""
    scanned, rejected = scan_submissions(folder, max_bytes, progress=progress)
    accepted = list(read_all(scanned, max_bytes, rejected))
    return accepted, sorted(rejected, key=lambda r: (r.source, r.kind))


def scan_submissions(
    folder: str | os.PathLike[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    progress: bool | None = None,
) -> tuple[list[Submission], list[Rejected]]:
    """Which submissions in folder will be graded (one per learner, known scenarios only), and
    the files that will not; each submission's answers hold their scenario only, so a class of
    10,000 costs little memory until read_answers reads one batch's texts again."""
    root = Path(folder)
    files = candidate_files(root)
    base = root if root.is_dir() else root.parent
    known = targets()
    exports: list[Submission] = []
    drafts: list[_DraftFile] = []
    rejected: list[Rejected] = []
    learners: dict[Path, str] = {}
    for path in file_bar(files, "reading", progress):
        outcome = _read_file(path, relative(path, base), max_bytes, known)
        if isinstance(outcome, Rejected) and outcome.kind in DRAFT_FILE_KINDS:
            # Whose save file it is lets --anonymize hide the folder name too.
            if path.parent not in learners:
                learners[path.parent] = folder_learner(path.parent)
            outcome = replace(outcome, learner_id=learners[path.parent])
        if isinstance(outcome, Submission):
            exports.append(replace(outcome, answers=_scenarios_only(outcome), files=(path,)))
        elif isinstance(outcome, _DraftFile):
            # Its saved_at stays: _progress_folders compares it with the learner's export.
            answer = outcome.answer
            scenario_only = Answer(sys.intern(answer.scenario_id), "", answer.saved_at)
            drafts.append(replace(outcome, answer=scenario_only))
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
            accepted.append(usable)
    rejected.extend(duplicates)
    return accepted, sorted(rejected, key=lambda r: (r.source, r.kind))


def read_all(
    scanned: Iterable[Submission], max_bytes: int, problems: list[Rejected]
) -> Iterator[Submission]:
    """Each scanned submission with its texts, read when it is wanted (read_answers); what
    could not be read, or was cut, is appended to `problems`."""
    for submission in scanned:
        full, found = read_answers(submission, max_bytes)
        problems.extend(found)
        if full is not None:
            yield full


def _file_name(scanned: Submission, path: Path) -> str:
    """The name messages give a file of a submission: the export's, or folder/<scenario>.json."""
    if not scanned.source.endswith("/"):
        return scanned.source
    return path.name if scanned.source == "./" else scanned.source + path.name


def _scenarios_only(submission: Submission) -> tuple[Answer, ...]:
    return tuple(Answer(sys.intern(a.scenario_id), "") for a in submission.answers)


def read_answers(
    scanned: Submission, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Submission | None, list[Rejected]]:
    """A scanned submission with its texts read again from its files (drafts over what the
    grader reads are cut, and listed); None and the reason if a file changed in between."""
    known = targets()
    answers: list[Answer] = []
    problems: list[Rejected] = []
    for path in scanned.files:
        name = _file_name(scanned, path)
        outcome = _read_file(path, name, max_bytes, known)
        if isinstance(outcome, _DraftFile):
            answers.append(outcome.answer)
        elif isinstance(outcome, Submission) and outcome.learner_id == scanned.learner_id:
            answers.extend(outcome.answers)
        elif isinstance(outcome, Rejected):
            problems.append(replace(outcome, learner_id=scanned.learner_id))
        else:
            reason = "changed to another learner's answers while the report read it: run it again"
            problems.append(Rejected(name, "unreadable", reason, scanned.learner_id))
    wanted = {a.scenario_id for a in scanned.answers}
    usable = tuple(a for a in answers if a.scenario_id in wanted)
    if not usable:
        return None, problems
    full, cut = _cut_long_drafts(replace(scanned, answers=usable))
    return full, [*problems, *cut]


def candidate_files(root: Path) -> list[Path]:
    """The .json files the report reads: in root and in each folder directly inside it."""
    if not root.exists():
        raise ReportInputError(f"{root} does not exist: pass the folder that holds the answers")
    if root.is_file():
        return [root]
    inside = sorted(p for p in root.iterdir() if visible(p))
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
        if visible(path) and path.name not in (LEARNER_FILE, COURSE_FILE)
    ]
    files = sorted([*files, *linked])
    if not files:
        raise ReportInputError(
            f"nothing to read in {root}: expected answers-<learner>.json files "
            "(or a learner's progress folder with <scenario>.json files)"
        )
    return files


def visible(path: Path) -> bool:
    # DraftStore writes through hidden temporary files (.name.xyz.tmp); never read those.
    return not path.name.startswith(".")


def relative(path: Path, base: Path) -> str:
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
    return _DraftFile(path.parent, answer, path)


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
    by_folder: dict[Path, list[_DraftFile]] = {}
    for item in drafts:
        by_folder.setdefault(item.folder, []).append(item)
    result = []
    for folder, items in by_folder.items():
        if folder not in learners:
            learners[folder] = folder_learner(folder)
        learner_id = learners[folder]
        latest = max((_parse_time(item.answer.saved_at) for item in items), key=_time_key)
        items.sort(key=lambda item: item.answer.scenario_id)
        answers = [item.answer for item in items]
        source = relative(folder, base) if folder != base else "."
        source = "./" if source == "." else source + "/"
        # The learner's own export next to their drafts is the same work, not a second copy.
        if any(
            s.learner_id == learner_id
            and _parent(s.source) == source
            and _time_key(s.exported_at) >= _time_key(latest)
            for s in exports
        ):
            continue
        quizzes = quiz_answers(quiz_records(_course_quizzes(folder)))
        files = tuple(item.path for item in items)
        result.append(Submission(learner_id, source, latest, tuple(answers), quizzes, files))
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


def folder_learner(folder: Path) -> str:
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
    from ..collect import id_matches_folder

    warnings = []
    for submission in submissions:
        folder, _, name = submission.source.rpartition("/")
        if folder and name and not id_matches_folder(submission.learner_id, folder.split("/")[-1]):
            warnings.append(
                f"{submission.source}: learner id {submission.learner_id!r} does not match its "
                f"folder {folder!r}"
            )
    return warnings


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


def nothing_handed_in(
    roster: Sequence[str], accepted: Sequence[Submission], rejected: Sequence[Rejected]
) -> list[str]:
    """Roster names matching no graded learner, no listed file's learner and no folder."""
    from ..collect import roster_missing

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
            found += sorted(p for p in box.glob("*.json") if visible(p))
    return found[:MAX_DISPUTES]


def load_disputes(folder: str | os.PathLike[str]) -> tuple[list[Dispute], list[Rejected]]:
    """Every dispute file in the submissions folder; unreadable ones are listed, not fatal."""
    root = Path(folder)
    disputes, rejected = [], []
    for path in dispute_files(root):
        name = relative(path, root)
        owner = path.parent.parent
        learner = folder_learner(owner) if owner != root else folder_learner(root)
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
