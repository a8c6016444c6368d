"""The rewrite workbench: a scenario's people, the learner's draft, feedback, hints and export.

Grading stays in `outreach_coach.grade` and saving in `outreach_coach.storage.DraftStore`; this
module only builds ipywidgets views around them. Every button and dropdown callback goes through
`Workbench._guarded`, so an error is shown to the learner and kept on `wb.last_error`, never lost
in the kernel log.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import ipywidgets as widgets

from . import data, marks
from .data import DataError
from .grader import grade
from .highlight import highlight_html
from .models import Recipient, Sender
from .report import CATEGORIES, CategoryResult, Report, category_badge, render_findings_html
from .storage import Draft, DraftStore

T = TypeVar("T")

CAPSTONE_ID = "capstone"
CAPSTONE_HINTS = (
    "Read the whole profile first: their recent activity is usually the best opening.",
    "Open with their first name, then one sentence that could only be written to them.",
    "Pick the one thing the sender offers that fits a need in the profile, and say it plainly.",
    "End with a low-pressure question, then sign with the sender's name as on their profile.",
    "Read it aloud: capitals, spelling, no links, no urgency, and under about 125 words.",
)
NOT_CHECKED = "not checked yet"

STYLE = (
    "<style>"
    ".oc-card{border:1px solid #bbb;border-radius:6px;padding:.5em .8em;margin:.3em 0}"
    ".oc-card h4{margin:.1em 0 .3em 0}"
    ".oc-card dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:.15em .8em}"
    ".oc-card dt{font-weight:bold}.oc-card dd{margin:0}"
    ".oc-message{white-space:pre-wrap;border-left:4px solid #999;padding:.4em .8em;"
    "background:#f6f6f6;color:#222}"
    ".oc-alert{border:2px solid #b00020;border-radius:6px;padding:.6em .8em;"
    "background:#fff4f4;color:#222}"
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

    @property
    def is_capstone(self) -> bool:
        """True for the capstone, where the learner picks the people."""
        return self.scenario_id == CAPSTONE_ID


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
    )


def capstone_task(recipient_id: str, sender_id: str) -> Task:
    """The capstone Task for a chosen recipient and sender; drafts are kept per recipient."""
    recipient = data.recipients()[recipient_id]
    sender = data.senders()[sender_id]
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
        hints=CAPSTONE_HINTS,
        model_answer=None,
        draft_key=capstone_key(recipient_id),
    )


def capstone_key(recipient_id: str) -> str:
    """The draft-store id of the capstone message to one recipient."""
    return f"{CAPSTONE_ID}-{recipient_id}"


def exercise_ids() -> list[str]:
    """The ids of the exercise scenarios, in the order of scenarios.toml."""
    return [s.id for s in data.scenarios().values() if s.use == "exercise"]


def draft_passed(draft: Draft | None) -> bool:
    """Whether a saved draft's last check passed every category."""
    if draft is None or draft.report is None:
        return False
    return bool(draft.report.get("passed"))


# --- HTML pieces (every piece of data or learner text goes through escape) -------------------


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs if v)


def sender_card_html(sender: Sender) -> str:
    """A card for the sender: who is writing and what they offer."""
    rows = _rows([("Headline", sender.headline), ("Offers", "; ".join(sender.offers))])
    return (
        f"<div class='oc-card oc-sender'><h4>You are writing as {escape(sender.name)}</h4>"
        f"<dl>{rows}</dl></div>"
    )


def profile_card_html(recipient: Recipient) -> str:
    """A LinkedIn-style profile card of the recipient."""
    rows = _rows(
        [
            ("Headline", recipient.headline),
            ("Company", recipient.company),
            ("Industry", recipient.industry),
            ("Interests", "; ".join(recipient.interests)),
            ("Recent activity", recipient.recent_activity),
            ("About", recipient.about),
        ]
    )
    return (
        f"<div class='oc-card oc-profile'><h4>Writing to {escape(recipient.name)}</h4>"
        f"<dl>{rows}</dl></div>"
    )


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


def category_heading(category: str, result: CategoryResult | None) -> str:
    """Plain text such as 'Personalization: ✓ Passed' (an icon and words, not colour alone)."""
    verdict = category_badge(result) if result is not None else NOT_CHECKED
    return f"{category.title()}: {verdict}"


