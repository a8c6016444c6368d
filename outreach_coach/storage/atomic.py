"""Writing a learner's files safely: whole or not at all, a damaged one set aside, text that
can always be written as UTF-8."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Replace path with text so readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _replace(source: Path, target: Path) -> None:
    # On Windows os.replace fails while another process briefly has the target open to read it.
    for attempt in range(10):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 9:
                raise
            time.sleep(0.05)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself survive a power cut; not possible (or needed) on Windows.
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _stamp() -> str:
    # No ':' so the name is valid on Windows too.
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def set_aside(path: Path) -> Path:
    """Rename a damaged file to <name>.corrupt-<UTC timestamp> and return the new path."""
    base = f"{path.name}.corrupt-{_stamp()}"
    target = path.with_name(base)
    counter = 2
    while target.exists():
        target = path.with_name(f"{base}-{counter}")
        counter += 1
    os.replace(path, target)
    return target


SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """True if text holds a surrogate (half of a character), which UTF-8 cannot encode."""
    return SURROGATE.search(text) is not None


def without_surrogates(text: str) -> str:
    """Text that can be written as UTF-8: paired surrogates joined, lone ones made �."""
    if not has_surrogates(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
