"""What the browser tests need to know about the course, read from the course itself.

The first exercise notebook, the scenario its workbench shows, and the grader's verdicts for a
text (computed here in the test process, so the browser's feedback can be compared to them).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .servers import REPO

EXERCISES = REPO / "exercises"
SIMULATOR_LESSON = "lessons/01_reply_all_storm.ipynb"
_WORKBENCH_CALL = re.compile(r"""Workbench\(\s*["']([a-z0-9][a-z0-9-]*)["']""")


@dataclass(frozen=True)
class Exercise:
    path: str  # relative to the repository, with "/" separators
    scenario_id: str
    original: str
    model_answer: str


def _code(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    return "\n".join(
        "".join(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "code"
    )


def first_exercise() -> Exercise:
    """The first exercise notebook (by name) with a scenario workbench, and its scenario."""
    from outreach_coach import data

    notebooks = sorted(EXERCISES.glob("*.ipynb"))
    for notebook in notebooks:
        match = _WORKBENCH_CALL.search(_code(notebook))
        if match:
            scenario = data.scenarios()[match.group(1)]
            return Exercise(
                path=notebook.relative_to(REPO).as_posix(),
                scenario_id=scenario.id,
                original=scenario.original,
                model_answer=scenario.model_answer,
            )
    pytest.fail(
        f"No exercise notebook with a Workbench('<scenario id>') cell in {EXERCISES} "
        f"(found: {[n.name for n in notebooks]})",
        pytrace=False,
    )


def verdicts(scenario_id: str, text: str) -> dict[str, bool]:
    """category -> passed, as the grader judges `text` for this scenario."""
    from outreach_coach import data, grade

    scenario = data.scenarios()[scenario_id]
    report = grade(
        text,
        recipient=data.recipients()[scenario.recipient],
        sender=data.senders()[scenario.sender],
    )
    return {name: result.passed for name, result in report.categories.items()}


def simulator_lesson() -> str:
    if not (REPO / SIMULATOR_LESSON).is_file():
        pytest.fail(
            f"{SIMULATOR_LESSON} is missing (the reply-all simulator lesson)", pytrace=False
        )
    return SIMULATOR_LESSON
