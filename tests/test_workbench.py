"""The rewrite workbench, driven without a browser: set widget values, click buttons, read HTML."""

from __future__ import annotations

import time
from html import escape

import ipywidgets as widgets
import pytest

from outreach_coach import data, grade, workbench
from outreach_coach.export import read_answers
from outreach_coach.report import CATEGORIES
from outreach_coach.storage import DraftStore
from outreach_coach.workbench import Workbench, exercise_ids

CONTRACT_CLASSES = {
    "oc-workbench",
    "oc-draft",
    "oc-check",
    "oc-feedback",
    *(f"oc-category-{c}" for c in CATEGORIES),
    "oc-hint-button",
    "oc-hints",
    "oc-model-button",
    "oc-model-answer",
    "oc-progress",
    "oc-saved-note",
    "oc-error",
}
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def store(tmp_path) -> DraftStore:
    return DraftStore(root=tmp_path)


@pytest.fixture(params=list(data.scenarios()))
def scenario(request):
    """Every scenario's workbench, the lessons' short rewrites as well as the exercises."""
    return data.scenarios()[request.param]


@pytest.fixture
def wb(store, scenario) -> Workbench:
    return Workbench(scenario.id, store=store)


def people(scenario):
    return data.recipients()[scenario.recipient], data.senders()[scenario.sender]


def type_and_check(wb: Workbench, text: str) -> None:
    """What a learner does: type into the box, click the button."""
    wb.draft.value = text
    wb.check_button.click()


