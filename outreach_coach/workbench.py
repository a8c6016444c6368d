"""The rewrite workbench: a scenario's people, the learner's draft, feedback, hints and export.

Grading stays in `outreach_coach.grade` and saving in `outreach_coach.storage.DraftStore`; this
module only builds ipywidgets views around them. Every button and dropdown callback goes through
`views.run_guarded`, so an error is shown to the learner and kept on `wb.last_error`, never lost
in the kernel log.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from . import data, marks
from .disputes import dispute_record, profile_dict, write_dispute
from .grader import grade
from .grader.profiles import Recipient, Sender, as_recipient
from .grader.report import (
    CATEGORIES,
    CATEGORY_TITLES,
    CategoryResult,
    Report,
    category_badge,
    findings_details_html,
    render_findings_html,
    top_fixes_html,
)
from .grader.runtime import IN_BROWSER
from .highlight import highlight_html
from .storage import Draft, DraftStore, QuizRecord, Version, best_of, suggested_learner_id, utc_now
from .views import (
    ErrorBox,
    LearnerError,
    learner_message_html,
    plain_reason,
    profile_card_html,
    ready_words,
    run_guarded,
    sender_card_html,
    verdict_line,
)

CAPSTONE_ID = "capstone"
NOT_CHECKED = "not checked yet"
NOT_GRADED = "not graded for a reply"
CUSTOM_ID = "custom"
CUSTOM_LABEL = "Someone real: type their details in the form below"
# Grading while typing: at most one grade per interval, and one more when typing pauses.
LIVE_INTERVAL = 0.3
REPLY_NOTE = (
    "This is a reply, so it is graded on mechanics and etiquette only: a reply to a complaint "
    "needs no personal detail and no offer, and a short one is right."
)
# The capstone form: the profile fields a learner types, with the labels the form shows.
CUSTOM_FIELDS = {
    "name": "Their name",
    "headline": "Headline",
    "company": "Company",
    "interests": "Interests",
    "recent_activity": "Recent activity",
    "about": "About",
}

STYLE = (
    "<style>"
    ".oc-message{white-space:pre-wrap;border-left:4px solid #999;padding:.4em .8em;"
    "background:#f6f6f6;color:#222}"
    "</style>"
)


@dataclass(frozen=True)
class Task:
    """What the workbench shows and grades against: one scenario, or one capstone pairing."""

    scenario_id: str
    title: str
    task: str
    sender: Sender
    recipient: Recipient
    original: str
    hints: tuple[str, ...]
    model_answer: str | None
    draft_key: str
    mode: str = "outreach"

    @property
    def is_capstone(self) -> bool:
        """True for the capstone, where the learner picks the people."""
        return self.scenario_id == CAPSTONE_ID

    @property
    def is_reply(self) -> bool:
        """True for a reply, graded on mechanics and etiquette only."""
        return self.mode == "reply"

    @property
    def is_custom(self) -> bool:
        """True for a capstone written to a prospect the learner typed in."""
        return self.is_capstone and self.recipient.id == CUSTOM_ID

    @property
    def graded(self) -> tuple[str, ...]:
        """The categories this task is graded on."""
        return ("mechanics", "etiquette") if self.is_reply else CATEGORIES


def scenario_task(scenario_id: str) -> Task:
    """The Task for one scenario in data/scenarios.toml."""
    scenarios = data.scenarios()
    if scenario_id not in scenarios:
        known = ", ".join(sorted(scenarios)) or "none"
        raise KeyError(f"unknown scenario id {scenario_id!r}; known ids: {known}")
    scenario = scenarios[scenario_id]
    return Task(
        scenario_id=scenario.id,
        title=scenario.title,
        task=scenario.task,
        sender=data.senders()[scenario.sender],
        recipient=data.recipients()[scenario.recipient],
        original=scenario.original,
        hints=scenario.hints,
        model_answer=scenario.model_answer,
        draft_key=scenario.id,
        mode=scenario.mode,
    )


def capstone_task(recipient_id: str | Recipient, sender_id: str) -> Task:
    """The capstone Task for a chosen (or typed-in) recipient and a sender; drafts are kept per
    recipient."""
    recipient = (
        recipient_id if isinstance(recipient_id, Recipient) else data.recipients()[recipient_id]
    )
    sender = data.senders()[sender_id]
    key = custom_key(recipient.name) if recipient.id == CUSTOM_ID else capstone_key(recipient.id)
    return Task(
        scenario_id=CAPSTONE_ID,
        title="Capstone: your own prospect",
        task=(
            f"Write a first LinkedIn message from {sender.name} to {recipient.name}: "
            "personal, relevant to them, correctly written and polite."
        ),
        sender=sender,
        recipient=recipient,
        original="",
        hints=data.lesson_texts().capstone_hints,
        model_answer=None,
        draft_key=key,
    )


def capstone_key(recipient_id: str) -> str:
    """The draft-store id of the capstone message to one recipient."""
    return f"{CAPSTONE_ID}-{recipient_id}"


def custom_key(name: str) -> str:
    """The draft-store id of the capstone message to a prospect the learner typed in."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    if not slug:  # a name in another script: a stable short id instead
        slug = hashlib.sha256(name.strip().encode()).hexdigest()[:10]
    return f"{CAPSTONE_ID}-{CUSTOM_ID}-{slug}"


def exercise_ids() -> list[str]:
    """The ids of the exercise scenarios, in the order of scenarios.toml."""
    return [s.id for s in data.scenarios().values() if s.use == "exercise"]


def lesson_ids() -> list[str]:
    """The ids of the lessons' rewriting scenarios, in the order of scenarios.toml."""
    return [s.id for s in data.scenarios().values() if s.use == "lesson"]


