"""The rewrite workbench, driven without a browser: set widget values, click buttons, read HTML."""

from __future__ import annotations

import re
import time
from html import escape

import ipywidgets as widgets
import pytest

from outreach_coach import data, grade, workbench
from outreach_coach.grader.report import CATEGORIES, CATEGORY_TITLES, group_findings
from outreach_coach.storage import DraftStore, read_answers, suggested_learner_id
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


def graded(scenario, text):
    """The report the workbench should show: a reply is graded as a reply."""
    recipient, sender = people(scenario)
    report = grade(text, recipient=recipient, sender=sender)
    return report.as_reply() if scenario.is_reply else report


def test_categories_say_not_checked_before_any_check(wb, scenario):
    for category, widget in wb.category_widgets.items():
        said = (
            "not graded for a reply"
            if scenario.is_reply
            and category
            in (
                "personalization",
                "relevance",
            )
            else "not checked yet"
        )
        assert f"{CATEGORY_TITLES[category]}: {said}" in widget.value
        assert "✓" not in widget.value and "✗" not in widget.value


def test_check_shows_each_category_in_icon_and_words(wb, scenario):
    expected = graded(scenario, scenario.original)
    type_and_check(wb, scenario.original)
    assert wb.last_error is None
    assert not expected.passed, "the original message of an exercise should fail"
    for category in expected.graded:
        widget = wb.category_widgets[category]
        result = expected.categories[category]
        verdict = "✓ Passed" if result.passed else "✗ Needs work"
        assert f"{CATEGORY_TITLES[category]}: {verdict}" in widget.value
        for group in group_findings(result.findings):
            if group.severity != "info":
                assert escape(group.first.hint) in widget.value
        for finding in result.findings:  # every one, with its code, behind "details"
            assert escape(finding.message) in wb.details.value
            assert finding.code in wb.details.value
    assert "✗ Not ready to send yet" in wb.status.value


def test_model_answer_passes_every_category(wb, scenario):
    type_and_check(wb, scenario.model_answer)
    assert wb.last_report is not None and wb.last_report.passed
    for category in wb.last_report.graded:
        widget = wb.category_widgets[category]
        assert f"{CATEGORY_TITLES[category]}: ✓ Passed" in widget.value


def test_submit_runs_the_button_path_and_returns_the_report(wb, store, scenario):
    report = wb.submit(scenario.model_answer)
    assert report.to_dict() == graded(scenario, scenario.model_answer).to_dict()
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


def test_export_without_an_id_asks_for_one_beside_the_button(wb):
    wb.learner_id.value = "  "
    wb.export_button.click()
    assert isinstance(wb.last_error, ValueError)
    assert "Type your id" in wb.export_result.value
    assert "role='alert'" in wb.export_result.value
    # Plain words only: no traceback, no "something went wrong" box above the workbench.
    assert "Traceback" not in wb.export_result.value and "Details" not in wb.export_result.value
    assert wb.error_box.value == ""


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
    # Grace's note does not follow the learner to Omar: the box starts empty for him.
    assert capstone.draft.value == ""
    assert "No draft for Omar Haddad yet" in capstone.saved_note.value
    assert "not checked yet" in capstone.category_widgets["personalization"].value
    capstone.recipient_select.value = "grace-liu"
    assert capstone.draft.value == "Hi Grace, a note for you."


def test_capstone_switch_saves_unchecked_text_for_the_person_it_was_for(capstone, store):
    capstone.draft.value = "Hi Grace, not checked yet."
    capstone.recipient_select.value = "omar-haddad"
    assert capstone.draft.value == ""
    assert "Your text for Grace Liu was saved" in capstone.saved_note.value
    assert store.load("capstone-grace-liu").text == "Hi Grace, not checked yet."
    capstone.recipient_select.value = "grace-liu"
    assert capstone.draft.value == "Hi Grace, not checked yet."


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
    assert escape(data.lesson_texts().capstone_hints[0]) in capstone.hints_box.value


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
    assert "a space" in wb.export_result.value
    assert "Traceback" not in wb.export_result.value and wb.error_box.value == ""


