"""Build the course's notebooks from their text sources in content/ and the course map.

    make build                              # or: python tools/build_course.py
    make check                              # or: python tools/build_course.py --check
    python tools/build_course.py --overwrite  # discard edits made in Jupyter to built notebooks

Sources (MyST Markdown notebooks, read with jupytext): content/lessons/NN_name.md for each
lesson, content/course.md for the course map page (course.ipynb), content/exercise.md for every
exercise (filled in from its scenario in data/scenarios.toml) and content/capstone.md. The order,
titles and minutes come from the course map, outreach_coach/course.toml. The build writes
lessons/, course.ipynb and solutions/, then exercises/ from solutions/ (tools/build_exercises.py),
and the course tables in README.md and instructor/README.md.

A source's front matter holds its objectives; fenced blocks mark what the build treats
specially: `:::{keypoints}` (the closing "Key points", required once, last), `:::{solution}`
(in the instructor copy in solutions/ only), `:::{instructor}` (a "For instructors" note: in
solutions/ only for an exercise, JupyterLab-only in a lesson), `:::{notebook-only}` (JupyterLab
only; the Voilà template leaves it out) and `:::{course-map}` (replaced by the course map).
`{{ research.<id> }}` is a figure from data/research.toml. The
build adds the rest: the title cell, "Run All" and widget notes, the "marked as read" cells, the
"Next step" links. Every built notebook is output-free, has position-based cell ids (identical
bytes on every run) and a build mark in its metadata naming the source to edit; the build never
overwrites a notebook edited since it was built unless told to with --overwrite.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the course's own package, even when another copy is installed

from outreach_coach import data  # noqa: E402
from outreach_coach.course_files import (  # noqa: E402
    BUILD_MARK,
    cells_digest,
    edited_since_built,
    marked_block,
)
from outreach_coach.outline import COURSE_MAP, Exercise, Lesson, course_map  # noqa: E402
from tools import build_exercises  # noqa: E402

try:
    LESSONS, EXERCISES, CAPSTONE, FINISH = course_map()
except data.DataError as error:  # a broken course map: what to fix, not a traceback
    print(f"cannot build the course: {error}", file=sys.stderr)
    sys.exit(2)

CONTENT = ROOT / "content"
LANDING = "course.ipynb"  # at the course root: where Voilà's file list starts
EXERCISE_SOURCE = CONTENT / "exercise.md"
CAPSTONE_SOURCE = CONTENT / "capstone.md"
BUILD_COMMAND = "make build"
CHECK_COMMAND = "make check"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
SOLUTION_TAG = build_exercises.SOLUTION_TAG

# Cells tagged NOTEBOOK_ONLY speak to JupyterLab users only; the course's Voilà template
# (.jupyter/data/voila/templates/course) leaves them out, since Voilà has already run the page.
NOTEBOOK_ONLY = "notebook-only"
RUN_ALL_TEXT = (
    "> **Start here:** choose **Run → Run All Cells** from the menu at the top, then read from "
    "the top. The grey code cells only load the course's tools: you never need to change them."
)
WIDGET_NOTE_TEXT = (
    "If you see *Error displaying widget* or no widget below, choose **Run → Run All Cells**."
)
# A line of a code cell that makes one of the course's interactive widgets.
WIDGET_CALL = re.compile(
    r"^(?:\w+ = )?(?:StormSimulator|Quiz|Workbench|OfferMatcher|PairComparer|SummaryPanel)\b",
    re.M,
)
INSTRUCTOR_TAG = "instructor"
INSTRUCTOR_HEAD = (
    "**For instructors** (running this page with a group; working alone, you can skip this)"
)
BLOCKS = ("keypoints", "solution", "instructor", "notebook-only", "course-map")
FENCE = re.compile(r"^(:{3,})\{([a-z-]+)\}\s*$")
FIELD = re.compile(r"\{\{\s*([a-z0-9_.]+)\s*\}\}")
RESEARCH_FIELD = re.compile(r"\{\{\s*research\.")


class SourceError(ValueError):
    """A course source that cannot be built: says which file, and what to change."""


# --- the pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One built notebook: where it goes, its source, its title in links, what fills it in."""

    path: str  # from the course root, "/" separators
    source: Path
    title: str
    kind: str  # lesson, finish, landing, exercise, capstone
    lesson: Lesson | None = None
    fields: dict[str, str] = field(default_factory=dict)
    data_note: str = ""  # where the rest of its text lives, for exercises


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def exercise_page(exercise: Exercise, solution: bool) -> Page:
    """The page of one exercise (or its solution), filled in from its scenario."""
    scenario = data.scenarios()[exercise.scenario]
    sender = data.senders()[scenario.sender]
    recipient = data.recipients()[scenario.recipient]
    folder = "solutions" if solution else "exercises"
    fields = {
        "scenario.id": scenario.id,
        "scenario.task": scenario.task,
        "sender.name": sender.name,
        "sender.headline": sender.headline,
        "recipient.name": recipient.name,
        "recipient.headline": recipient.headline,
        "key_points": _bullets(scenario.key_points),
        "instructor_notes": _bullets(scenario.instructor_notes),
    }
    return Page(
        path=f"{folder}/{exercise.file}",
        source=EXERCISE_SOURCE,
        title=f"Exercise {exercise.number}: {scenario.title}",
        kind="exercise",
        fields=fields,
        data_note=f"data/scenarios.toml (scenario {scenario.id!r})",
    )


