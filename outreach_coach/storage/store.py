"""Save learners' drafts so they are never lost: one JSON file per scenario in a progress folder,
with learner.json (the learner's id) and course.json (quiz answers and lessons read) beside them."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..files import UnreadableFile, course_root, parse_json, read_json, read_regular
from ..grader.runtime import IN_BROWSER
from .answers import write_answers
from .atomic import atomic_write_text, has_surrogates, set_aside, without_surrogates
from .records import (
    MAX_DRAFT_CHARS,
    Draft,
    QuizRecord,
    SaveResult,
    Version,
    best_of,
    check_learner_id,
    check_scenario_id,
    is_count,
    quiz_json,
    quiz_records,
    utc_now,
)

if IN_BROWSER:  # no file locks there (see DraftStore._lock); filelock warns when imported there

    class Timeout(TimeoutError):
        """A lock not taken in time: never raised in the browser, where saves take no lock."""

else:
    from filelock import FileLock, Timeout

if TYPE_CHECKING:
    from ..grader.report import Report

ENV_VAR = "OUTREACH_COACH_PROGRESS"
HISTORY_LIMIT = 20
LOCK_TIMEOUT = 10.0
FORMAT = "outreach-coach/draft"
FORMAT_VERSION = 1
COURSE_FORMAT = "outreach-coach/course"
LEARNER_FILE = "learner.json"
# Quiz answers and lessons read, for progress and the course summary.
COURSE_FILE = "course.json"
DISPUTES_DIR = "disputes"
# A save file holds the draft, its report and 20 earlier versions: well under this even for
# drafts of MAX_DRAFT_CHARS escaped characters. Larger files are not read into memory.
MAX_SAVE_FILE_BYTES = 16_000_000
MAX_LEARNER_FILE_BYTES = 64_000


# Notes about damaged files that were set aside, waiting for the next save of that scenario.
# Module-level so that a fresh DraftStore in the same kernel still delivers them.
_PENDING_NOTES: dict[Path, str] = {}


def default_progress_dir() -> Path:
    """$OUTREACH_COACH_PROGRESS if set, else the progress folder in the course folder."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return course_root() / "progress"


class DamagedFile(Exception):
    """A save file that cannot be read or does not have the expected shape."""


class NotAFile(Exception):
    """Something in the progress folder where a save file belongs that is not a regular file."""


def _parse_draft(raw: bytes, scenario_id: str) -> Draft:
    """Build a Draft from a save file's bytes, or raise DamagedFile."""
    try:
        data = parse_json(raw)
    except UnreadableFile as err:
        raise DamagedFile(err.reason) from None
    if not isinstance(data, dict) or data.get("scenario_id") != scenario_id:
        raise DamagedFile("not a draft of this scenario")
    text, saved_at = data.get("text"), data.get("saved_at")
    checks, saves = data.get("checks", 0), data.get("saves", 0)
    report, summary = data.get("report"), data.get("summary")
    history = data.get("history", [])
    if not isinstance(text, str) or not isinstance(saved_at, str):
        raise DamagedFile("text or saved_at missing")
    if not (is_count(checks) and is_count(saves)):
        raise DamagedFile("checks or saves is not a count")
    if not (report is None or isinstance(report, dict)) or not (
        summary is None or isinstance(summary, str)
    ):
        raise DamagedFile("report or summary has the wrong type")
    if not isinstance(history, list):
        raise DamagedFile("history is not a list")
    versions = []
    for item in history:
        if not isinstance(item, dict):
            raise DamagedFile("history entry is not an object")
        if not isinstance(item.get("text"), str) or not isinstance(item.get("saved_at"), str):
            raise DamagedFile("history entry without text or saved_at")
        versions.append(_version(item))
    best = data.get("best")
    if not (best is None or isinstance(best, dict)):
        raise DamagedFile("best is not an object")
    if best is not None and not (
        isinstance(best.get("text"), str) and isinstance(best.get("saved_at"), str)
    ):
        raise DamagedFile("best without text or saved_at")
    profile = data.get("profile")
    if not (profile is None or isinstance(profile, dict)):
        raise DamagedFile("profile is not an object")
    # Files written before "best" was kept: the best of the history they hold.
    best_version = _version(best) if best is not None else best_of(versions)
    return Draft(
        scenario_id=scenario_id,
        text=text,
        saved_at=saved_at,
        checks=checks,
        summary=summary,
        report=report,
        passed=_flag(data),
        score=_number(data.get("score")),
        history=tuple(versions),
        saves=saves,
        best=best_version,
        profile=profile,
    )