def test_capstone_refuses_to_check_a_message_to_oneself(capstone, store):
    capstone.choose(recipient="dana-whitfield", sender="dana-whitfield")
    type_and_check(capstone, "Hi Dana,\n\nA note to myself.\n\nBest,\nDana")
    assert isinstance(capstone.last_error, workbench.LearnerError)
    assert "nobody writes to themselves" in capstone.error_box.value
    assert "Details for your instructor" not in capstone.error_box.value
    assert capstone.last_report is None
    assert store.load("capstone-dana-whitfield") is None


# --- progress keeps a pass; saved versions can be restored ---------------------------------------


def test_a_pass_is_kept_when_worse_drafts_are_checked_later(store):
    scenario_id = exercise_ids()[0]
    scenario = data.scenarios()[scenario_id]
    total = len(exercise_ids())
    wb = Workbench(scenario_id, store=store)
    wb.submit(scenario.model_answer)
    for number in range(25):  # more worse checks than the 20 versions the store keeps
        wb.submit(f"{scenario.original}\nworse draft {number}")
    assert f"1 of {total} exercises passed" in wb.progress.value
    assert "passed on" in wb.progress.value
    again = Workbench(scenario_id, store=store)
    assert f"1 of {total} exercises passed" in again.progress.value
    assert "Your best draft: passed on" in again.best_draft.value
    assert escape(scenario.model_answer) in again.best_draft.value
    # The best version is offered first, then every saved one, newest first.
    labels = [label for label, _ in again.version_select.options]
    assert labels[0].startswith("Best: ") and "passed" in labels[0]
    assert len(labels) == 1 + 20
    again.version_select.value = 0
    again.restore_button.click()
    assert again.last_error is None
    assert again.draft.value == scenario.model_answer
    assert "Restored your version saved on" in again.saved_note.value


def test_any_earlier_draft_can_be_restored(store):
    scenario_id = exercise_ids()[1]
    wb = Workbench(scenario_id, store=store)
    for text in ("Hi, draft one", "Hi, draft two", "Hi, draft three"):
        wb.submit(text)
    labels = [label for label, _ in wb.version_select.options]
    assert len(labels) == 1 + 3  # best (one of the three) and the three, newest first
    wb.version_select.value = 3  # the oldest
    wb.restore_button.click()
    assert wb.draft.value == "Hi, draft one"
    assert "not checked yet" in wb.category_widgets["mechanics"].value


def test_restore_with_nothing_saved_says_so(store):
    wb = Workbench(exercise_ids()[0], store=store)
    assert wb.restore_button.disabled
    wb.restore_button.click()  # a disabled button can still be clicked from code
    assert "no saved version" in wb.error_box.value


def test_progress_counts_lessons_quizzes_and_the_capstone(store):
    from outreach_coach.quiz import COURSE_QUIZZES, Quiz

    wb = Workbench("l03-personalization", store=store)
    assert "0 of 5 quizzes answered right" in wb.progress.value
    assert "capstone not passed yet" in wb.progress.value
    lessons = len(workbench.lesson_ids())
    wb.submit(wb.model_answer)
    assert f"1 of {lessons} lesson rewrites passed" in wb.progress.value
    quiz = Quiz("recovery-reply", store=store)
    quiz.choose(*quiz.question.answer)
    quiz.check()
    wrong = Quiz("recovery-report", store=store)
    wrong.choose(next(i for i, o in enumerate(wrong.question.options) if not o.correct))
    wrong.check()
    assert set(store.quiz_results()) == {"recovery-reply", "recovery-report"}
    example = data.scenarios()[exercise_ids()[0]]  # a passing message between two people
    capstone = Workbench.capstone(recipient=example.recipient, sender=example.sender, store=store)
    capstone.submit(example.model_answer)
    items = workbench.progress_items(store.drafts(), store.quiz_results())
    assert {i.kind for i in items} == {"lesson", "quiz", "exercise", "capstone"}
    assert len([i for i in items if i.kind == "quiz"]) == len(COURSE_QUIZZES)
    text = capstone.progress.value
    assert "1 of 5 quizzes answered right" in text
    assert capstone.last_report.passed
    assert "capstone passed" in text


def test_a_right_quiz_answer_is_kept_after_a_wrong_one(store):
    store.record_quiz("storm-opt-out", True)
    store.record_quiz("storm-opt-out", False)
    record = store.quiz_results()["storm-opt-out"]
    assert record.correct and record.tries == 2 and record.correct_at