def capstone_page(folder: str) -> Page:
    """The capstone's page; its instructor copy checks the example message of data/lessons.toml."""
    texts = data.lesson_texts()
    fields = {
        "capstone.example_recipient": texts.capstone_example_recipient,
        "capstone.example_sender": texts.capstone_example_sender,
        "capstone.recipient_name": data.recipients()[texts.capstone_example_recipient].name,
        "capstone.sender_name": data.senders()[texts.capstone_example_sender].name,
    }
    return Page(
        path=f"{folder}/{CAPSTONE.file}",
        source=CAPSTONE_SOURCE,
        title=CAPSTONE.title,
        kind="capstone",
        fields=fields,
        data_note="data/lessons.toml ([capstone])",
    )


def pages(solutions: bool = True) -> list[Page]:
    """Every page in the order a learner takes them, then the course map page. With solutions,
    the exercises are their instructor copies in solutions/ (what the build writes)."""
    listed = [exercise.scenario for exercise in EXERCISES]
    known = [s.id for s in data.scenarios().values() if s.use == "exercise"]
    if listed != known:  # the summary and the class report list exercises in scenarios.toml order
        raise SourceError(
            f"{COURSE_MAP}: its [[exercise]] tables list {listed}, but data/scenarios.toml has "
            f"these exercise scenarios: {known}. List the same ones, in the same order."
        )
    result = [
        Page(
            f"lessons/{lesson.file}",
            CONTENT / "lessons" / f"{lesson.key}.md",
            f"{int(lesson.number)}. {lesson.title}",  # as the lessons' own titles number them
            "lesson",
            lesson,
        )
        for lesson in LESSONS
    ]
    result += [exercise_page(exercise, solutions) for exercise in EXERCISES]
    folder = "solutions" if solutions else "exercises"
    result.append(capstone_page(folder))
    result.append(
        Page(
            f"lessons/{FINISH.file}",
            CONTENT / "lessons" / f"{FINISH.key}.md",
            FINISH.title,
            "finish",
            FINISH,
        )
    )
    result.append(Page(LANDING, CONTENT / "course.md", "Course map", "landing"))
    return result


def course_path() -> list[tuple[str, str]]:
    """(path, title) of every page a learner takes, in order: lessons, exercises, finish."""
    return [(page.path, page.title) for page in pages(solutions=False) if page.kind != "landing"]


