"""The course with nothing installed: the JupyterLite build (tools/build_lite.py), served as
static files on 127.0.0.1 and taken in Chromium with Python running in the page (Pyodide).

Lesson 00 runs, exercise 01 goes from a failing to a passing draft with the same verdicts as
the grader on this machine, the draft is back after a reload (the browser's own storage), and
no request leaves 127.0.0.1. The timings are written to test-artifacts/lite-timings.json.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.build_lite import build, folder_size

from .course import first_exercise, verdicts
from .pages import (
    check_draft,
    draft_box,
    expect,
    expect_not_checked,
    outside_requests_of,
    run_all_cells_command,
    wait_notebook_ready,
    workbench,
)
from .servers import REPO

pytestmark = [pytest.mark.lite, pytest.mark.timeout(900)]

FIRST_LESSON = "lessons/00_start_here.ipynb"
# Pyodide starts, then loads the kernel's and the course's wheels: 16-60 s on a loaded 2-core
# machine. A check's first answer also loads the meaning model (18 MB).
START_TIMEOUT_MS = 240_000
FIRST_FEEDBACK_TIMEOUT_MS = 90_000
OPEN_JS = """
async (path) => {
  await window.jupyterapp.restored;
  await window.jupyterapp.commands.execute('docmanager:open', {path});
}
"""


class _StaticFiles(http.server.SimpleHTTPRequestHandler):
    """The site's files, with the types a browser insists on for modules and WebAssembly."""

    extensions_map = {  # noqa: RUF012 - the base class's own attribute, extended
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass  # a quiet test log


@pytest.fixture(scope="session")
def lite_site(tmp_path_factory) -> Path:
    """The offline site, built from this repository."""
    site = tmp_path_factory.mktemp("lite") / "site"
    build(site)
    return site


@pytest.fixture(scope="session")
def lite_url(lite_site) -> Iterator[str]:
    """The site served on 127.0.0.1, stopped at the end of the session."""
    handler = functools.partial(_StaticFiles, directory=str(lite_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _open(page, path: str) -> None:
    """Open a notebook in the running JupyterLite (as a link in a lesson does) and wait until
    its kernel is idle."""
    page.wait_for_function(
        "() => !!(window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open'))",
        timeout=START_TIMEOUT_MS,
    )
    page.evaluate(OPEN_JS, path)
    wait_notebook_ready(page, path, timeout_ms=START_TIMEOUT_MS)


def test_the_course_runs_offline_in_the_browser(
    page, browser_context, recorder, lite_site, lite_url
) -> None:
    outside = outside_requests_of(browser_context, {"127.0.0.1"})
    timings: dict[str, float] = {"site_mb": round(folder_size(lite_site) / 1e6, 1)}

    started = time.monotonic()
    page.goto(f"{lite_url}lab/index.html", wait_until="domcontentloaded")
    _open(page, FIRST_LESSON)
    run_all_cells_command(page, timeout_ms=START_TIMEOUT_MS)
    outputs = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output")
    expect(outputs.filter(has_text="marked as read")).to_be_visible(timeout=START_TIMEOUT_MS)
    timings["lesson_00_run_s"] = round(time.monotonic() - started, 1)
    expect(outputs.filter(has_text="Your drafts are saved in: /drive/progress")).to_be_visible()
    expect(outputs.filter(has_text="Traceback")).to_have_count(0)

    exercise = first_exercise()
    started = time.monotonic()
    _open(page, exercise.path)
    run_all_cells_command(page, timeout_ms=START_TIMEOUT_MS)
    box = workbench(page)
    timings["exercise_01_first_widget_s"] = round(time.monotonic() - started, 1)
    expect_not_checked(box)

    failing = verdicts(exercise.scenario_id, exercise.original)
    assert not all(failing.values()), "the scenario's original message should fail somewhere"
    started = time.monotonic()
    check_draft(box, exercise.original, failing, timeout_ms=FIRST_FEEDBACK_TIMEOUT_MS)
    timings["first_feedback_s"] = round(time.monotonic() - started, 1)

    passing = verdicts(exercise.scenario_id, exercise.model_answer)
    assert all(passing.values()), "the scenario's model answer should pass every category"
    started = time.monotonic()
    check_draft(box, exercise.model_answer, passing, timeout_ms=FIRST_FEEDBACK_TIMEOUT_MS)
    timings["second_feedback_s"] = round(time.monotonic() - started, 1)

    started = time.monotonic()
    page.reload(wait_until="domcontentloaded")
    _open(page, exercise.path)
    run_all_cells_command(page, timeout_ms=START_TIMEOUT_MS)
    box = workbench(page)
    expect(draft_box(box)).to_have_value(exercise.model_answer)
    # Read back from the save file in the browser's storage by the new kernel: two checks.
    expect(box.locator(".oc-saved-note")).to_contain_text("(checked 2 times)")
    timings["reload_to_restored_draft_s"] = round(time.monotonic() - started, 1)

    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "lite-timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    print(f"JupyterLite timings: {timings}")
    assert recorder.dialogs == []
    assert outside == []
