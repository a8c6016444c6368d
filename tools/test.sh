#!/usr/bin/env bash
# Install everything the tests need, then run every test: unit, widget, notebook (nbval) and
# browser (e2e). Usage: bash tools/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Install a missing command from Debian's packages when we are root, else say what to run.
# Usage: need_command COMMAND PACKAGE "what needs it"
need_command() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $2 for $3..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "$1 is missing: run 'sudo apt-get install $2' ($3 need it)." >&2
    exit 2
  fi
}

need_command chromium chromium "the browser tests"

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# The hub tests' proxy, from the npm registry into a git-ignored folder of the repository.
if [ ! -x .cache/npm/node_modules/.bin/configurable-http-proxy ]; then
  need_command npm npm "the hub tests"
  npm install --prefix .cache/npm --no-audit --no-fund --silent configurable-http-proxy@^5
fi
export PATH="$PWD/.cache/npm/node_modules/.bin:$PATH"

ruff check .
python3 tools/build_exercises.py --check

# Unit, widget and notebook tests on both cores (loadscope keeps a notebook's cells together),
# then the browser tests and the JupyterHub test on their own so servers and Chromium do not
# fight the kernels for CPU.
python3 -m pytest -m "not e2e and not hub" -n 2 --dist loadscope "$@"
python3 -m pytest -m e2e tests/e2e "$@"
python3 -m pytest -m hub tests/hub "$@"
