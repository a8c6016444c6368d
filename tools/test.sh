#!/usr/bin/env bash
# Install everything the tests need, then run every test: unit, widget, notebook (nbval) and
# browser (e2e). Usage: bash tools/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's Chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)." >&2
    exit 2
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# axe-core for the accessibility tests, from the npm registry into .cache/npm (git-ignored);
# once it is there at this version nothing is fetched again, so later runs work offline.
AXE_VERSION=4.14.1
AXE_DIR=.cache/npm/node_modules/axe-core
if [ "$(node -p "require('./$AXE_DIR/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js (e.g. 'sudo apt-get install npm'); the a11y tests need it." >&2
    exit 2
  fi
  echo "Installing axe-core $AXE_VERSION for the accessibility tests..."
  npm install --prefix .cache/npm --cache .cache/npm-cache --no-audit --no-fund --silent \
    "axe-core@$AXE_VERSION"
fi

ruff check .
python3 tools/build_exercises.py --check

# Unit, widget and notebook tests on both cores (loadscope keeps a notebook's cells together),
# then the browser tests on their own so servers and Chromium do not fight the kernels for CPU.
python3 -m pytest -m "not e2e" -n 2 --dist loadscope "$@"
python3 -m pytest -m "e2e and not a11y" tests/e2e "$@"
# Accessibility: axe-core on every lesson and a workbench, keyboard only, 800 px layout.
python3 -m pytest -m a11y tests/e2e "$@"
