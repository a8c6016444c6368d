"""The README's accuracy table is today's: a change that moves any labelled set's figure, up or
down, must rewrite the table (`python benchmarks/evaluate.py --write-readme`) in the same commit."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _evaluate_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "benchmarks" / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


evaluate = _evaluate_script()


def test_the_readme_table_holds_todays_figures() -> None:
    committed = evaluate.readme_table((ROOT / "README.md").read_text(encoding="utf-8"))
    fresh = evaluate.markdown(evaluate.rows())
    changed = "\n".join(
        difflib.unified_diff(
            committed.splitlines(), fresh.splitlines(), "README", "today", n=0, lineterm=""
        )
    )
    assert committed == fresh, (
        "A labelled set's figures moved; if the change is meant, run "
        f"python benchmarks/evaluate.py --write-readme and commit README.md with it:\n{changed}"
    )


def test_rewriting_the_table_changes_only_the_table() -> None:
    readme = "intro\n" + evaluate.TABLE_START + "\nold\n" + evaluate.TABLE_END + "\nrest\n"
    rewritten = evaluate.with_table(readme, "| new |")
    assert rewritten == f"intro\n{evaluate.TABLE_START}\n| new |\n{evaluate.TABLE_END}\nrest\n"
    assert evaluate.readme_table(rewritten) == "| new |"


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="marker lines"):
        evaluate.with_table("no table here\n", "| new |")
