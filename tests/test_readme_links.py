"""Binder can build the repository, and every link and badge in the README leads somewhere."""

from __future__ import annotations

import re
import tomllib
import urllib.parse
from pathlib import Path

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
