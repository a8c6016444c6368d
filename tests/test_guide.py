"""The instructor guide and lesson 00 say what really happens on a hub."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUP = (ROOT / "instructor" / "running-for-a-group.md").read_text(encoding="utf-8")
COLLECTING = (ROOT / "instructor" / "collecting-answers.md").read_text(encoding="utf-8")


def test_the_guide_says_how_learners_get_the_course_and_how_it_is_updated():
    assert "only through the nbgitpuller link" in GROUP
    assert "cd /opt/not-the-place-for-spam && sudo git pull" in GROUP
    assert "~/not-the-place-for-spam-progress" in GROUP
    assert "Zero to JupyterHub" in GROUP and "ships nothing of its own for Kubernetes" in GROUP


def test_the_guide_collects_with_the_course_command_not_a_hand_written_copy():
    assert "sudo sh -c" not in COLLECTING + GROUP
    assert "python3 -m outreach_coach collect /home ~/submissions --roster" in COLLECTING
    # The per-class pseudonym key (issue 11, item 8) is documented.
    assert "outreach-coach-report.secret" in COLLECTING


def test_start_here_shows_the_folder_the_course_really_uses():
    notebook = json.loads((ROOT / "lessons" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in notebook["cells"])
    assert "next to `lessons/`" not in text
    assert "not-the-place-for-spam-progress" in text
    assert 'print(f"Your drafts are saved in: {default_progress_dir()}")' in text
