"""Read the JSON files the course saved or learners handed in without hanging, running out of
memory or crashing: regular files only, a size limit, and any malformed JSON reported."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from .grader.runtime import IN_BROWSER

# Deeper than any file the course writes (a draft is about 5 levels deep); anything past it is
# refused before code that walks the data recursively can hit Python's recursion limit.
MAX_DEPTH = 64
_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
    stat.S_IFLNK: "a symbolic link",
}


# In the browser the package comes from a wheel and the course's folders are the browser's own
# persistent storage, mounted at /drive.
BROWSER_DRIVE = Path("/drive")


def course_root() -> Path:
    """The course folder, holding data/ and progress/: the repository, or the browser's drive."""
    return BROWSER_DRIVE if IN_BROWSER else Path(__file__).resolve().parent.parent


class UnreadableFile(Exception):
    """A file that was not read; `kind` is not-regular, too-large, unreadable or invalid-json."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a named pipe (FIFO)")."""
    return _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file of at most max_bytes; UnreadableFile for anything else.

    The file is opened without blocking, so a FIFO cannot hang the caller, and its type is
    checked on the open descriptor, so a device such as /dev/zero is never read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        if path.is_symlink():
            raise UnreadableFile("not-regular", "is a symbolic link, not a file: skipped")
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise UnreadableFile("unreadable", f"cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(
                "not-regular", f"is {file_kind(info.st_mode)}, not a file: skipped"
            )
        if info.st_size > max_bytes:
            raise UnreadableFile("too-large", _too_large(info.st_size, max_bytes))
        chunks, total = [], 0
        # Read one byte past the limit: a file that grows while being read is caught too.
        while total <= max_bytes:
            chunk = os.read(fd, max_bytes + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise UnreadableFile("unreadable", f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise UnreadableFile("too-large", _too_large(total, max_bytes))
    return b"".join(chunks)


def _too_large(size: int, max_bytes: int) -> str:
    return f"is {size:,} bytes, over the {max_bytes:,}-byte limit"


def parse_json(raw: bytes) -> Any:
    """Parse UTF-8 JSON (a byte-order mark is allowed); UnreadableFile('invalid-json') when the
    bytes are not UTF-8, not JSON, nested too deeply or hold a number too long to read."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            "invalid-json", f"is not UTF-8 text (bad byte at position {error.start})"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            "invalid-json",
            f"is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:
        raise UnreadableFile("invalid-json", _too_deep()) from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise UnreadableFile("invalid-json", f"is not valid JSON ({error})") from None
    if _depth(document) > MAX_DEPTH:
        raise UnreadableFile("invalid-json", _too_deep())
    return document


def _too_deep() -> str:
    return f"is not valid JSON for the course (nested more than {MAX_DEPTH} levels deep)"


def _depth(document: Any) -> int:
    """How deeply lists and objects nest (iteratively: no recursion on hostile data)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                return level
            stack.extend((item, level + 1) for item in value)
    return deepest


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences that could clear
    or retitle it), line breaks and other invisible characters shown as Python escapes."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def read_json(path: Path, max_bytes: int, *, follow_symlinks: bool = True) -> Any:
    """read_regular() then parse_json(): the parsed document, or UnreadableFile saying why."""
    return parse_json(read_regular(path, max_bytes, follow_symlinks=follow_symlinks))
