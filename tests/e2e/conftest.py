"""Fixtures for the browser tests: JupyterLab, Voilà, Chromium, and failure artifacts.

Servers and the browser are started once per session, only when an e2e test is selected
(`pytest -m "not e2e"` starts nothing). Each server is stopped by process id at the end.
A failing test leaves a screenshot and the page's console log in test-artifacts/ and names them
in its failure message.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .servers import REPO, Server, ServerError, isolated_env, start_lab, start_voila

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("OC_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BROWSER_LAUNCH_TIMEOUT_MS = 30_000
DEFAULT_TIMEOUT_MS = 30_000
INSTALL_HELP = (
    "The browser tests need Chromium and Playwright for Python. Install them with\n"
    "    apt-get install chromium        # the browser, at /usr/bin/chromium\n"
    "    pip install playwright          # the Python client (in requirements-dev.txt)\n"
    "`playwright install` (which downloads a browser) is not needed. Another Chromium can be\n"
    "used with OC_E2E_CHROMIUM=/path/to/chromium. Run the rest with: pytest -m 'not e2e'"
)


# -- temporary state and servers ---------------------------------------------------------------


@pytest.fixture(scope="session")
def e2e_base(tmp_path_factory) -> Path:
    """Everything the servers, kernels and the browser write goes under this folder."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def e2e_env(e2e_base) -> dict[str, str]:
    return isolated_env(e2e_base)


@dataclass
class ServerPool:
    """Starts servers on demand, remembers them, stops them all by process id at the end."""

    base: Path
    env: dict[str, str]
    servers: list[Server] = field(default_factory=list)

    def _env_for(self, name: str) -> dict[str, str]:
        progress = self.base / f"progress-{name}"  # each server its own drafts folder
        progress.mkdir(parents=True, exist_ok=True)
        return {**self.env, "OUTREACH_COACH_PROGRESS": str(progress)}

    def lab(self, root_dir: Path, name: str = "lab") -> Server:
        try:
            server = start_lab(
                root_dir,
                self._env_for(name),
                self.base / "logs",
                app_settings_dir=self.base / f"{name}-settings",
                checkpoint_dir=self.base / f"{name}-checkpoints",
            )
        except ServerError as error:
            pytest.fail(f"JupyterLab did not start: {error}", pytrace=False)
        self.servers.append(server)
        return server

    def voila(self, root_dir: Path, name: str = "voila") -> Server:
        try:
            server = start_voila(root_dir, self._env_for(name), self.base / "logs")
        except ServerError as error:
            pytest.fail(f"Voilà did not start: {error}", pytrace=False)
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="session")
def server_pool(e2e_base, e2e_env):
    pool = ServerPool(e2e_base, e2e_env)
    yield pool
    pool.stop_all()


@pytest.fixture(scope="session")
def lab_server(server_pool) -> Server:
    """JupyterLab serving the course repository."""
    return server_pool.lab(REPO)


@pytest.fixture(scope="session")
def voila_server(server_pool) -> Server:
    """Voilà (tree mode) serving the course repository."""
    return server_pool.voila(REPO)


