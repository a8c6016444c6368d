"""Open the course: JupyterLab at the course root on lesson 00, or Voilà on the course's pages.

    python tools/launch.py              # JupyterLab, opens lessons/00_start_here.ipynb
    python tools/launch.py --voila      # Voilà: the landing page, lessons and exercises only
    python tools/launch.py --dry-run    # print the command and its settings, start nothing

start.sh and start.ps1 run this with the course's .venv Python once the requirements are in.
It only uses the standard library, so it runs before anything is installed. The course's Jupyter
settings (.jupyter/) are added to Jupyter's search paths for this run only: a learner's own
Jupyter configuration is neither read over nor changed. Extra arguments go to Jupyter.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_NOTEBOOK = "lessons/00_start_here.ipynb"
VOILA_LANDING = "course.ipynb"
CONFIG_DIR = ".jupyter"  # jupyter_server_config.json, voila.json, lab/settings/overrides.json
DATA_DIR = ".jupyter/data"  # voila/templates/course
LAB_SETTINGS_DIR = ".jupyter/lab/settings"


def _prepend(path: Path, current: str | None) -> str:
    """`path` first on an os.pathsep list, without repeating it."""
    parts = [part for part in (current or "").split(os.pathsep) if part and part != str(path)]
    return os.pathsep.join([str(path), *parts])


def course_env(root: Path, base: Mapping[str, str]) -> dict[str, str]:
    """The environment for the course's servers: the course's Jupyter settings found first."""
    env = dict(base)
    env["JUPYTER_CONFIG_PATH"] = _prepend(root / CONFIG_DIR, base.get("JUPYTER_CONFIG_PATH"))
    env["JUPYTER_PATH"] = _prepend(root / DATA_DIR, base.get("JUPYTER_PATH"))
    return env


def running_as_root() -> bool:
    """True for the root user on Linux or macOS (JupyterLab then needs --allow-root)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(
    root: Path, python: str, extra: Sequence[str] = (), as_root: bool = False
) -> list[str]:
    """JupyterLab serving the whole course folder, opening lesson 00."""
    command = [
        python,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
        f"--LabApp.app_settings_dir={root / LAB_SETTINGS_DIR}",
    ]
    if as_root:
        command.append("--allow-root")
    return [*command, *extra]


def voila_command(root: Path, python: str, extra: Sequence[str] = ()) -> list[str]:
    """Voilà serving the course folder; .jupyter/voila.json says what learners see."""
    return [python, "-m", "voila", f"--Voila.root_dir={root}", *extra]


def main(argv: Sequence[str] | None = None) -> int:
    """Start JupyterLab (or Voilà) for the course, or print the command with --dry-run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voila", action="store_true", help="start Voilà instead of JupyterLab")
    parser.add_argument("--dry-run", action="store_true", help="print the command, start nothing")
    args, extra = parser.parse_known_args(argv)
    python = sys.executable
    if args.voila:
        command = voila_command(ROOT, python, extra)
        opens = f"voila/render/{VOILA_LANDING}"
    else:
        command = lab_command(ROOT, python, extra, as_root=running_as_root())
        opens = f"lab/tree/{FIRST_NOTEBOOK}"
    env = course_env(ROOT, os.environ)
    if args.dry_run:
        print("would run:", shlex.join(command))
        print("in:", ROOT)
        for name in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH"):
            print(f"with {name}={env[name]}")
        print("opens:", opens)
        return 0
    print(f"Opening the course ({opens}). Stop it with Ctrl+C in this window.", flush=True)
    try:
        return subprocess.call(command, cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
