"""Pseudonyms for the class report: learner ids replaced by keyed digests, with a key made
per class and kept beside the instructor's output, never in a report."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..files import UnreadableFile, read_regular
from .loading import Rejected, ReportInputError, targets

SALT_ENV = "OUTREACH_COACH_REPORT_SALT"
# The class's own pseudonym key, made on the first --anonymize run beside the report's files.
SECRET_FILE = "outreach-coach-report.secret"
PSEUDONYM_LENGTH = 8  # hex digits: collisions stay unlikely (~1e-4) even for 1,000 learners


def secret_folder(*outputs: str | os.PathLike[str] | None) -> Path:
    """Where the pseudonym key lives: beside the HTML, CSV or feedback folder (never inside a
    report, nor among the feedback files that go to learners), else here."""
    for output in outputs:
        if output is not None:
            return Path(output).parent
    return Path()


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


def anonymized(
    rejected: Sequence[Rejected], names: Mapping[str, str], key: bytes
) -> list[Rejected]:
    """The list of files not graded with learner ids, and file names that reveal them,
    replaced by pseudonyms (`names`: the class's, from pseudonyms())."""
    known = set(targets())
    return [_anonymized(item, names, known, key) for item in rejected]


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
