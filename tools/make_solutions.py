"""Scaffold the solution notebooks in solutions/ (one per exercise scenario, plus the capstone).

The solution notebooks are the source of truth: edit them in Jupyter, then run
`python tools/build_exercises.py` to regenerate exercises/. This script only creates them in the
first place (and re-creates them with --force), from data/scenarios.toml and the short texts
below. It writes output-free notebooks with fixed cell ids, so the result is deterministic.

    python tools/make_solutions.py            # create the notebooks that do not exist yet
    python tools/make_solutions.py --force    # overwrite them all
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outreach_coach import data  # noqa: E402
from tools.build_exercises import notebook_bytes  # noqa: E402
from tools.build_lessons import (  # noqa: E402
    NOTEBOOK_ONLY,
    RUN_ALL_TEXT,
    WIDGET_NOTE_TEXT,
    next_step_text,
)

SOLUTIONS = ROOT / "solutions"
SOLUTION_TAG = "solution"
CAPSTONE_STEM = "capstone_your_own_prospect"

# What each exercise practises and what to remember, by scenario id.
TEACHING: dict[str, dict[str, list[str]]] = {
    "s01-mass-note": {
        "objectives": [
            "turn a thank-you note sent to a whole list into a message for one person",
            "greet the reader by name and use one detail from her profile",
            "replace 'anything else I can do' with one offer that fits her",
        ],
        "key_points": [
            "One message, one person: a note to a list is how the reply-all storm in the story "
            "started.",
            "A detail only her profile could give (the winter trade show) is what makes it "
            "personal.",
            "'Anything else I can do' is not an offer. Name one thing, and leave the link out "
            "until she asks.",
        ],
    },
    "s02-wrong-offer": {
        "objectives": [
            "spot an offer that cannot benefit the reader, even in a friendly message",
            "choose the offer that matches a need in the recipient's profile",
            "say in one sentence why it fits",
        ],
        "key_points": [
            "Personal is not enough: the offer must be something the reader could use.",
            "The reader's interests usually name the need: here, donor retention.",
            "Whether a message is spam is the recipient's call, and an offer that does not fit "
            "them is spam to them.",
        ],
    },
    "s03-flattery": {
        "objectives": [
            "recognise flattery that fits anyone ('impressive profile')",
            "replace it with one real detail from the profile",
            "replace a menu of 'many services' with one concrete offer",
        ],
        "key_points": [
            "A compliment that fits everyone proves you did not read the profile.",
            "A specific detail (her phishing webinar) beats any superlative.",
            "One concrete offer tied to that detail is easier to say yes to than a list.",
        ],
    },
    "s04-sloppy": {
        "objectives": [
            "fix capitals, spelling, text-speak and punctuation",
            "sign with the name on the sender's profile",
            "keep a friendly tone while sounding professional",
        ],
        "key_points": [
            "The writing is the first thing the reader judges: in the story, poor grammar made "
            "a bad message worse.",
            "Friendly does not mean sloppy: full words, capital letters, one exclamation mark "
            "at most.",
            "Sign with the name on your profile so the reader knows who wrote.",
        ],
    },
    "s05-pushy": {
        "objectives": [
            "remove defensive lines such as 'This is not spam'",
            "remove pressure ('limited time', 'call now')",
            "replace them with the reader's situation and a soft question",
        ],
        "key_points": [
            "The recipient decides what is spam. Arguing, as the story's sender did, costs more "
            "than the message itself.",
            "Urgency reads as an advert; a calm, specific note reads as a person.",
            "End with a question that is easy to answer, and let them reply at their own pace.",
        ],
    },
}

YOUR_TURN = """## Your turn

Use the workbench above; you do not need to change any code.

1. Read who is writing and the profile card of the person you are writing to.
2. Rewrite the original message in the box.
3. Click **Check my rewrite**. Each category shows ✓ Passed or ✗ Needs work, with what to fix,
   and your text is shown with the flagged parts marked.
