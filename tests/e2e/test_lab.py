"""The first exercise in JupyterLab: run all cells, rewrite, check, read the feedback."""

from __future__ import annotations

import json

import pytest

from .course import first_exercise, verdicts
from .pages import (
    FEEDBACK_TIMEOUT_MS,
    check_draft,
    draft_box,
    expect,
    expect_not_checked,
    highlighted,
    open_lab_and_run,
    workbench,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

CELL_COUNT_JS = "() => window.jupyterapp.shell.currentWidget.content.widgets.length"


def test_workbench_grades_a_failing_then_a_passing_rewrite(page, lab, recorder):
    exercise = first_exercise()
    open_lab_and_run(page, lab, exercise.path)
    box = workbench(page)
    expect_not_checked(box)

    failing = verdicts(exercise.scenario_id, exercise.original)
    assert not all(failing.values()), "the scenario's original message should fail somewhere"
    check_draft(box, exercise.original, failing)

    passing = verdicts(exercise.scenario_id, exercise.model_answer)
    assert all(passing.values()), "the scenario's model answer should pass every category"
    check_draft(box, exercise.model_answer, passing)

    saved = json.loads((lab.progress_dir / f"{exercise.scenario_id}.json").read_text("utf-8"))
    assert saved["text"] == exercise.model_answer
    assert recorder.dialogs == []


def test_typing_on_the_keyboard_reaches_the_kernel(page, lab):
    """Real key presses (not page.fill) go into the draft, not to JupyterLab's shortcuts
    (in command mode "a", "b", "d d", "m" would add, delete or convert cells)."""
    exercise = first_exercise()
    open_lab_and_run(page, lab, exercise.path)
    box = workbench(page)
    cells = page.evaluate(CELL_COUNT_JS)

    area = draft_box(box)
    area.fill("")
    area.click()
    typed = "Hi Beatriz,\nadd, bdd, mm: a draft typed key by key."
    page.keyboard.type(typed)
    expect(area).to_have_value(typed)
    box.locator(".oc-check").click()
    expect(highlighted(box)).to_contain_text(
        "a draft typed key by key.", timeout=FEEDBACK_TIMEOUT_MS
    )
    assert page.evaluate(CELL_COUNT_JS) == cells, "typing changed the notebook's cells"
