"""Write the lesson notebooks in lessons/ from this script, so they can be reviewed as Python.

    python tools/build_lessons.py          # write lessons/*.ipynb
    python tools/build_lessons.py --check  # exit 1, naming the files, if lessons/ is stale

Learners never see this file: they read the notebooks. Each notebook opens with an estimated
time and objectives and ends with key points; code cells only import or make one call. Every
cell is saved without outputs or execution counts (what the lessons print is checked by
tests/test_lessons.py, which runs them). Cell ids are derived from positions, so rebuilding
gives identical bytes.
"""

from __future__ import annotations

import argparse
import copy
import posixpath
import re
import sys
from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the course's own package, even when another copy is installed

from outreach_coach.outline import FINISH  # noqa: E402
from outreach_coach.outline import LESSONS as COURSE_LESSONS  # noqa: E402

LESSONS = ROOT / "lessons"
EXERCISES = ROOT / "exercises"
METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell from an indented triple-quoted string."""
    return nbformat.v4.new_markdown_cell(dedent(text).strip())


def code(source: str) -> nbformat.NotebookNode:
    """A code cell, saved without outputs."""
    return nbformat.v4.new_code_cell(dedent(source).strip())


def header(title: str, minutes: int, objectives: list[str]) -> nbformat.NotebookNode:
    """The opening cell: title, estimated time and objectives (Carpentries style)."""
    items = "\n".join(f"> - {item}" for item in objectives)
    return md(
        f"# {title}\n\n> **Estimated time:** {minutes} minutes\n>\n> **Objectives**\n>\n{items}"
    )


def key_points(points: list[str]) -> nbformat.NotebookNode:
    """The closing cell."""
    return md("## Key points\n\n" + "\n".join(f"- {point}" for point in points))


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


def notebook_only(text: str) -> nbformat.NotebookNode:
    """A Markdown cell shown in JupyterLab and left out by the course's Voilà template."""
    cell = nbformat.v4.new_markdown_cell(text)
    cell["metadata"] = {"tags": [NOTEBOOK_ONLY]}
    return cell


def shows_widget(cell: nbformat.NotebookNode) -> bool:
    """True for a code cell that makes one of the course's widgets."""
    return cell.cell_type == "code" and bool(WIDGET_CALL.search(cell.source))