4. Stuck? Click **Show a hint** (one hint at a time), or **Show a model answer** to compare.
5. Keep going until all four categories show ✓ Passed.

Your draft is saved every time you check it, so you can close the notebook and come back later.
When you have finished the exercises, type your id (for example ana-k) in **Your id** and click
**Export my answers** to write the file your instructor collects."""

WORKBENCH_CELL = "from outreach_coach.workbench import Workbench\n\nwb = {call}\nwb"

SOLUTION_HEADING = """## Solution (instructor copy)

The model answer from the course data, checked by the grader. It must pass every category."""


def _code(source: str, cell_id: str, solution: bool = False) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    return _finish(cell, cell_id, solution)


def _markdown(source: str, cell_id: str, solution: bool = False) -> nbformat.NotebookNode:
    cell = new_markdown_cell(source)
    return _finish(cell, cell_id, solution)


def _notebook_only(source: str, cell_id: str) -> nbformat.NotebookNode:
    """Markdown for JupyterLab only: the course's Voilà template leaves it out."""
    cell = _finish(new_markdown_cell(source), cell_id, solution=False)
    cell["metadata"] = {"tags": [NOTEBOOK_ONLY]}
    return cell


def _workbench_cells(call: str) -> list[nbformat.NotebookNode]:
    """The workbench cell, with the sentence to read above it when it shows no widget."""
    return [
        _notebook_only(WIDGET_NOTE_TEXT, "widget-note"),
        _code(WORKBENCH_CELL.format(call=call), "workbench"),
    ]


def _finish(cell: nbformat.NotebookNode, cell_id: str, solution: bool) -> nbformat.NotebookNode:
    cell["id"] = cell_id  # fixed ids keep the files (and the exercises built from them) stable
    cell["metadata"] = {"tags": [SOLUTION_TAG]} if solution else {}
    return cell


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _notebook(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=cells)
    notebook["metadata"] = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def exercise_notebook(number: int, scenario_id: str) -> nbformat.NotebookNode:
    """The solution notebook of one exercise scenario."""
    scenario = data.scenarios()[scenario_id]
    sender = data.senders()[scenario.sender]
    recipient = data.recipients()[scenario.recipient]
    teaching = TEACHING.get(scenario_id, {"objectives": [scenario.task], "key_points": []})
    return _notebook(
        [
            _markdown(
                f"# Exercise {number}: {scenario.title}\n\n"
                f"In this exercise you will:\n\n{_bullets(teaching['objectives'])}",
                "title",
            ),
            _notebook_only(RUN_ALL_TEXT, "run-all"),
            _markdown(
                "## The situation\n\n"
                f"- **Writing:** {sender.name}, {sender.headline}\n"
                f"- **To:** {recipient.name}, {recipient.headline}\n"
                f"- **Your task:** {scenario.task}",
                "context",
            ),
            *_workbench_cells(f'Workbench("{scenario_id}")'),
            _markdown(YOUR_TURN, "your-turn"),
            _markdown(SOLUTION_HEADING, "solution-heading", solution=True),
            _code(
                "model_answer = wb.model_answer\n"
                "print(model_answer)\n"
                "report = wb.submit(model_answer)\n"
                "report",
                "solution-grade",
                solution=True,
            ),
            _code("assert report.passed, report.summary()", "solution-assert", solution=True),
            _markdown(f"## Key points\n\n{_bullets(teaching['key_points'])}", "key-points"),
        ]
    )


CAPSTONE_MESSAGE = r'''capstone_message = """Hi Grace,

Your post about hiring two senior accountants before tax season, with few qualified applicants \
so far, sounded familiar: it is the busiest hiring window of the year. Talentbridge does \
contract recruiting for hard-to-fill roles like these. We source and screen experienced \
accountants and could send you a short list within two weeks. Would a 15-minute call next week \
help you decide whether that is worth trying?

Best,
Sophie"""
report = wb.submit(capstone_message)
report'''


