"""Collect learners' exported answers from their home folders without losing or mixing any.

`python -m outreach_coach collect SOURCE OUT [--roster FILE]` looks in every learner folder in
SOURCE (hub home folders such as /home/<user>, or any folder of learner folders) for the
`answers-*.json` files the course exported, and copies each into OUT/<learner folder>/. It never
overwrites: an identical file already there is skipped, a different one is kept beside it as
`answers-<id> (2).json`. It says who has no answers: every learner folder without an export,
and every roster name with no folder. Every copy is listed in OUT/collected.csv.
"""

from __future__ import annotations

import csv
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TextIO

from .files import UnreadableFile, parse_json, printable, read_regular
from .storage import (
    HUB_USER_VAR,
    AnswersError,
    atomic_write_text,
    suggested_learner_id,
    utc_now,
    validate_answers,
)

MAX_BYTES = 4_000_000  # the class report's limit for one answers file
MAX_DISPUTE_BYTES = 200_000
# How deep inside a learner folder to look: ~/not-the-place-for-spam-progress is 1,
# ~/<course>/progress is 2. Deeper folders and hidden ones (.cache, .local) are not searched.
SEARCH_DEPTH = 3
MANIFEST = "collected.csv"
MANIFEST_COLUMNS = ("collected_at", "folder", "learner_id", "file", "source", "status", "note")
ROSTER_MAX_BYTES = 1_000_000
# Hub spawners prefix system user names (The Littlest JupyterHub: jupyter-<name>).
FOLDER_PREFIXES = ("jupyter-",)
EXIT_OK = 0
EXIT_MISSING = 3  # collected, but someone has no answers or a file could not be read


class CollectError(Exception):
    """SOURCE or OUT cannot be used at all: the message says what to do."""


@dataclass(frozen=True)
class Copied:
    """One file found in a learner folder and what collect did with it."""

    folder: str
    source: Path
    target: Path | None
    status: str  # copied, already-there, unreadable
    learner_id: str = ""
    note: str = ""


@dataclass
class Collection:
    """What one run of collect found and did."""

    files: list[Copied] = field(default_factory=list)
    no_answers: list[str] = field(default_factory=list)  # learner folders without an export
    not_found: list[str] = field(default_factory=list)  # roster names with no folder
    mismatched: list[Copied] = field(default_factory=list)  # export id differs from its folder

    @property
    def exit_code(self) -> int:
        """0 when everyone handed something in and every file was read, else EXIT_MISSING."""
        trouble = self.no_answers or self.not_found
        unread = any(item.status == "unreadable" for item in self.files)
        return EXIT_MISSING if trouble or unread else EXIT_OK


def _names(folder: str) -> set[str]:
    """The ids a folder name stands for: itself, without a hub's prefix, made a valid id."""
    names = {folder, *(folder[len(p) :] for p in FOLDER_PREFIXES if folder.startswith(p))}
    names |= {suggested_learner_id(None, {HUB_USER_VAR: name}) for name in names}
    return {name.casefold() for name in names if name}


def id_matches_folder(learner_id: str, folder: str) -> bool:
    """Whether an export's learner id is the one its (home) folder name says."""
    return learner_id.casefold() in _names(folder)


