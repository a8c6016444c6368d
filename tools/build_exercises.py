"""Build exercises/ from solutions/: the same notebooks without the cells tagged "solution".

    python tools/build_exercises.py          # rewrite exercises/ from solutions/
    python tools/build_exercises.py --check  # exit 1, naming the files, if exercises/ is stale

Solutions are the single source of truth. Each run of solution cells becomes one short note
pointing to the workbench's hint and model-answer buttons. The output has no outputs and no
execution counts and is serialised deterministically, so re-running gives identical bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from outreach_coach.course_files import clean_cell, clean_metadata

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
            problems.append(f"out of date: {shown(path)}")
    for path in sorted(EXERCISES.glob("*.ipynb")):
        if path not in plan:
            problems.append(f"no matching solution: {shown(path)}")
    return problems


def build(plan: dict[Path, bytes]) -> list[str]:
    """Write the planned exercises, remove ones without a solution; return what changed."""
    EXERCISES.mkdir(exist_ok=True)
    changed = []
    for path, content in plan.items():
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            changed.append(f"wrote {shown(path)}")
    for path in sorted(EXERCISES.glob("*.ipynb")):
        if path not in plan:
            path.unlink()
            changed.append(f"removed {shown(path)} (no matching solution)")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Build exercises/, or with --check report whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if exercises/ is out of date"
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
            print("run: python tools/build_exercises.py", file=sys.stderr)
            return 1
        print(f"exercises/ is up to date ({len(plan)} notebooks)")
        return 0
    changed = build(plan)
    print("\n".join(changed) or f"exercises/ was already up to date ({len(plan)} notebooks)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
