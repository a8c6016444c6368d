"""A workshop on a real JupyterHub: three learners log in through Chromium, pull the course with
the guide's nbgitpuller link, check a rewrite and export; the instructor collects and reports.

Asserts that each learner's drafts land in that learner's home folder only, that the report
counts three learners, and that one learner's token cannot read another's progress folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.pages import (
    NOTEBOOK_TIMEOUT_MS,
    UI_TIMEOUT_MS,
    click_check,
    fill_draft,
    workbench,
)

from .hub import REPO, alive, guide_pull_link, start_hub, stop_hub

pytestmark = pytest.mark.hub

USERS = ("alice", "bob", "carol")
COURSE = "not-the-place-for-spam"  # the folder nbgitpuller makes: the repository's name
PROGRESS = "not-the-place-for-spam-progress"  # the guide's OUTREACH_COACH_PROGRESS
EXERCISE = f"{COURSE}/exercises/01_mass_note.ipynb"
SCENARIO = "s01-mass-note"
ARTIFACTS = REPO / "test-artifacts"
STEP_TIMEOUT_MS = 120_000  # a server spawn or a pull on a loaded two-core machine


def course_repository(base: Path) -> Path:
    """A bare clone of the commit under test, with that commit as branch main (the link's)."""
    target = base / "remote" / COURSE
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", "--no-hardlinks", str(REPO), str(target)],
        check=True,
    )
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(
        ["git", "--git-dir", str(target), "update-ref", "refs/heads/main", head], check=True
    )
    subprocess.run(
        ["git", "--git-dir", str(target), "symbolic-ref", "HEAD", "refs/heads/main"], check=True
    )
    return target


def pull_link(hub_url: str, repository: Path) -> str:
    """The guide's link with this hub's address and the file:// repository put in."""
    link = guide_pull_link()
    parts = urllib.parse.urlsplit(link)
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert query["branch"] == "main"
    assert query["urlpath"] == f"lab/tree/{COURSE}/lessons/00_start_here.ipynb"
    assert query["repo"].rstrip("/").rsplit("/", 1)[-1] == COURSE
    query["repo"] = repository.as_uri()
    return f"{hub_url}{parts.path.lstrip('/')}?{urllib.parse.urlencode(query)}"


def draft_of(user: str) -> str:
    return (
        f"Hi Maria,\n\nI saw your post on cold-chain spoilage. This draft is {user}'s own.\n\n"
        "Best,\nNadia"
    )


def learner_session(browser, hub, link: str, user: str, timings: dict[str, float]) -> None:
    """One learner: log in, follow the pull link, check a rewrite in exercise 01, export."""
    from playwright.sync_api import expect

    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{hub.url}hub/login", wait_until="domcontentloaded")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", hub.password)
        page.click("#login_submit")
        page.wait_for_url("**/hub/**", timeout=STEP_TIMEOUT_MS)
        page.goto(link, wait_until="domcontentloaded", timeout=STEP_TIMEOUT_MS)
        page.wait_for_url(
            f"**/user/{user}/lab/tree/{COURSE}/lessons/00_start_here.ipynb*",
            timeout=STEP_TIMEOUT_MS,
        )
        assert (hub.homes / user / COURSE / "lessons" / "00_start_here.ipynb").is_file()
        page.goto(f"{hub.url}user/{user}/lab/tree/{EXERCISE}", wait_until="domcontentloaded")
        page.wait_for_function(
            "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session &&"
            " w.sessionContext.session.kernel;"
            " return !!k && w.context.path === path && k.status === 'idle'; }",
            arg=EXERCISE,
            timeout=NOTEBOOK_TIMEOUT_MS,
        )
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        box = workbench(page)
        # The id box starts from the hub user name (JUPYTERHUB_USER).
        expect(box.locator(".oc-learner-id input")).to_have_value(user, timeout=STEP_TIMEOUT_MS)
        fill_draft(box, draft_of(user))
        click_check(box)
        expect(box.locator(".oc-status")).to_contain_text("draft saved", timeout=60_000)
        box.locator(".oc-export").click()
        expect(box.locator(".oc-export-result")).to_contain_text(f"answers-{user}.json")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"hub-{user}.png")
        raise
    finally:
        context.close()
    timings[user] = time.monotonic() - started


def test_a_workshop_on_jupyterhub(tmp_path, capsys):
    from playwright.sync_api import sync_playwright

    timings: dict[str, float] = {}
    started = time.monotonic()
    repository = course_repository(tmp_path)
    hub = start_hub(tmp_path / "hub")
    timings["hub start"] = time.monotonic() - started
    try:
        link = pull_link(hub.url, repository)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                for user in USERS:
                    learner_session(browser, hub, link, user, timings)
            finally:
                browser.close()

        # Each learner's drafts are in their own home folder, and only there.
        for user in USERS:
            progress = hub.homes / user / PROGRESS
            saved = json.loads((progress / f"{SCENARIO}.json").read_text(encoding="utf-8"))
            assert saved["text"] == draft_of(user)
            assert json.loads((progress / f"answers-{user}.json").read_text())["learner_id"] == user
            assert not (hub.homes / user / COURSE / "progress").exists()
            for other in USERS:
                if other != user:
                    others = hub.homes / other / PROGRESS / f"{SCENARIO}.json"
                    assert draft_of(user) not in others.read_text(encoding="utf-8")

        # No learner's token reads another learner's progress folder through the server API.
        tokens = {user: hub.user_token(user) for user in USERS}
        contents = f"api/contents/{PROGRESS}"
        status, listing = hub.request("GET", f"user/alice/{contents}", tokens["alice"])
        assert status == 200 and any(i["name"] == f"{SCENARIO}.json" for i in listing["content"])
        for owner in USERS:
            for reader in USERS:
                if reader != owner:
                    status, _ = hub.request("GET", f"user/{owner}/{contents}", tokens[reader])
                    assert status == 403, f"{reader} read {owner}'s progress folder: {status}"

        # The instructor's commands from the guide: collect, then report.
        out = tmp_path / "submissions"
        step = time.monotonic()
        collected = run_course("collect", str(hub.homes), str(out))
        assert collected.returncode == 0, collected.stdout + collected.stderr
        for user in USERS:
            assert (out / user / f"answers-{user}.json").is_file()
        report = run_course("report", str(out), "--html", str(tmp_path / "report.html"))
        assert report.returncode == 0, report.stdout + report.stderr
        assert "Graded 3 learners, 3 drafts" in report.stdout
        timings["collect + report"] = time.monotonic() - step
    finally:
        step = time.monotonic()
        pids = {hub.proc.pid}
        left = stop_hub(hub, USERS)
        timings["stop"] = time.monotonic() - step
    assert not left, f"still running after the hub stopped: {sorted(left)}"
    assert not any(alive(pid) for pid in pids)
    timings["total"] = time.monotonic() - started
    with capsys.disabled():
        print("\nhub test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def run_course(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "outreach_coach", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
