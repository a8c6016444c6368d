"""How the package is cut: the learner's files import one way only, with no import hidden in a
function to dodge a cycle, and each widget piece (card, error box, verdict line) exists once."""

from __future__ import annotations

import ast
import re
import tomllib
from functools import cache
from pathlib import Path

from outreach_coach import lesson_views, quiz, simulator, summary, views, workbench

PACKAGE = Path(__file__).resolve().parents[1] / "outreach_coach"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package's modules one import statement of module `name` reads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in modules()}
    is_package = modules()[name].name == "__init__.py"
    base = name.split(".")
    if node.level:
        base = base[: len(base) - node.level + is_package]
    target = ".".join(base + ([node.module] if node.module else []))
    found = set()
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        found.add(submodule if submodule in modules() else target)
    return {module for module in found if module in modules()}


@cache
def imports(name: str) -> dict[str, list[int]]:
    """Every package module `name` imports, anywhere in it (in a function or a TYPE_CHECKING
    block too), with the lines that do."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    found: dict[str, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in imported(name, node) - {name}:
                found.setdefault(target, []).append(node.lineno)
    return found


def cycles(names: list[str]) -> list[list[str]]:
    """The import cycles among `names` (each found once, from its first module)."""
    found = []

    def visit(path: list[str]) -> None:
        for target in imports(path[-1]):
            if target not in names:
                continue
            if target == path[0]:
                found.append([*path, target])
            elif target not in path and target > path[0]:
                visit([*path, target])

    for name in names:
        visit([name])
    return found


def learner_file_modules() -> list[str]:
    return [name for name in modules() if name.startswith("outreach_coach.storage")]


def test_the_import_reader_sees_relative_imports() -> None:
    assert "outreach_coach.storage.records" in imports("outreach_coach.storage.store")
    assert "outreach_coach.data" in imports("outreach_coach.storage.answers")
    assert "outreach_coach.grader.runtime" in imports("outreach_coach.storage.store")
    assert cycles(["outreach_coach.storage"]) == []


def test_storage_and_export_do_not_import_each_other() -> None:
    names = learner_file_modules()
    assert {"outreach_coach.storage.store", "outreach_coach.storage.answers"} <= set(names)
    assert "outreach_coach.export" not in modules(), "export belongs in outreach_coach.storage"
    assert "outreach_coach.storage.store" not in imports("outreach_coach.storage.answers")
    assert cycles(names) == []


def test_the_learner_files_hide_no_import_in_a_function() -> None:
    lazy = []
    for name in learner_file_modules():
        tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lazy += [
                    f"{name}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, (ast.Import, ast.ImportFrom))
                ]
    assert lazy == []


def test_the_learner_files_need_no_widget_module() -> None:
    for name in learner_file_modules():
        views = {m for m in imports(name) if not m.startswith("outreach_coach.storage")}
        assert views <= {
            "outreach_coach",
            "outreach_coach.data",
            "outreach_coach.files",
            "outreach_coach.grader.report",
            "outreach_coach.grader.runtime",
        }, name


def definitions() -> dict[str, list[str]]:
    """Every function and class the package defines, by name, with the modules that do."""
    found: dict[str, list[str]] = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found.setdefault(node.name, []).append(name)
    return found


def test_each_widget_piece_is_defined_once_in_views() -> None:
    defined = definitions()
    pieces = [
        name
        for name in defined
        if name.endswith("card_html")
        or "verdict_line" in name
        or name in {"verdict_html", "ErrorBox", "error_html", "run_guarded", "_guarded"}
    ]
    assert sorted(pieces) == [
        "ErrorBox",
        "error_html",
        "profile_card_html",
        "run_guarded",
        "sender_card_html",
        "verdict_line",
    ]
    assert {name: defined[name] for name in pieces} == {
        name: ["outreach_coach.views"] for name in pieces
    }


def test_the_error_box_class_is_written_only_by_the_error_box() -> None:
    writers = [
        name
        for name, path in modules().items()
        if "oc-error-box" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["outreach_coach.views"]


def test_the_workbench_and_the_lessons_use_the_same_pieces(tmp_path) -> None:
    for module in (workbench, lesson_views):
        assert module.profile_card_html is views.profile_card_html
        assert module.sender_card_html is views.sender_card_html
        assert module.verdict_line is views.verdict_line
    for module in (workbench, lesson_views, quiz, simulator, summary):
        assert module.ErrorBox is views.ErrorBox
        assert module.run_guarded is views.run_guarded
    from outreach_coach.storage import DraftStore

    wb = workbench.Workbench("s01-mass-note", store=DraftStore(tmp_path))
    widgets = [wb.error_box, quiz.Quiz("storm-opt-out").error_box]
    widgets += [simulator.StormSimulator().error_box, lesson_views.PairComparer().error_box]
    widgets.append(summary.SummaryPanel(store=DraftStore(tmp_path)).error_box)
    assert all(type(box) is views.ErrorBox for box in widgets)


def test_code_is_named_by_what_it_does_not_by_lesson_number() -> None:
    """Lesson numbers change when the course map does; the code's names and comments do not."""
    numbered = re.compile(r"lesson[ _-]?0?\d|\bl0\d_", re.IGNORECASE)
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, path in modules().items()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if numbered.search(line)
    ]
    assert found == []


def test_every_subpackage_is_in_the_wheel() -> None:
    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {module_name(path) for path in PACKAGE.rglob("__init__.py")}
    assert set(config["tool"]["setuptools"]["packages"]) == packages
