"""Learner text is shown as text: markup typed into the draft never runs in the page."""

from __future__ import annotations

import re

import pytest

from .course import first_exercise
from .pages import (
    CATEGORIES,
    FEEDBACK_TIMEOUT_MS,
    category,
    draft_box,
    error_box,
    expect,
    fill_draft,
    highlighted,
    open_lab_and_run,
    open_voila,
    workbench,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "Hi Beatriz, <svg onload=alert(1)> and <img src=x onerror=alert(1)> again.",
)
# Elements the payloads would create if the page parsed them as HTML.
INJECTED = "img[src='x'], svg[onload], script:not([type]), script[type='text/javascript']"
VERDICT = re.compile("✓ Passed|✗ Needs work")
HIGHLIGHT = ".oc-workbench .oc-feedback .oc-highlight"
CHANGED_JS = "([css, old]) => document.querySelector(css)?.innerHTML !== old"
# The highlighted text's characters, without the flag numbers ("[1]") that the marks add.
SHOWN_TEXT_JS = f"""
() => {{
  const node = document.querySelector('{HIGHLIGHT}');
  return node ? node.textContent.replace(/\\[\\d+\\]/g, '') : '';
}}
"""


@pytest.mark.parametrize("app", ["lab", "voila"])
def test_markup_in_the_draft_is_shown_literally_and_never_runs(page, recorder, request, app):
    exercise = first_exercise()
    server = request.getfixturevalue(app)
    if app == "lab":
        open_lab_and_run(page, server, exercise.path)
    else:
        open_voila(page, server, exercise.path, ".oc-workbench")
    box = workbench(page)

    for payload in PAYLOADS:
        before = highlighted(box).inner_html()
        fill_draft(box, payload)
        box.locator(".oc-check").click()
        # The kernel answered once the highlighted text changed; then any injected handler
        # (an <img> fires onerror when its load fails) has had its chance to open a dialog.
        page.wait_for_function(
            CHANGED_JS,
            arg=[HIGHLIGHT, before],
            timeout=FEEDBACK_TIMEOUT_MS,
        )
        page.wait_for_timeout(300)
        assert recorder.dialogs == [], f"{payload!r} opened a dialog: {recorder.dialogs}"
        page.wait_for_function(
            f"(text) => ({SHOWN_TEXT_JS})().includes(text)",
            arg=payload,
            timeout=FEEDBACK_TIMEOUT_MS,
        )
        expect(draft_box(box)).to_have_value(payload)
        for name in CATEGORIES:  # every category got a verdict, not an error
            expect(category(box, name)).to_contain_text(VERDICT)
        expect(error_box(box)).not_to_contain_text("went wrong")
        injected = box.locator(".oc-feedback").locator(INJECTED)
        assert injected.count() == 0, f"{payload!r} became markup in the feedback"

    page.wait_for_timeout(500)
    assert recorder.dialogs == [], f"a dialog opened: {recorder.dialogs}"
    assert page.evaluate("() => document.querySelectorAll(\"img[src='x']\").length") == 0
