"""The way through the course: a next step at the end of every page, the outline the course map
and the summary share, what counts as done, and the course summary page a learner keeps."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from outreach_coach import data, grade
from outreach_coach import summary as summary_module
from outreach_coach.outline import FINISH, LESSONS
from outreach_coach.quiz import COURSE_QUIZZES, Quiz
from outreach_coach.storage import COURSE_FILE, DraftStore
from outreach_coach.summary import (
    SUMMARY_FILE,
    SummaryPanel,
    course_summary,
    finish_lesson,
    summary_html,
)
from tools.build_course import course_path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+\.ipynb)\)")
NEXT = re.compile(r"\*\*\[([^\]]+) →\]\(([^)\s]+\.ipynb)\)\*\*")
PREVIOUS = re.compile(r"\[← Previous: [^\]]+\]\(([^)\s]+\.ipynb)\)")
CALL = re.compile(r'(Workbench|Quiz)\("([^"]+)"\)')


def last_cell(path: str) -> str:
    return nbformat.read(ROOT / path, as_version=4).cells[-1].source


def pages() -> list[str]:
    return [path for path, _ in course_path()]


def test_the_path_runs_lessons_then_exercises_then_the_finish_page() -> None:
    expected = [f"lessons/{lesson.file}" for lesson in LESSONS]
    expected += sorted(f"exercises/{p.name}" for p in (ROOT / "exercises").glob("*.ipynb"))
    expected.append(f"lessons/{FINISH.file}")
    assert pages() == expected
    assert (ROOT / "lessons" / FINISH.file).is_file()


@pytest.mark.parametrize("page", pages())
def test_every_page_ends_with_a_link_to_the_next_and_the_previous(page: str) -> None:
    text = last_cell(page)
    assert text.startswith("## Next step"), f"{page} does not end with its next step"
    here = (ROOT / page).parent
    order = pages()
    index = order.index(page)
    label, ahead = NEXT.search(text).groups()
    following = order[index + 1] if index + 1 < len(order) else "course.ipynb"
    assert (here / ahead).resolve() == (ROOT / following).resolve(), f"{page}: {ahead}"
    if index == 0:
        assert PREVIOUS.search(text) is None
    else:
        back = PREVIOUS.search(text).group(1)
        assert (here / back).resolve() == (ROOT / order[index - 1]).resolve(), f"{page}: {back}"
    if page == "lessons/06_when_it_goes_wrong.ipynb":
        assert label.startswith("Now try exercise 1")
    for target in LINK.findall(text):
        assert (here / target).resolve().is_file(), f"{page} links to missing {target}"


def test_solutions_and_exercises_share_their_next_step() -> None:
    for exercise in (ROOT / "exercises").glob("*.ipynb"):
        assert last_cell(f"solutions/{exercise.name}") == last_cell(f"exercises/{exercise.name}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_the_outline_lists_each_lessons_quizzes_and_workbenches(lesson) -> None:
    notebook = nbformat.read(ROOT / "lessons" / lesson.file, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    calls = CALL.findall(code)
    assert tuple(i for kind, i in calls if kind == "Quiz") == lesson.quizzes
    assert tuple(i for kind, i in calls if kind == "Workbench") == lesson.scenarios
    assert f'finish_lesson("{lesson.key}")' in code


def test_the_outline_and_the_scenarios_agree_on_the_lesson_rewrites() -> None:
    from outreach_coach.workbench import lesson_ids

    assert [key for lesson in LESSONS for key in lesson.scenarios] == lesson_ids()


def test_the_course_map_links_the_finish_page() -> None:
    landing = "\n".join(c.source for c in nbformat.read(ROOT / "course.ipynb", 4).cells)
    assert f"(lessons/{FINISH.file})" in landing


# --- done marks ---------------------------------------------------------------------------------


def test_marks_keep_the_first_date_and_survive_a_damaged_file(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    first = store.mark_lesson_read("01_reply_all_storm")
    assert store.mark_lesson_read("01_reply_all_storm") == first
    store.record_quiz("storm-opt-out", True)
    assert set(store.lessons_read()) == {"01_reply_all_storm"}
    assert set(store.quiz_results()) == {"storm-opt-out"}
    (tmp_path / COURSE_FILE).write_text("{not json", encoding="utf-8")
    assert store.lessons_read() == {} and store.quiz_results() == {}
    store.mark_lesson_read("00_start_here")
    kept = list(tmp_path.glob(f"{COURSE_FILE}.corrupt-*"))
    assert [p.read_text(encoding="utf-8") for p in kept] == ["{not json"], "not kept"
    assert set(store.lessons_read()) == {"00_start_here"}


def test_a_read_only_folder_gives_a_note_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    shown = finish_lesson("00_start_here", DraftStore(blocker / "progress"))
    assert "not updated" in shown.data and "writable" in shown.data


def test_course_is_reserved_so_no_draft_can_shadow_the_marks(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="reserved"):
        DraftStore(tmp_path).save("course", "text")


def test_a_right_answer_marks_the_quiz_and_a_wrong_one_never_unmarks_it(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    quiz = Quiz("storm-opt-out", store=store)
    wrong = next(i for i, o in enumerate(quiz.question.options) if not o.correct)
    quiz.choose(wrong)
    quiz.check()
    assert not store.quiz_results()["storm-opt-out"].correct
    quiz.choose(*quiz.question.answer)
    quiz.check()
    quiz.choose(wrong)
    quiz.check()
    assert store.quiz_results()["storm-opt-out"].correct
    summary = course_summary(store)
    assert summary.counts["quizzes answered right"] == (1, len(COURSE_QUIZZES))


def test_finish_lesson_marks_and_says_so(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    shown = finish_lesson("03_personalization", store)
    assert "marked as read" in shown.data
    assert "03_personalization" in store.lessons_read()
    with pytest.raises(KeyError, match="known"):
        finish_lesson("99_nothing", store)


# --- the summary --------------------------------------------------------------------------------


def _save(store: DraftStore, scenario_id: str, text: str) -> bool:
    scenario = data.scenarios()[scenario_id]
    report = grade(
        text,
        recipient=data.recipients()[scenario.recipient],
        sender=data.senders()[scenario.sender],
    )
    store.save(scenario_id, text, report)
    return report.passed


@pytest.fixture
def worked(tmp_path: Path) -> DraftStore:
    """A learner who read lesson 1, got one quiz right, and passed exercise 1 then got worse."""
    store = DraftStore(tmp_path)
    scenario = data.scenarios()["s01-mass-note"]
    assert not _save(store, "s01-mass-note", scenario.original)
    assert _save(store, "s01-mass-note", scenario.model_answer)
    assert not _save(store, "s01-mass-note", scenario.original + " <script>x</script>")
    store.mark_lesson_read("01_reply_all_storm")
    store.record_quiz("storm-opt-out", True)
    store.set_learner_id("ana-k")
    return store


def test_the_best_passing_draft_survives_a_worse_check(worked: DraftStore) -> None:
    assert not worked.load("s01-mass-note").passed
    item = next(i for i in course_summary(worked).exercises if i.key == "s01-mass-note")
    assert item.done and item.draft == data.scenarios()["s01-mass-note"].model_answer
    assert item.score is not None and item.score > 0


def test_summary_counts_lessons_quizzes_and_exercises(worked: DraftStore) -> None:
    summary = course_summary(worked)
    assert summary.counts["lessons read"] == (1, len(LESSONS))
    assert summary.counts["quizzes answered right"] == (1, len(COURSE_QUIZZES))
    assert summary.counts["exercises passed"][0] == 1
    exercise = next(i for i in summary.exercises if i.key == "s01-mass-note")
    assert exercise.done and exercise.draft == data.scenarios()["s01-mass-note"].model_answer


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_summary_page_is_self_contained_and_escapes_the_learners_text(worked) -> None:
    page = summary_html(course_summary(worked))
    assert page.startswith("<!DOCTYPE html>") and "<title>" in page and "@media print" in page
    parser = _Collect()
    parser.feed(page)
    assert "script" not in parser.tags and parser.urls == [], "the page must need nothing else"
    assert "ana-k" in page and "The reply-all storm" in page
    assert "<script>x" not in page  # the worse draft is not the one shown, and text is escaped


def test_summary_panel_saves_the_page_and_offers_a_data_link(worked: DraftStore) -> None:
    panel = SummaryPanel(store=worked)
    assert "1 of " in panel.view.value
    path = panel.save()
    assert path == worked.root / SUMMARY_FILE and path.is_file()
    link = re.search(r"href='data:text/html;base64,([^']+)'", panel.result.value)
    assert link, panel.result.value
    assert base64.b64decode(link.group(1)).decode("utf-8") == path.read_text(encoding="utf-8")
    assert f"download='{SUMMARY_FILE}'" in panel.result.value


def test_summary_panel_explains_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    panel = SummaryPanel(store=DraftStore(blocker / "progress"))
    assert panel.save() is None
    assert "could not be written" in panel.result.value and "data:text/html" in panel.result.value


def test_capstone_drafts_appear_by_recipient(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save("capstone-grace-liu", "Hi Grace", None)
    store.save("capstone-custom-sam-okafor", "Hi Sam", None, profile={"name": "Sam Okafor"})
    (tmp_path / COURSE_FILE).write_text(json.dumps({"format": "other"}))
    summary = course_summary(store)
    titles = [i.title for i in summary.capstone]
    assert titles == ["Your message to Sam Okafor", "Your message to Grace Liu"]
    assert not any(i.done for i in summary.capstone)


def test_the_class_report_reads_a_progress_folder_with_marks_and_rejects_nothing(
    tmp_path: Path,
) -> None:
    from outreach_coach.classreport import load_submissions

    scenario = data.scenarios()["s01-mass-note"]
    folder = tmp_path / "class" / "lee-laptop"
    DraftStore(folder).save(scenario.id, scenario.model_answer)
    DraftStore(folder).mark_lesson_read("00_start_here")
    DraftStore(folder).record_quiz("storm-opt-out", True)
    accepted, rejected = load_submissions(tmp_path / "class")
    assert [s.learner_id for s in accepted] == ["lee-laptop"]
    assert rejected == []


def test_summary_panel_shows_a_failure_in_the_shared_error_box(tmp_path: Path, monkeypatch) -> None:
    panel = SummaryPanel(store=DraftStore(tmp_path))

    def broken(_store: DraftStore) -> None:
        raise PermissionError("no")

    monkeypatch.setattr(summary_module, "course_summary", broken)
    assert panel.save() is None
    assert isinstance(panel.last_error, PermissionError)
    assert panel.error_box.layout.display != "none" and "role='alert'" in panel.error_box.value
    assert "went wrong while making your course summary" in panel.error_box.value
    assert "permission denied" in panel.error_box.value
