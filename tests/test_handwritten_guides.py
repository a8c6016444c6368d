"""Hand-written guides that name a run of exercises ("exercises 2-5", "`exercises/01_x.ipynb` ...
`exercises/05_y.ipynb`") end it at the course map's last exercise, so adding an exercise to the
map fails here until the agendas say where it goes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from outreach_coach.outline import course_map

ROOT = Path(__file__).resolve().parents[1]
GUIDES = sorted([*(ROOT / "instructor").glob("*.md"), ROOT / "README.md", ROOT / "CONTRIBUTING.md"])
NUMBERED_RUN = re.compile(r"\bexercises\s+(\d+)\s*(?:-|–|to)\s*(\d+)", re.IGNORECASE)
NOTEBOOK_RUN = re.compile(
    r"`exercises/(\d\d_\w+\.ipynb)`\s*(?:\.\.\.|…|to)\s*`exercises/(\d\d_\w+\.ipynb)`"
)


def run_problems(text: str, where: str, files: list[str]) -> list[str]:
    """Every run of exercises in text that does not end at the last one, or starts before 1."""
    last = len(files)
    problems = []
    for match in NUMBERED_RUN.finditer(text):
        first, end = int(match.group(1)), int(match.group(2))
        if not 1 <= first <= end == last:
            problems.append(f"{where}: '{match.group(0)}', but the course has exercises 1-{last}")
    for match in NOTEBOOK_RUN.finditer(text):
        if match.group(1) not in files or match.group(2) != files[-1]:
            problems.append(f"{where}: '{match.group(0)}', but the last exercise is {files[-1]}")
    return problems


@pytest.mark.parametrize("path", GUIDES, ids=lambda path: path.name)
def test_every_run_of_exercises_ends_at_the_last_one(path: Path) -> None:
    files = [exercise.file for exercise in course_map().exercises]
    assert run_problems(path.read_text(encoding="utf-8"), path.name, files) == []


def test_a_stale_run_is_caught() -> None:
    files = ["01_a.ipynb", "02_b.ipynb", "03_c.ipynb"]
    assert run_problems("Homework: exercises 2-3.", "x", files) == []
    assert run_problems("split the room into exercises 1-2", "x", files)
    assert run_problems("`exercises/01_a.ipynb` ... `exercises/02_b.ipynb`", "x", files)
    assert run_problems("`exercises/01_a.ipynb` ... `exercises/03_c.ipynb`", "x", files) == []
