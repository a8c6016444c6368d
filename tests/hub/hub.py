"""Start a real JupyterHub on 127.0.0.1 for the hub tests, and stop it and its children by id.

The hub is the one the instructor guide describes: the guide's Spawner setting for the progress
folder, nbgitpuller on every server, the course package imported from one shared copy (here the
repository under test, put on PYTHONPATH as /opt/not-the-place-for-spam is on a real hub). For a
test it uses a password shared by every user (DummyAuthenticator) and SimpleLocalProcessSpawner,
which gives each user a home folder under a temporary folder and needs no system users, so it
runs as root in CI too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.servers import REPO, free_port
from tools.launch import LAB_SETTINGS_DIR

GUIDE = REPO / "instructor" / "running-for-a-group.md"
NPM_BIN = REPO / ".cache" / "npm" / "node_modules" / ".bin"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 15.0
SERVICE = "oc-hub-test"


def guide_spawner_config() -> str:
    """The guide's jupyterhub_config.d snippet (the progress folder in each home)."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(
        r"jupyterhub_config\.d/outreach_coach\.py`[^`]*```python\n(.*?)```", text, re.S
    )
    assert match, f"{GUIDE} lost its jupyterhub_config.d snippet"
    return match.group(1)


def guide_pull_link() -> str:
    """The guide's nbgitpuller link, as written (hub.example.org, the GitHub repository)."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(r"https://hub\.example\.org/hub/user-redirect/git-pull\?\S+", text)
    assert match, f"{GUIDE} lost its nbgitpuller link"
    return match.group(0)


def configurable_http_proxy() -> str:
    """The proxy tools/test.sh installs from npm into .cache/npm (or one already on PATH)."""
    found = shutil.which(
        "configurable-http-proxy", path=f"{NPM_BIN}{os.pathsep}{os.environ['PATH']}"
    )
    assert found, (
        "configurable-http-proxy is missing: run `npm install --prefix .cache/npm "
        "configurable-http-proxy` (tools/test.sh does)"
    )
    return found


@dataclass
class Hub:
    """A running hub: its URL, process, folders and an admin service token."""

    url: str  # ends with "/"
    proc: subprocess.Popen
    base: Path
    homes: Path
    token: str
    password: str
    log_path: Path

    def request(self, method: str, path: str, token: str | None = None, body: object = None):
        """(status, parsed JSON or text) of one request to the hub or a user's server."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path.lstrip("/"), data=data, method=method)
        req.add_header("Authorization", f"token {token or self.token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as response:
                raw, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def user_token(self, user: str) -> str:
        """A new API token of user's own (what their server's pages use)."""
        status, reply = self.request(
            "POST", f"hub/api/users/{user}/tokens", body={"note": "hub test", "expires_in": 900}
        )
        assert status in (200, 201), f"token for {user}: {status} {reply}"
        return reply["token"]

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def write_config(base: Path, homes: Path, port: int, token: str, password: str) -> Path:
    """jupyterhub_config.py: the guide's snippet plus what a test hub needs."""
    config = base / "jupyterhub_config.py"
    config.write_text(
        f"""
import os
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{configurable_http_proxy()!r}]
c.JupyterHub.db_url = "sqlite:///{base / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(base / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
# window.jupyterapp for the test's commands; the course's Lab settings (no news pop-up), as
# start.sh gives them; no language-server search.
c.Spawner.args = [
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.app_settings_dir={REPO / LAB_SETTINGS_DIR}",
    "--LanguageServerManager.autodetect=False",
] + (["--allow-root"] if os.geteuid() == 0 else [])
c.JupyterHub.services = [{{"name": {SERVICE!r}, "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{"name": {SERVICE!r}, "services": [{SERVICE!r}],
      "scopes": ["admin:users", "admin:servers", "tokens", "list:users"]}},
]
# The instructor guide's setting, as written there:
"""
        + guide_spawner_config(),
        encoding="utf-8",
    )
    return config


def start_hub(base: Path) -> Hub:
    """Start JupyterHub in base (its database, cookie secret and log live there)."""
    homes = base / "home"
    homes.mkdir(parents=True)
    port, token, password = free_port(), secrets.token_hex(16), secrets.token_hex(8)
    config = write_config(base, homes, port, token, password)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "OUTREACH_COACH"))}
    # The shared, read-only install every user's kernel imports (the guide's /opt copy).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["PYTHONUNBUFFERED"] = "1"
    log_path = base / "jupyterhub.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=base,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(f"http://127.0.0.1:{port}/", proc, base, homes, token, password, log_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {proc.returncode}:\n{hub.log_tail()}")
        try:
            status, _ = hub.request("GET", "hub/api/")
            if status == 200:
                return hub
        except OSError:
            pass
        time.sleep(0.5)
    stop_hub(hub)
    raise RuntimeError(f"JupyterHub did not answer in {START_TIMEOUT:.0f} s:\n{hub.log_tail()}")


def descendants(pid: int) -> set[int]:
    """Every process started by pid (the proxy, the users' servers, their kernels)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def alive(pid: int) -> bool:
    """True while pid runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_hub(hub: Hub, users: tuple[str, ...] = ()) -> set[int]:
    """Stop the users' servers, then the hub (which stops its proxy); anything left is killed by
    its process id. Returns the ids that were still running after the polite stop."""
    pids = descendants(hub.proc.pid)
    for user in users:
        with contextlib.suppress(OSError):
            hub.request("DELETE", f"hub/api/users/{user}/server")
    if hub.proc.poll() is None:
        hub.proc.send_signal(signal.SIGTERM)
        try:
            hub.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            hub.proc.kill()
            hub.proc.wait(STOP_TIMEOUT)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    left = {p for p in pids if alive(p)}
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left
