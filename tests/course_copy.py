"""A clean copy of the course, as a learner's fresh clone: its own git repository, one commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GIT_IDENTITY = ["-c", "user.name=Course Test", "-c", "user.email=course@example.invalid"]


def git(folder: Path, *args: str) -> str:
    """Run git in folder; returns its standard output."""
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=folder, capture_output=True, text=True, check=True
    )
    return done.stdout


def course_files() -> list[str]:
    """The files a clone of the working tree has: tracked or new, not ignored, not deleted."""
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return [name for name in listed.split("\0") if name and (REPO / name).is_file()]


def clean_copy(target: Path) -> Path:
    """Copy the course (the working tree, uncommitted changes included) to target and commit it."""
    for name in course_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, destination)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "fresh clone")
    return target


def porcelain(folder: Path) -> str:
    """`git status --porcelain`: empty when nothing tracked changed and nothing new is unignored."""
    return git(folder, "status", "--porcelain")


def run_build(course: Path, *args: str) -> subprocess.CompletedProcess:
    """`python tools/build_course.py ARGS` in the copy, with the copy's own package."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "tools/build_course.py", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