# --- export --------------------------------------------------------------------------------------


def test_download_link_carries_the_file_as_a_data_url():
    import base64

    html = workbench.download_link_html("answers-ana-k.json", b'{"a": "\xc3\xa9"}')
    assert "download='answers-ana-k.json'" in html
    encoded = re.search(r"href='data:application/json;base64,([^']+)'", html).group(1)
    assert base64.b64decode(encoded) == b'{"a": "\xc3\xa9"}'
    assert "<" not in workbench.download_link_html("<x>.json", b"")[60:].split(">", 1)[0]


def test_export_offers_a_download_of_the_exported_file(store):
    import base64

    scenario = data.scenarios()[exercise_ids()[0]]
    wb = Workbench(scenario.id, store=store)
    wb.submit(scenario.model_answer)
    path = wb.export("ana-k")
    encoded = re.search(r"base64,([^']+)'", wb.export_result.value).group(1)
    assert base64.b64decode(encoded) == path.read_bytes()
    assert "download='answers-ana-k.json'" in wb.export_result.value


def test_the_id_box_is_filled_from_jupyterhub(store, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert Workbench(exercise_ids()[0], store=store).learner_id.value == "hub-user"
    store.set_learner_id("ana-k")  # an id the learner saved wins
    assert Workbench(exercise_ids()[0], store=store).learner_id.value == "ana-k"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert suggested_learner_id(None, {}) == ""


# --- the capstone's own prospect -----------------------------------------------------------------

PROSPECT = {
    "name": "Ines Carvalho",
    "headline": "Head of Visitor Services at Porto Maritime Museum",
    "company": "Porto Maritime Museum",
    "interests": "accessible exhibitions\nschool visits; volunteer training",
    "recent_activity": "Posted that the museum's new tactile gallery opens in May.",
    "about": "",
}
PROSPECT_NOTE = (
    "Hi Ines,\n\nCongratulations on the tactile gallery opening in May. Northwind Logistics "
    "Software plans deliveries and routes, so your school visits could arrive on time. "
    "Would a short call be useful?\n\nBest,\nNadia"
)


def test_capstone_writes_to_a_prospect_the_learner_types_in(store):
    capstone = Workbench.capstone(recipient="grace-liu", sender="nadia-sorensen", store=store)
    recipient = capstone.use_prospect(**PROSPECT)
    assert recipient.interests == ("accessible exhibitions", "school visits", "volunteer training")
    assert capstone.recipient_select.value == "custom"
    assert capstone.custom_form.layout.display is None
    assert "Ines Carvalho" in capstone.context.value
    report = capstone.submit(PROSPECT_NOTE)
    assert report.recipient_name == "Ines Carvalho"
    expected = grade(PROSPECT_NOTE, recipient=recipient, sender=data.senders()["nadia-sorensen"])
    assert report.to_dict() == expected.to_dict()
    saved = store.load(capstone.task.draft_key)
    assert capstone.task.draft_key == "capstone-custom-ines-carvalho"
    assert saved.profile["company"] == "Porto Maritime Museum"
    again = Workbench.capstone(store=store)  # comes back to the typed-in prospect
    assert again.recipient_select.value == "custom"
    assert again.task.recipient.name == "Ines Carvalho"
    assert again.custom_inputs["headline"].value == PROSPECT["headline"]
    assert again.draft.value == PROSPECT_NOTE


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"name": ""}, "Type your prospect's full name"),
        ({"name": "Ines Carvalho"}, "at least one thing about them"),
        ({"name": "Nadia Sorensen", "company": "X"}, "cannot write to yourself"),
        ({"name": "Ines", "headline": "h" * 301}, "“Headline” has 301 characters"),
        ({"name": "Ines", "about": "a" * 5001}, "at most 5,000"),
        ({"name": "Ines", "interests": "\n".join(f"i{n}" for n in range(51))}, "at most 50"),
    ],
)
def test_the_prospect_form_says_what_to_fix(store, fields, said):
    capstone = Workbench.capstone(recipient="grace-liu", sender="nadia-sorensen", store=store)
    with pytest.raises(ValueError, match=said.replace("(", r"\(")):
        capstone.use_prospect(**fields)
    assert escape(said) in capstone.custom_message.value
    assert "Details for your instructor" not in capstone.error_box.value
    assert capstone.task.recipient.id == "custom"
    assert capstone.task.recipient.name == ""  # nothing to grade against yet


