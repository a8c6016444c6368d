"""Keep the course's own notebooks byte for byte as committed when JupyterLab saves them.

JupyterLab autosaves an open notebook with its outputs, widget state and the kernel's full
language_info. Saved widget outputs show "Error displaying widget: model not found" on the next
visit, and any of it makes `git status` dirty. The course's Jupyter config
(.jupyter/jupyter_server_config.json) runs `pre_save_hook` before every save, so a course
notebook is always written the way the build tools write it: no outputs, no execution counts,
only tags as cell metadata. The learner's drafts live in progress/, never in the notebooks.

A built notebook also keeps its build mark (notebook metadata BUILD_MARK): the source file to
edit and a digest of the cells as built, so that the build can tell an edit made in Jupyter
from its own output and refuse to overwrite it (tools/build_course.py). Tables that tools write
into Markdown (the README's course and accuracy tables) sit between two marker lines
(`marked_block`).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import MutableMapping
from typing import Any

COURSE_FOLDERS = ("lessons", "exercises", "solutions")
COURSE_NOTEBOOKS = ("course.ipynb",)
BUILD_MARK = "outreach_coach"
KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info", BUILD_MARK)


def is_course_notebook(path: str) -> bool:
    """True for a notebook the course ships (relative API path, "/" separators)."""
    path = path.strip("/")
    if not path.endswith(".ipynb"):
        return False
    folder, _, name = path.rpartition("/")
    return folder in COURSE_FOLDERS or (not folder and name in COURSE_NOTEBOOKS)


def clean_cell(cell: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A copy of the cell with no outputs, no execution count and only its tags as metadata."""
    cell = copy.deepcopy(cell)
    tags = cell.get("metadata", {}).get("tags", [])
    cell["metadata"] = {"tags": list(tags)} if tags else {}
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def clean_metadata(metadata: MutableMapping[str, Any]) -> dict[str, Any]:
    """The notebook metadata the course commits: the kernelspec and the language's name."""
    kept = {key: copy.deepcopy(metadata[key]) for key in KEPT_NOTEBOOK_METADATA if key in metadata}
    if "language_info" in kept:
        kept["language_info"] = {"name": kept["language_info"].get("name", "python")}
    return kept


def clean_notebook(content: MutableMapping[str, Any]) -> None:
    """Strip, in place, what running a notebook adds to it (outputs, counts, widget state)."""
    content["cells"] = [clean_cell(cell) for cell in content.get("cells", [])]
    content["metadata"] = clean_metadata(content.get("metadata", {}))


def cells_digest(content: MutableMapping[str, Any]) -> str:
    """A short digest of a notebook's cells as the course commits them (type, text, tags)."""
    cells = [
        (cell["cell_type"], cell["source"], cell.get("metadata", {}).get("tags", []))
        for cell in content.get("cells", [])
    ]
    text = json.dumps(cells, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def edited_since_built(content: MutableMapping[str, Any]) -> bool:
    """True when a notebook's cells are not the ones its build mark records (or it has none)."""
    mark = content.get("metadata", {}).get(BUILD_MARK)
    return not isinstance(mark, dict) or mark.get("digest") != cells_digest(content)


def pre_save_hook(model: MutableMapping[str, Any], path: str, **kwargs: Any) -> None:
    """Jupyter's ContentsManager.pre_save_hook: course notebooks are saved clean."""
    if model.get("type") == "notebook" and model.get("content") and is_course_notebook(path):
        clean_notebook(model["content"])


def marked_block(text: str, start_marker: str, end_marker: str) -> tuple[str, str, str]:
    """Split text around the block a tool writes between two marker lines: (everything up to and
    including the start marker, the block, everything from the end marker on). ValueError when
    a marker is missing or out of order."""
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        raise ValueError(f"the marker lines are missing or out of order ({start_marker})")
    head = start + len(start_marker)
    return text[:head], text[head:end], text[end:]
