"""The README's first command: start.sh makes .venv, installs only when needed, opens lesson 00.

Each test runs the real launcher in a clean copy of the course. To stay fast and offline, the
copy's requirements.txt is replaced by a comment (pip then installs nothing, but the stamp logic
runs for real), and --dry-run prints the server command instead of starting it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.course_copy import REPO, clean_copy, git
from tools import launch

pytestmark = [
    pytest.mark.timeout(180),
    pytest.mark.skipif(sys.platform == "win32", reason="start.sh is the macOS/Linux launcher"),
]

FIRST_NOTEBOOK = "lessons/00_start_here.ipynb"
SERVER_START_TIMEOUT = 60.0
SH = shutil.which("sh") or "/bin/sh"


def readme_blocks(language: str) -> list[str]:
    """The README's fenced code blocks in `language`, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and line[0] != "#"]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    copy = clean_copy(tmp_path / "course")
    (copy / "requirements.txt").write_text("# nothing to install in this test\n")
    return copy


def run_start(course: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # .venv alone
    environment.update(env)
    return subprocess.run(
        [SH, "./start.sh", *args],
        cwd=course,
        env=environment,
        capture_output=True,
        text=True,
        timeout=150,
    )


def test_readme_first_command_is_the_launcher() -> None:
    assert commands(readme_blocks("bash")[0])[0] == "./start.sh"
    assert commands(readme_blocks("powershell")[0])[0] == r".\start.ps1"


def test_first_run_makes_the_venv_and_a_second_run_installs_nothing(course: Path) -> None:
    first = run_start(course, "--dry-run")
    assert first.returncode == 0, first.stderr
    assert "Making the course's Python environment" in first.stdout
    assert "Installing the course" in first.stdout
    assert (course / ".venv" / "course-requirements.sha256").is_file()
    command = first.stdout.split("would run: ", 1)[1].splitlines()[0]
    assert command.startswith(str(course / ".venv" / "bin" / "python") + " -m jupyterlab")
    assert f"--ServerApp.root_dir={course}" in command
    assert f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert git(course, "check-ignore", ".venv").strip() == ".venv"

    started = time.monotonic()
    second = run_start(course, "--dry-run")
    elapsed = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert "Installing" not in second.stdout and "Making" not in second.stdout
    assert "up to date" in second.stdout
    assert elapsed < 5, f"a second start took {elapsed:.1f} s"

    (course / "requirements.txt").write_text("# changed\n")
    third = run_start(course, "--dry-run")
    assert "Installing the course" in third.stdout, "a changed requirements.txt must reinstall"


def test_voila_mode_serves_the_course_folder(course: Path) -> None:
    done = run_start(course, "--voila", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"-m voila --Voila.root_dir={course}" in done.stdout
    assert f"JUPYTER_CONFIG_PATH={course / '.jupyter'}" in done.stdout


def test_missing_venv_module_says_what_to_install(course: Path, tmp_path: Path) -> None:
    fake = tmp_path / "no-ensurepip"
    fake.mkdir()
    (fake / "ensurepip.py").write_text("raise ImportError('No module named ensurepip')\n")
    done = run_start(course, "--dry-run", PYTHONPATH=str(fake))
    assert done.returncode == 1
    assert "sudo apt install python3-venv" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (course / ".venv").exists()


def test_too_old_python_says_which_version_is_needed(course: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "head", "cat", "rm"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    old = bin_dir / "python3"
    old.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.10.12"\nexit 1\n')
    old.chmod(0o755)
    done = run_start(course, "--dry-run", PATH=str(bin_dir), OC_PYTHON="")
    assert done.returncode == 1
    assert "needs Python 3.11 or newer (found: Python 3.10.12)" in done.stderr


def test_lab_command_serves_the_course_root_with_the_course_settings(tmp_path: Path) -> None:
    """The command start.sh runs, started for real: the whole course is reachable, lesson 00
    is what opens, and the course's settings (no news, no widget state) are in force."""
    course = clean_copy(tmp_path / "course")
    home = tmp_path / "home"
    token = secrets.token_hex(16)
    port = _free_port()
    env = launch.course_env(course, {**os.environ, "HOME": str(home)})
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(home / name.lower())
    extra = ["--no-browser", f"--port={port}", f"--ServerApp.token={token}"]
    extra += ["--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0"]
    command = launch.lab_command(course, sys.executable, extra, as_root=launch.running_as_root())
    log = tmp_path / "lab.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(
            command, cwd=course, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_until_up(base, token, proc, log)
        assert _get(base, "api/contents/exercises", token)["type"] == "directory"
        assert _get(base, f"api/contents/{FIRST_NOTEBOOK}", token)["type"] == "notebook"
        news = "@jupyterlab/apputils-extension:notification"
        assert _setting(base, token, news, "fetchNews") == "false"
        assert _setting(base, token, news, "checkForUpdates") is False
        widgets = "@jupyter-widgets/jupyterlab-manager:plugin"
        assert _setting(base, token, widgets, "saveState") is False
        assert f"/lab/tree/{FIRST_NOTEBOOK}" in _redirect(base, token)
    finally:
        proc.terminate()
        proc.wait(15)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _setting(base: str, token: str, plugin: str, key: str) -> object:
    """A JupyterLab setting as the page gets it: overrides.json changes the schema's default."""
    answer = _get(base, f"lab/api/settings/{plugin}", token)
    return answer["settings"].get(key, answer["schema"]["properties"][key]["default"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _redirect(base: str, token: str) -> str:
    """Where the server's front page sends the browser (the page start.sh opens)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(f"{base}?token={token}", timeout=10)
    except urllib.error.HTTPError as error:
        return error.headers.get("Location", "")
    return ""


def _wait_until_up(base: str, token: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            _get(base, "api/status", token)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer:\n{log.read_text(errors='replace')[-3000:]}")