def test_a_blank_prospect_cannot_be_checked(store):
    capstone = Workbench.capstone(recipient="grace-liu", sender="nadia-sorensen", store=store)
    capstone.recipient_select.value = "custom"
    assert capstone.draft.value == ""
    type_and_check(capstone, "Hi, a note")
    assert "Fill in the form" in capstone.error_box.value
    assert capstone.last_report is None


# --- findings a learner can act on ---------------------------------------------------------------

LOWERCASE = "hi Grace,\n\nwe move boxes. we plan routes. we cut costs. want a call?\n\nbest,\nnadia"


def test_repeated_findings_are_one_line_with_every_place_marked(store):
    capstone = Workbench.capstone(recipient="grace-liu", sender="nadia-sorensen", store=store)
    report = capstone.submit(LOWERCASE)
    lowercase = [f for f in report.findings if f.code == "MECH001"]
    assert len(lowercase) >= 4
    mechanics = capstone.category_widgets["mechanics"].value
    assert mechanics.count("This sentence starts in lowercase") == 1
    assert f"({len(lowercase)} places" in mechanics
    assert capstone.highlight.value.count("<mark") >= len(lowercase)
    # No rule codes or 0-1 scores in the learner's view: they are behind "details".
    visible = capstone.top_fixes.value + "".join(
        w.value for w in capstone.category_widgets.values()
    )
    assert "MECH001" not in visible and "score 0." not in visible
    assert "<details class='oc-details'>" in capstone.details.value
    assert "MECH001" in capstone.details.value and "score" in capstone.details.value


def test_the_top_three_fixes_come_errors_first_in_category_order(store):
    from outreach_coach.grader.report import top_fixes

    capstone = Workbench.capstone(recipient="grace-liu", sender="nadia-sorensen", store=store)
    report = capstone.submit(LOWERCASE)
    top = top_fixes(report.findings)
    assert len(top) == 3
    severities = [g.severity for g in top]
    assert severities == sorted(severities, key=["error", "warning"].index)
    errors = [g for g in top if g.severity == "error"]
    order = [CATEGORIES.index(g.first.category) for g in errors]
    assert order == sorted(order)
    assert capstone.top_fixes.value.count("<li") == 3
    assert "Fix these first" in capstone.top_fixes.value


# --- checking as you type ------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_check_as_you_type_updates_the_preview(store):
    clock = FakeClock()
    wb = Workbench(exercise_ids()[0], store=store, clock=clock)
    wb.draft.value = "hi there"
    assert wb.live_preview.value == ""  # off by default
    wb.live.value = True
    assert "As you type" in wb.live_preview.value
    clock.now += 1
    wb.draft.value = "hey, i typed this !!"
    assert escape("hey, i typed this") in wb.live_preview.value
    assert "<mark" in wb.live_preview.value
    # A change 0.1 s later is graded when typing pauses, not at once.
    clock.now += 0.1
    wb.draft.value = "Hello, a calmer draft."
    assert escape("Hello, a calmer draft.") not in wb.live_preview.value
    deadline = time.monotonic() + 5
    while escape("Hello, a calmer draft.") not in wb.live_preview.value:
        assert time.monotonic() < deadline, "the trailing grade never came"
        time.sleep(0.05)
    assert store.load(exercise_ids()[0]) is None  # typing is not saving
    wb.live.value = False
    assert wb.live_preview.value == ""
    assert wb.last_error is None


def test_check_as_you_type_box_is_labelled(wb):
    assert wb.live.description == "Check as I type"
    assert wb.draft.continuous_update


# --- replies -------------------------------------------------------------------------------------


def test_a_reply_is_graded_on_mechanics_and_etiquette_only(store):
    scenario = data.scenarios()["l06-reply"]
    wb = Workbench(scenario.id, store=store)
    assert "graded on mechanics and etiquette only" in wb.mode_note.value
    report = wb.submit(scenario.model_answer)
    assert report.passed and report.graded == ("mechanics", "etiquette")
    assert "graded as a reply" in wb.status.value
    for category in ("personalization", "relevance"):
        assert "not graded for a reply" in wb.category_widgets[category].value
    shown = wb.top_fixes.value + wb.highlight.value + wb.details.value
    assert "PERS" not in shown and "REL0" not in shown
    short = wb.submit("Hi Hannah,\n\nSorry, you're off my list.\n\nGary")
    assert "MECH009" not in {f.code for f in short.graded_findings}  # short is right here
    assert store.load(scenario.id).report["graded"] == ["mechanics", "etiquette"]


