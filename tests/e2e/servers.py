"""Start, poll and stop JupyterLab and Voilà for the browser tests.

Every server runs on 127.0.0.1 with a free port and a random token, in its own process group,
with Jupyter's, IPython's, matplotlib's and the course's folders pointed at a temporary folder so
that a test run leaves nothing in HOME. Nothing here imports Playwright.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tools import launch

REPO = Path(__file__).resolve().parents[2]

SERVER_START_TIMEOUT = 60.0  # seconds until a server must answer (it takes ~3-4 s here)
SERVER_STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL
HTTP_TIMEOUT = 10.0  # one API request
KERNEL_IDLE_TIMEOUT = 90.0  # seconds for every kernel to become idle after "run all"

# The course's own JupyterLab settings (no news pop-up, no update check, no widget state), as
# start.sh uses them, plus autosave off: the tests run the course's own notebooks and must never
# write into them, even stripped.
COURSE_LAB_SETTINGS = REPO / launch.LAB_SETTINGS_DIR / "overrides.json"
LAB_SETTINGS_OVERRIDES = {
    **json.loads(COURSE_LAB_SETTINGS.read_text(encoding="utf-8")),
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect (e.g. to /login when the token is wrong) instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class ServerError(RuntimeError):
    """A server did not start, or an API call failed."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(base: Path) -> dict[str, str]:
    """The environment for servers (and their kernels) and the browser: all state under base."""
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "jupyter-config",
        # The widgets manager and Voilà's labextensions live in sys.prefix/share/jupyter, which
        # stays on Jupyter's data path whatever JUPYTER_DATA_DIR says.
        "JUPYTER_DATA_DIR": base / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": base / "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "jupyter-config" / "lab" / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "jupyter-config" / "lab" / "workspaces",
        "IPYTHONDIR": base / "ipython",
        "MPLCONFIGDIR": base / "matplotlib",
        "XDG_CONFIG_HOME": base / "xdg-config",
        "XDG_CACHE_HOME": base / "xdg-cache",
        "XDG_DATA_HOME": base / "xdg-data",
        "OUTREACH_COACH_PROGRESS": base / "progress",
        "npm_config_cache": base / "npm-cache",  # npm writes its logs there, not in ~/.npm
    }
    # The course's Jupyter settings, found the way start.sh makes Jupyter find them.
    env = launch.course_env(REPO, os.environ)
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("JUPYTER_TOKEN", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM the server if pytest dies without running its fixtures' teardown."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass(eq=False)  # compared and hashed by identity
class Server:
    """One running server process and how to reach it."""

    name: str
    url: str  # base URL, ends with "/"
    token: str
    root_dir: Path
    proc: subprocess.Popen
    log_path: Path
    progress_dir: Path
    kernel_ids: set[str] = field(default_factory=set)  # Voilà: kernels the pages started

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path.lstrip('/')}{sep}token={self.token}"

    def api(self, method: str, path: str, body: object = None, timeout: float = HTTP_TIMEOUT):
        """Call the server's REST API with the token; returns (status, decoded JSON or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path.lstrip("/"),
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            return error.code, None
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- kernels and sessions (JupyterLab) ------------------------------------------------

    def kernels(self) -> list[dict]:
        status, kernels = self.api("GET", "api/kernels")
        if status != 200:
            raise ServerError(f"{self.name}: GET /api/kernels answered {status}")
        return kernels or []

    def wait_kernels_idle(self, timeout: float = KERNEL_IDLE_TIMEOUT, settle: int = 3) -> None:
        """Poll GET /api/kernels until there is a kernel and every one is idle `settle` times."""
        deadline = time.monotonic() + timeout
        streak = 0
        states: list[str] = []
        while time.monotonic() < deadline:
            kernels = self.kernels()
            states = [kernel.get("execution_state", "?") for kernel in kernels]
            streak = streak + 1 if states and all(s == "idle" for s in states) else 0
            if streak >= settle:
                return
            time.sleep(0.3)
        raise ServerError(f"{self.name}: kernels not idle after {timeout:.0f} s: {states}")

    def delete_sessions(self) -> None:
        """Shut down every session and kernel (they outlive the browser page)."""
        status, sessions = self.api("GET", "api/sessions")
        for session in sessions or [] if status == 200 else []:
            self.api("DELETE", f"api/sessions/{session['id']}")
        status, kernels = self.api("GET", "api/kernels")
        for kernel in kernels or [] if status == 200 else []:
            self.api("DELETE", f"api/kernels/{kernel['id']}")

    # -- kernels (Voilà: one per page load, no list endpoint) -----------------------------

    def delete_voila_kernels(self) -> None:
        for kernel_id in sorted(self.kernel_ids):
            self.api("DELETE", f"api/kernels/{kernel_id}")
        self.kernel_ids.clear()

    # -- stopping ---------------------------------------------------------------------------

    def stop(self) -> None:
        """Terminate by process id, kill after a timeout, then sweep the process group."""
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen, timeout: float = SERVER_STOP_TIMEOUT) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
    # The server was started as the leader of a new process group: sweep what is left in it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _wait_ready(server: Server, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerError(
                f"{server.name} exited with code {server.proc.returncode} before answering.\n"
                f"Log {server.log_path}:\n{server.log_tail()}"
            )
        try:
            status, _ = server.api("GET", ready_path, timeout=2)
            if status == 200:
                return
            last = f"HTTP {status}"
        except (OSError, urllib.error.URLError) as error:
            last = str(error)
        time.sleep(0.2)
    stop_process(server.proc)
    raise ServerError(
        f"{server.name} did not answer {ready_path} within {timeout:.0f} s ({last}).\n"
        f"Log {server.log_path}:\n{server.log_tail()}"
    )


def _start(
    name: str,
    argv_for_port,
    ready_path: str,
    root_dir: Path,
    env: dict[str, str],
    log_dir: Path,
    token: str,
    timeout: float,
) -> Server:
    log_dir.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(3):  # a port can be taken between free_port() and the bind
        port = free_port()
        log_path = log_dir / f"{name}-{port}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                argv_for_port(port),
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        server = Server(
            name=name,
            url=f"http://127.0.0.1:{port}/",
            token=token,
            root_dir=root_dir,
            proc=proc,
            log_path=log_path,
            progress_dir=Path(env["OUTREACH_COACH_PROGRESS"]),
        )
        try:
            _wait_ready(server, ready_path, timeout)
            return server
        except ServerError as error:
            stop_process(proc)
            last_error = error
            if "already in use" not in server.log_tail() or attempt == 2:
                break
    raise last_error  # type: ignore[misc]


def start_lab(
    root_dir: Path,
    env: dict[str, str],
    log_dir: Path,
    app_settings_dir: Path,
    checkpoint_dir: Path,
) -> Server:
    """JupyterLab serving root_dir, with window.jupyterapp exposed and the news pop-up off.

    Opening a notebook makes JupyterLab write a checkpoint copy: into checkpoint_dir (absolute),
    not into an .ipynb_checkpoints folder next to the course's notebooks.
    """
    app_settings_dir.mkdir(parents=True, exist_ok=True)
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    (app_settings_dir / "overrides.json").write_text(json.dumps(LAB_SETTINGS_OVERRIDES, indent=2))
    token = secrets.token_hex(16)

    def argv(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # as root JupyterLab refuses to start without it
            f"--port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.token={token}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={root_dir}",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, for commands.execute
            f"--LabApp.app_settings_dir={app_settings_dir}",  # where overrides.json is read
            f"--FileCheckpoints.checkpoint_dir={checkpoint_dir}",
            # jupyter-lsp would run `npm prefix -g` looking for language servers: not needed.
            "--LanguageServerManager.autodetect=False",
        ]

    return _start(
        "jupyterlab", argv, "api/status", root_dir, env, log_dir, token, SERVER_START_TIMEOUT
    )


def start_voila(root_dir: Path, env: dict[str, str], log_dir: Path) -> Server:
    """Voilà in tree mode serving root_dir (every page load starts a kernel), with the course's
    voila.json and template as `start.sh --voila` starts it."""
    token = secrets.token_hex(16)

    def argv(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "voila",
            "--no-browser",
            f"--port={port}",
            "--Voila.port_retries=0",
            "--Voila.ip=127.0.0.1",
            # Not "--token": in Voilà 0.5 that bare flag means "generate a token".
            f"--Voila.token={token}",
            f"--Voila.root_dir={root_dir}",
            "--show_tracebacks=True",  # a failing cell shows its traceback in the screenshot
        ]

    return _start("voila", argv, "voila/tree", root_dir, env, log_dir, token, SERVER_START_TIMEOUT)
