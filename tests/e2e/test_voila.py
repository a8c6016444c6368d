"""The first exercise as a Voilà app: rewrite, check, and find the draft again on the next visit."""

from __future__ import annotations

import json

import pytest

from .course import first_exercise, verdicts
from .pages import check_draft, draft_box, expect, expect_not_checked, open_voila, workbench

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]


def test_workbench_grades_and_restores_the_draft(page, voila, recorder):
    exercise = first_exercise()
    first_kernel = open_voila(page, voila, exercise.path, ".oc-workbench")
    box = workbench(page)
    expect(draft_box(box)).to_have_value(exercise.original)  # nothing saved yet
    expect_not_checked(box)

    check_draft(box, exercise.original, verdicts(exercise.scenario_id, exercise.original))
    passing = verdicts(exercise.scenario_id, exercise.model_answer)
    assert all(passing.values()), "the scenario's model answer should pass every category"
    check_draft(box, exercise.model_answer, passing)

    saved_file = voila.progress_dir / f"{exercise.scenario_id}.json"
    assert json.loads(saved_file.read_text("utf-8"))["text"] == exercise.model_answer

    # A second visit is a new page and a new kernel: the saved draft must come back.
    second_kernel = open_voila(page, voila, exercise.path, ".oc-workbench")
    assert second_kernel != first_kernel, "Voilà reused the kernel: this is not a fresh visit"
    box = workbench(page)
    expect(draft_box(box)).to_have_value(exercise.model_answer)
    expect(box.locator(".oc-saved-note")).to_contain_text("This is your draft saved")
    assert recorder.dialogs == []