# --- disputes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario_id", ["s02-wrong-offer", "l06-reply"])
def test_the_verdict_looks_wrong_button_saves_draft_report_and_comment(store, scenario_id):
    import json

    scenario = data.scenarios()[scenario_id]
    wb = Workbench(scenario_id, store=store)
    wb.draft.value = scenario.model_answer
    wb.dispute_comment.value = "The offer fits their post, I think."
    wb.dispute_button.click()
    assert wb.last_error is None
    files = list((store.root / "disputes").glob("*.json"))
    assert files == [wb.last_dispute]
    assert files[0].name.startswith(f"{scenario.id}-")
    record = json.loads(files[0].read_text("utf-8"))
    assert record["format"] == "outreach-coach/dispute"
    assert record["draft"] == scenario.model_answer
    assert record["comment"] == "The offer fits their post, I think."
    assert record["report"] == wb.last_report.to_dict()
    assert record["recipient"]["name"] == data.recipients()[scenario.recipient].name
    assert store.load(scenario.id).text == scenario.model_answer  # the draft is saved too
    assert wb.dispute_comment.value == ""
    assert files[0].name in wb.dispute_result.value
    wb.dispute()  # a second dispute never overwrites the first
    assert len(list((store.root / "disputes").glob("*.json"))) == 2


def test_disputes_are_left_out_of_the_class_report(store):
    from outreach_coach.classreport.loading import candidate_files

    wb = Workbench(exercise_ids()[0], store=store)
    wb.submit("Hi, my draft")
    wb.dispute("looks wrong")
    store.record_quiz("storm-opt-out", True)
    names = {p.name for p in candidate_files(store.root)}
    assert names == {f"{exercise_ids()[0]}.json"}


# --- wording -------------------------------------------------------------------------------------


def buttons_in(widget: widgets.Widget) -> list[widgets.Button]:
    found = [widget] if isinstance(widget, widgets.Button) else []
    for child in getattr(widget, "children", ()):
        found += buttons_in(child)
    return found


def test_no_button_label_is_cut_short(store):
    from outreach_coach.lesson_views import OfferMatcher

    matcher = OfferMatcher("nadia-sorensen", ["grace-liu"])
    capstone = Workbench.capstone(store=store)
    for button in buttons_in(capstone.root) + buttons_in(matcher):
        # The default width (148 px) holds about ten characters beside an icon.
        assert button.layout.width == "auto" or len(button.description) <= 10, button.description


US_SPELLINGS = re.compile(
    r"\b\w*(?:iz(?:e|es|ed|ing|ation|ations)|yz(?:e|ed|ing)|colors?|behaviors?|favorites?)\b",
    re.IGNORECASE,
)


def visible_text(widget: widgets.Widget) -> str:
    """The words a learner sees: HTML values without tags, and widget labels."""
    parts = [getattr(widget, "description", "") or "", getattr(widget, "placeholder", "") or ""]
    if isinstance(widget, widgets.HTML):
        parts.append(re.sub(r"<style>.*?</style>|<[^>]+>", " ", widget.value, flags=re.S))
    for child in getattr(widget, "children", ()):
        parts.append(visible_text(child))
    return " ".join(parts)


def test_the_workbench_speaks_british_english(store):
    wb = Workbench(exercise_ids()[0], store=store)
    wb.submit(data.scenarios()[exercise_ids()[0]].original)
    wb.hint_button.click()
    assert US_SPELLINGS.findall(visible_text(wb.root)) == []


def test_changing_only_the_sender_keeps_the_text(capstone):
    capstone.draft.value = "Hi Grace, typed but not checked."
    capstone.sender_select.value = "kwame-asante"
    assert capstone.last_error is None
    assert capstone.draft.value == "Hi Grace, typed but not checked."
    assert "Kwame Asante" in capstone.context.value