def classes_in(widget: widgets.Widget) -> set[str]:
    """Every CSS class in a widget tree."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= classes_in(child)
    return found


def test_every_contract_class_is_in_the_widget_tree(wb):
    assert classes_in(wb.root) >= CONTRACT_CLASSES
    assert "oc-workbench" in wb.root._dom_classes


def test_shows_sender_profile_and_original(wb, scenario):
    recipient, sender = people(scenario)
    context = wb.context.value
    for value in (sender.name, recipient.name, recipient.company, recipient.industry):
        assert escape(value) in context
    assert escape(recipient.recent_activity) in context
    assert escape(scenario.original.strip()) in context


def test_draft_starts_as_the_original_with_no_saved_note(wb, scenario):
    assert wb.draft.value == scenario.original
    assert wb.saved_note.value == ""


def test_categories_say_not_checked_before_any_check(wb):
    for category, widget in wb.category_widgets.items():
        assert f"{category.title()}: not checked yet" in widget.value
        assert "✓" not in widget.value and "✗" not in widget.value


def test_check_shows_each_category_in_icon_and_words(wb, scenario):
    recipient, sender = people(scenario)
    expected = grade(scenario.original, recipient=recipient, sender=sender)
    type_and_check(wb, scenario.original)
    assert wb.last_error is None
    assert not expected.passed, "the original message of an exercise should fail"
    for category, widget in wb.category_widgets.items():
        result = expected.categories[category]
        verdict = "✓ Passed" if result.passed else "✗ Needs work"
        assert f"{category.title()}: {verdict}" in widget.value
        for finding in result.findings:
            assert escape(finding.message) in widget.value
            if finding.severity != "info":
                assert escape(finding.hint) in widget.value
    assert "✗ Not ready to send yet" in wb.status.value


def test_model_answer_passes_every_category(wb, scenario):
    type_and_check(wb, scenario.model_answer)
    assert wb.last_report is not None and wb.last_report.passed
    for category, widget in wb.category_widgets.items():
        assert f"{category.title()}: ✓ Passed" in widget.value


def test_submit_runs_the_button_path_and_returns_the_report(wb, store, scenario):
    recipient, sender = people(scenario)
    report = wb.submit(scenario.model_answer)
    assert report.to_dict() == grade(scenario.model_answer, recipient, sender).to_dict()
    assert wb.draft.value == scenario.model_answer
    assert store.load(scenario.id).text == scenario.model_answer


def test_learner_markup_is_escaped_everywhere(wb):
    type_and_check(wb, f"hey {XSS} buy now!!")
    assert wb.last_error is None
    shown = [wb.highlight.value, *(w.value for w in wb.category_widgets.values())]
    assert all("<img" not in html for html in shown)
    assert escape(XSS) in wb.highlight.value
    assert "<mark" in wb.highlight.value  # the flagged spans are marked


def test_check_saves_draft_and_report(wb, store, scenario):
    text = scenario.original + "\nThanks."
    type_and_check(wb, text)
    draft = store.load(scenario.id)
    assert draft is not None
    assert draft.text == text
    assert draft.checks == 1
    assert draft.report["passed"] is False
    assert (store.root / f"{scenario.id}.json").exists()
    assert "✓ draft saved" in wb.status.value


def test_reopening_restores_the_draft(store, scenario):
    first = Workbench(scenario.id, store=store)
    type_and_check(first, "Hi there, my own words")
    again = Workbench(scenario.id, store=store)
    assert again.draft.value == "Hi there, my own words"
    assert "saved on" in again.saved_note.value
    assert "checked 1 time" in again.saved_note.value


def test_start_again_brings_back_the_original(store, scenario):
    type_and_check(Workbench(scenario.id, store=store), "Hi there, my own words")
    again = Workbench(scenario.id, store=store)
    again.reset_button.click()
    assert again.draft.value == scenario.original
    assert again.saved_note.value == ""


def test_default_store_follows_the_environment(tmp_path, monkeypatch, scenario):
    monkeypatch.setenv("OUTREACH_COACH_PROGRESS", str(tmp_path))
    Workbench(scenario.id).submit("Hi, a draft")
    assert (tmp_path / f"{scenario.id}.json").exists()


def test_hints_are_revealed_one_at_a_time(wb, scenario):
    hints = scenario.hints
    assert wb.hints_box.value == ""
    for shown in range(1, len(hints) + 1):
        wb.hint_button.click()
        for number, hint in enumerate(hints):
            assert (escape(hint) in wb.hints_box.value) == (number < shown)
    assert wb.hint_button.disabled
    wb.hint_button.click()  # a stray click after the last hint changes nothing
    assert wb.last_error is None


def test_model_answer_button_shows_the_model_answer(wb, scenario):
    assert wb.model_answer_box.value == ""
    wb.model_button.click()
    assert escape(scenario.model_answer) in wb.model_answer_box.value


def test_progress_counts_passed_exercises(store):
    ids = exercise_ids()
    total = len(ids)
    first = Workbench(ids[0], store=store)
    assert f"0 of {total} exercises passed" in first.progress.value
    first.submit(first.model_answer)
    assert f"1 of {total} exercises passed" in first.progress.value
    second = Workbench(ids[1], store=store)
    second.submit(data.scenarios()[ids[1]].original)  # checked but failing: not counted
    assert f"1 of {total} exercises passed" in second.progress.value
    second.submit(second.model_answer)
    assert f"2 of {total} exercises passed" in second.progress.value


def test_an_error_in_a_callback_is_shown_and_kept(wb, monkeypatch):
    def broken_grade(*args, **kwargs):
        raise RuntimeError("grader exploded")

    monkeypatch.setattr(workbench, "grade", broken_grade)
    type_and_check(wb, "Hi, a draft")  # the click itself must not raise
    assert isinstance(wb.last_error, RuntimeError)
    assert "oc-error" in wb.error_box._dom_classes
    assert "went wrong while checking your rewrite" in wb.error_box.value
    assert "grader exploded" in wb.error_box.value
    assert "role='alert'" in wb.error_box.value
    with pytest.raises(RuntimeError, match="grader exploded"):
        wb.submit("Hi, a draft")  # the programmatic path raises as well as showing it
    monkeypatch.undo()
    type_and_check(wb, "Hi, a draft")
    assert wb.error_box.value == ""  # a later success clears the box


def test_a_damaged_save_file_is_reported_not_fatal(store, scenario):
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / f"{scenario.id}.json").write_text("{not json", encoding="utf-8")
    wb = Workbench(scenario.id, store=store)
    assert wb.draft.value == scenario.original
    assert "damaged" in wb.store_note.value
    type_and_check(wb, "Hi, a fresh draft")
    assert wb.last_error is None
    assert "damaged" in wb.store_note.value  # SaveResult.note shown after the save
    assert store.load(scenario.id).text == "Hi, a fresh draft"


@pytest.mark.parametrize(
    ("saved_at", "zone"),
    [
        ("0001-01-01T00:00:00+00:00", "America/New_York"),
        ("9999-12-31T23:59:59+00:00", "Asia/Tokyo"),
    ],
)
def test_a_save_time_at_the_edge_of_the_calendar_still_opens(store, monkeypatch, saved_at, zone):
    # In a zone behind (or ahead of) UTC, these times have no local date: OverflowError.
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    scenario_id = exercise_ids()[0]
    store.save(scenario_id, "Hi, my draft")
    path = store.path_for(scenario_id)
    path.write_text(
        path.read_text(encoding="utf-8").replace(store.load(scenario_id).saved_at, saved_at),
        encoding="utf-8",
    )
    try:
        wb = Workbench(scenario_id, store=store)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert wb.last_error is None and wb.draft.value == "Hi, my draft"
    assert saved_at[:10] in wb.saved_note.value


def test_another_scenarios_hostile_file_does_not_stop_the_workbench(store):
    first, second = exercise_ids()[:2]
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / f"{second}.json").write_bytes(b"[" * 1000 + b"]" * 1000)
    (store.root / "package.json").write_text('{"name": "my-app"}', encoding="utf-8")
    wb = Workbench(first, store=store)
    assert wb.last_error is None
    type_and_check(wb, "Hi, a draft")
    assert wb.last_error is None
    assert (store.root / "package.json").read_text(encoding="utf-8") == '{"name": "my-app"}'


def test_broken_course_data_at_open_shows_the_error_box_not_a_traceback(store, monkeypatch):
    def broken():
        raise data.DataError("data/scenarios.toml", 3, "title", "expected non-empty text")

    monkeypatch.setattr(data, "scenarios", broken)
    wb = Workbench("s01-mass-note", store=store)
    assert isinstance(wb.last_error, data.DataError)
    assert "went wrong while opening the workbench" in wb.error_box.value
    assert "ask your instructor" in wb.error_box.value and "scenarios.toml" in wb.error_box.value
    assert "oc-error-box" in classes_in(wb.root)


def test_a_damaged_progress_listing_is_shown_in_the_box(store, monkeypatch):
    def broken_drafts():
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store, "drafts", broken_drafts)
    wb = Workbench(exercise_ids()[0], store=store)
    assert isinstance(wb.last_error, OSError)
    assert "showing your progress" in wb.error_box.value


def test_export_writes_a_readable_file(wb, store, scenario):
    wb.submit(scenario.model_answer)
    wb.learner_id.value = "ana-k"
    wb.export_button.click()
    assert wb.last_error is None
    path = store.root / "answers-ana-k.json"
    answers = read_answers(path)
    assert answers["learner_id"] == "ana-k"
    assert [a["scenario_id"] for a in answers["answers"]] == [scenario.id]
    assert escape(str(path)) in wb.export_result.value
    assert store.learner_id == "ana-k"
    assert Workbench(scenario.id, store=store).learner_id.value == "ana-k"


def test_export_without_an_id_asks_for_one(wb):
    wb.learner_id.value = "  "
    wb.export_button.click()
    assert isinstance(wb.last_error, ValueError)
    assert "Type your id" in wb.error_box.value


def test_unknown_scenario_names_the_known_ones(store):
    with pytest.raises(KeyError, match="known ids"):
        Workbench("no-such-scenario", store=store)


def test_displays_as_its_root_widget(wb):
    bundle = wb._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == wb.root.model_id


# --- the capstone ------------------------------------------------------------------------------


@pytest.fixture
def capstone(store) -> Workbench:
    return Workbench.capstone(recipient="grace-liu", sender="sophie-laurent", store=store)


def test_capstone_lets_the_learner_pick_people(capstone):
    assert capstone.recipient_select.value == "grace-liu"
    assert capstone.sender_select.value == "sophie-laurent"
    assert "Grace Liu" in capstone.context.value
    assert capstone.draft.value == ""
    assert capstone.model_button.layout.display == "none"
    assert capstone.task.model_answer is None


def test_capstone_saves_per_recipient_and_restores_on_switch(capstone, store):
    type_and_check(capstone, "Hi Grace, a note for you.")
    assert store.load("capstone-grace-liu").text == "Hi Grace, a note for you."
    capstone.recipient_select.value = "omar-haddad"
    assert capstone.last_error is None
    assert "Omar Haddad" in capstone.context.value
    assert capstone.task.draft_key == "capstone-omar-haddad"
    assert "your text is kept" in capstone.saved_note.value
    assert "not checked yet" in capstone.category_widgets["personalization"].value
    capstone.recipient_select.value = "grace-liu"
    assert capstone.draft.value == "Hi Grace, a note for you."


def test_capstone_grades_against_the_chosen_people(capstone):
    report = capstone.submit("Hi Grace,\n\nA note.\n\nBest,\nSophie")
    assert report.recipient_name == "Grace Liu"
    assert report.sender_name == "Sophie Laurent"


def test_capstone_reopens_on_the_last_person_written_to(capstone, store):
    capstone.choose(recipient="omar-haddad", sender="kwame-asante")
    capstone.submit("Hi Omar, a note.")
    again = Workbench.capstone(store=store)
    assert again.recipient_select.value == "omar-haddad"
    assert again.sender_select.value == "kwame-asante"
    assert again.draft.value == "Hi Omar, a note."


def test_capstone_hints_are_general(capstone):
    capstone.hint_button.click()
    assert escape(workbench.CAPSTONE_HINTS[0]) in capstone.hints_box.value


def test_choose_is_only_for_the_capstone(wb):
    with pytest.raises(ValueError, match="capstone"):
        wb.choose(recipient="grace-liu")


def test_capstone_never_starts_with_someone_writing_to_themselves(store):
    capstone = Workbench.capstone(store=store)
    assert capstone.task.recipient.name != capstone.task.sender.name


def test_capstone_warns_when_writing_to_oneself(capstone):
    capstone.choose(recipient="dana-whitfield", sender="dana-whitfield")
    assert "same person" in capstone.saved_note.value


def test_export_with_a_bad_id_says_what_to_fix(wb):
    wb.learner_id.value = "Ana K"
    wb.export_button.click()
    assert isinstance(wb.last_error, ValueError)
    assert "a space" in wb.error_box.value
