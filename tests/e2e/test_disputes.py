"""The workbench's "This verdict looks wrong" button, clicked in JupyterLab and in Voilà: the
dispute file lands beside the learner's drafts with the draft, the verdict and the comment."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .course import first_exercise
from .pages import (
    FEEDBACK_TIMEOUT_MS,
    expect,
    fill_draft,
    open_lab_and_run,
    open_voila,
    workbench,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

COMMENT = "The offer fits their post, I think."


def dispute_and_find_the_file(page, progress_dir: Path) -> dict:
    exercise = first_exercise()
    box = workbench(page)
    fill_draft(box, exercise.model_answer)
    box.locator(".oc-dispute-comment input").fill(COMMENT)
    button = box.locator(".oc-dispute")
    expect(button).to_have_text("This verdict looks wrong")
    button.click()
    expect(box.locator(".oc-dispute-result")).to_contain_text(
        "Thank you", timeout=FEEDBACK_TIMEOUT_MS
    )
    deadline = time.monotonic() + 10
    files: list[Path] = []
    while not files and time.monotonic() < deadline:
        files = sorted((progress_dir / "disputes").glob(f"{exercise.scenario_id}-*.json"))
        time.sleep(0.1)
    assert len(files) == 1, f"no dispute file in {progress_dir / 'disputes'}"
    record = json.loads(files[0].read_text("utf-8"))
    assert record["draft"] == exercise.model_answer
    assert record["comment"] == COMMENT
    assert set(record["report"]["categories"]) == {
        "personalization",
        "relevance",
        "mechanics",
        "etiquette",
    }
    expect(box.locator(".oc-dispute-result")).to_contain_text(files[0].name)
    return record


def test_dispute_button_in_jupyterlab(page, lab, recorder):
    open_lab_and_run(page, lab, first_exercise().path)
    dispute_and_find_the_file(page, lab.progress_dir)
    assert recorder.dialogs == []


def test_dispute_button_in_voila(page, voila, recorder):
    open_voila(page, voila, first_exercise().path, ".oc-workbench")
    dispute_and_find_the_file(page, voila.progress_dir)
    assert recorder.dialogs == []