def _version(item: dict[str, Any]) -> Version:
    return Version(item["text"], item["saved_at"], _number(item.get("score")), _flag(item))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _flag(data: dict[str, Any]) -> bool | None:
    value = data.get("passed")
    return value if isinstance(value, bool) else None


def _draft_to_json(draft: Draft) -> str:
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scenario_id": draft.scenario_id,
        "text": draft.text,
        "saved_at": draft.saved_at,
        "saves": draft.saves,
        "checks": draft.checks,
        "passed": draft.passed,
        "score": draft.score,
        "summary": draft.summary,
        "report": draft.report,
        "history": [_version_json(v) for v in draft.history],
        "best": _version_json(draft.best) if draft.best is not None else None,
        "profile": draft.profile,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _version_json(version: Version) -> dict[str, Any]:
    return {
        "text": version.text,
        "saved_at": version.saved_at,
        "score": version.score,
        "passed": version.passed,
    }


def _read_save_file(path: Path) -> bytes:
    """A save file's bytes; FileNotFoundError, NotAFile, DamagedFile (too large) or OSError."""
    try:
        return read_regular(path, MAX_SAVE_FILE_BYTES)
    except UnreadableFile as err:
        if err.kind == "not-regular":
            raise NotAFile(err.reason) from None
        if err.kind == "too-large":
            raise DamagedFile(err.reason) from None
        raise OSError(err.reason) from None


def _not_a_file_note(scenario_id: str, path: Path, reason: str) -> str:
    return (
        f"Your draft for {scenario_id} cannot be saved: {path.name} in your progress folder "
        f"{reason.removesuffix(': skipped')}, and the course leaves it alone. Move it out of "
        f"{path.parent}, then check again; copy your text somewhere safe meanwhile."
    )


def _cut_note(scenario_id: str, length: int) -> str:
    return (
        f"Your draft for {scenario_id} is {length:,} characters long; only the first "
        f"{MAX_DRAFT_CHARS:,} were saved (the grader reads no further). Shorten it: a good "
        "LinkedIn message is well under 1,200 characters."
    )


SURROGATE_NOTE = (
    "Your draft held broken characters (half of an emoji or of another symbol, usually from a "
    "bad copy and paste); each was saved as �. Check the text around them."
)


def _is_course_file(path: Path) -> bool:
    """True for a file the course wrote: a draft of the scenario its name says."""
    try:
        document = read_json(path, MAX_SAVE_FILE_BYTES)
    except (UnreadableFile, OSError):
        return False
    return isinstance(document, dict) and (
        document.get("format") == FORMAT
        or (document.get("scenario_id") == path.stem and "text" in document)
    )


def _busy_note(scenario_id: str) -> str:
    return (
        f"Your save file for {scenario_id} is busy (another notebook or tab may be saving it), "
        "so your last draft is not shown yet: reopen this notebook in a moment."
    )


def _not_restored_note(path: Path, err: OSError) -> str:
    return (
        f"Your save file for {path.stem} could not be read or repaired "
        f"({err.strerror or err}), so your last draft is not shown. It was left as it is in "
        f"{path.parent}: make that folder writable (or ask your instructor), then reopen this "
        "notebook."
    )


def _damaged_note(scenario_id: str, kept_as: Path) -> str:
    return (
        f"Your earlier save file for {scenario_id} was damaged; it was kept as {kept_as.name} "
        "(in your progress folder) and a fresh one started."
    )


