"""The harness itself, on a tiny notebook of its own (no course code): servers, token, browser,
a widget round trip through the kernel, and JupyterLab's news pop-up turned off.

When these pass and the course tests fail, the course is at fault, not the harness.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import nbformat
import pytest

from .pages import UI_TIMEOUT_MS, open_lab_and_run, open_voila
from .servers import LAB_SETTINGS_OVERRIDES

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

NOTEBOOK = "harness.ipynb"
CODE = """\
import html
import ipywidgets as widgets

text = widgets.Textarea()
text.add_class("h-text")
button = widgets.Button(description="Echo")
button.add_class("h-button")
out = widgets.HTML()
out.add_class("h-out")


def echo(_):
    out.value = "kernel got: " + html.escape(text.value)


button.on_click(echo)
box = widgets.VBox([text, button, out])
box.add_class("h-box")
box
"""
SAMPLE = "hello <b>kernel</b> & co"


@pytest.fixture(scope="module")
def harness_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("harness-notebooks")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(CODE)]
    nbformat.write(notebook, root / NOTEBOOK)
    return root


@pytest.fixture(scope="module")
def harness_lab(server_pool, harness_root):
    server = server_pool.lab(harness_root, name="harness-lab")
    yield server
    server.delete_sessions()
    server.stop()


@pytest.fixture(scope="module")
def harness_voila(server_pool, harness_root):
    server = server_pool.voila(harness_root, name="harness-voila")
    yield server
    server.stop()


def _echo_round_trip(page) -> None:
    page.locator(".h-box .h-text textarea").fill(SAMPLE)
    page.locator(".h-box .h-button").click()
    out = page.locator(".h-box .h-out")
    out.get_by_text(f"kernel got: {SAMPLE}").wait_for(timeout=UI_TIMEOUT_MS)


def test_servers_require_the_token(harness_lab, harness_voila):
    for server, path in ((harness_lab, "api/status"), (harness_voila, "voila/tree")):
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as response:
                landed = response.url
        except urllib.error.HTTPError as error:
            landed = f"HTTP {error.code}"
        assert "login" in landed or "403" in landed, f"{server.name} answered without token"
        assert server.api("GET", path)[0] == 200


def test_lab_news_popup_is_off(harness_lab):
    status, settings = harness_lab.api(
        "GET", "lab/api/settings/@jupyterlab/apputils-extension:notification"
    )
    assert status == 200
    properties = settings["schema"]["properties"]
    wanted = LAB_SETTINGS_OVERRIDES["@jupyterlab/apputils-extension:notification"]
    assert properties["fetchNews"]["default"] == wanted["fetchNews"]
    assert properties["checkForUpdates"]["default"] == wanted["checkForUpdates"]


def test_lab_widget_round_trip(page, harness_lab, recorder):
    recorder.servers.append(harness_lab)
    open_lab_and_run(page, harness_lab, NOTEBOOK)
    _echo_round_trip(page)
    assert page.get_by_text("official Jupyter news").count() == 0, "news pop-up is showing"
    assert recorder.dialogs == []


def test_voila_widget_round_trip(page, harness_voila, recorder):
    recorder.servers.append(harness_voila)
    open_voila(page, harness_voila, NOTEBOOK, ".h-box")
    _echo_round_trip(page)
    assert recorder.dialogs == []