def _clear(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


@pytest.fixture
def lab(lab_server, recorder):
    """JupyterLab for one test: no sessions left over before or after (kernels outlive pages),
    and no saved drafts from an earlier test."""
    recorder.servers.append(lab_server)
    lab_server.delete_sessions()
    _clear(lab_server.progress_dir)
    yield lab_server
    lab_server.delete_sessions()


@pytest.fixture
def voila(voila_server, recorder):
    """Voilà for one test, with no saved drafts from an earlier test; the kernels its page loads
    started are shut down afterwards."""
    recorder.servers.append(voila_server)
    _clear(voila_server.progress_dir)
    yield voila_server
    voila_server.delete_voila_kernels()


# -- the browser --------------------------------------------------------------------------------


def _chromium_path() -> str:
    if "OC_E2E_CHROMIUM" in os.environ:  # asked for explicitly: that one or nothing
        candidates = [CHROMIUM]
    else:
        candidates = [
            CHROMIUM,
            shutil.which("chromium") or "",
            shutil.which("chromium-browser") or "",
        ]
    for path in candidates:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail(f"Chromium not found at {CHROMIUM}.\n{INSTALL_HELP}", pytrace=False)


@pytest.fixture(scope="session")
def browser_context(e2e_base, e2e_env):
    """Headless Chromium with a fresh profile (user-data-dir) under the session's temp folder."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        missing = str(error)
    else:
        missing = ""
    if missing:  # failed outside the except block, so the message is not a chained traceback
        pytest.fail(
            f"Playwright for Python is not installed ({missing}).\n{INSTALL_HELP}", pytrace=False
        )
    executable = _chromium_path()
    profile = e2e_base / "chromium-profile"
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            env=e2e_env,
            timeout=BROWSER_LAUNCH_TIMEOUT_MS,
            viewport={"width": 1280, "height": 1000},
        )
    except PlaywrightError as error:
        playwright.stop()
        pytest.fail(
            f"Chromium ({executable}) did not start: {error}\n{INSTALL_HELP}", pytrace=False
        )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    try:
        context.close()
    finally:
        playwright.stop()


# -- one page per test, recorded for the failure artifacts -------------------------------------

RECORDER = pytest.StashKey["Recorder"]()


@dataclass
class Recorder:
    """What a failing test leaves behind: its page, console, dialogs and the servers it used."""

    page: object = None
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)

    def attach(self, page) -> None:
        self.page = page
        page.on("console", lambda message: self.console.append(f"[{message.type}] {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"[pageerror] {error}"))
        page.on(
            "requestfailed",
            lambda request: self.console.append(f"[requestfailed] {request.url} {request.failure}"),
        )
        page.on("dialog", self._on_dialog)

    def _on_dialog(self, dialog) -> None:
        if dialog.type == "beforeunload":  # "leave the page?" when a tab is closed: not a finding
            dialog.accept()
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        self.console.append(f"[dialog] {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def save(self, nodeid: str) -> list[Path]:
        """Screenshot, console log and server logs under test-artifacts/; returns the paths."""
        ARTIFACTS.mkdir(exist_ok=True)
        name = nodeid.split("/")[-1].replace(".py::", "-")
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
        stem = f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}"
        saved: list[Path] = []
        lines = list(self.console)
        if self.page is not None:
            shot = ARTIFACTS / f"{stem}.png"
            try:
                lines.insert(0, f"url: {self.page.url}")
                self.page.screenshot(path=str(shot), full_page=True, timeout=10_000)
                saved.append(shot)
            except Exception as error:  # a dead browser must not hide the test's own failure
                lines.insert(0, f"(screenshot failed: {error})")
        log = ARTIFACTS / f"{stem}.console.log"
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        saved.append(log)
        for server in dict.fromkeys(self.servers):
            copy = ARTIFACTS / f"{stem}.{server.name}.log"
            try:
                shutil.copyfile(server.log_path, copy)
                saved.append(copy)
            except OSError:
                pass
        return saved


@pytest.fixture
def recorder(request) -> Recorder:
    recorder = Recorder()
    request.node.stash[RECORDER] = recorder
    return recorder


@pytest.fixture
def page(browser_context, recorder):
    """A fresh tab; dialogs (alert, confirm) are recorded in recorder.dialogs and dismissed."""
    tab = browser_context.new_page()
    recorder.attach(tab)
    yield tab
    with contextlib.suppress(Exception):  # leave the page first: its unload handlers run
        tab.goto("about:blank", timeout=10_000)
    tab.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and report.when in ("setup", "call"):
        recorder = item.stash.get(RECORDER, None)
        if recorder is not None and (recorder.page is not None or recorder.servers):
            try:
                files = recorder.save(item.nodeid)
            except Exception as error:  # never turn a test failure into an internal error
                report.sections.append(("e2e artifacts", f"could not save artifacts: {error!r}"))
                return report
            listing = "\n".join(f"  {path.relative_to(REPO)}" for path in files)
            report.sections.append(("e2e artifacts", f"Saved for this failure:\n{listing}"))
            crash = getattr(report.longrepr, "reprcrash", None)
            if crash is not None:
                crash.message = f"[artifacts: {files[0].relative_to(REPO)}] {crash.message}"
    return report