class DraftStore:
    """Learners' drafts, one JSON file per scenario in a progress folder."""

    def __init__(
        self, root: str | os.PathLike[str] | None = None, lock_timeout: float = LOCK_TIMEOUT
    ):
        self.root = Path(root) if root is not None else default_progress_dir()
        self.lock_timeout = lock_timeout

    def __repr__(self) -> str:
        return f"DraftStore({str(self.root)!r})"

    def path_for(self, scenario_id: str) -> Path:
        """The save file of one scenario."""
        return self.root / f"{check_scenario_id(scenario_id)}.json"

    def _lock(self, path: Path) -> contextlib.AbstractContextManager[object]:
        # The browser's drive has no file locks (filelock's fallback there leaves its lock file
        # behind, and every later save waits out the timeout). A save there is still written
        # whole to a temporary file first, and when two of a learner's tabs save at once the
        # last one wins.
        if IN_BROWSER:
            return contextlib.nullcontext()
        return FileLock(str(path) + ".lock", timeout=self.lock_timeout)

    def save(
        self,
        scenario_id: str,
        text: str,
        report: Report | None = None,
        profile: dict[str, Any] | None = None,
    ) -> SaveResult:
        """Save a draft (its grade, if checked, and the profile it was written to, if the
        learner typed one in); never raises for disk or lock trouble."""
        path = self.path_for(scenario_id)
        if not isinstance(text, str):
            raise TypeError(f"The draft must be text, not {type(text).__name__}.")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self._lock(path):
                return self._save_locked(path, scenario_id, text, report, profile)
        except NotAFile as err:
            return SaveResult(path, saved=False, note=_not_a_file_note(scenario_id, path, str(err)))
        except Timeout:
            return SaveResult(
                path,
                saved=False,
                note=(
                    f"Your draft for {scenario_id} was NOT saved: its save file is busy "
                    "(another notebook or tab may be saving it). Please try again in a moment."
                ),
            )
        except OSError as err:
            return SaveResult(
                path,
                saved=False,
                note=(
                    f"Your draft for {scenario_id} was NOT saved ({err.strerror or err}). "
                    f"Check that the folder {self.root} exists and is writable, then try again; "
                    "copy your text somewhere safe meanwhile."
                ),
            )

    def _save_locked(
        self,
        path: Path,
        scenario_id: str,
        text: str,
        report: Report | None,
        profile: dict[str, Any] | None,
    ) -> SaveResult:
        # Leftovers of a writer killed mid-save; safe to delete because we hold the lock.
        for stale in self.root.glob(f".{path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        notes = []
        pending = _PENDING_NOTES.get(_key(path))
        if pending:
            notes.append(pending)
        previous, damaged = self._read(path)
        if damaged is not None:
            notes.append(damaged)
        if len(text) > MAX_DRAFT_CHARS:
            notes.append(_cut_note(scenario_id, len(text)))
            text = text[:MAX_DRAFT_CHARS]
        if has_surrogates(text):
            notes.append(SURROGATE_NOTE)
            text = without_surrogates(text)
        now = utc_now()
        passed = bool(report.passed) if report is not None else None
        score = float(report.score) if report is not None else None
        version = Version(text, now, score, passed)
        history = (*(previous.history if previous else ()), version)
        # Kept apart from the history, so a pass outlives any number of worse checks after it.
        best = best_of([v for v in (previous.best if previous else None, version) if v])
        draft = Draft(
            scenario_id=scenario_id,
            text=text,
            saved_at=now,
            checks=(previous.checks if previous else 0) + (report is not None),
            summary=report.summary() if report is not None else None,
            report=report.to_dict() if report is not None else None,
            passed=passed,
            score=score,
            history=history[-HISTORY_LIMIT:],
            saves=(previous.saves if previous else 0) + 1,
            best=best,
            profile=profile if profile is not None else (previous.profile if previous else None),
        )
        # The report quotes the draft: clean its copy of any broken characters too.
        atomic_write_text(path, without_surrogates(_draft_to_json(draft)))
        _PENDING_NOTES.pop(_key(path), None)
        note = " ".join(notes) or None
        return SaveResult(path, saved=True, note=note, draft=_with_note(draft, note))

    def _read(self, path: Path) -> tuple[Draft | None, str | None]:
        """The draft in path (None if absent) and a note if a damaged file had to be set aside."""
        scenario_id = path.stem
        try:
            # Other OSErrors (and NotAFile) propagate: a file we cannot open now is not proof
            # that it is damaged, and something that is not a file is not ours to set aside.
            return _parse_draft(_read_save_file(path), scenario_id), None
        except FileNotFoundError:
            return None, None
        except DamagedFile:
            kept_as = set_aside(path)
            return None, _damaged_note(scenario_id, kept_as)

    def load(self, scenario_id: str) -> Draft | None:
        """The latest saved draft, or None; a damaged file is set aside, never raised."""
        path = self.path_for(scenario_id)
        try:
            draft = _parse_draft(_read_save_file(path), scenario_id)
        except FileNotFoundError:
            return None
        except NotAFile as err:
            _PENDING_NOTES[_key(path)] = _not_a_file_note(scenario_id, path, str(err))
            return None
        except (OSError, DamagedFile):
            draft = self._recover(path)
        if draft is None:
            return None
        return _with_note(draft, _PENDING_NOTES.get(_key(path)))

    def _recover(self, path: Path) -> Draft | None:
        # Re-read under the lock: a writer may have replaced the file since our first read.
        try:
            with self._lock(path):
                draft, note = self._read(path)
        except NotAFile:
            return None
        except Timeout:
            _PENDING_NOTES[_key(path)] = _busy_note(path.stem)
            return None
        except OSError as err:
            # A read-only folder: the damaged file cannot be set aside, but the learner is told.
            _PENDING_NOTES[_key(path)] = _not_restored_note(path, err)
            return None
        if note:
            _PENDING_NOTES[_key(path)] = note
        return draft

    def note(self, scenario_id: str) -> str | None:
        """A learner-facing note waiting for this scenario (e.g. a damaged file set aside)."""
        return _PENDING_NOTES.get(_key(self.path_for(scenario_id)))

    def drafts(self) -> dict[str, Draft]:
        """Every saved draft in the progress folder, by scenario id.

        Only the course's own save files are read: other JSON files (package.json, a damaged
        file nobody can tell is a draft) are left exactly as they are. A damaged save file is
        set aside when its scenario's workbench opens it.
        """
        found: dict[str, Draft] = {}
        if not self.root.is_dir():
            return found
        for path in sorted(self.root.glob("*.json")):
            stem = path.stem
            try:
                check_scenario_id(stem)
            except ValueError:
                continue
            if not _is_course_file(path):
                continue
            draft = self.load(stem)
            if draft is not None:
                found[stem] = draft
        return found

    @property
    def learner_id(self) -> str | None:
        """The learner id saved in learner.json, or None if not set yet."""
        path = self.root / LEARNER_FILE
        try:
            data = read_json(path, MAX_LEARNER_FILE_BYTES)
            return check_learner_id(data["learner_id"])
        except OSError:
            return None
        except UnreadableFile as err:
            if err.kind in ("not-regular", "unreadable"):
                return None  # not ours to set aside, or not readable right now
            with contextlib.suppress(OSError):
                set_aside(path)
            return None
        except (ValueError, KeyError, TypeError):
            # A damaged learner.json only costs the learner retyping their id.
            with contextlib.suppress(OSError):
                set_aside(path)
            return None

    def set_learner_id(self, learner_id: str) -> str:
        """Validate and save the learner id; raises ValueError with what to fix."""
        cleaned = check_learner_id(learner_id)
        # No lock needed: the write is atomic and the last id typed is the one that counts.
        payload = {"learner_id": cleaned, "saved_at": utc_now()}
        atomic_write_text(self.root / LEARNER_FILE, json.dumps(payload, indent=2) + "\n")
        return cleaned

    def record_quiz(self, question_id: str, correct: bool) -> QuizRecord:
        """Note one quiz answer in course.json; a right answer is kept whatever comes after."""
        with self._course_update() as (quizzes, _lessons):
            now = utc_now()
            old = quizzes.get(question_id)
            record = QuizRecord(
                correct=correct or (old is not None and old.correct),
                correct_at=(
                    old.correct_at if old and old.correct_at else (now if correct else None)
                ),
                tries=(old.tries if old else 0) + 1,
            )
            quizzes[question_id] = record
        return record

    def mark_lesson_read(self, lesson_key: str) -> str:
        """Note in course.json that a lesson was read; returns the first date it was."""
        with self._course_update() as (_quizzes, lessons):
            lessons.setdefault(lesson_key, utc_now())
            return lessons[lesson_key]

    def quiz_results(self) -> dict[str, QuizRecord]:
        """The quiz answers noted so far, by question id; a damaged file counts as none yet."""
        return self._course_record()[0]

    def lessons_read(self) -> dict[str, str]:
        """The lessons marked as read so far, with the first date each was (UTC, ISO 8601)."""
        return self._course_record()[1]

    def _course_document(self) -> Any:
        """course.json as parsed JSON; None when it is missing, unreadable or not JSON."""
        try:
            return read_json(self.root / COURSE_FILE, MAX_LEARNER_FILE_BYTES)
        except (UnreadableFile, OSError):
            return None

    def _course_record(self) -> tuple[dict[str, QuizRecord], dict[str, str]]:
        return self._parse_course(self._course_document())

    @staticmethod
    def _parse_course(document: Any) -> tuple[dict[str, QuizRecord], dict[str, str]]:
        """The quiz answers and lessons read in a parsed course.json (none if it is not one)."""
        if not isinstance(document, dict):
            return {}, {}
        found = document.get("lessons")
        lessons = {
            key: when
            for key, when in (found if isinstance(found, dict) else {}).items()
            if isinstance(key, str) and isinstance(when, str)
        }
        return quiz_records(document.get("quizzes")), lessons

    @contextlib.contextmanager
    def _course_update(self) -> Iterator[tuple[dict[str, QuizRecord], dict[str, str]]]:
        """Read course.json under its lock, let the caller change it, write it back atomically."""
        path = self.root / COURSE_FILE
        self.root.mkdir(parents=True, exist_ok=True)
        with self._lock(path):
            document = self._course_document()
            quizzes, lessons = self._parse_course(document)
            ours = isinstance(document, dict) and document.get("format") == COURSE_FORMAT
            if path.exists() and not ours:
                # Damaged, or not ours: keep it as <name>.corrupt-<time> rather than overwrite.
                with contextlib.suppress(OSError):
                    set_aside(path)
            yield quizzes, lessons
            payload = {
                "format": COURSE_FORMAT,
                "format_version": FORMAT_VERSION,
                "quizzes": quiz_json(quizzes),
                "lessons": dict(sorted(lessons.items())),
            }
            atomic_write_text(path, json.dumps(payload, indent=2) + "\n")

    def export(
        self, learner_id: str | None = None, path: str | os.PathLike[str] | None = None
    ) -> Path:
        """Write answers-<learner_id>.json (schema in docs/export-schema.md) and return its path."""
        if learner_id is None:
            learner_id = self.learner_id
            if learner_id is None:
                raise ValueError("Set your learner id first (for example 'ana-k'), then export.")
        return write_answers(self, learner_id, path)


def _key(path: Path) -> Path:
    # One key per file however the folder was spelled (relative, absolute, with '..').
    return Path(os.path.abspath(path))


def _with_note(draft: Draft, note: str | None) -> Draft:
    return draft if note is None else replace(draft, note=note)


__all__ = ["ENV_VAR", "DraftStore", "Timeout", "default_progress_dir"]
