"""Browser-side steps shared by the tests: open a notebook in JupyterLab or Voilà, drive widgets.

Selectors rest on the CSS classes of docs/CONTRACTS.md ("Workbench"), never on layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .servers import Server

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture fails with install instructions; collection must not
    expect = None

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

UI_TIMEOUT_MS = 30_000  # one click, fill or visible element
NOTEBOOK_TIMEOUT_MS = 60_000  # JupyterLab open + kernel started
RENDER_TIMEOUT_MS = 90_000  # Voilà executes the whole notebook before showing it
FEEDBACK_TIMEOUT_MS = 15_000  # a kernel round trip: the grader's answer, a redrawn plot

CATEGORIES = ("personalization", "relevance", "mechanics", "etiquette")
PASSED = "✓ Passed"
NEEDS_WORK = "✗ Needs work"
CHECK_LABEL = "Check my rewrite"

# True once the notebook at `path` is the current widget, its kernel connected and idle.
_NOTEBOOK_READY_JS = """
(path) => {
  const app = window.jupyterapp;
  const widget = app && app.shell && app.shell.currentWidget;
  if (!widget || !widget.context || widget.context.path !== path || !widget.context.isReady) {
    return false;
  }
  const session = widget.sessionContext && widget.sessionContext.session;
  const kernel = session && session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}
"""

# Starts "run all" without awaiting it in evaluate() (which has no timeout); the outcome is
# left in window.__ocRunAll and read back with a bounded wait.
_RUN_ALL_JS = """
() => {
  window.__ocRunAll = null;
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    (result) => { window.__ocRunAll = 'done:' + result; },
    (error) => { window.__ocRunAll = 'error:' + error; },
  );
}
"""


# -- JupyterLab ---------------------------------------------------------------------------------


def open_lab_notebook(page: Page, lab: Server, path: str) -> None:
    """Open /lab/tree/<path> and wait until its kernel is connected and idle."""
    page.goto(lab.page_url(f"lab/tree/{path}"), wait_until="domcontentloaded")
    page.wait_for_function(
        "() => !!(window.jupyterapp && window.jupyterapp.shell)", timeout=NOTEBOOK_TIMEOUT_MS
    )
    wait_notebook_ready(page, path)


def wait_notebook_ready(page: Page, path: str, timeout_ms: float = NOTEBOOK_TIMEOUT_MS) -> None:
    """Wait until the notebook at path is the current widget, its kernel connected and idle."""
    page.wait_for_function(_NOTEBOOK_READY_JS, arg=path, timeout=timeout_ms)


def run_all_cells_command(page: Page, timeout_ms: float = NOTEBOOK_TIMEOUT_MS) -> None:
    """Run every cell through JupyterLab's command and wait until it has returned."""
    page.evaluate(_RUN_ALL_JS)
    page.wait_for_function("() => window.__ocRunAll !== null", timeout=timeout_ms)
    outcome = page.evaluate("() => window.__ocRunAll")
    assert outcome.startswith("done"), f"notebook:run-all-cells failed: {outcome}"


def run_all_cells(page: Page, lab: Server) -> None:
    """Run every cell through JupyterLab's command, then wait on GET /api/kernels for idle."""
    run_all_cells_command(page)
    lab.wait_kernels_idle()


def outside_requests_of(target: Page | BrowserContext, local_hosts: set[str]) -> list[str]:
    """A list that fills with every request `target` makes to a host not in `local_hosts`."""
    seen: list[str] = []

    def record(request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in local_hosts:
            seen.append(request.url)

    target.on("request", record)
    return seen


def open_lab_and_run(page: Page, lab: Server, path: str) -> None:
    open_lab_notebook(page, lab, path)
    run_all_cells(page, lab)


# -- Voilà --------------------------------------------------------------------------------------


def open_voila(page: Page, voila: Server, path: str, ready_selector: str) -> str:
    """Load /voila/render/<path>, wait for ready_selector; returns the page's kernel id.

    Every load starts a kernel; its id is recorded on the server so the test's teardown can
    shut it down.
    """
    page.goto(voila.page_url(f"voila/render/{path}"), wait_until="commit")
    page.locator(ready_selector).first.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    return record_voila_kernel(page, voila)


def record_voila_kernel(page: Page, voila: Server) -> str:
    """The kernel id of the Voilà page on screen, recorded so the teardown shuts it down."""
    kernel_id = page.evaluate(
        """() => {
          const node = document.getElementById('jupyter-config-data');
          return node ? JSON.parse(node.textContent).kernelId || '' : '';
        }"""
    )
    if kernel_id:
        voila.kernel_ids.add(kernel_id)
    return kernel_id


# -- The workbench ------------------------------------------------------------------------------


def workbench(page: Page, index: int = 0) -> Locator:
    """The index-th workbench on the page, once it is visible."""
    box = page.locator(".oc-workbench").nth(index)
    box.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    return box


def draft_box(box: Locator) -> Locator:
    return box.locator(".oc-draft textarea")


def fill_draft(box: Locator, text: str) -> None:
    """Replace the draft (page.fill fires the input event that syncs the widget to the kernel)."""
    area = draft_box(box)
    area.fill(text)
    expect(area).to_have_value(text)


def click_check(box: Locator) -> None:
    button = box.locator(".oc-check")
    expect(button).to_have_text(CHECK_LABEL)
    button.click()


def category(box: Locator, name: str) -> Locator:
    return box.locator(f".oc-category-{name}")


def expect_category(box: Locator, name: str, passed: bool) -> None:
    label = PASSED if passed else NEEDS_WORK
    expect(category(box, name)).to_contain_text(label, timeout=FEEDBACK_TIMEOUT_MS)


def category_texts(box: Locator) -> dict[str, str]:
    texts = {}
    for name in CATEGORIES:
        node = category(box, name)
        texts[name] = node.first.inner_text() if node.count() else "(missing)"
    return texts


def expect_not_checked(box: Locator) -> None:
    """Before any check every category says so: a verdict seen later came from a click."""
    for name in CATEGORIES:
        expect(category(box, name)).to_contain_text("not checked yet")


def check_draft(
    box: Locator, text: str, expected: dict[str, bool], timeout_ms: float = FEEDBACK_TIMEOUT_MS
) -> None:
    """Type `text`, click "Check my rewrite", and compare each category to `expected`."""
    fill_draft(box, text)
    click_check(box)
    status = box.locator(".oc-status")
    verdict = "✓ Ready to send" if all(expected.values()) else "✗ Not ready to send yet"
    expect(status).to_contain_text(verdict, timeout=timeout_ms)
    for name in CATEGORIES:
        expect_category(box, name, expected[name])
    expect(status).to_contain_text("draft saved", timeout=FEEDBACK_TIMEOUT_MS)
    expect(error_box(box)).not_to_contain_text("went wrong")


def error_box(box: Locator) -> Locator:
    """The workbench's error widget. Only the widget: findings and marks of severity "error"
    in the feedback also carry the class oc-error (li.oc-finding.oc-error, mark.oc-error)."""
    return box.locator(".jupyter-widgets.oc-error")


def highlighted(box: Locator) -> Locator:
    """The learner's text as the feedback shows it, with the flagged parts marked."""
    return box.locator(".oc-feedback .oc-highlight")