RESEARCH_FILE = "data/research.toml"


def research_fields() -> dict[str, str]:
    """{{ research.<id> }} for every research figure, as lessons write it ('1,200', '22%')."""
    return {f"research.{figure.id}": figure.text for figure in data.research().values()}


def source_of(page: Page) -> str:
    """What to edit to change a page, as a sentence part: its source and the data it quotes."""
    source = page.source.relative_to(ROOT).as_posix()
    notes = [page.data_note] if page.data_note else []
    if page.source.exists() and RESEARCH_FIELD.search(page.source.read_text(encoding="utf-8")):
        notes.append(f"{RESEARCH_FILE} (its figures)")
    return " and ".join([source, *notes])


# --- reading a source ----------------------------------------------------------------------------


@dataclass
class Item:
    """One cell's worth of a source: its type, text, tags and the fenced block it sits in."""

    cell_type: str
    source: str
    block: str | None = None
    tags: list[str] = field(default_factory=list)


def fill(text: str, fields: dict[str, str], path: Path) -> str:
    """The source with its {{ field }} placeholders filled in; a SourceError for an unknown one."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in fields:
            line = text.count("\n", 0, match.start()) + 1
            known = ", ".join(f"{{{{ {key} }}}}" for key in sorted(fields)) or "none"
            raise SourceError(
                f"{path}, line {line}: unknown field {match.group(0)} (known: {known})"
            )
        return fields[name]

    return FIELD.sub(value, text)


def read_source(page: Page) -> tuple[dict, list[Item]]:
    """The source's front matter and its cells, split at the fenced blocks."""
    path = page.source
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{path}: missing (every page in {COURSE_MAP.name} needs one)") from None
    fields = {**research_fields(), **page.fields}
    notebook = jupytext.reads(fill(text, fields, path), fmt="md:myst")
    return dict(notebook.metadata), split_blocks(notebook.cells, path)


def split_blocks(cells: list, path: Path) -> list[Item]:
    """The cells as Items, each fenced block's text its own Item; code only inside a solution."""
    items: list[Item] = []
    block: tuple[str, str] | None = None  # (the colons that close it, its name)
    opened_at = 0  # len(items) when the open block began

    def add(lines: list[str]) -> None:
        text = "\n".join(lines).strip()
        lines.clear()
        if text:
            items.append(Item("markdown", text, block[1] if block else None))

    for cell in cells:
        if cell.cell_type == "code":
            if block and block[1] != "solution":
                raise SourceError(f"{path}: code inside a {{{block[1]}}} block")
            tags = list(cell.metadata.get("tags", []))
            items.append(Item("code", cell.source, block[1] if block else None, tags))
            continue
        lines: list[str] = []
        for line in cell.source.splitlines():
            opening = FENCE.match(line)
            if opening and block is None:
                add(lines)
                if opening.group(2) not in BLOCKS:
                    known = ", ".join(f"{{{name}}}" for name in BLOCKS)
                    raise SourceError(f"{path}: unknown block {{{opening.group(2)}}} ({known})")
                block, opened_at = (opening.group(1), opening.group(2)), len(items)
            elif block and line.strip() == block[0]:
                add(lines)
                if len(items) == opened_at:  # an empty block, such as {course-map}
                    items.append(Item("markdown", "", block[1]))
                block = None
            else:
                lines.append(line)
        add(lines)
    if block:
        raise SourceError(f"{path}: the {{{block[1]}}} block is never closed with {block[0]}")
    return items


# --- building a page -----------------------------------------------------------------------------