def best_version(draft: Draft | None) -> Version | None:
    """The best check of a draft so far (a pass is kept whatever was checked after it)."""
    if draft is None:
        return None
    return draft.best or best_of(draft.history)


def draft_passed(draft: Draft | None) -> bool:
    """Whether a draft has passed at least once (a later, worse check does not undo it)."""
    best = best_version(draft)
    if best is not None and best.passed is not None:
        return best.passed
    return draft is not None and draft.report is not None and bool(draft.report.get("passed"))


def graded_report(report: Report, task: Task) -> Report:
    """The report as this task grades it: a reply on mechanics and etiquette only."""
    return report.as_reply() if task.is_reply else report


def download_link_html(filename: str, content: bytes, mime: str = "application/json") -> str:
    """A link that downloads `content` as `filename` (a data: URL: it needs no server path,
    so it works in JupyterLab and in Voilà alike)."""
    encoded = base64.b64encode(content).decode("ascii")
    return (
        f"<a class='oc-download' download='{escape(filename, quote=True)}' "
        f"href='data:{mime};base64,{encoded}'>{marks.PASS} Download {escape(filename)}</a>"
    )


def custom_recipient(fields: Mapping[str, str], sender: Sender) -> Recipient:
    """A prospect from the capstone form, or ValueError that says which box to fix and how."""
    values = {name: str(fields.get(name, "") or "").strip() for name in CUSTOM_FIELDS}
    if not values["name"]:
        raise ValueError("Type your prospect's full name in “Their name” first.")
    if not any(values[name] for name in CUSTOM_FIELDS if name != "name"):
        raise ValueError(
            "Add at least one thing about them (a headline, company, interests, recent "
            "activity or About): the grader needs something personal to look for."
        )
    if values["name"].casefold() == sender.name.casefold():
        raise ValueError(
            f"{values['name']} is the person writing: you cannot write to yourself. Type the "
            "name of the person you want to write to."
        )
    interests = [p.strip() for p in re.split(r"[;\n]", values["interests"]) if p.strip()]
    try:
        return as_recipient(
            {**values, "interests": interests, "industry": "", "id": CUSTOM_ID},
        )
    except ValueError as error:
        message = str(error)
        for name, label in CUSTOM_FIELDS.items():
            message = message.replace(f"recipient field '{name}'", f"“{label}”")
        message = message.replace("recipient profile field", "")
        raise ValueError(f"Please fix the form: {message}.") from None


def custom_fields(recipient: Recipient) -> dict[str, str]:
    """The capstone form's values for a prospect (interests one per line)."""
    profile = profile_dict(recipient)
    values = {name: str(profile.get(name) or "") for name in CUSTOM_FIELDS}
    values["interests"] = "\n".join(recipient.interests)
    return values


# --- HTML pieces (every piece of data or learner text goes through escape) -------------------


def context_html(task: Task) -> str:
    """The sender card, the recipient's profile and the original message."""
    parts = [STYLE, sender_card_html(task.sender), profile_card_html(task.recipient)]
    if task.original:
        parts.append(
            "<div class='oc-original'><b>The original message</b>"
            f"<div class='oc-message'>{escape(task.original)}</div></div>"
        )
    return "".join(parts)


def header_html(task: Task) -> str:
    """The title and the task."""
    return f"<h3>{escape(task.title)}</h3><p class='oc-task'>{escape(task.task)}</p>"


def category_heading(category: str, result: CategoryResult | None, *, graded: bool = True) -> str:
    """Plain text such as 'Personalisation: ✓ Passed' (an icon and words, not colour alone)."""
    if not graded:
        verdict = NOT_GRADED
    else:
        verdict = category_badge(result) if result is not None else NOT_CHECKED
    return f"{CATEGORY_TITLES[category]}: {verdict}"


def category_html(
    category: str, result: CategoryResult | None, text: str = "", *, graded: bool = True
) -> str:
    """One category's verdict, then its findings (one line per kind, every place quoted)."""
    heading = f"<b>{escape(category_heading(category, result, graded=graded))}</b>"
    if result is None or not graded:
        return f"<div class='oc-category-result'>{heading}</div>"
    findings = render_findings_html(result.findings, text, details=False)
    return f"<div class='oc-category-result'>{heading}{findings}</div>"


def details_html(report: Report) -> str:
    """Rule codes, category scores and every finding, behind a "details" toggle."""
    scores = "".join(
        f"<li>{escape(CATEGORY_TITLES[c])}: score {report.categories[c].score:.2f} of 1</li>"
        for c in report.graded
    )
    return (
        "<details class='oc-details'><summary>Details: rule codes, scores and every finding"
        f"</summary><ul class='oc-scores'>{scores}</ul>"
        f"{findings_details_html(report.graded_findings, report.text)}</details>"
    )


def hints_html(hints: tuple[str, ...], shown: int) -> str:
    """The first `shown` hints as a numbered list."""
    if shown == 0:
        return ""
    items = "".join(f"<li>{escape(hint)}</li>" for hint in hints[:shown])
    return f"<div class='oc-hint-list'><b>Hints</b><ol>{items}</ol></div>"


def model_answer_html(model_answer: str) -> str:
    """The model answer, with a nudge to write one's own version."""
    return (
        "<div class='oc-model'><b>One model answer</b> (yours can be quite different and still "
        f"pass)<div class='oc-message'>{escape(model_answer)}</div></div>"
    )


@dataclass(frozen=True)
class ProgressItem:
    """One thing the course counts: a lesson rewrite, a quiz, an exercise or the capstone."""

    kind: str
    item_id: str
    title: str
    done: bool
    when: str | None = None


