"""Build exercises/ from solutions/: the same notebooks without the cells tagged "solution".

    python tools/build_exercises.py          # rewrite exercises/ from solutions/
    python tools/build_exercises.py --check  # exit 1, naming the files, if exercises/ is stale

`make build` (tools/build_course.py) runs this after writing solutions/ from content/, so the
solutions are the exercises' single source of truth. Each run of solution cells becomes one
short note pointing to the workbench's hint and model-answer buttons. The output has no outputs
and no execution counts and is serialised deterministically, so re-running gives identical
bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from outreach_coach.course_files import (
    BUILD_MARK,
    cells_digest,
    clean_cell,
    clean_metadata,
    edited_since_built,
)

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
SOLUTION_TAG = "solution"
NOTE = (
    "> **Stuck?** The workbench above has a **Show a hint** button (one hint at a time) and a "
    "**Show a model answer** button. Try your own rewrite first: yours can differ from the model "
    "and still pass."
)
CAPSTONE_NOTE = (
    "> **Stuck?** Click **Show a hint** in the workbench above for a checklist, one step at a "
    "time. There is no model answer for the capstone: the message is yours."
)


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """True for a cell tagged "solution"."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def note_cell(after_id: str, capstone: bool) -> nbformat.NotebookNode:
    """The markdown note that takes the place of a run of solution cells."""
    cell = nbformat.v4.new_markdown_cell(CAPSTONE_NOTE if capstone else NOTE)
    cell["id"] = f"{after_id}-note"[:64]  # derived from the solution cell: stable across runs
    return cell


def exercise_from(solution: nbformat.NotebookNode, capstone: bool) -> nbformat.NotebookNode:
    """The exercise notebook: solution cells dropped, each run of them replaced by one note."""
    cells: list[nbformat.NotebookNode] = []
    in_solution = False
    for cell in solution.cells:
        if is_solution(cell):
            if not in_solution:
                cells.append(note_cell(cell.get("id", "solution"), capstone))
            in_solution = True
            continue
        in_solution = False
        cells.append(clean_cell(cell))
    exercise = nbformat.v4.new_notebook(cells=cells)
    exercise["metadata"] = clean_metadata(solution.metadata)
    exercise["nbformat"], exercise["nbformat_minor"] = solution.nbformat, solution.nbformat_minor
    if BUILD_MARK in exercise["metadata"]:  # the solution's source, this notebook's own cells
        exercise["metadata"][BUILD_MARK]["digest"] = cells_digest(exercise)
    return exercise


def notebook_bytes(notebook: nbformat.NotebookNode) -> bytes:
    """Deterministic JSON, byte for byte what Jupyter writes (sorted keys, one-space indent)."""
    nbformat.validate(notebook)
    text = nbformat.writes(notebook, version=nbformat.NO_CONVERT)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def shown(path: Path) -> str:
    """A path as the learner typed it: relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def source_of(content: bytes) -> str:
    """The source file a built notebook names in its build mark (its solution, without one)."""
    notebook = nbformat.reads(content.decode("utf-8"), as_version=4)
    return notebook.metadata.get(BUILD_MARK, {}).get("source", "solutions/")


def planned() -> dict[Path, bytes]:
    """What every exercise notebook should contain, by path."""
    result = {}
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        solution = nbformat.read(path, as_version=4)
        exercise = exercise_from(solution, capstone="capstone" in path.stem)
        result[EXERCISES / path.name] = notebook_bytes(exercise)
    return result


def stale(plan: dict[Path, bytes]) -> list[str]:
    """Problems with exercises/ compared to the plan: missing, out of date, or extra files."""
    problems = []
    for path, content in plan.items():
        if not path.exists():
            problems.append(f"missing: {shown(path)}")
        elif path.read_bytes() != content:
            problems.append(f"out of date: {shown(path)} (edit {source_of(content)})")
    for path in sorted(EXERCISES.glob("*.ipynb")):
        if path not in plan:
            problems.append(f"no matching solution: {shown(path)}")
    return problems


def build(plan: dict[Path, bytes], overwrite: bool = False) -> tuple[list[str], list[str]]:
    """Write the planned exercises, remove ones without a solution; return what changed and what
    was not overwritten because it was edited since it was built (unless overwrite)."""
    EXERCISES.mkdir(exist_ok=True)
    changed, refused = [], []
    for path, content in plan.items():
        if path.exists() and path.read_bytes() != content:
            current = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            if not overwrite and edited_since_built(current):
                refused.append(
                    f"{shown(path)} was edited since it was built, so it was not overwritten: "
                    f"copy the change into {source_of(content)} (or pass --overwrite)"
                )
                continue
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            changed.append(f"wrote {shown(path)}")
    for path in sorted(EXERCISES.glob("*.ipynb")):
        if path not in plan:
            path.unlink()
            changed.append(f"removed {shown(path)} (no matching solution)")
    return changed, refused


def main(argv: list[str] | None = None) -> int:
    """Build exercises/, or with --check report whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if exercises/ is out of date"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="overwrite exercises edited since they were built"
    )
    args = parser.parse_args(argv)
    plan = planned()
    if not plan:
        print(f"no solution notebooks found in {SOLUTIONS}", file=sys.stderr)
        return 1
    if args.check:
        problems = stale(plan)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: make build (python tools/build_course.py)", file=sys.stderr)
            return 1
        print(f"exercises/ is up to date ({len(plan)} notebooks)")
        return 0
    changed, refused = build(plan, overwrite=args.overwrite)
    print("\n".join(changed) or f"exercises/ was already up to date ({len(plan)} notebooks)")
    if refused:
        print("\n".join(refused), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
