"""The course summary a learner keeps: lessons read, quizzes and rewrites passed, best drafts.

`course_summary(store)` reads the draft store (drafts and course.json) into plain data;
`summary_html(summary)` turns that into one self-contained HTML page (no scripts, no outside
files, every learner text escaped) to save or print. `SummaryPanel` (the finish page) only shows
it and writes it to the progress folder with a download link that works in JupyterLab and Voilà.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML

from . import __version__, data, marks
from .data import DataError
from .outline import Lesson, course_map
from .quiz import question
from .storage import Draft, DraftStore, Timeout, atomic_write_text, utc_now
from .views import ErrorBox, run_guarded
from .workbench import (
    best_version,
    capstone_key,
    download_link_html,
    draft_passed,
    exercise_ids,
    learner_message_html,
    plain_reason,
    when_text,
)

SUMMARY_FILE = "course-summary.html"


@dataclass(frozen=True)
class Item:
    """One quiz or rewrite: done or not, when, and (for a rewrite) its best passing draft."""

    key: str
    title: str
    done: bool
    when: str | None = None
    draft: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class LessonStatus:
    """One lesson: read or not, and its quizzes and rewrites."""

    lesson: Lesson
    read_at: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class CourseSummary:
    """Everything the summary page shows, in course order."""

    learner_id: str | None
    made_at: str
    lessons: tuple[LessonStatus, ...]
    exercises: tuple[Item, ...]
    capstone: tuple[Item, ...]

    @property
    def counts(self) -> dict[str, tuple[int, int]]:
        """(done, total) for lessons, quizzes, lesson rewrites and exercises."""
        quizzes = [i for s in self.lessons for i in s.items if i.key in s.lesson.quizzes]
        rewrites = [i for s in self.lessons for i in s.items if i.key in s.lesson.scenarios]
        return {
            "lessons read": (sum(s.read_at is not None for s in self.lessons), len(self.lessons)),
            "quizzes answered right": (sum(i.done for i in quizzes), len(quizzes)),
            "lesson rewrites passed": (sum(i.done for i in rewrites), len(rewrites)),
            "exercises passed": (sum(i.done for i in self.exercises), len(self.exercises)),
        }


def rewrite_item(key: str, title: str, draft: Draft | None) -> Item:
    """A workbench rewrite as a summary item: its best passing draft, or not passed yet."""
    best = best_version(draft)
    if not draft_passed(draft) or best is None:
        return Item(key, title, done=False)
    return Item(key, title, done=True, when=best.saved_at, draft=best.text, score=best.score)


def _capstone_title(key: str, draft: Draft) -> str:
    """'Your message to <name>': the prospect typed in, or the course's fictional profile."""
    typed = (draft.profile or {}).get("name")
    if isinstance(typed, str) and typed.strip():
        return f"Your message to {typed.strip()}"
    recipient = data.recipients().get(key.removeprefix(capstone_key("")))
    return f"Your message to {recipient.name}" if recipient else "Your capstone message"


def course_summary(store: DraftStore, made_at: str | None = None) -> CourseSummary:
    """Read the learner's drafts and marks into a CourseSummary (nothing is written)."""
    quizzes = store.quiz_results()
    read = store.lessons_read()
    drafts = store.drafts()
    scenarios = data.scenarios()
    lessons = []
    for lesson in course_map().lessons:
        items = []
        for quiz in lesson.quizzes:
            record = quizzes.get(quiz)
            done = record is not None and record.correct
            when = record.correct_at if record is not None and done else None
            items.append(Item(quiz, question(quiz).prompt, done, when))
        items += [
            rewrite_item(key, scenarios[key].title, drafts.get(key)) for key in lesson.scenarios
        ]
        lessons.append(LessonStatus(lesson, read.get(lesson.key), tuple(items)))
    exercises = tuple(
        rewrite_item(key, scenarios[key].title, drafts.get(key)) for key in exercise_ids()
    )
    capstone = tuple(
        rewrite_item(key, _capstone_title(key, draft), draft)
        for key, draft in sorted(drafts.items())
        if key.startswith(capstone_key(""))
    )
    return CourseSummary(
        learner_id=store.learner_id,
        made_at=made_at or utc_now(),
        lessons=tuple(lessons),
        exercises=exercises,
        capstone=capstone,
    )


