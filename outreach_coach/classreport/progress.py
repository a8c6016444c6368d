"""Progress bars for the class report: shown on a terminal only, and only for long runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from tqdm import tqdm

PROGRESS_MIN = 100  # items before a progress bar is worth showing


def show_progress(progress: bool | None, total: int) -> bool:
    if progress is not None:
        return progress
    quiet = "PYTEST_CURRENT_TEST" in os.environ or not sys.stderr.isatty()
    return not quiet and total >= PROGRESS_MIN


def progress_bar(total: int, label: str, progress: bool | None) -> tqdm:
    return tqdm(
        total=total,
        desc=label,
        unit="draft",
        file=sys.stderr,
        disable=not show_progress(progress, total),
        leave=False,
    )


def file_bar(items: Sequence[Path], label: str, progress: bool | None) -> Iterable[Path]:
    show = show_progress(progress, len(items))
    return tqdm(items, desc=label, unit="file", file=sys.stderr, disable=not show, leave=False)
