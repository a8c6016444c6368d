"""Progress bars for the class report: shown on a terminal only, and only for long runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from tqdm import tqdm

PROGRESS_MIN = 20  # files or learners before a progress bar is worth showing


def show_progress(progress: bool | None, total: int) -> bool:
    """Whether to draw a bar: as asked, else on a terminal (never under tests) for long runs."""
    if progress is not None:
        return progress
    quiet = "PYTEST_CURRENT_TEST" in os.environ or not sys.stderr.isatty()
    return not quiet and total >= PROGRESS_MIN


def progress_bar(total: int, label: str, progress: bool | None, unit: str) -> tqdm:
    """A bar on stderr counting `unit`s up to total (disabled where show_progress says so)."""
    return tqdm(
        total=total,
        desc=label,
        unit=unit,
        file=sys.stderr,
        disable=not show_progress(progress, total),
        leave=False,
    )


def file_bar(items: Sequence[Path], label: str, progress: bool | None) -> Iterable[Path]:
    """The files, counted on a bar as they are read."""
    show = show_progress(progress, len(items))
    return tqdm(items, desc=label, unit="file", file=sys.stderr, disable=not show, leave=False)