def category_html(category: str, result: CategoryResult | None, text: str = "") -> str:
    """One category's verdict, then its findings with their hints."""
    heading = f"<b>{escape(category_heading(category, result))}</b>"
    if result is None:
        return f"<div class='oc-category-result'>{heading}</div>"
    score = f" <span class='oc-score'>(score {result.score:.2f})</span>"
    findings = render_findings_html(result.findings, text)
    return f"<div class='oc-category-result'>{heading}{score}{findings}</div>"


def verdict_html(report: Report) -> str:
    """The overall verdict in words and an icon."""
    verdict = marks.READY if report.passed else marks.NOT_READY
    # role=status: screen readers announce the verdict when it appears.
    return f"<span role='status'><b>{verdict}</b> &middot; score {report.score:.0f}/100</span>"


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


def progress_text(store: DraftStore, scenario_ids: list[str] | None = None) -> str:
    """'N of M exercises passed', from the reports saved in the draft store."""
    ids = exercise_ids() if scenario_ids is None else scenario_ids
    drafts = store.drafts()
    passed = sum(1 for i in ids if draft_passed(drafts.get(i)))
    noun = "exercise" if len(ids) == 1 else "exercises"
    return f"{passed} of {len(ids)} {noun} passed"


def progress_html(store: DraftStore) -> str:
    """The progress line and one ✓/○ item, with words, per exercise."""
    ids = exercise_ids()
    drafts = store.drafts()
    scenarios = data.scenarios()
    items = []
    for scenario_id in ids:
        done = draft_passed(drafts.get(scenario_id))
        mark = f"{marks.PASS} passed" if done else f"{marks.TODO} not passed yet"
        items.append(f"<li>{escape(scenarios[scenario_id].title)}: {mark}</li>")
    return (
        f"<b>Your progress: {escape(progress_text(store, ids))}</b>"
        f"<ul class='oc-progress-list'>{''.join(items)}</ul>"
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


def plain_reason(error: BaseException) -> str:
    """A plain-language sentence for the learner about what went wrong."""
    if isinstance(error, DataError):
        return f"The course data has a problem, so ask your instructor: {error}"
    if isinstance(error, PermissionError):
        return "The course could not write to your progress folder (permission denied)."
    if isinstance(error, OSError):
        return f"The course could not read or write a file ({error.strerror or error})."
    if isinstance(error, (ValueError, KeyError)):
        return str(error).strip("'\"")
    return "Something unexpected went wrong inside the course code."


def error_html(action: str, error: BaseException) -> str:
    """The visible error box: what failed, why in plain words, and details for an instructor."""
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return (
        "<div class='oc-alert' role='alert'>"
        f"<b>{marks.WARN} Sorry, something went wrong while {escape(action)}.</b>"
        f"<p>{escape(plain_reason(error))}</p>"
        "<p>Your text is still in the box. Try again; if it keeps happening, show this "
        "message to your instructor.</p>"
        f"<details><summary>Details for your instructor</summary><pre>{escape(details)}</pre>"
        "</details></div>"
    )


def _styled(widget: widgets.DOMWidget, *classes: str) -> Any:
    """Add stable CSS classes (browser tests rely on them) and return the widget."""
    for name in classes:
        widget.add_class(name)
    return widget


# --- the widget ------------------------------------------------------------------------------


class Workbench:
    """The rewrite workbench for one scenario: show it, type a rewrite, check it, get feedback."""

    def __init__(
        self,
        scenario_id: str,
        *,
        store: DraftStore | None = None,
        recipient: str | None = None,
        sender: str | None = None,
    ) -> None:
        self.store = store if store is not None else DraftStore()
        self.last_report: Report | None = None
        self.last_error: BaseException | None = None
        self.hints_shown = 0
        try:
            data.load_all()
            if scenario_id == CAPSTONE_ID:
                recipient, sender = self._capstone_choice(recipient, sender)
                self.task = capstone_task(recipient, sender)
            else:
                self.task = scenario_task(scenario_id)
            self._build()
        except (OSError, ValueError) as error:  # DataError is a ValueError
            # Nothing to show but the reason: the friendly box instead of a traceback.
            self.last_error = error
            self.error_box = _styled(widgets.HTML(""), "oc-error", "oc-error-box")
            self.error_box.value = error_html("opening the workbench", error)
            self.root = _styled(widgets.VBox([self.error_box]), "oc-workbench")
            return
        # A damaged save file or progress folder must not stop the learner from writing.
        self._guarded("restoring your last draft", self._restore_draft, reraise=False)
        self._guarded("showing your progress", self._refresh_progress, reraise=False)

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
                layout=widgets.Layout(width="100%", flex_flow="row wrap"),
            ),
            "oc-draft",
        )
        self.check_button = self._button("Check my rewrite", "check", "primary", "oc-check")
        self.hint_button = self._button("Show a hint", "question", "", "oc-hint-button")
        self.model_button = self._button("Show a model answer", "eye", "", "oc-model-button")
        self.reset_button = self._button("Start again", "undo", "", "oc-reset")
        self.error_box = _styled(widgets.HTML(""), "oc-error", "oc-error-box")
        self.hints_box = _styled(widgets.HTML(""), "oc-hints")
        self.model_answer_box = _styled(widgets.HTML(""), "oc-model-answer")
        self.recipient_select: widgets.Dropdown | None = None
        self.sender_select: widgets.Dropdown | None = None
        if task.is_capstone:
            # No model answer for the capstone: the message is the learner's own.
            self.model_button.layout.display = "none"

    def _make_feedback_area(self) -> None:
        self.status = _styled(widgets.HTML(""), "oc-status")
        self.store_note = _styled(widgets.HTML(""), "oc-store-note")
        self.category_widgets = {
            c: _styled(widgets.HTML(category_html(c, None)), f"oc-category-{c}", "oc-category")
            for c in CATEGORIES
        }
        self.highlight = _styled(widgets.HTML(""), "oc-highlight")
        self.feedback = _styled(
            widgets.VBox([*self.category_widgets.values(), self.highlight]), "oc-feedback"
        )
        self.progress = _styled(widgets.HTML(""), "oc-progress")

    def _make_export_area(self) -> None:
        self.learner_id = _styled(
            widgets.Text(
                value=self.store.learner_id or "",
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
        self.export_button.on_click(self._callback("exporting your answers", self._export))
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
            [self.check_button, self.hint_button, self.model_button, self.reset_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        export = widgets.HBox([self.learner_id, self.export_button])
        return [
            self.header,
            *chooser,
            self.context,
            self.saved_note,
            self.draft,
            buttons,
            self.error_box,
            self.hints_box,
            self.model_answer_box,
            self.status,
            self.store_note,
            self.feedback,
            self.progress,
            _styled(widgets.VBox([export, self.export_result]), "oc-export-area"),
        ]

    def _build_chooser(self) -> widgets.Widget:
        recipients = sorted(data.recipients().values(), key=lambda r: r.name)
        senders = sorted(data.senders().values(), key=lambda s: s.name)
        self.recipient_select = _styled(
            widgets.Dropdown(
                options=[(f"{r.name} ({r.headline})", r.id) for r in recipients],
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
        return _styled(
            widgets.VBox([self.recipient_select, self.sender_select]), "oc-capstone-chooser"
        )

    def _capstone_choice(self, recipient: str | None, sender: str | None) -> tuple[str, str]:
        """The people to start with: those given, else those of the last capstone draft."""
        last = self._last_capstone_draft()
        if sender is None:
            sender = last[1] if last and last[1] else next(iter(data.senders()))
        if recipient is None:
            recipient = last[0] if last else self._someone_else(sender)
        return recipient, sender

    @staticmethod
    def _someone_else(sender_id: str) -> str:
        """The first recipient who is not the sender (some people are in both tables)."""
        sender_name = data.senders()[sender_id].name
        return next(r.id for r in data.recipients().values() if r.name != sender_name)

    def _last_capstone_draft(self) -> tuple[str, str | None] | None:
        prefix = capstone_key("")
        recipients, senders = data.recipients(), data.senders()
        drafts = [
            d
            for key, d in self.store.drafts().items()
            if key.startswith(prefix) and key[len(prefix) :] in recipients
        ]
        if not drafts:
            return None
        latest = max(drafts, key=lambda d: d.saved_at)
        # The saved report names the sender; map it back to an id to restore the dropdown.
        sender_name = (latest.report or {}).get("sender", "")
        sender_id = next((s.id for s in senders.values() if s.name == sender_name), None)
        return latest.scenario_id[len(prefix) :], sender_id

    # --- displaying --------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Show the workbench when `wb` is the last line of a cell."""
        return self.root._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        task = getattr(self, "task", None)
        return f"Workbench({task.scenario_id!r})" if task else "Workbench(<failed to open>)"

    # --- error handling ----------------------------------------------------------------------

    def _guarded(self, action: str, work: Callable[[], T], *, reraise: bool) -> T | None:
        """Run `work`; on an exception show it in the error box and keep it on last_error."""
        self.error_box.value = ""
        try:
            return work()
        except Exception as error:
            self.last_error = error
            self.error_box.value = error_html(action, error)
            if reraise:  # the programmatic path (submit, export) also raises, as code expects
                raise
            return None

    def _callback(self, action: str, work: Callable[[], Any]) -> Callable[..., None]:
        """A widget callback (button click or value change) that never loses an error."""

        def callback(*_: Any) -> None:
            self._guarded(action, work, reraise=False)

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

        return self._guarded("checking your rewrite", work, reraise=True)

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

    def export(self, learner_id: str | None = None) -> Path:
        """Write the exported-answers file, as the "Export my answers" button does."""
        if learner_id is not None:
            self.learner_id.value = learner_id
        return self._guarded("exporting your answers", self._export, reraise=True)

    def _check(self) -> Report:
        text = self.draft.value
        report = grade(text, recipient=self.task.recipient, sender=self.task.sender)
        self.last_report = report
        # Feedback first, so the learner sees it even if saving then fails.
        self._show_report(report)
        self.status.value = verdict_html(report)
        result = self.store.save(self.task.draft_key, text, report)
        saved = (
            f"{marks.PASS} draft saved"
            if result.saved
            else f"{marks.WARN} draft NOT saved (see the note below)"
        )
        self.status.value = f"{verdict_html(report)} &middot; {saved}"
        self.store_note.value = f"{marks.INFO} {escape(result.note)}" if result.note else ""
        self._refresh_progress()
        return report

    def _show_report(self, report: Report) -> None:
        for category, widget in self.category_widgets.items():
            widget.value = category_html(category, report.categories[category], report.text)
        self.highlight.value = "<b>Your text, with the flagged parts marked</b>" + highlight_html(
            report.text, report.findings
        )

    def _clear_report(self) -> None:
        self.last_report = None
        self.status.value = ""
        self.highlight.value = ""
        for category, widget in self.category_widgets.items():
            widget.value = category_html(category, None)

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
            shown = f"{self.hints_shown} of {total} shown"
            self.hint_button.description = f"Show another hint ({shown})"

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
        if draft is None:
            self.saved_note.value = ""
            return
        self.draft.value = draft.text
        self.saved_note.value = restored_note_html(draft, self.task.is_capstone)

    def _refresh_progress(self) -> None:
        self.progress.value = progress_html(self.store)

    def _on_choice(self) -> None:
        """A capstone dropdown changed: show the new people and their saved draft, if any."""
        assert self.recipient_select is not None and self.sender_select is not None
        self.task = capstone_task(self.recipient_select.value, self.sender_select.value)
        self.header.value = header_html(self.task)
        self.context.value = context_html(self.task)
        self._clear_report()
        draft = self.store.load(self.task.draft_key)
        if draft is not None:
            self.draft.value = draft.text
            self.saved_note.value = restored_note_html(draft, self.task.is_capstone)
        elif self.draft.value.strip():
            # Keep what the learner typed rather than throw it away; tell them to adapt it.
            self.saved_note.value = (
                f"No saved draft for {escape(self.task.recipient.name)} yet: your text is kept, "
                "so check that the greeting and details fit this person."
            )
        else:
            self.saved_note.value = ""
        if self.task.recipient.name == self.task.sender.name:
            self.saved_note.value += (
                f" {marks.WARN} You picked the same person to write to and to write as: "
                "choose someone else in “Write to”."
            )

    def _export(self) -> Path:
        learner = self.learner_id.value.strip()
        if not learner:
            raise ValueError(
                "Type your id (for example ana-k) in the “Your id” box first, "
                "so your instructor knows whose answers these are."
            )
        self.store.set_learner_id(learner)
        path = Path(self.store.export(learner))
        self.export_result.value = (
            f"{marks.PASS} Your answers were saved to <code>{escape(str(path))}</code>. "
            "Send this file to your instructor."
        )
        return path
