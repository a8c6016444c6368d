"""Verdicts a learner thinks are wrong: saved beside their drafts, turned into corpus entries.

The workbench's "This verdict looks wrong" button writes one dispute file (format below and in
docs/export-schema.md) into `<progress folder>/disputes/`; `python -m outreach_coach disputes
DIR` reads such files and prints unlabelled `[[item]]` entries in the corpus format of
data/corpus/README.md, for a maintainer to label and add to the corpus.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import UnreadableFile, read_json
from .storage import DISPUTES_DIR, MAX_DRAFT_CHARS, atomic_write_text, without_surrogates

if TYPE_CHECKING:
    from .grader.profiles import Recipient, Sender
    from .grader.report import Report

FORMAT = "outreach-coach/dispute"
FORMAT_VERSION = 1
MAX_COMMENT_CHARS = 2_000
# A dispute holds one draft (at most MAX_DRAFT_CHARS), its report and two profiles.
MAX_DISPUTE_BYTES = 4_000_000
RECIPIENT_FIELDS = (
    "name",
    "headline",
    "company",
    "industry",
    "interests",
    "recent_activity",
    "about",
)
SENDER_FIELDS = ("name", "headline", "company", "offers")


class DisputeError(ValueError):
    """A dispute file that cannot be used; str(error) says why."""


@dataclass(frozen=True)
class Dispute:
    """One dispute file, read back: where it came from and what it holds."""

    path: Path
    record: dict[str, Any]


def profile_dict(person: Recipient | Sender) -> dict[str, Any]:
    """A profile as JSON-ready data (lists, not tuples)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(person).items()}


def dispute_record(
    *,
    scenario_id: str,
    draft_key: str,
    text: str,
    report: Report,
    recipient: Recipient,
    sender: Sender,
    comment: str,
    learner_id: str | None,
    created_at: str,
) -> dict[str, Any]:
    """The content of one dispute file: the draft, its report and the learner's comment."""
    from . import __version__

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "course_version": __version__,
        "learner_id": learner_id,
        "scenario_id": scenario_id,
        "draft_key": draft_key,
        "draft": without_surrogates(text[:MAX_DRAFT_CHARS]),
        "comment": without_surrogates(comment.strip()[:MAX_COMMENT_CHARS]),
        "recipient": profile_dict(recipient),
        "sender": profile_dict(sender),
        "report": report.to_dict(),
    }


def dispute_path(progress_dir: Path, draft_key: str, created_at: str) -> Path:
    """A new file name in <progress>/disputes/: <draft key>-<UTC time>[-n].json, never reused."""
    # No ':' so the name is valid on Windows too.
    stamp = created_at.replace("-", "").replace(":", "").replace("+0000", "Z")
    folder = progress_dir / DISPUTES_DIR
    path = folder / f"{draft_key}-{stamp}.json"
    counter = 2
    while path.exists():
        path = folder / f"{draft_key}-{stamp}-{counter}.json"
        counter += 1
    return path


def write_dispute(progress_dir: Path, record: dict[str, Any]) -> Path:
    """Write a dispute file atomically (as the draft store writes) and return its path."""
    path = dispute_path(progress_dir, record["draft_key"], record["created_at"])
    atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return path


def read_dispute(path: Path) -> dict[str, Any]:
    """One dispute file's record, or DisputeError saying what is wrong with it."""
    try:
        record = read_json(path, MAX_DISPUTE_BYTES, follow_symlinks=False)
    except UnreadableFile as error:
        raise DisputeError(error.reason) from None
    except OSError as error:
        raise DisputeError(f"cannot be read ({error.strerror or error})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise DisputeError(f'not a dispute file (no "format": "{FORMAT}")')
    if not isinstance(record.get("draft"), str):
        raise DisputeError("has no draft text")
    for key in ("recipient", "sender"):
        person = record.get(key)
        if not isinstance(person, dict) or not isinstance(person.get("name"), str):
            raise DisputeError(f"has no {key} profile with a name")
    return record


def dispute_files(folder: Path) -> list[Path]:
    """The dispute files in folder, in its disputes/ folder, or one level further down
    (a class's progress folders side by side)."""
    if folder.is_file():
        return [folder]
    patterns = ("*.json", f"{DISPUTES_DIR}/*.json", f"*/{DISPUTES_DIR}/*.json")
    found = {p for pattern in patterns for p in folder.glob(pattern)}
    return sorted(p for p in found if not p.name.startswith("."))


def read_disputes(folder: Path) -> tuple[list[Dispute], list[tuple[Path, str]]]:
    """The dispute files under folder, and (path, reason) for each file that is not one."""
    disputes, problems = [], []
    for path in dispute_files(folder):
        try:
            disputes.append(Dispute(path, read_dispute(path)))
        except DisputeError as error:
            problems.append((path, str(error)))
    return disputes, problems


def toml_string(text: str) -> str:
    """Text as a TOML string an author can read: multi-line when it has line breaks."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\n")
        elif char == "\t":
            out.append("\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    body = "".join(out)
    return f'"""\n{body}"""' if "\n" in text else f'"{body}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_string(str(v)) for v in value) + "]"
    return toml_string("" if value is None else str(value))


def _verdict_comment(report: Any) -> str:
    categories = report.get("categories") if isinstance(report, dict) else None
    if not isinstance(categories, dict):
        return "# grader verdict: not recorded"
    verdicts = [
        f"{name} {'pass' if isinstance(c, dict) and c.get('passed') else 'fail'}"
        for name, c in categories.items()
    ]
    return "# grader verdict: " + ", ".join(verdicts)


def corpus_toml(disputes: list[Dispute], writer: str = "disputes") -> str:
    """Unlabelled corpus entries (data/corpus/README.md format, no labels), comment as note."""
    lines = [
        "# Disputed verdicts, unlabelled: label each item by docs/labelling.md (add the",
        "# four labels personalization, relevance, mechanics, etiquette), then move it to",
        "# a writer file.",
        f"writer = {toml_string(writer)}",
    ]
    for number, dispute in enumerate(disputes, start=1):
        record = dispute.record
        lines += [
            "",
            "[[item]]",
            f"id = {toml_string(f'{writer}-{number:03d}')}",
            f"# from {dispute.path.name}; scenario {record.get('scenario_id', '?')}",
            _verdict_comment(record.get("report")),
            f"text = {toml_string(record['draft'])}",
        ]
        if record.get("comment"):
            lines.append(f"note = {toml_string(str(record['comment']))}")
        for table, names in (("recipient", RECIPIENT_FIELDS), ("sender", SENDER_FIELDS)):
            person = record[table]
            lines += ["", f"[item.{table}]"]
            lines += [f"{name} = {_toml_value(person[name])}" for name in names if name in person]
    return "\n".join(lines) + "\n"


def write_corpus_toml(text: str, output: str | os.PathLike[str]) -> Path:
    """Write the corpus entries to a file (atomically) and return its path."""
    path = Path(output)
    atomic_write_text(path, text)
    return path