KIND_NOUNS = {
    "lesson": ("lesson rewrite", "lesson rewrites"),
    "quiz": ("quiz", "quizzes"),
    "exercise": ("exercise", "exercises"),
    "capstone": ("capstone", "capstones"),
}


def _draft_item(kind: str, item_id: str, title: str, draft: Draft | None) -> ProgressItem:
    best = best_version(draft)
    done = draft_passed(draft)
    return ProgressItem(kind, item_id, title, done, best.saved_at if done and best else None)


def progress_items(
    drafts: Mapping[str, Draft], quizzes: Mapping[str, QuizRecord]
) -> list[ProgressItem]:
    """Everything the course counts, from the saved drafts and the quiz record (pure)."""
    from .quiz import COURSE_QUIZZES  # the quiz module pulls in the lesson views

    scenarios = data.scenarios()
    items = [_draft_item("lesson", i, scenarios[i].title, drafts.get(i)) for i in lesson_ids()]
    for question_id, title in COURSE_QUIZZES.items():
        record = quizzes.get(question_id)
        done = record is not None and record.correct
        items.append(
            ProgressItem("quiz", question_id, title, done, record.correct_at if done else None)
        )
    items += [_draft_item("exercise", i, scenarios[i].title, drafts.get(i)) for i in exercise_ids()]
    capstones = [d for key, d in drafts.items() if key.startswith(capstone_key(""))]
    passed = [d for d in capstones if draft_passed(d)]
    best = min(passed, key=lambda d: best_version(d).saved_at) if passed else None
    items.append(_draft_item("capstone", CAPSTONE_ID, "Capstone: your own prospect", best))
    return items


def count_text(items: list[ProgressItem], kind: str) -> str:
    """'N of M exercises passed' (or quizzes answered right, capstone passed) for one kind."""
    chosen = [item for item in items if item.kind == kind]
    done = sum(item.done for item in chosen)
    if kind == "capstone":
        return "capstone passed" if done else "capstone not passed yet"
    singular, plural = KIND_NOUNS[kind]
    noun = singular if len(chosen) == 1 else plural
    verb = "answered right" if kind == "quiz" else "passed"
    return f"{done} of {len(chosen)} {noun} {verb}"


def progress_text(store: DraftStore, scenario_ids: list[str] | None = None) -> str:
    """'N of M exercises passed', from the drafts saved in the draft store."""
    ids = exercise_ids() if scenario_ids is None else scenario_ids
    drafts = store.drafts()
    items = [_draft_item("exercise", i, i, drafts.get(i)) for i in ids]
    return count_text(items, "exercise")


def progress_html(store: DraftStore) -> str:
    """The progress lines and one ✓/○ item per lesson rewrite, quiz, exercise and capstone."""
    items = progress_items(store.drafts(), store.quiz_results())
    sections = []
    for kind in KIND_NOUNS:
        rows = []
        for item in (i for i in items if i.kind == kind):
            when = f" on {escape(when_text(item.when))}" if item.when else ""
            mark = f"{marks.PASS} passed{when}" if item.done else f"{marks.TODO} not yet"
            rows.append(f"<li>{escape(item.title)}: {mark}</li>")
        sections.append(
            f"<div class='oc-progress-{kind}'><b>{escape(count_text(items, kind))}</b>"
            f"<ul class='oc-progress-list'>{''.join(rows)}</ul></div>"
        )
    others = " · ".join(
        escape(count_text(items, kind)) for kind in KIND_NOUNS if kind != "exercise"
    )
    return (
        f"<b>Your progress: {escape(count_text(items, 'exercise'))}</b> ({others})"
        "<details class='oc-progress-details'><summary>What is done, item by item</summary>"
        f"{''.join(sections)}</details>"
    )


def version_label(version: Version, *, best: bool = False) -> str:
    """A dropdown label for a saved version: when, its verdict and score."""
    if version.passed is None:
        verdict = "not checked"
    else:
        verdict = "passed" if version.passed else "needs work"
        if version.score is not None:
            verdict += f", {version.score:.0f}/100"
    prefix = "Best: " if best else ""
    return f"{prefix}{when_text(version.saved_at)} ({verdict})"


def version_choices(draft: Draft | None) -> list[tuple[str, Version]]:
    """The saved versions to offer for restoring: the best first, then newest to oldest."""
    if draft is None:
        return []
    choices = []
    best = best_version(draft)
    if best is not None:
        choices.append((version_label(best, best=True), best))
    for version in reversed(draft.history):
        choices.append((version_label(version), version))
    return choices


def best_draft_html(draft: Draft | None) -> str:
    """The learner's best draft so far and when it passed (empty before any pass)."""
    best = best_version(draft)
    if best is None or not best.passed:
        return ""
    return (
        f"<details class='oc-best-draft'><summary>{marks.PASS} Your best draft: passed on "
        f"{escape(when_text(best.saved_at))}</summary>"
        f"<div class='oc-message'>{escape(best.text)}</div>"
        "<p>Pick it under “Your saved versions” to bring it back into the box.</p></details>"
    )