def md(text: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    """A Markdown cell, with tags when given."""
    cell = nbformat.v4.new_markdown_cell(text)
    if tags:
        cell["metadata"] = {"tags": tags}
    return cell


def code(text: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    """A code cell, saved without outputs."""
    cell = nbformat.v4.new_code_cell(text)
    if tags:
        cell["metadata"] = {"tags": tags}
    return cell


def lesson_header(title: str, minutes: int, objectives: list[str]) -> str:
    """The opening cell of a lesson: title, estimated time and objectives (Carpentries style)."""
    items = "\n".join(f"> - {item}" for item in objectives)
    return f"# {title}\n\n> **Estimated time:** {minutes} minutes\n>\n> **Objectives**\n>\n{items}"


def exercise_header(title: str, kind: str, objectives: list[str]) -> str:
    """The opening cell of an exercise: its title and what the learner will do."""
    return f"# {title}\n\nIn this {kind} you will:\n\n{_bullets(objectives)}"


def objectives_of(page: Page, front: dict) -> list[str]:
    """The page's objectives: its scenario's for an exercise, else its front matter's."""
    if page.kind == "exercise":
        scenario = data.scenarios()[page.fields["scenario.id"]]
        return list(scenario.objectives)
    objectives = front.get("objectives")
    if (
        not isinstance(objectives, list)
        or not objectives
        or not all(isinstance(item, str) and item.strip() for item in objectives)
    ):
        raise SourceError(f"{page.source}: the front matter needs 'objectives:', a list of text")
    return objectives


def _link(source: str, target: str) -> str:
    """target (from the course root) as a link relative to the page at source."""
    return posixpath.relpath(target, posixpath.dirname(source))


def next_step_text(page: str) -> str:
    """Markdown for the end of a page: the next page (and the one before) as plain links."""
    order = course_path()
    index = [path for path, _ in order].index(page)
    back = [f"[Course map]({_link(page, LANDING)})"]
    if index > 0:
        path, title = order[index - 1]
        back.insert(0, f"[← Previous: {title}]({_link(page, path)})")
    if index + 1 < len(order):
        path, title = order[index + 1]
        kind = page.split("/")[0], path.split("/")[0]
        if path.endswith(FINISH.file):
            label = f"Finish: {FINISH.title.removeprefix('Finish: ')}"
        elif kind == ("lessons", "exercises"):
            label = f"Now try {title[0].lower()}{title[1:]}"
        elif kind == ("exercises", "exercises"):
            label = f"Next, {title[0].lower()}{title[1:]}"
        else:
            label = f"Next lesson: {title}"
        ahead = f"**[{label} →]({_link(page, path)})**"
    else:
        ahead = (
            f"**[Back to the course map →]({_link(page, LANDING)})**: you have reached the end "
            "of the course."
        )
        back.pop()  # the course map is already the way ahead
    return f"## Next step\n\n{ahead}\n\n" + " · ".join(back)


def course_map(lessons: str, exercises: str) -> str:
    """The course map in Markdown, linking lessons and exercises from where the page is."""
    rows = "\n".join(
        f"| {lesson.number} | [{lesson.title}]({lessons}{lesson.file}) | {lesson.what} | "
        f"{lesson.minutes} min |"
        for lesson in LESSONS
    )
    total = sum(lesson.minutes for lesson in (*LESSONS, FINISH))
    exercise_list = "\n".join(
        f"- [{title}]({exercises}{path.removeprefix('exercises/')}) (`{path}`)"
        for path, title in course_path()
        if path.startswith("exercises/")
    )
    return (
        "## Course map\n\n"
        "Work through the lessons in order; each builds on the one before.\n\n"
        "| # | Lesson | What you will do | Time |\n|---|---|---|---|\n"
        f"{rows}\n\n"
        "### Exercises\n\n"
        "Practise on your own once you have done the lessons (or whenever a lesson sends "
        "you there). Each exercise is one message to rewrite, checked by the same grader."
        f"\n\n{exercise_list}\n\n"
        "### Finish\n\n"
        f"- [{FINISH.title}]({lessons}{FINISH.file}): {FINISH.what}.\n\n"
        f"About {total} minutes in all, without the exercises."
    )


def shows_widget(cell: nbformat.NotebookNode) -> bool:
    """True for a code cell that makes one of the course's widgets."""
    return cell.cell_type == "code" and bool(WIDGET_CALL.search(cell.source))


def with_widget_notes(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells with WIDGET_NOTE_TEXT above every widget cell (what to click on a return)."""
    result = []
    for cell in cells:
        if shows_widget(cell):
            result.append(md(WIDGET_NOTE_TEXT, [NOTEBOOK_ONLY]))
        result.append(cell)
    return result


def instructor_cell(page: Page, item: Item) -> nbformat.NotebookNode:
    """An instructor note: in an exercise's instructor copy only (solutions/); in a lesson, a
    JupyterLab-only cell (the Voilà app, where learners work, leaves it out)."""
    if not item.source.strip():
        raise SourceError(f"{page.source}: an empty {{instructor}} block: write the note in it")
    if page.path.startswith("solutions/"):
        tags = [INSTRUCTOR_TAG, SOLUTION_TAG]
    elif page.kind in ("lesson", "finish"):
        tags = [INSTRUCTOR_TAG, NOTEBOOK_ONLY]
    else:
        raise SourceError(f"{page.source}: an {{instructor}} block belongs in a lesson or exercise")
    lines = [INSTRUCTOR_HEAD, "", *item.source.splitlines()]
    return md("\n".join(f"> {line}".rstrip() for line in lines), tags)


def body_cells(page: Page, items: list[Item]) -> tuple[list[nbformat.NotebookNode], str | None]:
    """The page's own cells from its source, and the text of its key points (None if absent)."""
    cells: list[nbformat.NotebookNode] = []
    key_points = None
    instructor_copy = page.path.startswith("solutions/")
    here = page.path
    for item in items:
        if key_points is not None:
            raise SourceError(f"{page.source}: the {{keypoints}} block must come last")
        if item.block == "keypoints":
            key_points = item.source
        elif item.block == "instructor":
            cells.append(instructor_cell(page, item))
        elif item.block == "solution":
            if not instructor_copy:
                raise SourceError(
                    f"{page.source}: a {{solution}} block is only for exercises, whose "
                    "instructor copy is in solutions/ (lessons have none)"
                )
            maker = code if item.cell_type == "code" else md
            cells.append(maker(item.source, sorted({*item.tags, SOLUTION_TAG})))
        elif item.block == "notebook-only":
            cells.append(md(item.source, [NOTEBOOK_ONLY]))
        elif item.block == "course-map":
            at_root = "/" not in here
            cells.append(
                md(
                    course_map(
                        "lessons/" if at_root else "", "exercises/" if at_root else "../exercises/"
                    )
                )
            )
        elif item.cell_type == "code":
            cells.append(code(item.source, item.tags or None))
        else:
            cells.append(md(item.source))
    return cells, key_points


def build(page: Page) -> nbformat.NotebookNode:
    """The notebook for one page, without outputs, with its build mark."""
    front, items = read_source(page)
    cells, key_points = body_cells(page, items)
    if page.kind != "landing":
        objectives = objectives_of(page, front)
        if page.kind in ("lesson", "finish"):
            lesson = page.lesson
            head = lesson_header(lesson.title_line, lesson.minutes, objectives)
        else:
            head = exercise_header(page.title, page.kind, objectives)
        cells = [md(head), md(RUN_ALL_TEXT, [NOTEBOOK_ONLY]), *cells]
        if not key_points or not re.search(r"^- \S", key_points, re.M):
            raise SourceError(f"{page.source}: end with a {{keypoints}} block of '- ' items")
        if page.kind == "lesson":
            cells += [
                code("from outreach_coach.summary import finish_lesson"),
                code(f'finish_lesson("{page.lesson.key}")'),
            ]
        cells.append(md(f"## Key points\n\n{key_points}"))
        learner_path = page.path.replace("solutions/", "exercises/", 1)
        cells.append(md(next_step_text(learner_path)))
    cells = with_widget_notes(cells)
    stem = re.sub(r"[^a-z0-9]+", "-", Path(page.path).stem)
    for index, cell in enumerate(cells):
        cell["id"] = f"{stem}-{index:02d}"[:64]
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(METADATA))
    notebook.metadata[BUILD_MARK] = {
        "source": source_of(page),
        "note": f"Built from the source above by `{BUILD_COMMAND}`: edit the source, not this "
        "notebook.",
        "digest": cells_digest(notebook),
    }
    nbformat.validate(notebook)
    return notebook


# --- the course tables in README.md and instructor/README.md -------------------------------------

TABLE_START = "<!-- course table: written by `make build` from outreach_coach/course.toml -->"
TABLE_END = "<!-- end of course table -->"


def readme_table() -> str:
    """The README's table of notebooks, one row per page of the course."""
    rows = ["| notebook | what you do |", "| --- | --- |"]
    for path, title in course_path():
        name = path.removesuffix(".ipynb")
        what = page_what(path, title)
        rows.append(f"| [{name}]({path}) | {what} |")
    return "\n".join(rows)


def page_what(path: str, title: str) -> str:
    """The one line the tables give a page: the map's for lessons, the title for an exercise."""
    name = path.rpartition("/")[2]
    for lesson in (*LESSONS, FINISH):
        if path == f"lessons/{lesson.file}":
            return lesson.what
    if name == CAPSTONE.file:
        return CAPSTONE.what
    return title


def page_minutes(path: str) -> int:
    """The minutes the course map gives a page."""
    name = path.rpartition("/")[2]
    for item in (*LESSONS, FINISH, CAPSTONE, *EXERCISES):
        if item.file == name:
            return item.minutes
    raise KeyError(path)


def instructor_table() -> str:
    """The instructor guide's table: every page with its minutes, and the lessons' total."""
    rows = ["| notebook | minutes | what learners do |", "| --- | --- | --- |"]
    for path, title in course_path():
        rows.append(f"| `{path}` | {page_minutes(path)} | {page_what(path, title)} |")
    lessons = sum(lesson.minutes for lesson in LESSONS)
    practice = sum(e.minutes for e in EXERCISES) + CAPSTONE.minutes
    rows.append("")
    rows.append(
        f"The lessons add up to about {lessons} minutes when a learner works alone, and the "
        f"exercises and the capstone to about {practice} more."
    )
    return "\n".join(rows)


TABLES = {ROOT / "README.md": readme_table, ROOT / "instructor" / "README.md": instructor_table}


def with_table(text: str, table: str, path: Path) -> str:
    """The document with the text between its course-table markers replaced by table."""
    try:
        head, _, tail = marked_block(text, TABLE_START, TABLE_END)
    except ValueError:
        raise SourceError(f"{path}: the course table markers are missing ({TABLE_START})") from None
    return f"{head}\n{table}\n{tail}"


# --- writing and checking ------------------------------------------------------------------------


def shown(path: Path) -> str:
    """A path relative to the repository."""
    return path.relative_to(ROOT).as_posix()


def as_text(content: bytes) -> list[str]:
    """A notebook as MyST Markdown lines, the way a diff is easiest to read."""
    try:
        notebook = nbformat.reads(content.decode("utf-8"), as_version=4)
    except Exception:  # not a notebook any more: show it as it is
        return content.decode("utf-8", "replace").splitlines()
    notebook.metadata = {}
    return jupytext.writes(notebook, fmt="md:myst").splitlines()


def diff(path: Path, old: bytes, new: bytes) -> str:
    """A unified diff of a notebook's text, from what is on disk to what the build makes."""
    lines = difflib.unified_diff(
        as_text(old),
        as_text(new),
        f"{shown(path)} (on disk)",
        f"{shown(path)} (built)",
        lineterm="",
    )
    return "\n".join(lines)


def planned() -> dict[Path, tuple[bytes, str]]:
    """What every built notebook should contain, by path, with the source to edit."""
    plan = {}
    for page in pages():
        plan[ROOT / page.path] = (build_exercises.notebook_bytes(build(page)), source_of(page))
    return plan


def check_orphans(plan: dict[Path, tuple[bytes, str]]) -> list[str]:
    """Notebooks in lessons/ or solutions/ that no page of the course map builds."""
    orphans = []
    for folder in ("lessons", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            if path not in plan:
                orphans.append(
                    f"not in the course map: {shown(path)} (add it to {COURSE_MAP.name})"
                )
    return orphans


def check(plan: dict[Path, tuple[bytes, str]]) -> list[str]:
    """Every built file that differs from what is on disk, each with its source and a diff."""
    problems = check_orphans(plan)
    for path, (content, source) in plan.items():
        if not path.exists():
            problems.append(f"missing: {shown(path)} (built from {source}; run {BUILD_COMMAND})")
        elif path.read_bytes() != content:
            old = path.read_bytes()
            how = (
                "was edited since it was built: copy the change into " + source
                if edited_since_built(nbformat.reads(old.decode("utf-8"), as_version=4))
                else f"is out of date: edit {source}, not the notebook"
            )
            problems.append(
                f"{shown(path)} {how}, then run {BUILD_COMMAND}\n{diff(path, old, content)}"
            )
    for path, table in TABLES.items():
        text = path.read_text(encoding="utf-8")
        if with_table(text, table(), path) != text:
            problems.append(f"{shown(path)}: its course table is out of date: run {BUILD_COMMAND}")
    problems += build_exercises.stale(build_exercises.planned())
    return problems


def write(plan: dict[Path, tuple[bytes, str]], overwrite: bool) -> tuple[list[str], list[str]]:
    """Write the plan; (what was written, what was refused because it was edited in Jupyter)."""
    written, refused = [], []
    for path, (content, source) in plan.items():
        if path.exists():
            old = path.read_bytes()
            if old == content:
                continue
            if not overwrite and edited_since_built(nbformat.reads(old.decode("utf-8"), 4)):
                refused.append(
                    f"{shown(path)} was edited since it was built, so it was not overwritten.\n"
                    f"Its text comes from {source}: copy your change there and run "
                    f"{BUILD_COMMAND} again, or discard the edit with "
                    f"`python tools/build_course.py --overwrite`.\n{diff(path, old, content)}"
                )
                continue
        path.write_bytes(content)
        written.append(f"wrote {shown(path)}")
    return written, refused


def main(argv: list[str] | None = None) -> int:
    """Build (or check) every notebook of the course and the README's course tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument(
        "--overwrite", action="store_true", help="overwrite notebooks edited since they were built"
    )
    args = parser.parse_args(argv)
    try:
        plan = planned()
        if args.check:
            problems = check(plan)
            if problems:
                print("\n\n".join(problems), file=sys.stderr)
                print(f"\nthe course is out of date: see above ({CHECK_COMMAND})", file=sys.stderr)
                return 1
            print(f"the course is up to date ({len(plan)} notebooks built from content/)")
            return 0
        orphans = check_orphans(plan)
        written, refused = write(plan, args.overwrite)
        exercises, refused_exercises = build_exercises.build(
            build_exercises.planned(), overwrite=args.overwrite
        )
        for path, table in TABLES.items():
            text = path.read_text(encoding="utf-8")
            updated = with_table(text, table(), path)
            if updated != text:
                path.write_text(updated, encoding="utf-8")
                written.append(f"wrote {shown(path)} (its course table)")
    except (SourceError, data.DataError) as error:
        print(f"cannot build the course: {error}", file=sys.stderr)
        return 2
    problems = [*orphans, *refused, *refused_exercises]
    done = [*written, *exercises]
    print(
        "\n".join(done) or ("nothing written" if problems else "the course was already up to date")
    )
    if problems:
        print("\n\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
