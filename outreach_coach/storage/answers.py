"""Write and read the exported-answers file a learner hands to the instructor (schema version 1).

An export is made from anything that holds a learner's record (a LearnerRecord, such as the
draft store): this module never imports the store, which imports it for DraftStore.export.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from .. import __version__, data
from ..files import UnreadableFile, parse_json, read_regular
from .atomic import atomic_write_text, without_surrogates
from .records import (
    LEARNER_ID_RE,
    MAX_DRAFT_CHARS,
    Draft,
    QuizRecord,
    check_learner_id,
    quiz_json,
    utc_now,
)


class LearnerRecord(Protocol):
    """What an export reads: a progress folder's drafts, quiz answers and lessons read."""

    root: Path

    def drafts(self) -> Mapping[str, Draft]: ...

    def quiz_results(self) -> Mapping[str, QuizRecord]: ...

    def lessons_read(self) -> dict[str, str]: ...


SCHEMA = "outreach-coach/answers"
SCHEMA_VERSION = 1
# The draft-store ids of capstone drafts: "capstone-<recipient id>" (workbench.capstone_key).
CAPSTONE_PREFIX = "capstone-"
# Characters of earlier checked versions exported per answer: a real class writes a few
# thousand; the cap keeps every file under MAX_BYTES whatever was pasted.
HISTORY_CHARS = 100_000
# Room for every scenario's draft at the store's limit (MAX_DRAFT_CHARS) with its report.
MAX_BYTES = 4_000_000


