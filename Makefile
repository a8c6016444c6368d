# The course's one entry point for authors: build the notebooks from content/, check them.
# `make build OVERWRITE=1` discards edits made in Jupyter to built notebooks (see CONTRIBUTING.md).
PYTHON ?= python3

.PHONY: build check test

build:
	$(PYTHON) tools/build_course.py $(if $(OVERWRITE),--overwrite)

check:
	$(PYTHON) tools/build_course.py --check
	$(PYTHON) tools/build_exercises.py --check

test: check
	$(PYTHON) -m pytest -m "not e2e and not hub and not a11y and not lite" -n 2 --dist loadscope -q
