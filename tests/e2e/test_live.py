""" "Check as I type" in JupyterLab: ticking the box and typing updates the marked-up preview,
including the grade that comes from a timer thread when typing pauses."""

from __future__ import annotations

import pytest

from .course import first_exercise
from .pages import FEEDBACK_TIMEOUT_MS, draft_box, expect, open_lab_and_run, workbench

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]


def test_check_as_i_type_updates_the_preview(page, lab, recorder):
    open_lab_and_run(page, lab, first_exercise().path)
    box = workbench(page)
    box.locator(".oc-live input").check()
    preview = box.locator(".oc-live-preview")
    area = draft_box(box)
    area.fill("")
    area.click()
    page.keyboard.type("hi Beatriz, i typed this !!")
    # Marks split the text with their numbers ("hi[1] Beatriz"): look for the last words.
    expect(preview).to_contain_text("this !!", timeout=FEEDBACK_TIMEOUT_MS)
    expect(preview).to_contain_text("As you type")
    expect(preview.locator("mark.oc-error").first).to_be_visible()
    box.locator(".oc-live input").uncheck()
    expect(preview).to_have_text("", timeout=FEEDBACK_TIMEOUT_MS)
    assert recorder.dialogs == []