def read_roster(path: Path) -> list[str]:
    """The names in a roster: one per line (or the first column of a CSV); '#' starts a comment."""
    try:
        raw = read_regular(path, ROSTER_MAX_BYTES)
    except FileNotFoundError:
        raise CollectError(
            f"roster {path} not found: pass a text file, one name per line"
        ) from None
    except UnreadableFile as error:
        raise CollectError(f"cannot use the roster {path}: it {error.reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CollectError(f"roster {path} is not UTF-8 text: save it as plain text") from None
    names = []
    for row in csv.reader(text.splitlines()):
        name = row[0].strip() if row else ""
        if name and not name.startswith("#") and name.casefold() not in {"name", "learner"}:
            names.append(name)
    return list(dict.fromkeys(names))


def roster_missing(roster: Sequence[str], present: Sequence[str]) -> list[str]:
    """Roster names that match none of `present` (folder names or learner ids)."""
    known = set().union(*(_names(name) for name in present))
    return [name for name in roster if not _names(name) & known]


def learner_folders(source: Path) -> list[Path]:
    """The learner folders in source: visible real folders, symbolic links never followed."""
    if not source.is_dir():
        raise CollectError(f"{source} is not a folder: pass the folder of learners' home folders")
    return sorted(p for p in source.iterdir() if _real_dir(p) and not p.name.startswith("."))


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def find_exports(folder: Path, depth: int = SEARCH_DEPTH) -> Iterator[Path]:
    """answers-*.json files within depth levels of folder (hidden folders and links skipped)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name.startswith("answers-") and entry.name.endswith(".json"):
            yield entry  # read_regular refuses it later if it is not a regular file
        elif depth > 1 and _real_dir(entry):
            yield from find_exports(entry, depth - 1)


def find_disputes(folder: Path, depth: int = SEARCH_DEPTH) -> Iterator[Path]:
    """*.json files in `disputes` folders within depth levels of folder."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or not _real_dir(entry):
            continue
        if entry.name == "disputes":
            yield from sorted(p for p in entry.glob("*.json") if not p.name.startswith("."))
        elif depth > 1:
            yield from find_disputes(entry, depth - 1)


def _free_name(folder: Path, name: str, raw: bytes) -> tuple[Path, bool]:
    """Where to put a file called name in folder: (path, already there identical)."""
    stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
    suffix = f".{suffix}" if suffix else ""
    number = 1
    while True:
        candidate = folder / (name if number == 1 else f"{stem} ({number}){suffix}")
        try:
            existing = read_regular(candidate, len(raw), follow_symlinks=False)
        except FileNotFoundError:
            return candidate, False
        except UnreadableFile:
            existing = None
        if existing == raw:
            return candidate, True
        number += 1


def _write_new(path: Path, raw: bytes) -> None:
    """Write raw to a path that does not exist yet (never replacing a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)


def _copy(folder: Path, path: Path, target_folder: Path) -> Copied:
    """Copy one file into target_folder under a free name; an unreadable one is only listed."""
    try:
        raw = read_regular(path, MAX_BYTES, follow_symlinks=False)
    except (UnreadableFile, OSError) as error:
        reason = error.reason if isinstance(error, UnreadableFile) else str(error)
        return Copied(folder.name, path, None, "unreadable", note=reason)
    target, same = _free_name(target_folder, path.name, raw)
    if not same:
        _write_new(target, raw)
    return Copied(folder.name, path, target, "already-there" if same else "copied")


def _learner_id(raw_path: Path) -> tuple[str, str]:
    """The learner id in a copied export, and a note when the file is not a valid export."""
    try:
        document = parse_json(read_regular(raw_path, MAX_BYTES, follow_symlinks=False))
        validate_answers(document, raw_path.name)
    except (UnreadableFile, OSError) as error:
        return "", str(error)
    except AnswersError as error:
        return "", f"not a valid export ({error.reason}); the class report will list it"
    return document["learner_id"], ""


def collect(
    source: str | os.PathLike[str], out: str | os.PathLike[str], roster: Sequence[str] = ()
) -> Collection:
    """Copy every learner folder's exports (and disputes) into out/<folder>/; see the module."""
    source_dir, out_dir = Path(source), Path(out)
    if out_dir.resolve().is_relative_to(source_dir.resolve()):
        raise CollectError(
            f"{out_dir} is inside {source_dir}: the next run would collect the copies too; "
            "collect into a folder outside it"
        )
    folders = learner_folders(source_dir)
    result = Collection()
    for folder in folders:
        target_folder = out_dir / folder.name
        exports = list(find_exports(folder))
        for path in exports:
            item = _copy(folder, path, target_folder)
            if item.target is not None:
                learner_id, note = _learner_id(item.target)
                item = Copied(item.folder, item.source, item.target, item.status, learner_id, note)
                if learner_id and not id_matches_folder(learner_id, folder.name):
                    result.mismatched.append(item)
            result.files.append(item)
        for path in find_disputes(folder):
            result.files.append(_copy(folder, path, target_folder / "disputes"))
        if not any(item.learner_id for item in result.files if item.folder == folder.name):
            result.no_answers.append(folder.name)
    present = [f.name for f in folders] + [i.learner_id for i in result.files if i.learner_id]
    result.not_found = roster_missing(roster, present)
    _append_manifest(out_dir / MANIFEST, result, out_dir)
    return result


def _append_manifest(path: Path, result: Collection, out_dir: Path) -> None:
    """Add this run's rows to collected.csv (earlier runs' rows are kept)."""
    now = utc_now()
    rows = [
        {
            "collected_at": now,
            "folder": item.folder,
            "learner_id": item.learner_id,
            "file": item.target.relative_to(out_dir).as_posix() if item.target else "",
            "source": str(item.source),
            "status": item.status,
            "note": item.note,
        }
        for item in result.files
    ]
    rows += [
        dict.fromkeys(MANIFEST_COLUMNS, "")
        | {"collected_at": now, "folder": name, "status": "no-answers"}
        for name in result.no_answers
    ]
    rows += [
        dict.fromkeys(MANIFEST_COLUMNS, "")
        | {
            "collected_at": now,
            "folder": name,
            "status": "not-on-disk",
            "note": "on the roster, no folder",
        }
        for name in result.not_found
    ]
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not old:
        writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(path, old + buffer.getvalue())


def summary_lines(result: Collection, out: Path) -> list[str]:
    """What the terminal shows: counts, who has no answers, ids that do not match."""
    copied = sum(item.status == "copied" for item in result.files)
    same = sum(item.status == "already-there" for item in result.files)
    learners = len({item.folder for item in result.files if item.learner_id})
    lines = [
        f"Collected {copied} new file(s) from {learners} learner folder(s) into {out}"
        + (f"; {same} already there, skipped" if same else "")
        + "."
    ]
    for item in result.files:
        if item.status == "unreadable":
            lines.append(f"not copied: {item.source}: {item.note}")
        elif item.note:
            lines.append(f"warning: {item.source}: {item.note}")
    for item in result.mismatched:
        lines.append(
            f"warning: {item.source}: the export says learner id {item.learner_id!r}, but it "
            f"is in the folder of {item.folder!r}; both names are kept in {MANIFEST}"
        )
    if result.no_answers:
        lines.append(
            "No answers from: "
            + ", ".join(result.no_answers)
            + " (ask them to click 'Export my answers')."
        )
    if result.not_found:
        lines.append("On the roster but no folder: " + ", ".join(result.not_found) + ".")
    lines.append(f"Every copy is listed in {out / MANIFEST}.")
    return [printable(line) for line in lines]


def run(source: str, out: str, roster_file: str | None = None, stdout: TextIO | None = None) -> int:
    """The `collect` command: copy, print the summary, return the exit code."""
    roster = read_roster(Path(roster_file)) if roster_file else []
    result = collect(source, out, roster)
    for line in summary_lines(result, Path(out)):
        print(line, file=stdout or sys.stdout)
    return result.exit_code