def with_widget_notes(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """The cells with WIDGET_NOTE_TEXT above every widget cell (what to click on a return)."""
    result = []
    for cell in cells:
        if shows_widget(cell):
            result.append(notebook_only(WIDGET_NOTE_TEXT))
        result.append(cell)
    return result


RUN_ALL = notebook_only(RUN_ALL_TEXT)

# --- 00 start here -----------------------------------------------------------------------------

SOLUTIONS = ROOT / "solutions"


def notebook_title(path: Path) -> str:
    """The first heading of a notebook, without its '#' marks (the file name if it has none)."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # an exercise being written elsewhere: fall back to its name
        return path.stem
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def exercise_pages() -> list[tuple[str, str]]:
    """(path from the course root, title) of every exercise, from solutions/ (their source)."""
    return [
        (f"exercises/{path.name}", notebook_title(path))
        for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
    ]


def lesson_label(lesson) -> str:
    """'2. Anatomy of spam', as the lessons' own titles number them."""
    return f"{int(lesson.number)}. {lesson.title}"


def course_path() -> list[tuple[str, str]]:
    """Every page in the order a learner takes them: lessons, exercises, the finish page."""
    lessons = [(f"lessons/{lesson.file}", lesson_label(lesson)) for lesson in COURSE_LESSONS]
    return [*lessons, *exercise_pages(), (f"lessons/{FINISH.file}", FINISH.title)]


def _link(source: str, target: str) -> str:
    """target (from the course root) as a link relative to the page at source."""
    return posixpath.relpath(target, posixpath.dirname(source))


def next_step_text(page: str) -> str:
    """Markdown for the end of a page: the next page (and the one before) as plain links."""
    pages = course_path()
    index = [path for path, _ in pages].index(page)
    back = [f"[Course map]({_link(page, LANDING)})"]
    if index > 0:
        path, title = pages[index - 1]
        back.insert(0, f"[← Previous: {title}]({_link(page, path)})")
    if index + 1 < len(pages):
        path, title = pages[index + 1]
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


def next_step(page: str) -> nbformat.NotebookNode:
    """The closing cell of a page: where to go next, as links for JupyterLab and Voilà."""
    return md(next_step_text(page))


def lesson_done(lesson) -> list[nbformat.NotebookNode]:
    """The cells that mark a lesson as read for the course summary, and say so."""
    return [
        code("from outreach_coach.summary import finish_lesson"),
        code(f'finish_lesson("{lesson.key}")'),
    ]


def course_map(lessons: str, exercises: str) -> str:
    """The course map in Markdown, linking lessons and exercises from where the page is."""
    rows = "\n".join(
        f"| {lesson.number} | [{lesson.title}]({lessons}{lesson.file}) | {lesson.what} | "
        f"{lesson.minutes} min |"
        for lesson in COURSE_LESSONS
    )
    total = sum(lesson.minutes for lesson in (*COURSE_LESSONS, FINISH))
    exercise_list = (
        "\n".join(
            f"- [{title}]({exercises}{path.removeprefix('exercises/')}) (`{path}`)"
            for path, title in exercise_pages()
        )
        or "- The exercise notebooks will appear in the `exercises/` folder."
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


def start_here() -> list[nbformat.NotebookNode]:
    """00: what the course is, how to use it, where drafts go, the course map."""
    return [
        header(
            "Not the Place for Spam: start here",
            5,
            [
                "Say what this course is about and who it is for.",
                "Run a notebook and use its widgets without changing any code.",
                "Find where your drafts are saved, and start over when you want to.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## What this course is

            A short, hands-on course on writing to people on LinkedIn so that they are glad you
            did. It follows one true story. On a spring morning in 2015, a LinkedIn coach in
            Kentucky received a bland sales note that had gone to a long list of people in a
            single message. Within an hour the thread was full of "unsubscribe" replies sent to
            everyone, the sender answered a complaint by insisting the note was not spam, and
            several people reported it to LinkedIn. Each lesson takes one thing that went wrong
            that morning and practises doing it well.

            **Who it is for:** anyone who writes to people they barely know as part of their
            work: sales and marketing people, founders, recruiters, job seekers. You do not need
            to know any programming.
            """
        ),
        md(
            """
            ## How to use the pages

            1. Read from top to bottom.
            2. Use the widgets: sliders, tick boxes, drop-down lists, and buttons such as
               **Check** and **Check my rewrite**. Your answers are checked the moment you click.
            3. If a red box says something went wrong, try once more and, if it keeps
               happening, show the box to your instructor.
            """
        ),
        notebook_only(
            dedent(
                """
                **In JupyterLab:** open a notebook and choose **Run → Run All Cells** from the
                menu first; everything on the page is then ready. The grey cells with code only
                load the course's tools: you never have to edit them. If a widget shows up as
                plain text (for example `VBox(...)`), as *Error displaying widget*, or not at
                all, choose **Run → Run All Cells** again.
                """
            ).strip()
        ),
        md(
            """
            ## Where your drafts are saved

            Every rewrite you check in a workbench is saved for you, one file per exercise, in
            your progress folder. Come back later and your last draft is still there. The cell
            below shows where that folder is: on your own computer it is `progress/` at the top
            of the course; on a JupyterHub it is usually `not-the-place-for-spam-progress` in
            your home folder.

            To keep your drafts somewhere else, set the environment variable
            `OUTREACH_COACH_PROGRESS` to another folder before you start Jupyter. The cell below
            shows the folder this notebook is using.
            """
        ),
        code("from outreach_coach.storage import default_progress_dir"),
        code('print(f"Your drafts are saved in: {default_progress_dir()}")'),
        md(
            """
            ## Starting over

            - To redo one exercise, delete its file in the progress folder shown above: the file
              is named after the exercise, for example `l03-personalization.json`.
            - To start the whole course afresh, delete that whole folder.

            Nothing else changes: the lessons and exercises stay as they are.
            """
        ),
        md(course_map(lessons="", exercises="../exercises/")),
        key_points(
            [
                "Read each page from the top and use its widgets: every answer is checked the"
                " moment you click.",
                "Your drafts are saved in the progress folder this page shows; delete a file there"
                " to redo that exercise.",
                "Lessons 1 to 6 build on each other; the exercises are for practice.",
            ]
        ),
    ]


# --- 01 the reply-all storm ----------------------------------------------------------------------

STORM_TIMELINE = [
    ("About 10:00", "The generic note lands in every inbox on the list at once."),
    (
        "Minutes later",
        'Recipients start answering with **Reply All**: "unsubscribe". Some are polite, some '
        "are not, and everyone on the list receives every one of them.",
    ),
    (
        "Within the hour",
        'The "unsubscribe" replies are too many to count. The coach answers the thread, '
        "offering to teach the sender how to reach out properly.",
    ),
    (
        "Soon after",
        "One recipient calls the note spam and asks to be taken off the list. The sender replies "
        "to everyone, in writing as careless as the first note: it is not spam, we are a "
        "legitimate small company that has been in business for ten years, please look at it "
        "again.",
    ),
    (
        "Afterwards",
        "Several recipients, the coach among them, report the message to LinkedIn as spam. The "
        "coach suspects that many quietly removed the sender from their connections.",
    ),
]


def table(head: list[str], rows: list[tuple[str, ...]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def reply_all_storm() -> list[nbformat.NotebookNode]:
    """01: the story, the simulator and the opt-out quiz."""
    return [
        header(
            "1. The reply-all storm",
            20,
            [
                "Retell what happened when one generic note went to a long list at once.",
                "Explain why each reply-all adds a message to every inbox on the list.",
                "Choose a way to opt out of a mass message that does not make things worse.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## One snowy morning

            On 7 April 2015, at around ten in the morning, snow was coming down in Kentucky. A
            coach who teaches people to find leads and build business through LinkedIn, and who
            runs a company with a partner, opened a new message from one of their first-degree
            connections.

            It was a few lines long and could have been written to anybody. It thanked the reader
            for their continued support, said to get in touch if there was anything else the
            sender could do, mentioned what the sender sells along with a web address, and said
            thanks a second time. The name at the bottom was not the name on the sender's LinkedIn
            profile, a phone number sat under it, and the grammar was rough. Notes like this had
            arrived from the same person before, and the coach had simply deleted them.

            This time the sender had made one change: the note went to a long list of people in
            a single message, the way you would copy a crowd on an email. LinkedIn's messaging at
            the time made it awkward to answer only the person who started a group message, and
            easy to hit **Reply All**.
            """
        ),
        md("## What happened next\n\n" + table(["When", "What happened"], STORM_TIMELINE)),
        md(
            """
            Two things went wrong in that last reply. The writing was poor, and the attitude was
            worse: the sender treated themselves as right and everyone else as mistaken. But
            whether a message is spam is decided by the person who receives it, not by the person
            who sent it. And almost nobody buys from a message like that one, so the sender lost
            goodwill and connections and gained nothing.

            The coach's conclusion: LinkedIn is a network of professionals who help each other's
            businesses grow, and the first rule of any network is not to annoy it.
            """
        ),
        md(
            """
            ## Why the thread grew so fast

            When one message goes to a whole list, every reply to it goes to the whole list as
            well. With *N* people on the list, the original message lands in *N* inboxes, and
            each reply-all lands in *N* more: the other recipients and the sender. After *r*
            replies:

            > messages landed in inboxes = *N* × (1 + *r*)

            Had each person received a personal note and answered the sender alone, the same
            replies would have cost only *N* + *r* messages.

            Here are the numbers for a list of 150 people (the story does not give the real
            number) where one in five hits Reply All within the hour:
            """
        ),
        code(
            """
            from outreach_coach.simulator import StormSimulator, show_storm_table, storm_report
            """
        ),
        code("print(storm_report(150, 0.2, 60))"),
        md(
            """
            ## Try the simulator

            Move the sliders: the number of people on the list, the share of them who hit Reply
            All, and how many minutes after sending you look. The top panel shows how many
            reply-alls are sent each minute; the bottom one counts every message that has landed
            in an inbox so far, next to what personal notes would have cost (dashed line). The
            numbers under the sliders say the same in words.

            Things to try:

            - Keep the share at 20% and double the list from 100 to 200 people. The total does
              not double: it roughly quadruples. Why?
            - Set the share to 5%. Even a few polite "unsubscribe" replies flood a large list.
            - Set the minutes to 10. Most of the damage is done early.
            """
        ),
        code("StormSimulator()"),
        md(
            """
            The simulator is a simple model: each person who replies does so once, and replies
            come quickly at first and then taper off. Real threads are messier, because people
            reply to the replies ("please stop replying all!"), which only adds to the pile.

            The same comparison for a few list sizes, after one hour with one in five replying:
            """
        ),
        code("show_storm_table()"),
        md(
            """
            ## Getting off the list without adding to the storm

            If you receive a message like this, the word "unsubscribe" does nothing by itself:
            a LinkedIn conversation is not a mailing list, and there is no machine on the other
            end to read it. Sent with Reply All, it only lands in everyone else's inbox. Quieter
            ways work better:

            - **Reply to the sender alone** and ask to be taken off their list.
            - **Report the message** to LinkedIn as spam. The report goes to LinkedIn, not to the
              thread.
            - **Remove the connection** if you no longer want to hear from this person.
            - **Mute or leave the conversation** from its options menu, so the thread stops
              notifying you. (Menus change over time; look for the ⋯ button.)
            """
        ),
        code("from outreach_coach.quiz import Quiz"),
        code('Quiz("storm-opt-out")'),
        code('Quiz("storm-arithmetic")'),
        key_points(
            [
                "One message to many people turns every reply into a message for everyone: "
                "*N* × (1 + replies) messages instead of *N* + replies.",
                "Replying all with 'unsubscribe' unsubscribes nobody; it adds to every inbox.",
                "Opt out quietly: reply to the sender alone, report the message, remove the "
                "connection, or mute the conversation.",
                "Whether a message is spam is the recipient's call, not the sender's.",
                "Write to people one at a time. The next lesson looks at what made the note "
                "itself read as spam.",
            ]
        ),
    ]


# --- 02 anatomy of spam --------------------------------------------------------------------------


def anatomy_of_spam() -> list[nbformat.NotebookNode]:
    """02: the example messages, the spot-the-problems quiz, the grader's annotations."""
    return [
        header(
            "2. Anatomy of spam",
            15,
            [
                "Name the features that make an outreach message read as spam.",
                "Spot those features in the story's note before the grader shows them.",
                "Read the grader's findings: category, severity, where in the text, how to fix.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## The examples

            The course keeps a small collection of messages, all written for it, with fictional
            people and companies. Some retell the story (the note to the whole list, the replies,
            the defensive answer); some are weak outreach, each weak in its own way; some show
            outreach done well.
            """
        ),
        code(
            """
            from outreach_coach.lesson_views import annotated_messages, messages_table, show_message
            from outreach_coach.quiz import Quiz
            """
        ),
        code("messages_table()"),
        md(
            """
            ## Spot the problems yourself first

            Here is the story's note, retold with new words. The sender is a small promotional
            products seller; the note went to a long list of connections at once. Read it as if
            it had just landed in your inbox.
            """
        ),
        code("show_message()"),
        md(
            """
            Now tick every problem you can see, then click **Check**. The answers appear only
            after you check, and the grader's marked-up version follows below.
            """
        ),
        code('Quiz("spot-the-problems")'),
        md(
            """
            ## What the grader sees

            The course's grader reads a message the way a careful reader would and sorts what it
            notices into four **categories**:

            - **Personalisation**: is it written to one person, by name, with something from
              their profile?
            - **Offer relevance**: does it offer one concrete thing this person could use?
            - **Professional mechanics**: capitals, punctuation, spelling, length.
            - **Etiquette**: a matching signature, no reply-all, no arguing, no links up front.

            Each finding is an **error** (✘, the message should not go out like this), a
            **warning** (⚠, worth fixing) or a **note** (✔, something done well). Flagged words
            are highlighted and numbered in the text; hover over a highlight to see why. Under
            each message, every finding comes with a hint on how to fix it.

            First the story's note and the replies it provoked:
            """
        ),
        code('annotated_messages(["mass", "unsubscribe", "defensive"])'),
        md(
            """
            Even the polite replies fail: they were sent to everyone, and none of them is an
            outreach message at all. The grader judges every text as if it were a first note to
            one person, which is exactly what those replies were not.

            Next, weak outreach. Each of these gets one or two things wrong, and several of them
            are personal and well written; notice which single problem still sinks them.
            """
        ),
        code('annotated_messages(["bad"])'),
        md(
            """
            Finally, messages that pass every category. Compare them with the ones above: a name,
            one real detail, one offer that fits, a question that is easy to answer, the sender's
            own name at the end.
            """
        ),
        code('annotated_messages(["good"])'),
        md(
            """
            > **A word on the grader.** It follows written rules, so it can be fooled, and it
            > can miss what a person would see. Use it as a second pair of eyes, not as the
            > judge: the judge is always the person who receives your message.
            """
        ),
        key_points(
            [
                "Spam has a recognisable shape: no name, nothing about the reader, a vague or "
                "unrelated offer, careless writing, a link, and a crowd of recipients.",
                "One fault is enough: a personal, well-written message with an offer the reader "
                "cannot use still reads as spam.",
                "The grader sorts findings into personalisation, relevance, mechanics and "
                "etiquette, and every finding comes with a hint.",
                "The grader is a second pair of eyes; the recipient decides what is spam.",
            ]
        ),
    ]


# --- 03 personalization --------------------------------------------------------------------------


def personalization() -> list[nbformat.NotebookNode]:
    """03: what counts as personal, a profile card, a graded rewrite."""
    return [
        header(
            "3. Personalisation",
            15,
            [
                "Tell real personalisation (a first name, a real detail) from the fake kind.",
                "Find a detail in a profile that gives you a reason to write.",
                "Rewrite a templated message so that it could only go to one person.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## What counts

            A personal message shows, in its first two lines, that you looked at this person
            before writing:

            - **Their first name**, spelled as on their profile, at the top.
            - **One real detail from their profile**: something they posted or announced, an
              interest they list, their role, their company. The best detail is one that explains
              *why you are writing to them*.

            It takes a few minutes per person. That is the point: it cannot be done to a list.
            """
        ),
        md(
            """
            ## What does not count

            - **Flattery that fits anyone**: "I came across your impressive profile", "I'd love
              to connect with like-minded professionals". Any name could be pasted in front.
            - **Group greetings**: "Hi all", "Dear connections", "To whom it may concern".
            - **Merge fields** that showed through: `[First Name]`, `{first_name}`.
            - **The wrong name**, usually left over from a copy of a message to someone else.

            Below, six openings are each followed by the same body and graded for
            personalisation only. They are written to Aisha Rahman, a clinic practice manager
            whose profile says the clinic cut missed appointments from 14% to 8% with text
            reminders.
            """
        ),
        code(
            """
            from outreach_coach.lesson_views import personalization_table, profile_card
            from outreach_coach.workbench import Workbench
            """
        ),
        code("personalization_table()"),
        md(
            """
            Notice the fourth line: a real detail cannot rescue a wrong name.

            ## Your turn

            You will rewrite a note from André Baptiste, a commercial photographer, to Marcus
            Bell, a real estate broker. Read Marcus's profile first. What could only be said to
            him?
            """
        ),
        code('profile_card("marcus-bell")'),
        md(
            """
            Now rewrite the note in the workbench below and click **Check my rewrite**. Focus on
            the personalisation category; the grader checks the rest too. If you are stuck,
            **Show a hint** gives one hint at a time. Your draft is saved each time you check.
            """
        ),
        code('Workbench("l03-personalization")'),
        key_points(
            [
                "Personal means: their first name at the top and one real detail from their "
                "profile, ideally the reason you are writing.",
                "Flattery, 'I came across your profile', group greetings and merge fields are "
                "signs of a template, not of personal attention.",
                "Check the name against the profile before you send; a wrong name undoes "
                "everything else.",
            ]
        ),
    ]


# --- 04 offer relevance --------------------------------------------------------------------------

MATCH_SENDER = "andre-baptiste"
MATCH_RECIPIENTS = ["marcus-bell", "rafael-dominguez", "daniel-okafor"]


def offer_relevance() -> list[nbformat.NotebookNode]:
    """04: matching an offer to a need, the offer matcher, a graded rewrite."""
    recipients = ", ".join(f'"{r}"' for r in MATCH_RECIPIENTS)
    return [
        header(
            "4. Offer relevance",
            15,
            [
                "Explain why an offer the reader cannot use makes even a personal note spam.",
                "Match each of a sender's offers to the profile it could help, or to nobody.",
                "Replace a vague offer with one concrete offer and a soft question.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## One offer, for this person

            The coach in the story said it plainly: whatever the sender was selling, it was of no
            interest to them. A message about something you cannot use is noise, however politely
            it is written. Two common failures:

            - **The vague offer**: "if there is anything I can do, let me know". It asks the
              reader to do the work of figuring out what you might be good for.
            - **The wrong offer**: a real product, aimed at someone who has no use for it.

            What works is to read the profile for a **need** (what they posted about, what they
            list as interests, what their role involves), pick the **one** thing you offer that
            meets it, say it in a sentence, and end with a question that is easy to answer.
            If nothing you offer fits, the respectful choice is not to pitch at all.

            The grader looks for the same link. It first finds the sentences that offer or ask
            something (a request to connect, or to endorse you, is not an offer), then compares
            them with each need in the profile by shared words, by topic ("recruiting" can match
            "hiring") and by closeness of meaning, and notices when the profile says a need is
            already met ("our website was rebuilt last year"). A model trained on messages
            labelled by people weighs that evidence. Naming their company, or repeating their
            interests, does not make an unrelated offer fit. It is still a machine reading, so
            use your own judgement too.
            """
        ),
        md(
            """
            ## Which offer fits whom?

            André Baptiste is a photographer with four services. For each of the three people
            below, pick the offer that fits them best, or decide that none does. Then click
            **Check my matches**. Each verdict comes from the grader's relevance check, with the
            reason it found.
            """
        ),
        code(
            """
            from outreach_coach.lesson_views import OfferMatcher
            from outreach_coach.workbench import Workbench
            """
        ),
        code(f'OfferMatcher("{MATCH_SENDER}", [{recipients}])'),
        md(
            """
            ## Your turn

            Bongani Dlamini runs safety training. His note to Katherine Osei, a plant manager,
            greets her by name and mentions her recent post, but then offers "anything we can
            do". Replace that with one concrete offer that fits a need in her profile, and close
            with a soft question.
            """
        ),
        code('Workbench("l04-relevance")'),
        key_points(
            [
                "An offer the reader cannot use makes a message spam, however personal it is.",
                "Read the profile for a need, then offer the one thing that meets it, in one "
                "sentence.",
                "'Anything I can do' is not an offer: it hands the reader your work.",
                "If nothing you sell fits the person, do not pitch.",
            ]
        ),
    ]


# --- 05 professional writing ---------------------------------------------------------------------


def professional_writing() -> list[nbformat.NotebookNode]:
    """05: mechanics and length, before/after pairs, a graded rewrite."""
    return [
        header(
            "5. Professional writing",
            15,
            [
                "Fix capitals, punctuation and text-speak in a short business message.",
                "Keep a first message short, using what LinkedIn and Boomerang measured.",
                "Sign with the name on your profile.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## Why the small things matter

            The story's sender made the same mistakes twice: a note with lowercase sentences and
            shaky grammar, then a reply written even more carelessly. Readers take careless
            writing as a sign of a careless business. The fixes are quick:

            - **Capitals**: start every sentence, the greeting and the sign-off with a capital
              letter, and write "I", never "i". Keep whole words in capitals for acronyms such
              as OSHA or CRM; anything else reads as shouting.
            - **Punctuation**: one mark at a time, straight after the word: "Hi Tomasz," not
              "Hi Tomasz ,", and "?" rather than "??" or "!!!".
            - **Text-speak**: write "you", "your", "please" and "thanks" in full. A first business
              message is not a chat with a friend.
            - **Signature**: sign with the name on your LinkedIn profile. In the story, the
              signature did not match the profile, which made the note look even less
              trustworthy.
            """
        ),
        md(
            """
            ## How long?

            Short messages get read. LinkedIn found that InMails under 400 characters did 22%
            better than average, while those over 1,200 characters did 11% worse. For email,
            Boomerang found that messages of 50 to 125 words got the best response rates.

            The "length" pair below cuts a ramble down to what matters:
            """
        ),
        code(
            """
            from outreach_coach.lesson_views import PairComparer, pair_length_notes
            from outreach_coach.workbench import Workbench
            """
        ),
        code("print(pair_length_notes())"),
        md(
            """
            ## Before and after

            Each pair below is the same message written twice: once in a hurry, once with care.
            Pick a pair to see both versions graded live; the marks show exactly what changed.
            """
        ),
        code("PairComparer()"),
        md(
            """
            ## Your turn

            Patrick Doyle's note to Liam O'Connor has the right idea and the wrong writing. Keep
            the content; fix the capitals, spelling, text-speak and punctuation.
            """
        ),
        code('Workbench("l05-mechanics")'),
        key_points(
            [
                "Capital letters at the start of sentences and for 'I'; whole words in capitals "
                "only for acronyms.",
                "One punctuation mark at a time, right after the word; no text-speak.",
                "Keep it short: under 400 characters and 50 to 125 words is a good target.",
                "Sign with the name on your profile.",
            ]
        ),
    ]


# --- 06 when it goes wrong -----------------------------------------------------------------------


def when_it_goes_wrong() -> list[nbformat.NotebookNode]:
    """06: answering complaints, leaving a thread, what reporting does."""
    return [
        header(
            "6. When it goes wrong",
            10,
            [
                "Answer an 'unsubscribe' or 'this is spam' reply gracefully.",
                "Leave a group thread without adding to it.",
                "Say what reporting a message does, and what it does not do.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## The reply that made it worse

            When someone on the thread called the note spam, the sender answered everyone: it is
            not spam, we are a legitimate company, look at it again. Below is that reply, retold,
            next to the answer that would have ended the matter. Both are graded for etiquette
            and mechanics.
            """
        ),
        code(
            """
            from outreach_coach.lesson_views import annotated_messages, reply_contrast
            from outreach_coach.quiz import Quiz
            from outreach_coach.workbench import Workbench
            """
        ),
        code("reply_contrast()"),
        md(
            """
            ## Answering a complaint

            When someone says "unsubscribe" or "this is spam":

            1. **Answer that person only**, never the whole list.
            2. **Agree and apologise.** Whether your message was spam is their call, not yours.
            3. **Do what they asked**: take them off your list, and say that you have.
            4. **Thank them** for telling you, and stop there. No explanation, no "but".
            5. **Do not write to them again** with the same kind of message.

            If you sent a message to a list by mistake, do not send a second message to the
            same list to explain; answer each person who writes to you, one at a time.
            """
        ),
        md(
            """
            ## Your turn: answer Hannah

            Rewrite the sender's reply so that it goes to Hannah alone and follows the five
            steps above. This workbench grades a reply on mechanics and etiquette only: a reply
            to a complaint needs no personal detail and no offer, and a short one is right.
            """
        ),
        code('Workbench("l06-reply")'),
        md(
            """
            ## On the receiving end

            The replies in the story were understandable, but they all went to everyone:
            """
        ),
        code('annotated_messages(["unsubscribe"])'),
        md(
            """
            To get out of a thread like that without adding to it:

            - **Mute or leave the conversation** from its options menu (the ⋯ button; menus
              change over time, so the wording may differ). Nobody else is notified.
            - **Reply to the sender alone** if you want to ask to be removed.
            - **Remove the connection** if you no longer want to hear from them.

            ## What reporting does

            Reporting a message as spam sends it to LinkedIn, privately. It is not posted
            anywhere, the other people on the thread do not see it, and it does not delete the
            message from anyone's inbox. LinkedIn reviews reports and can restrict accounts that
            keep sending spam, which is how a careless sender ends up paying for it.
            """
        ),
        code('Quiz("recovery-reply")'),
        code('Quiz("recovery-report")'),
        key_points(
            [
                "Answer a complaint privately: agree, apologise, remove them, thank them, stop.",
                "Never argue that your message was not spam; the recipient decides.",
                "Leave a thread by muting or leaving it, not by replying to everyone.",
                "Reporting is a private signal to LinkedIn; it does not reach the thread.",
            ]
        ),
    ]


def finish() -> list[nbformat.NotebookNode]:
    """07: the finish page, the course summary and a page to keep."""
    return [
        header(
            f"{int(FINISH.number)}. {FINISH.title}",
            FINISH.minutes,
            [
                "See which lessons, quizzes and rewrites you have done.",
                "Keep your best passing drafts as a page you can save or print.",
                "Pick one habit from the course to use in your next message.",
            ],
        ),
        RUN_ALL,
        md(
            """
            ## Well done

            You have followed the story from one careless message to a list, through the storm
            of replies, to messages written for one person at a time. Below is everything you
            have done in the course, with the best passing draft of each rewrite.

            Click **Save my course summary** to get it as a web page of its own: open the
            downloaded file in your browser to read it again, save it, or print it. A copy is
            also kept in your `progress/` folder. Anything not done yet is marked, and the
            course map links straight to it.
            """
        ),
        code("from outreach_coach.summary import SummaryPanel"),
        code("SummaryPanel()"),
        key_points(
            [
                "One person per message: their name and one detail only they could be sent.",
                "One offer that fits a need they have, said plainly, with an easy question.",
                "Careful writing and a signature that matches your profile.",
                "When it goes wrong: answer privately, apologise, stop.",
            ]
        ),
    ]


def landing() -> list[nbformat.NotebookNode]:
    """course.ipynb: the Voilà landing page, the course map with links (no solutions)."""
    return [
        md(
            """
            # Not the Place for Spam

            A short, hands-on course on writing to people on LinkedIn so that they are glad you
            did, built on one true story: a sales note sent to a whole list, a storm of
            "unsubscribe" replies to everyone, and a sender who answered "it's not spam".

            **New here?** Open [Start here](lessons/00_start_here.ipynb): five minutes on how
            the course works and where your drafts are saved. Then take the lessons in order and
            practise with the exercises. Every draft you check is saved, so you can stop and come
            back at any time.
            """
        ),
        md(course_map(lessons="lessons/", exercises="exercises/")),
    ]


LANDING = "course.ipynb"  # at the course root: where Voilà's file list starts

LESSONS_BUILT = {
    "00_start_here.ipynb": start_here,
    "01_reply_all_storm.ipynb": reply_all_storm,
    "02_anatomy_of_spam.ipynb": anatomy_of_spam,
    "03_personalization.ipynb": personalization,
    "04_offer_relevance.ipynb": offer_relevance,
    "05_professional_writing.ipynb": professional_writing,
    "06_when_it_goes_wrong.ipynb": when_it_goes_wrong,
    FINISH.file: finish,
    LANDING: landing,
}


def target(name: str) -> Path:
    """Where a built notebook goes: the landing page at the root, lessons in lessons/."""
    return ROOT / name if name == LANDING else LESSONS / name


# --- writing and checking ------------------------------------------------------------------------


def build(name: str) -> nbformat.NotebookNode:
    """The notebook for one lesson, without outputs."""
    cells = copy.deepcopy(LESSONS_BUILT[name]())
    if name != LANDING:
        lesson = next((item for item in COURSE_LESSONS if item.file == name), None)
        if lesson is not None:  # the finish page is not a lesson to mark as read
            cells[-1:-1] = lesson_done(lesson)  # above the key points, the last cell
        cells.append(next_step(f"lessons/{name}"))
    cells = with_widget_notes(cells)
    stem = re.sub(r"[^a-z0-9]+", "-", name.removesuffix(".ipynb"))
    for index, cell in enumerate(cells):
        cell["id"] = f"{stem}-{index:02d}"[:64]
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(METADATA))
    nbformat.validate(notebook)
    return notebook


def serialise(notebook: nbformat.NotebookNode) -> str:
    """The notebook as JSON text, the way Jupyter writes it."""
    return nbformat.writes(notebook) + "\n"


def sources(notebook: nbformat.NotebookNode) -> list[tuple[str, str, dict]]:
    """What --check compares: each cell's type, source and metadata (not outputs)."""
    return [(c.cell_type, c.source, dict(c.metadata)) for c in notebook.cells]


def main(argv: list[str] | None = None) -> int:
    """Write (or check) every lesson notebook."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("names", nargs="*", help="lesson file names (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(LESSONS_BUILT)
    stale = []
    for name in names:
        notebook = build(name)
        path = target(name)
        if args.check:
            current = nbformat.read(path, as_version=4) if path.exists() else None
            if current is None or sources(current) != sources(notebook):
                stale.append(name)
            continue
        path.parent.mkdir(exist_ok=True)
        path.write_text(serialise(notebook), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale (run python tools/build_lessons.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