def capstone_notebook(number: int) -> nbformat.NotebookNode:
    """The capstone: the learner picks a recipient and a sender and writes their own message."""
    return _notebook(
        [
            _markdown(
                f"# Exercise {number} (capstone): your own prospect\n\n"
                "In this capstone you will:\n\n"
                + _bullets(
                    [
                        "choose a person to write to and a sender to write as",
                        "write a first message from scratch that passes all four categories",
                        "check it against the whole course: personal, relevant, well written, "
                        "polite",
                    ]
                ),
                "title",
            ),
            _notebook_only(RUN_ALL_TEXT, "run-all"),
            _markdown(
                "## The situation\n\n"
                "No bad message to fix this time. Pick anyone from the course's profiles, pick "
                "who you are writing as, and write the first message you would really send. "
                "There is no model answer: the message is yours. Your draft is saved separately "
                "for each person you write to.",
                "context",
            ),
            *_workbench_cells("Workbench.capstone()"),
            _markdown(
                "## Your turn\n\n"
                "1. Choose a person in **Write to** and a sender in **Write as**, then read both "
                "cards.\n"
                "2. Write your message in the box and click **Check my rewrite**.\n"
                "3. Use **Show a hint** for a checklist, one step at a time.\n"
                "4. When all four categories show ✓ Passed, try a second person: pick someone "
                "whose needs are different.\n\n"
                "Then type your id in **Your id** and click **Export my answers** for your "
                "instructor.",
                "your-turn",
            ),
            _markdown(
                "## Solution (instructor copy)\n\n"
                "One capstone message, written for Grace Liu as Sophie Laurent. It must pass "
                "every category.",
                "solution-heading",
                solution=True,
            ),
            _code(
                'wb.choose(recipient="grace-liu", sender="sophie-laurent")',
                "solution-choose",
                solution=True,
            ),
            _code(CAPSTONE_MESSAGE, "solution-grade", solution=True),
            _code("assert report.passed, report.summary()", "solution-assert", solution=True),
            _markdown(
                "## Key points\n\n"
                + _bullets(
                    [
                        "One person per message, greeted by their first name.",
                        "One detail that could only come from their profile.",
                        "One offer that could actually help them, said plainly.",
                        "Correct capitals, spelling and punctuation; no links, no pressure.",
                        "A soft question to end, and your profile name to sign.",
                        "Rule one of LinkedIn: do not annoy your network.",
                    ]
                ),
                "key-points",
            ),
        ]
    )


def planned() -> dict[Path, nbformat.NotebookNode]:
    """Every solution notebook this script makes, by path, in scenario order."""
    ids = [s.id for s in data.scenarios().values() if s.use == "exercise"]
    notebooks = {}
    for number, scenario_id in enumerate(ids, start=1):
        notebooks[SOLUTIONS / f"{number:02d}_{notebook_slug(scenario_id)}.ipynb"] = (
            exercise_notebook(number, scenario_id)
        )
    number = len(ids) + 1
    notebooks[SOLUTIONS / f"{number:02d}_{CAPSTONE_STEM}.ipynb"] = capstone_notebook(number)
    for path, notebook in notebooks.items():
        page = f"exercises/{path.name}"  # the learner's copy, where the links must work
        notebook.cells.append(_markdown(next_step_text(page), "next-step"))
    return notebooks


def notebook_slug(scenario_id: str) -> str:
    """'s01-mass-note' -> 'mass_note': the id without its number, as a file-name slug."""
    head, _, rest = scenario_id.partition("-")
    slug = rest if head[:1] == "s" and head[1:].isdigit() and rest else scenario_id
    return slug.replace("-", "_")


def main(argv: list[str] | None = None) -> int:
    """Write the solution notebooks that are missing (all of them with --force)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing notebooks")
    args = parser.parse_args(argv)
    SOLUTIONS.mkdir(exist_ok=True)
    for path, notebook in planned().items():
        if path.exists() and not args.force:
            print(f"kept     {path.relative_to(ROOT)} (use --force to overwrite)")
            continue
        path.write_bytes(notebook_bytes(notebook))
        print(f"wrote    {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