class AnswersError(ValueError):
    """An exported-answers file that cannot be used; str(error) says what to fix."""

    def __init__(self, reason: str, path: str | os.PathLike[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = Path(path) if path is not None else None


def answers_filename(learner_id: str) -> str:
    """The file name of one learner's exported answers."""
    return f"answers-{check_learner_id(learner_id)}.json"


def build_answers(store: LearnerRecord, learner_id: str) -> dict[str, Any]:
    """The schema-version-1 data for every draft in store."""
    answers = [
        {
            "scenario_id": draft.scenario_id,
            # Drafts saved before the store capped them are cut here, so the file stays usable.
            "draft": draft.text[:MAX_DRAFT_CHARS],
            "saved_at": draft.saved_at,
            "checks": draft.checks,
            "report": draft.report,
            **capstone_people(draft),
            "history": checked_history(draft),
        }
        for scenario_id, draft in sorted(store.drafts().items())
    ]
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "learner_id": check_learner_id(learner_id),
        "exported_at": utc_now(),
        "course_version": __version__,
        "answers": answers,
        "quizzes": quiz_json(store.quiz_results()),
        "lessons_read": store.lessons_read(),
    }


def capstone_people(draft: Draft) -> dict[str, str]:
    """For a capstone draft, the recipient it was written to and the sender it was written as
    (the sender from its last check's report), so the class report can grade it."""
    if not draft.scenario_id.startswith(CAPSTONE_PREFIX):
        return {}
    people = {"recipient_id": draft.scenario_id[len(CAPSTONE_PREFIX) :]}
    sender_name = (draft.report or {}).get("sender")
    sender_id = next((s.id for s in data.senders().values() if s.name == sender_name), None)
    if sender_id:
        people["sender_id"] = sender_id
    return people


def checked_history(draft: Draft) -> list[dict[str, Any]]:
    """The draft's checked versions, oldest first (text, saved_at, score, passed), within
    HISTORY_CHARS: the first check always, then the newest ones that fit."""
    checked = [v for v in draft.history if v.score is not None]
    if not checked:
        return []
    kept, budget = [checked[0]], HISTORY_CHARS - len(checked[0].text)
    for version in reversed(checked[1:]):
        if len(version.text) > budget:
            break
        kept.insert(1, version)
        budget -= len(version.text)
    return [
        {
            "text": v.text[:MAX_DRAFT_CHARS],
            "saved_at": v.saved_at,
            "score": v.score,
            "passed": v.passed,
        }
        for v in kept
    ]


def write_answers(
    store: LearnerRecord, learner_id: str, path: str | os.PathLike[str] | None = None
) -> Path:
    """Write answers-<learner_id>.json (into path if it is a folder) atomically; return its path."""
    data = build_answers(store, learner_id)
    if path is None:
        target = store.root / answers_filename(data["learner_id"])
    else:
        target = Path(path).expanduser()
        if target.is_dir():
            target = target / answers_filename(data["learner_id"])
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(target, without_surrogates(text))
    return target


def read_answers(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """Read and validate one exported-answers file; raise AnswersError saying what is wrong."""
    path = Path(path)

    def fail(reason: str) -> AnswersError:
        return AnswersError(reason, path)

    try:
        data = parse_json(read_regular(path, max_bytes))
    except FileNotFoundError:
        raise fail(f"{path.name}: file not found.") from None
    except UnreadableFile as err:
        if err.kind == "too-large":
            raise fail(
                f"{path.name} is larger than {max_bytes:,} bytes; an answers file is much "
                "smaller, so this is probably not one (export it again from the course)."
            ) from None
        advice = "export it again instead of editing it by hand"
        if err.kind != "invalid-json":
            advice = "hand in the answers file itself"
        reason = err.reason.removesuffix(": skipped")
        raise fail(f"{path.name} {reason}; {advice}.") from None
    return validate_answers(data, path.name, fail)


def validate_answers(
    data: Any, name: str, fail: Callable[[str], Exception] = AnswersError
) -> dict[str, Any]:
    """Check parsed answers data against schema version 1 and return it."""
    if not isinstance(data, dict):
        raise fail(f"{name}: expected a JSON object at the top, found {_kind(data)}.")
    if data.get("schema") != SCHEMA:
        raise fail(f"{name}: field 'schema' must be {SCHEMA!r}, found {data.get('schema')!r}.")
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise fail(f"{name}: field 'schema_version' must be the whole number {SCHEMA_VERSION}.")
    if version != SCHEMA_VERSION:
        newer = (
            " (made by a newer course: update outreach-coach)" if version > SCHEMA_VERSION else ""
        )
        raise fail(
            f"{name}: schema_version {version} is not supported; this course reads version "
            f"{SCHEMA_VERSION}{newer}."
        )
    learner_id = data.get("learner_id")
    if not isinstance(learner_id, str) or not LEARNER_ID_RE.fullmatch(learner_id):
        raise fail(
            f"{name}: field 'learner_id' must be 1 to 64 letters, digits, '.', '_' or '-', "
            f"found {learner_id!r}."
        )
    for key in ("exported_at", "course_version"):
        if key in data and not isinstance(data[key], str):
            raise fail(f"{name}: field {key!r} must be text, found {_kind(data[key])}.")
    answers = data.get("answers")
    if not isinstance(answers, list):
        raise fail(f"{name}: field 'answers' must be a list, found {_kind(answers)}.")
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        where = f"{name}: answers[{index}]"
        if not isinstance(answer, dict):
            raise fail(f"{where} must be an object, found {_kind(answer)}.")
        for key in ("scenario_id", "draft", "saved_at"):
            if not isinstance(answer.get(key), str):
                found = "missing" if key not in answer else f"found {_kind(answer[key])}"
                raise fail(f"{where}: field {key!r} must be text ({found}).")
        checks = answer.get("checks", 0)
        if isinstance(checks, bool) or not isinstance(checks, int) or checks < 0:
            raise fail(f"{where}: field 'checks' must be a whole number >= 0, found {checks!r}.")
        if not (answer.get("report") is None or isinstance(answer["report"], dict)):
            raise fail(f"{where}: field 'report' must be an object or null.")
        if answer["scenario_id"] in seen:
            raise fail(f"{where}: scenario {answer['scenario_id']!r} appears twice.")
        seen.add(answer["scenario_id"])
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null or missing)"
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false"}
    if type(value) in names:
        return names[type(value)]
    return f"the number {value!r}" if isinstance(value, (int, float)) else type(value).__name__


__all__ = [
    "CAPSTONE_PREFIX",
    "MAX_BYTES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "AnswersError",
    "LearnerRecord",
    "read_answers",
    "validate_answers",
    "write_answers",
]