def when_text(value: Any) -> str:
    """A saved_at value (datetime or ISO text) as a short readable date and time."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        try:
            return value.astimezone().strftime("%d %b %Y, %H:%M")
        except (OverflowError, ValueError, OSError):  # year 1 or 9999 has no local time
            return value.isoformat()
    return str(value)


def restored_note_html(draft: Draft, capstone: bool = False) -> str:
    """The small note that says the draft box holds the learner's last saved draft."""
    checks = draft.checks
    last = ""
    if draft.report is not None:
        verdict = f"{marks.PASS} passed." if draft_passed(draft) else f"{marks.FAIL} needs work."
        last = f" Last check: {verdict}"
    again = "clear the box" if capstone else "bring back the original"
    return (
        f"{marks.PASS} This is your draft saved on {escape(when_text(draft.saved_at))} "
        f"(checked {checks} time{'s' if checks != 1 else ''}).{last} "
        f"Click “Start again” to {again}."
    )


def _styled(widget: widgets.DOMWidget, *classes: str) -> Any:
    """Add stable CSS classes (browser tests rely on them) and return the widget."""
    for name in classes:
        widget.add_class(name)
    return widget


# --- the widget ------------------------------------------------------------------------------


def _run_later(delay: float, callback: Callable[[], None]) -> threading.Timer | asyncio.TimerHandle:
    """Call `callback` once after `delay` seconds (cancel() stops it): on a timer thread, or in
    the browser, which has no threads, on the kernel's event loop."""
    if IN_BROWSER:
        return asyncio.get_event_loop().call_later(delay, callback)
    timer = threading.Timer(delay, callback)
    timer.daemon = True
    timer.start()
    return timer