def finish_lesson(lesson_key: str, store: DraftStore | None = None) -> HTML:
    """Mark a lesson as read for the course summary, and say so in one line (a broken course
    map is said in words, since this cell ends every lesson)."""
    try:
        lessons = course_map().lessons
    except DataError as error:
        return HTML(learner_message_html(plain_reason(error)))
    lesson = next((item for item in lessons if item.key == lesson_key), None)
    if lesson is None:
        known = ", ".join(item.key for item in lessons)
        raise KeyError(f"no lesson {lesson_key!r}; known: {known}")
    store = store if store is not None else DraftStore()
    try:
        store.mark_lesson_read(lesson.key)
    except Timeout:
        note = "Your course summary was not updated: its file is busy. Try again in a moment."
    except OSError as error:
        note = (
            f"Your course summary was not updated ({error.strerror or error}): check that the "
            f"folder {store.root} exists and is writable."
        )
    else:
        note = None
    if note is not None:
        return HTML(f"<p class='oc-lesson-done'>{marks.WARN} {escape(note)}</p>")
    return HTML(
        f"<p class='oc-lesson-done'>{marks.PASS} Lesson {int(lesson.number)}, "
        f"“{escape(lesson.title)}”, is marked as read: you will find it in your course summary "
        "at the end.</p>"
    )


# --- HTML ---------------------------------------------------------------------------------------

PAGE_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
  color:#1a1a1a;max-width:46em;margin:1.5em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em}
