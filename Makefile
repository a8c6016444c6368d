# The course's one entry point for authors: build the notebooks from content/, check them.
# `make build OVERWRITE=1` discards edits made in Jupyter to built notebooks (see CONTRIBUTING.md).
PYTHON ?= python3

.PHONY: build check lint test e2e all

build:
	$(PYTHON) tools/build_course.py $(if $(OVERWRITE),--overwrite)

check:
	$(PYTHON) tools/build_course.py --check
	$(PYTHON) tools/build_exercises.py --check
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/test_readme_links.py tests/test_handwritten_guides.py

lint:
	ruff check .
	ruff format --check .

# The fast loop: unit, widget and notebook tests (no browser, no hub, no JupyterLite site).
test: lint check
	$(PYTHON) -m pytest -m "not e2e and not hub and not a11y and not lite" -n 2 --dist loadscope -q

# The browser tests (Chromium): JupyterLab and Voila, accessibility, the JupyterLite site.
e2e:
	$(PYTHON) -m pytest -m "e2e and not a11y" tests/e2e
	$(PYTHON) -m pytest -m a11y tests/e2e
	$(PYTHON) -m pytest -m lite tests/e2e

# Everything CI runs, installs included: the README's test command.
all:
	bash tools/test.sh
