"""Exercises are built from the solutions, stay in step with them, and carry no outputs."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from outreach_coach.outline import CAPSTONE
from outreach_coach.outline import EXERCISES as MAP_EXERCISES
from outreach_coach.workbench import exercise_ids

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
BUILD = ROOT / "tools" / "build_exercises.py"


def load_build_module():
    spec = importlib.util.spec_from_file_location("build_exercises", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tagged_solution(cell) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def code_of(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def names(paths):
    return [p.name for p in paths]


def test_every_solution_has_an_exercise_and_vice_versa():
    assert SOLUTIONS, "no solution notebooks"
    assert names(SOLUTIONS) == names(EXERCISES)


def test_one_notebook_per_exercise_scenario_plus_the_capstone():
    ids = exercise_ids()
    assert len(SOLUTIONS) == len(ids) + 1
    numbered = [path for path in SOLUTIONS if path.name != CAPSTONE.file]
    assert [e.scenario for e in MAP_EXERCISES] == ids, "the course map and scenarios.toml differ"
    for number, (path, scenario_id) in enumerate(zip(numbered, ids, strict=True), start=1):
        assert path.name.startswith(f"{number:02d}_")
        assert f'Workbench("{scenario_id}")' in code_of(path)
    capstone = ROOT / "solutions" / CAPSTONE.file
    assert CAPSTONE.file == "capstone.ipynb", "the capstone's name must not depend on a count"
    assert "Workbench.capstone()" in code_of(capstone)


def test_build_check_passes():
    result = subprocess.run(
        [sys.executable, str(BUILD), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_check_names_stale_files(tmp_path, monkeypatch, capsys):
    build = load_build_module()
    monkeypatch.setattr(build, "EXERCISES", tmp_path)
    (tmp_path / "99_orphan.ipynb").write_text("{}", encoding="utf-8")
    assert build.main(["--check"]) == 1
    errors = capsys.readouterr().err
    assert "99_orphan.ipynb" in errors
    assert all(f"missing: {tmp_path / path.name}" in errors for path in SOLUTIONS)


def test_build_is_deterministic():
    build = load_build_module()
    first, second = build.planned(), build.planned()
    assert first == second
    for path, content in first.items():
        assert path.read_bytes() == content


@pytest.mark.parametrize("path", EXERCISES, ids=names(EXERCISES))
def test_exercises_hold_no_solution_cells(path):
    notebook = nbformat.read(path, as_version=4)
    assert not any(tagged_solution(cell) for cell in notebook.cells)
    assert "wb.submit" not in code_of(path)


@pytest.mark.parametrize("path", SOLUTIONS, ids=names(SOLUTIONS))
def test_solutions_assert_that_the_answer_passes(path):
    notebook = nbformat.read(path, as_version=4)
    solution_code = "\n".join(
        cell.source for cell in notebook.cells if tagged_solution(cell) and cell.cell_type == "code"
    )
    assert re.search(r"report = wb\.submit\(", solution_code)
    assert "assert report.passed, report.summary()" in solution_code


@pytest.mark.parametrize("path", SOLUTIONS + EXERCISES, ids=names(SOLUTIONS + EXERCISES))
def test_notebooks_are_valid_and_output_free(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.get('id')} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.get('id')} was run"
