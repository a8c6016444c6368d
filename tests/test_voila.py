"""Voilà serves a course notebook: the page has the rendered text and widgets, no code, no errors.

Starts a real `voila` server (no browser) on 127.0.0.1 with a free port and a random token, with
every Jupyter folder in tmp_path, fetches one rendered notebook over HTTP and stops the server
by its process id. Renders lessons/01_reply_all_storm.ipynb (the reply-all simulator); until
that lesson exists, the first lesson there is, else a small notebook made in tmp_path.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tools import launch
from tools.build_course import RUN_ALL_TEXT, WIDGET_NOTE_TEXT

REPO = Path(__file__).resolve().parents[1]
PREFERRED = ("lessons/01_reply_all_storm.ipynb", "lessons/00_start_here.ipynb")
START_TIMEOUT = 30.0  # seconds until the server must answer (about 2 s here)
RENDER_TIMEOUT = 60.0  # seconds for Voilà to execute the notebook and send the page
STOP_TIMEOUT = 10.0

pytestmark = pytest.mark.timeout(150)  # the outer bound, whatever hangs


@dataclass(frozen=True)
class Voila:
    """A running Voilà server."""

    process: subprocess.Popen[bytes]
    base_url: str
    token: str
    log: Path

    def get(self, path: str, timeout: float = RENDER_TIMEOUT) -> str:
        """GET a page with the server's token; returns the body text."""
        url = f"{self.base_url}{path}?token={self.token}"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(base: Path) -> dict[str, str]:
    """Jupyter, IPython, matplotlib and course state under base, never in HOME or the repo."""
    env = dict(os.environ)
    folders = {
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
        "OUTREACH_COACH_PROGRESS": "progress",
    }
    for name, folder in folders.items():
        (base / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(base / folder)
    env["MPLBACKEND"] = "Agg"
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def small_notebook(folder: Path) -> str:
    """A notebook with markdown, a widget and the course's grader; returns its name."""
    cells = [
        nbformat.v4.new_markdown_cell("# Voilà smoke test\n\nThe course under Voilà."),
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\nwidgets.Button(description='Check my rewrite')"
        ),
        nbformat.v4.new_code_cell(
            "from outreach_coach import data, grade\n"
            "scenario = next(iter(data.scenarios().values()))\n"
            "grade(scenario.original, data.recipients()[scenario.recipient])"
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "smoke.ipynb")
    return "smoke.ipynb"


def wait_until_up(server: Voila) -> None:
    """Poll until the server answers, it exits, or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"voila exited with {server.process.returncode}:\n{_tail(server.log)}")
        with contextlib.suppress(OSError):
            server.get("/", timeout=2)
            return
        time.sleep(0.25)
    pytest.fail(f"voila did not answer within {START_TIMEOUT:.0f} s:\n{_tail(server.log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server (it shuts its kernels down), SIGKILL its process group if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group we created: server and kernels
        process.wait(STOP_TIMEOUT)


def _tail(log: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return ""


@contextlib.contextmanager
def running_voila(root: Path, base: Path, course_config: bool = False) -> Iterator[Voila]:
    """Voilà in tree mode on root, for the duration of the with block; with course_config, as
    `start.sh --voila` starts it (the course's template and file list)."""
    port, token = free_port(), secrets.token_hex(16)
    log = base / "voila.log"
    options = [
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--show_tracebacks=True",  # a failing cell then says why in the page
    ]
    command = launch.voila_command(root, sys.executable, options)
    env = isolated_env(base)
    if course_config:
        env = launch.course_env(root, env)
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a hung kernel can be reaped
        )
    server = Voila(process, f"http://127.0.0.1:{port}", token, log)
    try:
        wait_until_up(server)
        yield server
    finally:
        stop(process)


def choose_notebook(tmp_path: Path) -> tuple[Path, str, nbformat.NotebookNode]:
    """(root to serve, notebook path under it, the notebook): the real lesson when it exists."""
    for relative in PREFERRED:
        if (REPO / relative).exists():
            return REPO, relative, nbformat.read(REPO / relative, as_version=4)
    root = tmp_path / "notebooks"
    root.mkdir()
    name = small_notebook(root)
    return root, name, nbformat.read(root / name, as_version=4)


def first_heading(notebook: nbformat.NotebookNode) -> str:
    """The text of the first Markdown heading, as Voilà renders it."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip().replace("`", "")
    return ""


def uses_widgets(notebook: nbformat.NotebookNode) -> bool:
    """Whether any code cell builds a widget (course widgets or ipywidgets)."""
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return any(word in code for word in ("ipywidgets", "Workbench", "simulator", "show_", "quiz"))


def test_voila_renders_a_course_notebook(tmp_path: Path) -> None:
    root, relative, notebook = choose_notebook(tmp_path)
    with running_voila(root, tmp_path) as server:
        started = time.monotonic()
        page = server.get(f"/voila/render/{relative}")
        elapsed = time.monotonic() - started
    assert elapsed < RENDER_TIMEOUT
    heading = first_heading(notebook)
    assert heading, f"{relative} has no Markdown heading to show under Voilà"
    assert heading in html.unescape(page)
    # Code cells are hidden: Voilà marks them jp-mod-noInput and sends no source.
    code_cells = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    if code_cells:
        assert "jp-mod-noInput" in page
        assert code_cells[0].source.strip() not in page
    if uses_widgets(notebook):
        assert "application/vnd.jupyter.widget-view+json" in page
    # A cell that raised shows an error box to the learner; none may.
    assert '"output_type": "error"' not in page, "a cell raised an error under Voilà"
    assert "There was an error when executing cell" not in page
    assert "Traceback (most recent call last)" not in page


OUTSIDE_URL = re.compile(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""")


def test_course_voila_shows_learner_pages_only_and_asks_no_outside_host(tmp_path: Path) -> None:
    with running_voila(REPO, tmp_path, course_config=True) as server:
        listing = json.loads(server.get("/voila/api/contents/"))
        exercise = server.get("/voila/render/exercises/01_mass_note.ipynb")
        landing = server.get("/voila/render/course.ipynb")
        tree = server.get("/voila/tree")
    assert sorted(item["name"] for item in listing["content"]) == [
        "course.ipynb",
        "exercises",
        "lessons",
    ]
    page = html.unescape(exercise)
    assert "Use the workbench above" in page
    assert "Run All Cells" in RUN_ALL_TEXT and "Error displaying widget" in WIDGET_NOTE_TEXT
    assert "Run All Cells" not in page and "Error displaying widget" not in page
    assert "lessons/00_start_here.ipynb" in landing
    for name, body in {"exercise": exercise, "landing": landing, "tree": tree}.items():
        outside = [url for url in OUTSIDE_URL.findall(body) if "127.0.0.1" not in url]
        assert outside == [], f"the {name} page loads from outside hosts: {outside}"
