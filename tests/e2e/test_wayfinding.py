"""From lesson 00 to the course summary by links alone: every page's "Next step" link, in
JupyterLab and in Voilà, then the finish page's "Save my course summary" and its download."""

from __future__ import annotations

import base64
import itertools
import re
from urllib.parse import unquote, urlsplit

import pytest

from tools.build_course import course_path

from .pages import (
    FEEDBACK_TIMEOUT_MS,
    RENDER_TIMEOUT_MS,
    expect,
    open_lab_notebook,
    open_voila,
    record_voila_kernel,
    run_all_cells,
    wait_notebook_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

NEXT_LINK = re.compile(r"→\s*$")
PAGES = [path for path, _ in course_path()]

# Scroll the current notebook to its last cell: JupyterLab only renders the cells in view.
_TO_LAST_CELL_JS = """
async () => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  await notebook.scrollToItem(notebook.widgets.length - 1);
}
"""


def _summary_link(page):
    """Click "Save my course summary" and return the decoded page behind the download link."""
    page.locator(".oc-summary-save button, button.oc-summary-save").first.click()
    link = page.locator(".oc-summary-result a.oc-download").first
    expect(link).to_be_visible(timeout=FEEDBACK_TIMEOUT_MS)
    href = link.get_attribute("href") or ""
    assert href.startswith("data:text/html;base64,"), href[:80]
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "course-summary.html"
    return base64.b64decode(href.split(",", 1)[1]).decode("utf-8")


def test_lab_walks_from_lesson_00_to_the_summary_by_links(page, lab) -> None:
    open_lab_notebook(page, lab, PAGES[0])
    for here, there in itertools.pairwise(PAGES):
        page.evaluate(_TO_LAST_CELL_JS)
        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        link = panel.locator(".jp-RenderedMarkdown a").filter(has_text=NEXT_LINK).last
        expect(link).to_be_visible()
        link.click()
        wait_notebook_ready(page, there)
        assert here != there
    run_all_cells(page, lab)
    summary = _summary_link(page)
    assert "course summary" in summary and "Lessons" in summary
    assert (lab.progress_dir / "course-summary.html").read_text("utf-8") == summary


def test_voila_walks_from_lesson_00_to_the_summary_by_links(page, voila) -> None:
    open_voila(page, voila, PAGES[0], "#rendered_cells h2")
    for there in PAGES[1:]:
        link = page.locator("#rendered_cells a").filter(has_text=NEXT_LINK).last
        link.click()
        page.wait_for_url(re.compile(re.escape(f"voila/render/{there}")))
        page.locator("#rendered_cells h1").first.wait_for(timeout=RENDER_TIMEOUT_MS)
        assert unquote(urlsplit(page.url).path).endswith(there)
        record_voila_kernel(page, voila)
    page.locator(".oc-summary-save").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    summary = _summary_link(page)
    # Voilà ran every lesson on the way, and each one marked itself as read.
    assert "Lessons read</th><td>7 of 7" in summary
