"""The course asks no outside host: JupyterLab on lesson 00 and Voilà on the landing page and an
exercise make requests to 127.0.0.1 (or localhost) only. Each view shows its own instructions."""

from __future__ import annotations

import pytest

from tools.build_course import LANDING, RUN_ALL_TEXT

from .course import first_exercise
from .pages import (
    expect,
    open_lab_notebook,
    open_voila,
    outside_requests_of,
    run_all_cells,
    workbench,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(200)]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
FIRST_LESSON = "lessons/00_start_here.ipynb"
SETTLE_MS = 3_000  # JupyterLab checks for news a moment after it starts


@pytest.fixture
def outside_requests(page) -> list[str]:
    """Every request the page makes to a host that is not this machine."""
    return outside_requests_of(page, LOCAL_HOSTS)


def test_jupyterlab_on_lesson_00_asks_no_outside_host(page, lab, outside_requests) -> None:
    open_lab_notebook(page, lab, FIRST_LESSON)
    banner = RUN_ALL_TEXT.split("**")[3]  # "Run → Run All Cells"
    # Checked before running: Run All then scrolls to the last cell.
    shown = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown")
    expect(shown.filter(has_text=banner).first).to_be_visible()
    run_all_cells(page, lab)
    expect(page.locator(".jp-Dialog")).to_have_count(0)  # no news pop-up over the notebook
    page.wait_for_timeout(SETTLE_MS)
    assert outside_requests == []


def test_voila_landing_and_exercise_ask_no_outside_host(page, voila, outside_requests) -> None:
    open_voila(page, voila, LANDING, "#rendered_cells h2")
    link = page.locator(f"a[href$='{FIRST_LESSON}']").first
    expect(link).to_be_visible()
    expect(page.locator("a[href*='solutions/']")).to_have_count(0)

    open_voila(page, voila, first_exercise().path, ".oc-workbench")
    workbench(page)
    body = page.locator("#rendered_cells")
    expect(body).to_contain_text("Use the workbench above")
    expect(body).not_to_contain_text("Run All Cells")
    expect(body).not_to_contain_text("Error displaying widget")
    page.wait_for_timeout(SETTLE_MS)
    assert outside_requests == []