h3{font-size:1.05em;margin:1em 0 .2em}
ul{padding-left:1.2em}li{margin:.2em 0}
.oc-done{color:#1b5e20}.oc-todo{color:#5c4400}
.oc-draft-text{white-space:pre-wrap;border-left:4px solid #888;padding:.4em .8em;
  background:#f5f5f5;margin:.3em 0 .8em}
table{border-collapse:collapse}td,th{padding:.2em .8em .2em 0;text-align:left}
@media print{body{margin:0;max-width:none}.oc-draft-text{break-inside:avoid}}
"""


def _mark(done: bool, done_word: str, todo_word: str) -> str:
    if done:
        return f"<span class='oc-done'>{marks.PASS} {escape(done_word)}</span>"
    return f"<span class='oc-todo'>{marks.TODO} {escape(todo_word)}</span>"


def _when(value: str | None) -> str:
    return f" on {escape(when_text(value))}" if value else ""


def _item_html(item: Item, done_word: str, todo_word: str) -> str:
    line = f"{escape(item.title)}: {_mark(item.done, done_word, todo_word)}{_when(item.when)}"
    if item.draft is None:
        return f"<li>{line}</li>"
    score = f" (score {item.score:.0f}/100)" if item.score is not None else ""
    return f"<li>{line}{score}<div class='oc-draft-text'>{escape(item.draft)}</div></li>"


def _rewrite_list(items: tuple[Item, ...]) -> str:
    rows = "".join(_item_html(i, "passed", "not passed yet") for i in items)
    return f"<ul>{rows}</ul>"


def summary_body_html(summary: CourseSummary) -> str:
    """The summary's content (headings, counts, lists, drafts) as an HTML fragment."""
    counts = "".join(
        f"<tr><th scope='row'>{escape(name.capitalize())}</th><td>{done} of {total}</td></tr>"
        for name, (done, total) in summary.counts.items()
    )
    capstone = sum(i.done for i in summary.capstone)
    parts = [
        "<h2>At a glance</h2>",
        f"<table class='oc-summary-counts'>{counts}"
        f"<tr><th scope='row'>Capstone messages passed</th><td>{capstone}</td></tr></table>",
        "<h2>Lessons</h2>",
    ]
    for status in summary.lessons:
        lesson = status.lesson
        read = _mark(status.read_at is not None, "read", "not read yet") + _when(status.read_at)
        parts.append(f"<h3>{int(lesson.number)}. {escape(lesson.title)}: {read}</h3>")
        quizzes = [i for i in status.items if i.key in lesson.quizzes]
        rewrites = tuple(i for i in status.items if i.key in lesson.scenarios)
        if quizzes:
            rows = "".join(_item_html(i, "answered right", "not answered yet") for i in quizzes)
            parts.append(f"<p>Quizzes:</p><ul>{rows}</ul>")
        if rewrites:
            parts.append("<p>Your rewrite:</p>" + _rewrite_list(rewrites))
    parts += ["<h2>Exercises</h2>", _rewrite_list(summary.exercises), "<h2>Capstone</h2>"]
    if summary.capstone:
        parts.append(_rewrite_list(summary.capstone))
    else:
        parts.append(f"<p>{_mark(False, '', 'No capstone message checked yet.')}</p>")
    return "".join(parts)


def summary_html(summary: CourseSummary) -> str:
    """The whole summary as a self-contained HTML page (inline style, no scripts or links)."""
    who = f" for {escape(summary.learner_id)}" if summary.learner_id else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Not the Place for Spam: course summary{who}</title>"
        f"<style>{PAGE_STYLE}</style></head><body><main>"
        f"<h1>Not the Place for Spam: course summary{who}</h1>"
        f"<p>Made on {escape(when_text(summary.made_at))} (course version "
        f"{escape(__version__)}). Every person and company in the course is fictional; the "
        "drafts are yours.</p>"
        f"{summary_body_html(summary)}</main></body></html>\n"
    )


def summary_link_html(page: str, saved_to: Path | None) -> str:
    """The link that downloads the summary page, and where a copy was saved (if it was)."""
    where = (
        f" A copy is saved in your progress folder as <code>{escape(saved_to.name)}</code>."
        if saved_to is not None
        else ""
    )
    link = download_link_html(SUMMARY_FILE, page.encode("utf-8"), "text/html")
    return (
        f"<p role='status'>{marks.PASS} Your summary is ready: {link}. Open it in a browser to "
        f"read, save or print it.{where}</p>"
    )


def save_summary(store: DraftStore, summary: CourseSummary) -> tuple[str, Path | None, str]:
    """Write the page to the progress folder; (page, path or None, note) and never raises."""
    page = summary_html(summary)
    path = store.root / SUMMARY_FILE
    try:
        atomic_write_text(path, page)
    except OSError as error:
        note = (
            f"The copy in your progress folder could not be written ({error.strerror or error});"
            " the download link below still works."
        )
        return page, None, note
    return page, path, ""


# --- in the notebooks ---------------------------------------------------------------------------


class SummaryPanel(widgets.VBox):
    """The finish page's widget: the summary, and a button that saves it as a page to keep."""

    def __init__(self, store: DraftStore | None = None):
        self.store = store if store is not None else DraftStore()
        try:
            body = summary_body_html(course_summary(self.store))
        except DataError as error:  # a broken course map or data file: said, not raised
            body = learner_message_html(plain_reason(error))
        self.view = widgets.HTML(body)
        self.view.add_class("oc-summary")
        self.save_button = widgets.Button(
            description="Save my course summary",
            icon="download",
            button_style="primary",
            tooltip="Save my course summary",
            layout=widgets.Layout(width="auto"),
        )
        self.save_button.add_class("oc-summary-save")
        self.result = widgets.HTML("")
        self.result.add_class("oc-summary-result")
        self.last_error: BaseException | None = None
        self.error_box = ErrorBox("oc-summary-error")
        self.save_button.on_click(lambda _button: self.save())
        super().__init__([self.view, self.save_button, self.error_box, self.result])
        self.add_class("oc-summary-panel")

    def save(self) -> Path | None:
        """Rebuild the summary, save it, and show the download link; returns the saved path
        (None when it could not be saved; errors are shown, not raised)."""
        return run_guarded(self, "making your course summary", self._save)

    def _save(self) -> Path | None:
        summary = course_summary(self.store)
        self.view.value = summary_body_html(summary)
        page, path, note = save_summary(self.store, summary)
        extra = f"<p>{marks.WARN} {escape(note)}</p>" if note else ""
        self.result.value = summary_link_html(page, path) + extra
        return path
