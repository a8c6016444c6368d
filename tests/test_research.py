"""The research figures: stated once, in data/research.toml, and nowhere else by hand.

Lessons write {{ research.<id> }}; a guide, a hint or the grader's own text that states one of
the figures is checked against the data here, and so is the grader's length limit, so that a
figure changed in one place and not the others fails a test instead of teaching two numbers.
"""

import re
import tomllib
from pathlib import Path

import pytest

from outreach_coach import data
from outreach_coach.grader import checks, wordlists
from outreach_coach.storage import MAX_DRAFT_CHARS
from tools import build_course

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "content").rglob("*.md"))
# Text that teaches (guides, hints, messages), whose figures must be the data's.
TEACHING_TEXT = [
    *sorted((ROOT / "instructor").glob("*.md")),
    ROOT / "data" / "lessons.toml",
    ROOT / "data" / "scenarios.toml",
    ROOT / "data" / "quizzes.toml",
    ROOT / "outreach_coach" / "lesson_views.py",
    ROOT / "outreach_coach" / "workbench.py",
    ROOT / "outreach_coach" / "views.py",
    *sorted((ROOT / "outreach_coach" / "storage").glob("*.py")),
    wordlists.grader_data_dir() / "rules.toml",
]
# "under 400 characters", "well under 1,200 characters", "under about 125 words"
BOUND = re.compile(r"\b(?:under|over|below|above)\s+(?:about\s+)?(\d[\d,]*)\s+(characters|words)")
WORD_RANGE = re.compile(r"\b(\d+)\s*(?:to|-)\s*(\d+)\s+words\b")
PERCENT = re.compile(r"\b(\d+)%\s+(better|worse)\b")
MILLIONS = re.compile(r"\b(\d+)\s+million\s+emails\b")
HAND_STATED = (BOUND, WORD_RANGE, PERCENT, MILLIONS)


def figures() -> dict[str, data.ResearchFigure]:
    return data.research()


def figure_problems(text: str, where: str) -> list[str]:
    """Every research-style figure stated in text that is not the one in data/research.toml."""
    figs = figures()
    by_unit: dict[str, set[int]] = {}
    for figure in figs.values():
        by_unit.setdefault(figure.unit, set()).add(figure.value)
    # The one limit of the same form that is not research: the longest draft the course saves.
    by_unit["characters"] = by_unit["characters"] | {MAX_DRAFT_CHARS}
    problems = []
    for match in BOUND.finditer(text):
        value, unit = int(match.group(1).replace(",", "")), match.group(2)
        if value not in by_unit[unit]:
            problems.append(f"{where}: {match.group(0)!r} is not a figure in data/research.toml")
    best = (figs["email_best_words_low"].value, figs["email_best_words_high"].value)
    for match in WORD_RANGE.finditer(text):
        if (int(match.group(1)), int(match.group(2))) != best:
            problems.append(
                f"{where}: {match.group(0)!r}, but the data says {best[0]} to {best[1]}"
            )
    expected = {"better": figs["inmail_short_lift"].value, "worse": figs["inmail_long_drop"].value}
    for match in PERCENT.finditer(text):
        if int(match.group(1)) != expected[match.group(2)]:
            problems.append(f"{where}: {match.group(0)!r}, but the data says {expected}")
    for match in MILLIONS.finditer(text):
        if int(match.group(1)) * 1_000_000 != figs["email_study_size"].value:
            problems.append(f"{where}: {match.group(0)!r} differs from email_study_size")
    return problems


def test_every_figure_says_what_it_measures_and_where_it_is_from() -> None:
    assert {"inmail_short_chars", "inmail_long_chars", "inmail_short_lift"} <= set(figures())
    for figure in figures().values():
        assert figure.measures and figure.source
        # Never cited by the course: then the source must say so rather than look cited.
        assert figure.address or "never cited" in figure.source, figure.id


def test_the_figures_read_as_the_lessons_write_them() -> None:
    assert figures()["inmail_long_chars"].text == "1,200"
    assert figures()["inmail_short_lift"].text == "22%"
    assert figures()["email_study_size"].text == "40 million"


def test_the_graders_length_limit_is_the_research_figure() -> None:
    assert figures()["inmail_long_chars"].value == checks.LONG_CHARS


def test_the_graders_length_rule_states_the_data_figures() -> None:
    rules = tomllib.loads((wordlists.grader_data_dir() / "rules.toml").read_text("utf-8"))
    rule = next(rule for rule in rules["rule"] if rule["code"] == "MECH008")
    text = f"{rule['hint']} {rule['why']}"
    assert figure_problems(text, "MECH008") == []
    for figure in figures().values():  # the rule cites every one of them
        assert figure.text in text, figure.id


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_a_lesson_source_states_no_research_figure_by_hand(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    stated = [match.group(0) for pattern in HAND_STATED for match in pattern.finditer(text)]
    assert stated == [], f"{path.name}: write these as {{{{ research.<id> }}}} fields: {stated}"


@pytest.mark.parametrize("path", TEACHING_TEXT, ids=lambda path: path.name)
def test_guides_hints_and_messages_state_the_data_figures(path: Path) -> None:
    assert figure_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_a_figure_that_differs_from_the_data_is_caught() -> None:
    assert figure_problems("Keep it under 300 characters.", "x")
    assert figure_problems("Aim for 50 to 150 words.", "x")
    assert figure_problems("did 25% better", "x")
    assert not figure_problems("Keep it under 400 characters, 50 to 125 words; 22% better.", "x")


def test_the_built_lesson_quotes_the_data() -> None:
    page = next(p for p in build_course.pages() if p.path.endswith("05_professional_writing.ipynb"))
    text = "\n".join(cell.source for cell in build_course.build(page).cells)
    for key in ("inmail_short_chars", "inmail_long_chars", "inmail_short_lift", "inmail_long_drop"):
        assert figures()[key].text in text
    assert "data/research.toml" in build_course.source_of(page)
    assert figure_problems(text, page.path) == []