class Workbench:
    """The rewrite workbench for one scenario: show it, type a rewrite, check it, get feedback."""

    def __init__(
        self,
        scenario_id: str,
        *,
        store: DraftStore | None = None,
        recipient: str | None = None,
        sender: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store if store is not None else DraftStore()
        self.last_report: Report | None = None
        self.last_error: BaseException | None = None
        self.last_dispute: Path | None = None
        self.hints_shown = 0
        self._clock = clock
        self._last_live = float("-inf")
        self._live_timer: threading.Timer | asyncio.TimerHandle | None = None
        self._versions: list[Version] = []
        try:
            data.load_all()
            if scenario_id == CAPSTONE_ID:
                self.task = self._capstone_start(recipient, sender)
            else:
                self.task = scenario_task(scenario_id)
            self._build()
        except (OSError, ValueError) as error:  # DataError is a ValueError
            # Nothing to show but the reason: the friendly box instead of a traceback.
            self.last_error = error
            self.error_box = ErrorBox("oc-error")
            self.error_box.show("opening the workbench", error)
            self.root = _styled(widgets.VBox([self.error_box]), "oc-workbench")
            return
        # A damaged save file or progress folder must not stop the learner from writing.
        run_guarded(self, "restoring your last draft", self._restore_draft, reraise=False)
        run_guarded(self, "showing your progress", self._refresh_progress, reraise=False)

    @classmethod
    def capstone(
        cls,
        *,
        recipient: str | None = None,
        sender: str | None = None,
        store: DraftStore | None = None,
    ) -> Workbench:
        """The capstone: the learner picks a recipient and a sender and writes their own message."""
        return cls(CAPSTONE_ID, store=store, recipient=recipient, sender=sender)

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self._make_draft_area()
        self._make_feedback_area()
        self._make_versions_area()
        self._make_dispute_area()
        self._make_export_area()
        self._connect()
        self.root = _styled(widgets.VBox(self._children()), "oc-workbench")

    def _make_draft_area(self) -> None:
        task = self.task
        self.header = _styled(widgets.HTML(header_html(task)), "oc-header")
        self.context = _styled(widgets.HTML(context_html(task)), "oc-context")
        self.saved_note = _styled(widgets.HTML(""), "oc-saved-note")
        self.draft = _styled(
            widgets.Textarea(
                value=task.original,
                placeholder="Write your message here…",
                # A visible <label for> the box, on a line of its own above it.
                description="<b style='display:block;text-align:left'>Your rewrite</b>",
                description_allow_html=True,
                style={"description_width": "100%"},
                rows=12,
                continuous_update=True,
                layout=widgets.Layout(width="100%", flex_flow="row wrap"),
            ),
            "oc-draft",
        )
        self.check_button = self._button("Check my rewrite", "check", "primary", "oc-check")
        self.hint_button = self._button("Show a hint", "question", "", "oc-hint-button")
        self.model_button = self._button("Show a model answer", "eye", "", "oc-model-button")
        self.reset_button = self._button("Start again", "undo", "", "oc-reset")
        self.live = _styled(
            widgets.Checkbox(value=False, description="Check as I type", indent=False),
            "oc-live",
        )
        self.live_preview = _styled(widgets.HTML(""), "oc-live-preview")
        # oc-error as well: the browser tests find the box as .jupyter-widgets.oc-error.
        self.error_box = ErrorBox("oc-error")
        self.hints_box = _styled(widgets.HTML(""), "oc-hints")
        self.model_answer_box = _styled(widgets.HTML(""), "oc-model-answer")
        self.recipient_select: widgets.Dropdown | None = None
        self.sender_select: widgets.Dropdown | None = None
        self.custom_form: widgets.VBox | None = None
        if task.is_capstone:
            # No model answer for the capstone: the message is the learner's own.
            self.model_button.layout.display = "none"

    def _make_feedback_area(self) -> None:
        self.status = _styled(widgets.HTML(""), "oc-status")
        self.store_note = _styled(widgets.HTML(""), "oc-store-note")
        self.mode_note = _styled(
            widgets.HTML(f"{marks.INFO} {REPLY_NOTE}" if self.task.is_reply else ""),
            "oc-mode-note",
        )
        self.top_fixes = _styled(widgets.HTML(""), "oc-top-fixes-box")
        self.category_widgets = {
            c: _styled(
                widgets.HTML(category_html(c, None, graded=c in self.task.graded)),
                f"oc-category-{c}",
                "oc-category",
            )
            for c in CATEGORIES
        }
        self.highlight = _styled(widgets.HTML(""), "oc-highlight")
        self.details = _styled(widgets.HTML(""), "oc-details-box")
        self.feedback = _styled(
            widgets.VBox(
                [self.top_fixes, *self.category_widgets.values(), self.highlight, self.details]
            ),
            "oc-feedback",
        )
        self.progress = _styled(widgets.HTML(""), "oc-progress")

    def _make_versions_area(self) -> None:
        self.best_draft = _styled(widgets.HTML(""), "oc-best")
        self.version_select = _styled(
            widgets.Dropdown(
                options=[], description="Your saved versions:", layout=widgets.Layout(width="auto")
            ),
            "oc-versions",
        )
        self.version_select.style.description_width = "initial"
        self.restore_button = self._button("Restore this version", "history", "", "oc-restore")

    def _make_dispute_area(self) -> None:
        self.dispute_comment = _styled(
            widgets.Text(
                value="",
                placeholder="What looks wrong? (optional)",
                description="Your comment:",
                layout=widgets.Layout(width="100%"),
            ),
            "oc-dispute-comment",
        )
        self.dispute_comment.style.description_width = "initial"
        self.dispute_button = self._button(
            "This verdict looks wrong", "flag", "warning", "oc-dispute"
        )
        self.dispute_result = _styled(widgets.HTML(""), "oc-dispute-result")

    def _make_export_area(self) -> None:
        self.learner_id = _styled(
            widgets.Text(
                value=suggested_learner_id(self.store.learner_id),
                description="Your id:",
                placeholder="e.g. ana-k (letters, digits, - or _)",
                layout=widgets.Layout(width="24em"),
            ),
            "oc-learner-id",
        )
        self.export_button = self._button("Export my answers", "download", "", "oc-export")
        self.export_result = _styled(widgets.HTML(""), "oc-export-result")

    def _connect(self) -> None:
        self.check_button.on_click(self._callback("checking your rewrite", self._check))
        self.hint_button.on_click(self._callback("showing a hint", self._show_next_hint))
        self.model_button.on_click(self._callback("showing the model answer", self._show_model))
        self.reset_button.on_click(self._callback("starting again", self._reset))
        self.restore_button.on_click(self._callback("restoring a version", self._restore_version))
        self.dispute_button.on_click(self._callback("saving your dispute", self._dispute))
        self.export_button.on_click(self._export_clicked)
        self.live.observe(self._callback("switching live checking", self._on_live), names="value")
        self.draft.observe(self._callback("checking as you type", self._on_typing), names="value")
        self._update_hint_button()

    def _button(self, label: str, icon: str, style: str, css: str) -> widgets.Button:
        return _styled(
            widgets.Button(
                description=label,
                icon=icon,
                button_style=style,
                tooltip=label,
                layout=widgets.Layout(width="auto"),  # the default width cuts labels short
            ),
            css,
        )

    def _children(self) -> list[widgets.Widget]:
        chooser = [self._build_chooser()] if self.task.is_capstone else []
        buttons = widgets.HBox(
            [self.check_button, self.hint_button, self.model_button, self.reset_button, self.live],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        versions = widgets.HBox(
            [self.version_select, self.restore_button], layout=widgets.Layout(flex_flow="row wrap")
        )
        dispute = _styled(
            widgets.VBox(
                [
                    widgets.HTML(
                        "<b>Does a verdict look wrong?</b> Say why (optional) and click the "
                        "button: your draft and the verdict are saved for the course's authors."
                    ),
                    self.dispute_comment,
                    self.dispute_button,
                    self.dispute_result,
                ]
            ),
            "oc-dispute-area",
        )
        export = widgets.HBox(
            [self.learner_id, self.export_button], layout=widgets.Layout(flex_flow="row wrap")
        )
        return [
            self.header,
            *chooser,
            self.context,
            self.mode_note,
            self.saved_note,
            self.draft,
            buttons,
            self.live_preview,
            self.error_box,
            self.hints_box,
            self.model_answer_box,
            self.status,
            self.store_note,
            self.feedback,
            _styled(widgets.VBox([self.best_draft, versions]), "oc-versions-area"),
            self.progress,
            dispute,
            _styled(widgets.VBox([export, self.export_result]), "oc-export-area"),
        ]

    def _build_chooser(self) -> widgets.Widget:
        recipients = sorted(data.recipients().values(), key=lambda r: r.name)
        senders = sorted(data.senders().values(), key=lambda s: s.name)
        self.recipient_select = _styled(
            widgets.Dropdown(
                options=[(CUSTOM_LABEL, CUSTOM_ID)]
                + [(f"{r.name} ({r.headline})", r.id) for r in recipients],
                value=self.task.recipient.id,
                description="Write to:",
                layout=widgets.Layout(width="100%"),
            ),
            "oc-recipient-select",
        )
        self.sender_select = _styled(
            widgets.Dropdown(
                options=[(f"{s.name} ({s.company})", s.id) for s in senders],
                value=self.task.sender.id,
                description="Write as:",
                layout=widgets.Layout(width="100%"),
            ),
            "oc-sender-select",
        )
        on_change = self._callback("switching profiles", self._on_choice)
        self.recipient_select.observe(on_change, names="value")
        self.sender_select.observe(on_change, names="value")
        self._build_custom_form()
        return _styled(
            widgets.VBox([self.recipient_select, self.sender_select, self.custom_form]),
            "oc-capstone-chooser",
        )

    def _build_custom_form(self) -> None:
        values = custom_fields(self.task.recipient) if self.task.is_custom else {}
        self.custom_inputs: dict[str, widgets.Text | widgets.Textarea] = {}
        for name, label in CUSTOM_FIELDS.items():
            long = name in ("interests", "recent_activity", "about")
            kind = widgets.Textarea if long else widgets.Text
            box = kind(
                value=values.get(name, ""),
                description=f"{label}:",
                placeholder=("one per line, or separated by ;" if name == "interests" else ""),
                layout=widgets.Layout(width="100%"),
            )
            box.style.description_width = "9em"
            self.custom_inputs[name] = _styled(box, f"oc-custom-{name.replace('_', '-')}")
        self.custom_use = self._button("Use this prospect", "user", "", "oc-custom-use")
        self.custom_use.on_click(self._callback("using your prospect", self._use_custom))
        self.custom_message = _styled(widgets.HTML(""), "oc-custom-message")
        self.custom_form = _styled(
            widgets.VBox(
                [
                    widgets.HTML(
                        "<b>Your own prospect</b>: copy what their LinkedIn profile shows. "
                        "Their name and at least one more box are needed."
                    ),
                    *self.custom_inputs.values(),
                    self.custom_use,
                    self.custom_message,
                ]
            ),
            "oc-custom-form",
        )
        self.custom_form.layout.display = None if self.task.is_custom else "none"

    def _capstone_start(self, recipient: str | None, sender: str | None) -> Task:
        """The people to start with: those given, else those of the last capstone draft."""
        last = self._last_capstone_draft()
        if sender is None:
            sender = last[1] if last and last[1] else next(iter(data.senders()))
        if recipient is None and last is not None:
            return capstone_task(last[0], sender)
        if recipient is None:
            recipient = self._someone_else(sender)
        return capstone_task(recipient, sender)

    @staticmethod
    def _someone_else(sender_id: str) -> str:
        """The first recipient who is not the sender (some people are in both tables)."""
        sender_name = data.senders()[sender_id].name
        return next(r.id for r in data.recipients().values() if r.name != sender_name)

    def _last_capstone_draft(self) -> tuple[str | Recipient, str | None] | None:
        prefix = capstone_key("")
        custom_prefix = capstone_key(CUSTOM_ID) + "-"
        recipients, senders = data.recipients(), data.senders()
        found = []
        for key, draft in self.store.drafts().items():
            if key.startswith(custom_prefix) and draft.profile is not None:
                try:
                    found.append((draft, as_recipient({**draft.profile, "id": CUSTOM_ID})))
                except ValueError:
                    continue  # a profile edited by hand into something unusable
            elif key.startswith(prefix) and key[len(prefix) :] in recipients:
                found.append((draft, key[len(prefix) :]))
        if not found:
            return None
        latest, recipient = max(found, key=lambda pair: pair[0].saved_at)
        # The saved report names the sender; map it back to an id to restore the dropdown.
        sender_name = (latest.report or {}).get("sender", "")
        sender_id = next((s.id for s in senders.values() if s.name == sender_name), None)
        return recipient, sender_id

    # --- displaying --------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Show the workbench when `wb` is the last line of a cell."""
        return self.root._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        task = getattr(self, "task", None)
        return f"Workbench({task.scenario_id!r})" if task else "Workbench(<failed to open>)"

    # --- error handling ----------------------------------------------------------------------

    def _callback(self, action: str, work: Callable[[], Any]) -> Callable[..., None]:
        """A widget callback (button click or value change) that never loses an error."""

        def callback(*_: Any) -> None:
            run_guarded(self, action, work, reraise=False)

        return callback

    # --- actions -----------------------------------------------------------------------------

    @property
    def model_answer(self) -> str | None:
        """The scenario's model answer (None for the capstone)."""
        return self.task.model_answer

    def submit(self, text: str) -> Report:
        """Put `text` in the draft box and check it, exactly like clicking "Check my rewrite"."""

        def work() -> Report:
            self.draft.value = text
            return self._check()

        return run_guarded(self, "checking your rewrite", work, reraise=True)

    def show_hint(self) -> None:
        """Reveal the next hint, as the "Show a hint" button does."""
        self.hint_button.click()

    def show_model_answer(self) -> None:
        """Show the model answer, as the "Show a model answer" button does."""
        self.model_button.click()

    def choose(self, recipient: str | None = None, sender: str | None = None) -> None:
        """Capstone only: pick the recipient and/or sender, as the dropdowns do."""
        if self.recipient_select is None or self.sender_select is None:
            raise ValueError("choose() works only in the capstone: Workbench.capstone()")
        if sender is not None:
            self.sender_select.value = sender
        if recipient is not None:
            self.recipient_select.value = recipient

    def use_prospect(self, **fields: str) -> Recipient:
        """Capstone only: write to a prospect typed into the form, as "Use this prospect" does."""
        if self.recipient_select is None:
            raise ValueError("use_prospect() works only in the capstone: Workbench.capstone()")
        self.recipient_select.value = CUSTOM_ID
        for name, box in self.custom_inputs.items():
            box.value = fields.get(name, "")
        run_guarded(self, "using your prospect", self._use_custom, reraise=True)
        return self.task.recipient

    def export(self, learner_id: str | None = None) -> Path:
        """Write the exported-answers file, as the "Export my answers" button does."""
        if learner_id is not None:
            self.learner_id.value = learner_id
        return run_guarded(self, "exporting your answers", self._export, reraise=True)

    def dispute(self, comment: str = "") -> Path:
        """Save the draft, its verdict and a comment, as "This verdict looks wrong" does."""
        self.dispute_comment.value = comment
        return run_guarded(self, "saving your dispute", self._dispute, reraise=True)

    def _grade(self, text: str) -> Report:
        report = grade(text, recipient=self.task.recipient, sender=self.task.sender)
        return graded_report(report, self.task)

    def _check(self) -> Report:
        if self.task.is_custom and self.task.recipient.name == "":
            raise LearnerError("Fill in the form with your prospect's details first.")
        if self.task.recipient.name.casefold() == self.task.sender.name.casefold():
            raise LearnerError(
                f"You are writing as {self.task.sender.name} to {self.task.recipient.name}: "
                "nobody writes to themselves. Choose someone else in “Write to”."
            )
        text = self.draft.value
        report = self._grade(text)
        self.last_report = report
        # Feedback first, so the learner sees it even if saving then fails.
        self._show_report(report)
        self.status.value = verdict_line(report)
        profile = profile_dict(self.task.recipient) if self.task.is_custom else None
        result = self.store.save(self.task.draft_key, text, report, profile=profile)
        saved = (
            f"{marks.PASS} draft saved"
            if result.saved
            else f"{marks.WARN} draft NOT saved (see the note below)"
        )
        self.status.value = f"{verdict_line(report)} &middot; {saved}"
        self.store_note.value = f"{marks.INFO} {escape(result.note)}" if result.note else ""
        self._show_versions(result.draft)
        self._refresh_progress()
        return report

    def _show_report(self, report: Report) -> None:
        self.top_fixes.value = top_fixes_html(report.graded_findings, report.text)
        for category, widget in self.category_widgets.items():
            widget.value = category_html(
                category,
                report.categories[category],
                report.text,
                graded=category in report.graded,
            )
        self.highlight.value = "<b>Your text, with the flagged parts marked</b>" + highlight_html(
            report.text, report.graded_findings
        )
        self.details.value = details_html(report)

    def _clear_report(self) -> None:
        self.last_report = None
        self.status.value = ""
        self.highlight.value = ""
        self.top_fixes.value = ""
        self.details.value = ""
        for category, widget in self.category_widgets.items():
            widget.value = category_html(category, None, graded=category in self.task.graded)

    def _show_next_hint(self) -> None:
        self.hints_shown = min(self.hints_shown + 1, len(self.task.hints))
        self.hints_box.value = hints_html(self.task.hints, self.hints_shown)
        self._update_hint_button()

    def _update_hint_button(self) -> None:
        total = len(self.task.hints)
        if self.hints_shown >= total:
            self.hint_button.description = "No more hints"
            self.hint_button.disabled = True
        elif self.hints_shown:
            self.hint_button.description = f"Another hint ({self.hints_shown} of {total} shown)"

    def _show_model(self) -> None:
        if self.task.model_answer is None:
            raise ValueError("The capstone has no model answer: the message is yours to write.")
        self.model_answer_box.value = model_answer_html(self.task.model_answer)

    def _reset(self) -> None:
        self.draft.value = self.task.original
        self.saved_note.value = ""
        self._clear_report()

    def _restore_draft(self) -> None:
        """Put the learner's last saved draft in the box, and say so."""
        draft = self.store.load(self.task.draft_key)
        # A damaged save file is set aside by the store; it leaves a note for the learner.
        note = self.store.note(self.task.draft_key)
        self.store_note.value = f"{marks.INFO} {escape(note)}" if note else ""
        self._show_versions(draft)
        if draft is None:
            self.saved_note.value = ""
            return
        self.draft.value = draft.text
        self.saved_note.value = restored_note_html(draft, self.task.is_capstone)

    def _show_versions(self, draft: Draft | None) -> None:
        choices = version_choices(draft)
        self._versions = [version for _, version in choices]
        self.version_select.options = [(label, i) for i, (label, _) in enumerate(choices)]
        self.version_select.value = 0 if choices else None
        self.restore_button.disabled = not choices
        self.best_draft.value = best_draft_html(draft)

    def _restore_version(self) -> None:
        index = self.version_select.value
        if index is None or not 0 <= index < len(self._versions):
            raise LearnerError("There is no saved version to restore yet: check a draft first.")
        version = self._versions[index]
        self.draft.value = version.text
        self._clear_report()
        self.saved_note.value = (
            f"{marks.INFO} Restored your version saved on {escape(when_text(version.saved_at))}. "
            "Click “Check my rewrite” to check it and save it again."
        )

    def _refresh_progress(self) -> None:
        self.progress.value = progress_html(self.store)

    def _keep_unsaved_text(self) -> str:
        """Save the box's text for the person it was written to, if it is not saved yet."""
        text = self.draft.value
        if not text.strip():
            return ""
        saved = self.store.load(self.task.draft_key)
        if saved is not None and saved.text == text:
            return ""
        profile = profile_dict(self.task.recipient) if self.task.is_custom else None
        result = self.store.save(self.task.draft_key, text, None, profile=profile)
        if not result.saved:
            raise OSError(result.note or "the draft could not be saved")
        return f"Your text for {escape(self.task.recipient.name)} was saved. "

    def _switch_to(self, task: Task) -> None:
        """Show new people: their saved draft if the learner has one, else an empty box."""
        same_person = self.task.draft_key == task.draft_key
        kept = "" if same_person else self._keep_unsaved_text()
        self.task = task
        self.header.value = header_html(task)
        self.context.value = context_html(task)
        self._clear_report()
        if same_person:  # only the sender changed: the text in the box is still for them
            self._warn_if_writing_to_oneself()
            return
        draft = self.store.load(task.draft_key)
        self._show_versions(draft)
        if draft is not None:
            self.draft.value = draft.text
            self.saved_note.value = kept + restored_note_html(draft, task.is_capstone)
        else:
            self.draft.value = ""
            self.saved_note.value = (
                f"{kept}No draft for {escape(task.recipient.name)} yet: the box is empty for "
                "your message to them."
                if task.recipient.name
                else kept
            )
        self._warn_if_writing_to_oneself()

    def _warn_if_writing_to_oneself(self) -> None:
        task = self.task
        if task.recipient.name and task.recipient.name.casefold() == task.sender.name.casefold():
            self.saved_note.value += (
                f" {marks.WARN} You picked the same person to write to and to write as: "
                "choose someone else in “Write to”."
            )

    def _on_choice(self) -> None:
        """A capstone dropdown changed: show the new people and their saved draft, if any."""
        assert self.recipient_select is not None and self.sender_select is not None
        assert self.custom_form is not None
        custom = self.recipient_select.value == CUSTOM_ID
        self.custom_form.layout.display = None if custom else "none"
        if custom:
            recipient = self.task.recipient if self.task.is_custom else _blank_prospect()
            self._switch_to(capstone_task(recipient, self.sender_select.value))
            if not recipient.name:
                self.saved_note.value = (
                    f"{marks.INFO} Type your prospect's details in the form, then click "
                    "“Use this prospect”."
                )
            return
        self._switch_to(capstone_task(self.recipient_select.value, self.sender_select.value))

    def _use_custom(self) -> None:
        assert self.sender_select is not None
        sender = data.senders()[self.sender_select.value]
        values = {name: box.value for name, box in self.custom_inputs.items()}
        try:
            recipient = custom_recipient(values, sender)
        except ValueError as error:
            self.custom_message.value = learner_message_html(str(error))
            raise LearnerError(str(error)) from None
        self.custom_message.value = f"{marks.PASS} Writing to {escape(recipient.name)}."
        self._switch_to(capstone_task(recipient, self.sender_select.value))

    # --- checking as you type ----------------------------------------------------------------

    def _on_live(self) -> None:
        if self.live.value:
            self._live_grade()
            return
        self._cancel_live_timer()
        self.live_preview.value = ""

    def _on_typing(self) -> None:
        if not self.live.value:
            return
        if self._clock() - self._last_live >= LIVE_INTERVAL:
            self._live_grade()
        else:
            # Too soon after the last grade: grade once more when typing pauses.
            self._cancel_live_timer()
            self._live_timer = _run_later(LIVE_INTERVAL, self._live_from_timer)

    def _live_from_timer(self) -> None:
        run_guarded(self, "checking as you type", self._live_grade, reraise=False)

    def _cancel_live_timer(self) -> None:
        if self._live_timer is not None:
            self._live_timer.cancel()
            self._live_timer = None

    def _live_grade(self) -> None:
        """Grade the box's text and show it marked up with what to fix first (not saved)."""
        self._last_live = self._clock()
        if not self.task.recipient.name or not self.draft.value.strip():
            self.live_preview.value = ""
            return
        report = self._grade(self.draft.value)
        self.live_preview.value = (
            "<div class='oc-live-result' aria-live='polite'>"
            f"<b>As you type: {ready_words(report)}</b>"
            f"{top_fixes_html(report.graded_findings, report.text)}"
            f"{highlight_html(report.text, report.graded_findings)}"
            "<small>Not saved: click “Check my rewrite” to save this draft.</small></div>"
        )

    # --- disputes and export -----------------------------------------------------------------

    def _dispute(self) -> Path:
        if self.last_report is None or self.last_report.text != self.draft.value:
            self._check()  # the dispute is about this text's verdict, and the draft is saved
        report = self.last_report
        assert report is not None
        record = dispute_record(
            scenario_id=self.task.scenario_id,
            draft_key=self.task.draft_key,
            text=self.draft.value,
            report=report,
            recipient=self.task.recipient,
            sender=self.task.sender,
            comment=self.dispute_comment.value,
            learner_id=self.learner_id.value.strip() or None,
            created_at=utc_now(),
        )
        path = write_dispute(self.store.root, record)
        self.last_dispute = path
        self.dispute_comment.value = ""
        self.dispute_result.value = (
            f"{marks.PASS} Thank you: your draft and its verdict were saved as "
            f"<code>{escape(path.name)}</code> for the course's authors to look at."
        )
        return path

    def _export_clicked(self, *_: Any) -> None:
        """The export button: a problem the learner can fix is shown beside it in plain words."""
        self.export_result.value = ""
        self.error_box.clear()
        try:
            self._export()
        except ValueError as error:
            self.last_error = error
            self.export_result.value = learner_message_html(plain_reason(error))
        except Exception as error:
            self.last_error = error
            self.error_box.show("exporting your answers", error)

    def _export(self) -> Path:
        learner = self.learner_id.value.strip()
        if not learner:
            raise LearnerError(
                "Type your id (for example ana-k) in the “Your id” box first, "
                "so your instructor knows whose answers these are."
            )
        self.store.set_learner_id(learner)
        path = Path(self.store.export(learner))
        link = download_link_html(path.name, path.read_bytes())
        self.export_result.value = (
            f"{marks.PASS} Your answers are ready: {link}, then send that file to your "
            f"instructor. (A copy is also in your progress folder: <code>{escape(str(path))}"
            "</code>.)"
        )
        return path


def _blank_prospect() -> Recipient:
    """The capstone's prospect before the learner has typed one in."""
    return Recipient(
        name="",
        headline="",
        company="",
        industry="",
        interests=(),
        recent_activity="",
        id=CUSTOM_ID,
    )
