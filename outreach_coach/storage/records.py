"""What a learner's files hold: drafts and their versions, quiz answers, the ids that name them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The grader reads this much of a message; a longer draft is saved (and exported) cut to it, so
# one huge paste cannot make the learner's export too large for the class report.
MAX_DRAFT_CHARS = 20_000

SCENARIO_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
LEARNER_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The progress folder's other files, so a scenario's file can never shadow them.
RESERVED_IDS = ("learner", "course")
RESERVED_PREFIX = "answers-"


@dataclass(frozen=True)
class Version:
    """One earlier save of a draft, kept so an accidental overwrite can be undone."""

    text: str
    saved_at: str
    score: float | None = None
    passed: bool | None = None


@dataclass(frozen=True)
class Draft:
    """The latest saved draft of one scenario, with its grade and earlier versions."""

    scenario_id: str
    text: str
    saved_at: str
    checks: int = 0
    summary: str | None = None
    report: dict[str, Any] | None = None
    passed: bool | None = None
    score: float | None = None
    history: tuple[Version, ...] = ()
    saves: int = 0
    note: str | None = None
    best: Version | None = None
    profile: dict[str, Any] | None = None


@dataclass(frozen=True)
class QuizRecord:
    """One quiz question's answers: right at least once (and when first), and how many tries."""

    correct: bool
    correct_at: str | None = None
    tries: int = 1


@dataclass(frozen=True)
class SaveResult:
    """What happened to one save; note is a learner-facing message or None."""

    path: Path
    saved: bool
    note: str | None = None
    draft: Draft | None = None


HUB_USER_VAR = "JUPYTERHUB_USER"


def suggested_learner_id(saved: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The id the "Your id" box starts with: the one saved, else the hub user name, else ""."""
    if saved:
        return saved
    user = (os.environ if environ is None else environ).get(HUB_USER_VAR, "")
    # Hub names may hold '@' or spaces (e-mail logins); the id allows letters, digits, . _ -
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", user).strip("-")[:64]
    return cleaned


def utc_now() -> str:
    """The current time in UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_scenario_id(scenario_id: str) -> str:
    """Return scenario_id if it is safe as a file name, else raise ValueError saying why."""
    if not isinstance(scenario_id, str) or not SCENARIO_ID_RE.fullmatch(scenario_id):
        raise ValueError(
            f"Scenario id {scenario_id!r} is not valid: use 1 to 80 lowercase letters, digits "
            "or '-', starting with a letter or digit (for example 's01-reply-all')."
        )
    if scenario_id in RESERVED_IDS or scenario_id.startswith(RESERVED_PREFIX):
        raise ValueError(
            f"Scenario id {scenario_id!r} is reserved for the progress folder's own files; "
            "choose an id other than 'learner' or 'course' that does not start with 'answers-'."
        )
    return scenario_id


def check_learner_id(learner_id: str) -> str:
    """Return the learner id without surrounding spaces, or raise ValueError saying what to fix."""
    if not isinstance(learner_id, str):
        raise ValueError(f"A learner id must be text, not {type(learner_id).__name__}.")
    cleaned = learner_id.strip()
    rule = "Use 1 to 64 characters: letters, digits, '.', '_' or '-' (for example 'ana-k')."
    if not cleaned:
        raise ValueError(f"The learner id is empty. {rule}")
    if len(cleaned) > 64:
        raise ValueError(f"The learner id is {len(cleaned)} characters long. {rule}")
    bad = sorted({ch for ch in cleaned if not LEARNER_ID_RE.fullmatch(ch)})
    if bad:
        shown = ", ".join("a space" if ch == " " else repr(ch) for ch in bad)
        raise ValueError(
            f"The learner id {cleaned!r} contains {shown}, which is not allowed. {rule}"
        )
    return cleaned


def _rank(version: Version) -> tuple[bool, float]:
    return (version.passed is True, version.score if version.score is not None else -1.0)


def best_of(versions: Iterable[Version]) -> Version | None:
    """The checked version to keep: a pass over a fail, then the higher score, then the newer."""
    best = None
    for version in versions:
        if version.score is None and version.passed is None:
            continue  # saved without a check: nothing says it is good
        if best is None or _rank(version) >= _rank(best):
            best = version
    return best


def is_count(value: Any) -> bool:
    """True for a whole number >= 0 (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# More tries than this on one question is a damaged record, not a learner.
MAX_QUIZ_TRIES = 1_000_000


def quiz_records(value: Any) -> dict[str, QuizRecord]:
    """The quiz answers in a course.json's or an export's "quizzes" object, by question id;
    malformed entries are left out and an unusable count of tries is read as 1."""
    found: dict[str, QuizRecord] = {}
    for key, item in (value if isinstance(value, dict) else {}).items():
        if isinstance(item, dict) and isinstance(item.get("correct"), bool):
            correct_at = item.get("correct_at")
            tries = item.get("tries")
            usable = is_count(tries) and 0 < tries < MAX_QUIZ_TRIES
            found[key] = QuizRecord(
                correct=item["correct"],
                correct_at=correct_at if isinstance(correct_at, str) else None,
                tries=tries if usable else 1,
            )
    return found


def quiz_json(records: Mapping[str, QuizRecord]) -> dict[str, dict[str, Any]]:
    """Quiz answers as course.json and exports write them, sorted by question id."""
    return {
        key: {"correct": r.correct, "correct_at": r.correct_at, "tries": r.tries}
        for key, r in sorted(records.items())
    }
