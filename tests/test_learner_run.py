"""Using the course never changes a tracked file.

In a clean copy of the course (its own git repository), a learner's session is replayed: lesson
00 and the first exercise are executed headless with nbclient, a rewrite is checked and the
answers exported, and the executed notebooks are saved the way JupyterLab autosaves them,
through a contents manager with the course's own Jupyter config. Afterwards
`git status --porcelain` must be empty: drafts and exports went to the ignored progress/ folder
and the notebooks were written back without outputs or widget state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.course_copy import clean_copy, porcelain

pytestmark = pytest.mark.timeout(300)

# Runs in a fresh interpreter whose working directory is the copy, as a learner's server would.
LEARNER_SESSION = r"""
import json, sys
from pathlib import Path

import nbformat
from jupyter_server.services.contents.filemanager import FileContentsManager
from nbclient import NotebookClient
from traitlets.config import Config

root = Path.cwd()
config = json.loads((root / ".jupyter" / "jupyter_server_config.json").read_text())
manager = FileContentsManager(root_dir=str(root), config=Config(config))

# What the learner does in the exercise after Run All: check a rewrite, export the answers.
ACTIONS = [
    "report = wb.submit(wb.model_answer)\nassert report.passed",
    "print(wb.export('ana-k'))",
]

SESSION = [("lessons/00_start_here.ipynb", []), ("exercises/01_mass_note.ipynb", ACTIONS)]
for path, actions in SESSION:
    notebook = nbformat.read(root / path, as_version=4)
    kept = len(notebook.cells)
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in actions]
    NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str((root / path).parent)}},
    ).execute()
    assert any(cell.get("outputs") for cell in notebook.cells), "nothing ran"
    notebook.cells = notebook.cells[:kept]  # the learner typed nothing into the notebook
    # JupyterLab's autosave: the notebook with its outputs, through the server's contents manager.
    manager.save({"type": "notebook", "format": "json", "content": notebook}, path)
print("session done")
"""


def test_a_learner_session_leaves_git_status_clean(tmp_path: Path) -> None:
    course = clean_copy(tmp_path / "course")
    home = tmp_path / "home"
    env = {key: value for key, value in os.environ.items() if key != "OUTREACH_COACH_PROGRESS"}
    env.update(
        PYTHONPATH=str(course),
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
    )
    done = subprocess.run(
        [sys.executable, "-c", LEARNER_SESSION],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    exported = course / "progress" / "answers-ana-k.json"
    assert json.loads(exported.read_text("utf-8"))["learner_id"] == "ana-k"
    assert porcelain(course) == "", "using the course changed files git sees"
