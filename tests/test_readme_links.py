"""Binder can build the repository, every link and badge in the README leads somewhere, and so
does every relative link (and every course notebook named in backticks) in the repository's
Markdown and notebooks."""

from __future__ import annotations

import re
import subprocess
import tomllib
import urllib.parse
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
LINK = re.compile(r"\]\(([^)\s]+)\)")
URLPATH_PREFIXES = ("lab/tree/", "voila/render/", "tree/", "notebooks/")


def readme_links() -> list[str]:
    return LINK.findall(README.read_text(encoding="utf-8"))


def test_runtime_txt_matches_requires_python() -> None:
    runtime = (REPO / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"runtime.txt must say python-X.Y for repo2docker, not {runtime!r}"
    version = tuple(int(part) for part in match.groups())
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires)
    assert minimum, f"requires-python should be a plain lower bound, not {requires!r}"
    assert version == tuple(int(part) for part in minimum.groups()), (
        f"runtime.txt ({runtime}) and requires-python ({requires}) disagree: Binder would "
        "build with a Python the course does not support, or test one nobody uses"
    )


def test_every_relative_link_in_the_readme_exists() -> None:
    relative = [link for link in readme_links() if "://" not in link and not link.startswith("#")]
    assert relative, "the README should link to the course's notebooks"
    missing = [link for link in relative if not (REPO / link.split("#")[0]).exists()]
    assert missing == [], f"README links to paths that do not exist: {missing}"


def test_every_badge_urlpath_exists() -> None:
    urlpaths = []
    for link in readme_links():
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
        urlpaths += query.get("urlpath", [])
    assert len(urlpaths) >= 2, "the README should have a Binder badge and a Voilà badge"
    missing = []
    for urlpath in urlpaths:
        prefix = next((p for p in URLPATH_PREFIXES if urlpath.startswith(p)), None)
        assert prefix, f"unknown urlpath form {urlpath!r}"
        if not (REPO / urlpath.removeprefix(prefix)).exists():
            missing.append(urlpath)
    assert missing == [], f"README badges open paths that do not exist: {missing}"


# A course notebook named in prose, such as `exercises/01_mass_note.ipynb`.
NOTEBOOK_PATH = re.compile(r"`((?:lessons|exercises|solutions)/[^`*\s]+\.ipynb)`")


def tracked(*patterns: str) -> list[str]:
    """Tracked and new files matching the patterns (the corpus and the notebooks' sources aside:
    a source's links are relative to its built notebook, which is checked instead)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [name for name in listed if not name.startswith(("data/corpus/", "content/"))]


def markdown_of(name: str) -> str:
    """A file's Markdown: the whole file, or a notebook's Markdown cells."""
    path = REPO / name
    if name.endswith(".ipynb"):
        notebook = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def broken_links(name: str) -> list[str]:
    """A file's relative links that lead nowhere, and course notebooks it names that are missing."""
    text = markdown_of(name)
    here = (REPO / name).parent
    broken = []
    for link in LINK.findall(text):
        target = link.split("#")[0]
        if "://" in link or link.startswith(("#", "mailto:")) or not target:
            continue
        if target.startswith("/") or not (here / target).exists():
            broken.append(link)
    broken += [path for path in NOTEBOOK_PATH.findall(text) if not (REPO / path).exists()]
    return broken


PAGES = tracked("*.md", "*.ipynb")


def test_the_link_check_sees_the_course() -> None:
    assert {"README.md", "CONTRIBUTING.md", "lessons/00_start_here.ipynb", "course.ipynb"} <= set(
        PAGES
    )
    assert broken_links("README.md") == []


@pytest.mark.parametrize("name", PAGES)
def test_every_relative_link_resolves(name: str) -> None:
    assert broken_links(name) == [], f"{name} links to paths that do not exist"
