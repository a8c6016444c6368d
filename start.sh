#!/bin/sh
# Open the course on macOS or Linux:  ./start.sh          (JupyterLab, lesson 00)
#                                     ./start.sh --voila  (the no-code app view)
# The first run makes a private Python environment in .venv and installs the course into it
# (a few minutes); later runs reinstall only when requirements.txt or pyproject.toml changed.
# Nothing is installed outside this folder. --dry-run prints the server command instead.
set -eu
cd "$(dirname "$0")"

VENV=.venv
STAMP="$VENV/course-requirements.sha256"

say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# A Python of at least 3.11, trying the usual names: OC_PYTHON wins when it is set.
python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
PYTHON=""
for candidate in ${OC_PYTHON:-} python3 python3.13 python3.12 python3.11 python; do
  if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
    PYTHON=$candidate
    break
  fi
done
if [ -z "$PYTHON" ]; then
  found=$( (python3 --version || python --version) 2>&1 | head -n 1 || true)
  fail "The course needs Python 3.11 or newer (found: ${found:-no python3}).
Install it from https://www.python.org/downloads/ (macOS: 'brew install python@3.12';
Debian/Ubuntu: 'sudo apt install python3'), then run ./start.sh again."
fi

# An environment that an interrupted run left half made (no working pip) is made again.
if [ -d "$VENV" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  say "The course environment in $VENV is incomplete: making it again."
  rm -rf "$VENV"
fi

if [ ! -d "$VENV" ]; then
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    minor=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    fail "Python's 'venv' module is missing, so the course cannot make its environment.
On Debian or Ubuntu install it with:   sudo apt install python3-venv   (or python$minor-venv)
Then run ./start.sh again."
  fi
  say "Making the course's Python environment in $VENV (first run only)..."
  "$PYTHON" -m venv "$VENV"
fi

PY="$VENV/bin/python"
wanted=$("$PY" -c 'import hashlib, pathlib
digest = hashlib.sha256()
for name in ("requirements.txt", "pyproject.toml"):
    digest.update(pathlib.Path(name).read_bytes())
print(digest.hexdigest())')
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted" ]; then
  say "Installing the course into $VENV (a few minutes the first time)..."
  "$PY" -m pip install --disable-pip-version-check --quiet -r requirements.txt
  printf '%s\n' "$wanted" > "$STAMP"
else
  say "The course is installed and up to date."
fi

exec "$PY" tools/launch.py "$@"
