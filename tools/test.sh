#!/usr/bin/env bash
# Install everything the tests need, then run every test: unit, widget, notebook (nbval) and
# browser (e2e). Usage: bash tools/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Install a Debian package when we are root, else say what to run. Usage: apt_install PACKAGE WHY
apt_install() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $1 for $2..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "$1 is missing: run 'sudo apt-get install $1' ($2 need it)." >&2
    exit 2
  fi
}

# Usage: need_command COMMAND PACKAGE WHY
need_command() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2" "$3"
}

need_command chromium chromium "the browser tests"

# A virtual environment of the course's own (.venv, the one start.sh uses): a stock Debian or
# Ubuntu python refuses pip install outside one (PEP 668). Every python3 below is the venv's.
if [ ! -x .venv/bin/python3 ]; then
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    apt_install python3-venv "the test environment"
    python3 -m venv .venv
  fi
fi
export PATH="$PWD/.venv/bin:$PATH"
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# From the npm registry into a git-ignored folder of the repository, once: the hub tests' proxy,
# axe-core for the accessibility tests, and Pyodide's core at the version the JupyterLite kernel
# pins, for the site the lite tests build (tools/build_lite.py). At these versions nothing is
# fetched again, so later runs work offline.
AXE_VERSION=4.14.1
PYODIDE_VERSION="$(python3 -c 'from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION as v; print(v)')"
npm_version() {
  node -p "require('./.cache/npm/node_modules/$1/package.json').version" 2>/dev/null || true
}
if [ ! -x .cache/npm/node_modules/.bin/configurable-http-proxy ] ||
  [ "$(npm_version axe-core)" != "$AXE_VERSION" ] || [ "$(npm_version pyodide)" != "$PYODIDE_VERSION" ]; then
  need_command npm npm "the hub, accessibility and lite tests"
  npm install --prefix .cache/npm --cache .cache/npm-cache --no-audit --no-fund --silent \
    configurable-http-proxy@^5 "axe-core@$AXE_VERSION" "pyodide@$PYODIDE_VERSION"
fi
export PATH="$PWD/.cache/npm/node_modules/.bin:$PATH"

ruff check .
ruff format --check .
python3 tools/build_course.py --check
python3 tools/build_exercises.py --check

# Unit, widget and notebook tests on both cores (loadscope keeps a notebook's cells together),
# then the browser tests, the accessibility tests (axe-core on every lesson and a workbench,
# keyboard only, 800 px layout), the JupyterLite site and the JupyterHub test on their own, so
# servers and Chromium do not fight the kernels for CPU.
python3 -m pytest -m "not e2e and not hub and not a11y and not lite" -n 2 --dist loadscope "$@"
python3 -m pytest -m "e2e and not a11y" tests/e2e "$@"
python3 -m pytest -m a11y tests/e2e "$@"
# The JupyterLite build, offline in Chromium (builds the site first: about 30 s).
python3 -m pytest -m lite tests/e2e "$@"
python3 -m pytest -m hub tests/hub "$@"
