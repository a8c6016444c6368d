"""The class report grades every good file, lists every bad one with its reason, and never leaks.

The generated class holds one file of every kind the report must survive. Learner ids all end in
"-x7" so a test can check that none of them reaches an anonymized output.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from outreach_coach import data
from outreach_coach.classreport import grading
from outreach_coach.classreport.anonymity import (
    SALT_ENV,
    SECRET_FILE,
    anonymized,
    class_secret,
    pseudonym,
    pseudonyms,
)
from outreach_coach.classreport.command import EXIT_REJECTED, run
from outreach_coach.classreport.figures import GALLERY_SIZE, ClassFigures, quiz_table
from outreach_coach.classreport.gradebook import write_csv
from outreach_coach.classreport.grading import (
    CSV_COLUMNS,
    FRAME_COLUMNS,
    FrameRow,
    grade_batches,
    grade_class,
)
from outreach_coach.classreport.html import Extras, render_html
from outreach_coach.classreport.loading import (
    DEFAULT_MAX_BYTES,
    load_submissions,
    read_all,
    scan_submissions,
)
from outreach_coach.classreport.progress import progress_bar, show_progress
from outreach_coach.cli import main
from outreach_coach.storage import SCHEMA, SCHEMA_VERSION, DraftStore

EXERCISES = [s for s in data.scenarios().values() if s.use == "exercise"]
S1, S2 = EXERCISES[0], EXERCISES[1]
XSS = "<img src=x onerror=alert(1)>"
BEN_NEW_DRAFT = S1.model_answer.replace("Best,", "Kind regards,")

GRADED = {  # learner -> scenarios graded
    "ana-x7": {S1.id, S2.id},
    "ben-x7": {S1.id, S2.id},
    "fay-x7": {S1.id},
    "gus-x7": {S1.id},
    "ivy-x7": {S1.id, S2.id},
}
NOT_GRADED = {  # file -> kind of problem
    "answers-ben-x7.json": "duplicate",
    "answers-cat-x7.json": "invalid-json",
    "answers-dan-x7.json": "schema-version",
    "answers-eve-x7.json": "invalid-fields",
    "answers-fay-x7.json": "draft-cut",
    "answers-jon-x7.json": "too-large",
    "answers-gus-x7.json": "unknown-scenario",
    "answers-hal-x7.json": "unknown-scenario",
    "notes.json": "not-answers",
}


def answer(scenario_id: str, draft: str) -> dict[str, Any]:
    """One entry of an exported-answers file."""
    return {
        "scenario_id": scenario_id,
        "draft": draft,
        "saved_at": "2026-11-26T11:00:00+00:00",
        "checks": 1,
        "report": None,
    }


def answers_file(
    folder: Path,
    learner_id: str,
    answers: list[dict[str, Any]],
    name: str | None = None,
    exported_at: str = "2026-11-26T12:00:00+00:00",
    **changes: Any,
) -> Path:
    """Write an exported-answers file (schema v1) with optional changes to its fields."""
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "learner_id": learner_id,
        "exported_at": exported_at,
        "course_version": "0.1.0",
        "answers": answers,
        **changes,
    }
    path = folder / (name or f"answers-{learner_id}.json")
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def good_class(tmp_path: Path) -> Path:
    """A folder of valid answers files only."""
    folder = tmp_path / "good"
    folder.mkdir()
    answers_file(folder, "ana-x7", [answer(S1.id, S1.model_answer), answer(S2.id, XSS)])
    answers_file(folder, "ben-x7", [answer(S1.id, S1.original), answer(S2.id, S2.model_answer)])
    return folder


@pytest.fixture
def mixed_class(good_class: Path) -> Path:
    """The good class plus one file of every kind of trouble, and a learner's progress folder."""
    folder = good_class
    # The same learner again, exported later ("(1)" is how a browser names a second download).
    answers_file(
        folder,
        "ben-x7",
        [answer(S1.id, BEN_NEW_DRAFT), answer(S2.id, S2.model_answer)],
        name="answers-ben-x7 (1).json",
        exported_at="2026-11-26T12:30:00+00:00",
    )
    (folder / "answers-cat-x7.json").write_text('{"schema": "outreach-coach/ans', encoding="utf-8")
    answers_file(folder, "dan-x7", [answer(S1.id, "Hi")], schema_version=SCHEMA_VERSION + 1)
    answers_file(folder, "eve-x7", [{"scenario_id": S1.id, "saved_at": "2026-11-26T11:00Z"}])
    # A 1,100,000-character paste: graded on what the grader reads, not the whole file refused.
    answers_file(folder, "fay-x7", [answer(S1.id, "x" * 1_100_000)])
    with (folder / "answers-jon-x7.json").open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: too large without writing it all
    answers_file(folder, "gus-x7", [answer(S1.id, S1.model_answer), answer("s99-nope", "Hi")])
    answers_file(folder, "hal-x7", [answer("s98-gone", "Hello")])
    (folder / "notes.json").write_text('{"todo": "collect answers"}', encoding="utf-8")
    # A learner's whole progress folder, written by the course's own DraftStore.
    store = DraftStore(folder / "ivy-laptop")
    store.set_learner_id("ivy-x7")
    store.save(S1.id, S1.model_answer)
    store.save(S2.id, S2.original)
    return folder


def graded_pairs(frame: Any) -> dict[str, set[str]]:
    """learner -> the scenarios that have rows in the frame."""
    pairs: dict[str, set[str]] = {}
    for learner, scenario in zip(frame["learner"], frame["scenario"], strict=True):
        pairs.setdefault(learner, set()).add(scenario)
    return pairs


# --- loading and grading ---------------------------------------------------------------------


def test_every_good_file_is_graded_and_every_bad_one_listed(mixed_class: Path) -> None:
    accepted, rejected = load_submissions(mixed_class)
    frame = grade_class(accepted)
    assert graded_pairs(frame) == GRADED
    assert len(frame) == 4 * sum(len(s) for s in GRADED.values())
    assert {r.source: r.kind for r in rejected} == NOT_GRADED
    assert all(r.reason for r in rejected)


def test_reasons_say_what_is_wrong(mixed_class: Path) -> None:
    _, rejected = load_submissions(mixed_class)
    reasons = {r.source: r.reason for r in rejected}
    assert "answers-ben-x7 (1).json" in reasons["answers-ben-x7.json"]
    assert "newer" in reasons["answers-ben-x7.json"]
    assert "not valid JSON" in reasons["answers-cat-x7.json"]
    assert "schema_version 2" in reasons["answers-dan-x7.json"]
    assert "'draft'" in reasons["answers-eve-x7.json"]
    assert "1,100,000 characters; its first 20,000" in reasons["answers-fay-x7.json"]
    assert f"{DEFAULT_MAX_BYTES:,}-byte limit" in reasons["answers-jon-x7.json"]
    assert "'s99-nope'" in reasons["answers-gus-x7.json"]
    assert "other 1 answer(s) were graded" in reasons["answers-gus-x7.json"]
    assert "'s98-gone'" in reasons["answers-hal-x7.json"]


def test_duplicate_learner_keeps_the_newest_export(mixed_class: Path) -> None:
    accepted, _ = load_submissions(mixed_class)
    ben = next(s for s in accepted if s.learner_id == "ben-x7")
    assert ben.source == "answers-ben-x7 (1).json"
    assert ben.answers[0].draft == BEN_NEW_DRAFT


def test_progress_folder_becomes_one_learner(mixed_class: Path) -> None:
    accepted, rejected = load_submissions(mixed_class / "ivy-laptop")
    assert [(s.learner_id, s.source) for s in accepted] == [("ivy-x7", "./")]
    assert {a.scenario_id for a in accepted[0].answers} == {S1.id, S2.id}
    assert rejected == []


def test_progress_folder_without_learner_file_is_named_after_the_folder(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "zoe-x7")
    store.save(S1.id, S1.model_answer)
    accepted, _ = load_submissions(tmp_path / "zoe-x7")
    assert [s.learner_id for s in accepted] == ["zoe-x7"]


def test_own_export_next_to_the_drafts_is_not_a_duplicate(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "progress")
    store.set_learner_id("ivy-x7")
    store.save(S1.id, S1.model_answer)
    store.export()  # answers-ivy-x7.json beside the drafts it was made from
    accepted, rejected = load_submissions(tmp_path / "progress")
    assert [(s.learner_id, s.source) for s in accepted] == [("ivy-x7", "answers-ivy-x7.json")]
    assert rejected == []


def test_bad_save_files_in_a_progress_folder(tmp_path: Path) -> None:
    folder = tmp_path / "progress"
    store = DraftStore(folder)
    store.set_learner_id("ivy-x7")
    store.save(S1.id, S1.model_answer)
    unknown = {"scenario_id": "s99-nope", "text": "Hi", "saved_at": "2026-11-26T11:00:00+00:00"}
    (folder / "s99-nope.json").write_text(json.dumps(unknown), encoding="utf-8")
    broken = {"scenario_id": S2.id, "text": 5, "saved_at": "2026-11-26T11:00:00+00:00"}
    (folder / f"{S2.id}.json").write_text(json.dumps(broken), encoding="utf-8")
    accepted, rejected = load_submissions(folder)
    assert [(s.learner_id, [a.scenario_id for a in s.answers]) for s in accepted] == [
        ("ivy-x7", [S1.id])
    ]
    assert {(r.source, r.kind) for r in rejected} == {
        ("s99-nope.json", "draft-scenario"),
        (f"{S2.id}.json", "draft-fields"),
    }
    assert {r.learner_id for r in rejected} == {"ivy-x7"}


def test_max_bytes_is_the_size_limit(good_class: Path) -> None:
    accepted, rejected = load_submissions(good_class, max_bytes=200)
    assert accepted == []
    assert {r.kind for r in rejected} == {"too-large"}


def test_identical_drafts_are_graded_once(good_class: Path, monkeypatch) -> None:
    answers_file(good_class, "kim-x7", [answer(S1.id, S1.model_answer)])
    calls = []
    real = grading.grade_draft
    monkeypatch.setattr(grading, "grade_draft", lambda *a: calls.append(a) or real(*a))
    accepted, _ = load_submissions(good_class)
    frame = grade_class(accepted, workers=1)
    assert len(calls) == 4  # five answers, two of them the same S1 model answer
    assert frame["learner"].nunique() == 3


def test_a_grader_crash_on_one_draft_spares_the_rest(good_class: Path, monkeypatch) -> None:
    real = grading.grade

    def fragile(text: str, **people: Any) -> Any:
        if text == XSS:
            raise RuntimeError("boom")
        return real(text, **people)

    monkeypatch.setattr(grading, "grade", fragile)
    accepted, _ = load_submissions(good_class)
    errors: list = []
    frame = grade_class(accepted, workers=1, errors=errors)
    assert graded_pairs(frame) == {"ana-x7": {S1.id}, "ben-x7": {S1.id, S2.id}}
    assert [(e.source, e.kind) for e in errors] == [("answers-ana-x7.json", "grader-error")]
    assert "RuntimeError: boom" in errors[0].reason


def test_worker_processes_give_the_same_table(mixed_class: Path) -> None:
    accepted, _ = load_submissions(mixed_class)
    one = grade_class(accepted, workers=1)
    two = grade_class(accepted, workers=2)
    columns = [c for c in FRAME_COLUMNS if c != "findings"]
    assert one[columns].equals(two[columns])


def test_frame_columns_and_values(good_class: Path) -> None:
    frame = grade_class(load_submissions(good_class)[0])
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert set(frame["category"]) == {"personalization", "relevance", "mechanics", "etiquette"}
    assert frame["score"].between(0, 100).all()
    assert frame["scenario_score"].between(0, 100).all()
    ana_s1 = frame[(frame["learner"] == "ana-x7") & (frame["scenario"] == S1.id)]
    assert set(ana_s1["origin"]) == {"model-answer"}
    for codes, findings in zip(frame["codes"], frame["findings"], strict=True):
        assert codes.split() == sorted({f.code for f in findings})


def test_progress_bar_stays_off_under_tests() -> None:
    assert show_progress(None, 10_000) is False


# --- the HTML report -------------------------------------------------------------------------


def test_learner_text_is_escaped(mixed_class: Path) -> None:
    (mixed_class / "<i>odd&.json").write_text("not json", encoding="utf-8")
    accepted, rejected = load_submissions(mixed_class)
    frame = grade_class(accepted)
    # Shown in the gallery, which lists passing drafts only.
    frame.loc[frame["draft"].str.contains(XSS, regex=False), "scenario_passed"] = True
    page = render_html(frame, rejected)
    assert XSS not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<i>odd" not in page
    assert "&lt;i&gt;odd&amp;.json" in page


def test_html_is_self_contained_with_every_section(mixed_class: Path) -> None:
    accepted, rejected = load_submissions(mixed_class)
    page = render_html(grade_class(accepted), rejected, titles={S1.id: S1.title})
    assert "<script" not in page
    assert "<link" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert page.count("<svg") == 3  # per category, per scenario, score distribution
    for anchor in ("categories", "scenarios", "findings", "scores", "gallery", "not-graded"):
        assert f"id='{anchor}'" in page
    assert "lessons/0" in page  # the most frequent findings name the lesson that teaches them
    for source in NOT_GRADED:
        assert source in page


def test_empty_class_still_renders(tmp_path: Path) -> None:
    frame = grade_class([])
    page = render_html(frame, [])
    assert "Every file was read and graded" in page


# --- anonymizing -----------------------------------------------------------------------------


KEY = b"a-test-class-secret-of-32-bytes-or-more"


def test_pseudonyms_are_stable_and_distinct() -> None:
    assert pseudonym("ana-x7", KEY) == pseudonym("ana-x7", KEY) == "learner-3924afbb"
    assert pseudonym("ben-x7", KEY) != pseudonym("ana-x7", KEY)
    assert pseudonym("ana-x7", b"another class's secret......") != pseudonym("ana-x7", KEY)
    assert re.fullmatch(r"learner-[0-9a-f]{8}", pseudonym("someone", KEY))


def test_each_class_gets_its_own_secret_kept_beside_the_report(
    mixed_class: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv(SALT_ENV, raising=False)
    out = tmp_path / "out"
    html = out / "report.html"
    main(["report", str(mixed_class), "--html", str(html), "--anonymize"])
    secret_file = out / SECRET_FILE
    secret = secret_file.read_bytes().strip()
    assert len(secret) == 64 and secret_file.stat().st_mode & 0o077 == 0
    text = html.read_text(encoding="utf-8")
    assert secret.decode() not in text
    # The public source's key no longer recovers anyone from a roster.
    public = b"not-the-place-for-spam/class-report/v1"
    assert all(pseudonym(learner, public) not in text for learner in GRADED)
    assert all(pseudonym(learner, secret) in text for learner in GRADED)
    # A second run keeps the class's pseudonyms; another class (folder) gets others.
    # (The page is not compared whole: it says when it was made, to the minute.)
    main(["report", str(mixed_class), "--html", str(html), "--anonymize"])
    again = html.read_text(encoding="utf-8")
    assert secret_file.read_bytes().strip() == secret
    assert all(pseudonym(learner, secret) in again for learner in GRADED)
    other = tmp_path / "other" / "report.html"
    main(["report", str(mixed_class), "--html", str(other), "--anonymize"])
    assert pseudonym("ana-x7", secret) not in other.read_text(encoding="utf-8")


def test_a_damaged_secret_is_a_usage_error_not_new_pseudonyms(
    mixed_class: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.delenv(SALT_ENV, raising=False)
    (tmp_path / SECRET_FILE).write_text("short", encoding="utf-8")
    code = main(["report", str(mixed_class), "--html", str(tmp_path / "r.html"), "--anonymize"])
    assert code == 2 and "is damaged" in capsys.readouterr().err


def test_anonymized_outputs_hold_no_learner_id(mixed_class: Path, tmp_path: Path) -> None:
    html, table = tmp_path / "out" / "report.html", tmp_path / "out" / "report.csv"
    code = main(
        ["report", str(mixed_class), "--html", str(html), "--csv", str(table), "--anonymize"]
    )
    assert code == EXIT_REJECTED
    key = class_secret(html.parent)
    for output in (html, table):
        text = output.read_text(encoding="utf-8")
        assert "-x7" not in text
        assert "ivy-laptop" not in text
        assert pseudonym("ana-x7", key) in text
    with table.open(encoding="utf-8") as handle:
        learners = {row["learner"] for row in csv.DictReader(handle)}
    assert learners == {pseudonym(learner, key) for learner in GRADED}


def test_anonymize_rewrites_file_names_in_the_list(mixed_class: Path) -> None:
    accepted, rejected = load_submissions(mixed_class)
    ids = [s.learner_id for s in accepted] + [r.learner_id for r in rejected if r.learner_id]
    listed = anonymized(rejected, pseudonyms(ids, KEY), KEY)
    by_kind = {r.kind: r for r in listed}
    ben = pseudonym("ben-x7", KEY)
    assert by_kind["duplicate"].source == f"answers-{ben}.json"
    assert f"answers-{ben} (1).json" in by_kind["duplicate"].reason  # still two distinct files
    assert by_kind["invalid-json"].source == f"answers-{pseudonym('cat-x7', KEY)}.json"
    assert by_kind["not-answers"].source.startswith("file-")
    assert not any("-x7" in r.source or "-x7" in r.reason for r in listed)


# --- CSV, feedback and the command -----------------------------------------------------------


def test_csv_has_the_documented_columns(mixed_class: Path, tmp_path: Path) -> None:
    table = tmp_path / "report.csv"
    main(["report", str(mixed_class), "--csv", str(table)])
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 4 * sum(len(s) for s in GRADED.values())
    assert {row["passed"] for row in rows} <= {"True", "False"}


def test_feedback_file_per_learner(mixed_class: Path, tmp_path: Path) -> None:
    folder = tmp_path / "feedback"
    main(["report", str(mixed_class), "--feedback-dir", str(folder), "--anonymize"])
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"feedback-{learner}.md" for learner in GRADED)
    text = (folder / "feedback-gus-x7.md").read_text(encoding="utf-8")
    assert S1.id in text
    # So the learner can find themselves in the report; the key stays out of their folder.
    assert pseudonym("gus-x7", class_secret(tmp_path)) in text


def test_exit_code_zero_when_every_file_is_graded(
    good_class: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["report", str(good_class), "--html", str(tmp_path / "r.html")]) == 0
    captured = capsys.readouterr()
    assert "Graded 2 learners" in captured.out
    assert captured.err == ""


def test_exit_code_three_lists_each_file_on_stderr(
    mixed_class: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["report", str(mixed_class)]) == EXIT_REJECTED == 3
    err = capsys.readouterr().err
    for source in NOT_GRADED:
        assert f"not graded: {source}: " in err
    assert "Traceback" not in err


@pytest.mark.parametrize("make", ["missing", "empty", "no-json"])
def test_exit_code_two_for_unusable_folders(
    make: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "submissions"
    if make != "missing":
        folder.mkdir()
    if make == "no-json":
        (folder / "readme.txt").write_text("answers go here", encoding="utf-8")
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert ("does not exist" if make == "missing" else "nothing to read") in err


def test_bad_max_bytes_is_a_usage_error(good_class: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(good_class), "--max-bytes", "0"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(("fixture", "expected"), [("good_class", 0), ("mixed_class", 3)])
def test_python_dash_m_exit_codes(
    fixture: str, expected: int, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    folder = request.getfixturevalue(fixture)
    html = tmp_path / "report.html"
    done = _run_module("report", str(folder), "--html", str(html))
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_python_dash_m_usage_error(tmp_path: Path) -> None:
    done = _run_module("report", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def _run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outreach_coach", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- hostile files ---------------------------------------------------------------------------

HOSTILE_FILES = {
    "answers-nested.json": b"[" * 1000 + b"]" * 1000,
    "answers-objects.json": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "answers-number.json": b'{"schema": "outreach-coach/answers", "schema_version": '
    + b"1" * 5000
    + b"}",
    "notes.json": b"[" * 100 + b"]" * 100,  # deeper than any course file, though Python reads it
}


def test_nested_and_huge_number_json_is_listed_and_the_rest_graded(good_class: Path) -> None:
    for name, content in HOSTILE_FILES.items():
        (good_class / name).write_bytes(content)
    accepted, rejected = load_submissions(good_class)
    assert {s.learner_id for s in accepted} == {"ana-x7", "ben-x7"}
    assert {r.source: r.kind for r in rejected} == dict.fromkeys(HOSTILE_FILES, "invalid-json")
    reasons = {r.source: r.reason for r in rejected}
    assert "nested more than 64 levels" in reasons["answers-nested.json"]
    assert "digits" in reasons["answers-number.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_symlinks_and_devices_are_listed_not_read(good_class: Path, tmp_path: Path) -> None:
    os.mkfifo(good_class / "answers-pipe.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = answers_file(elsewhere, "kim-x7", [answer(S1.id, S1.model_answer)])
    (good_class / "answers-kim-x7.json").symlink_to(real)
    (good_class / "linked-folder").symlink_to(elsewhere)
    (good_class / "answers-zero.json").symlink_to("/dev/zero")
    # A learner's progress folder whose learner.json is a FIFO once hung the whole report.
    store = DraftStore(good_class / "lee-laptop")
    store.save(S1.id, S1.model_answer)
    os.mkfifo(good_class / "lee-laptop" / "learner.json")

    accepted, rejected = load_submissions(good_class)
    assert {s.learner_id for s in accepted} == {"ana-x7", "ben-x7", "lee-laptop"}
    assert {r.source: r.kind for r in rejected} == {
        "answers-pipe.json": "not-a-file",
        "answers-kim-x7.json": "not-a-file",
        "linked-folder": "not-a-file",
        "answers-zero.json": "not-a-file",
    }
    reasons = {r.source: r.reason for r in rejected}
    assert "named pipe" in reasons["answers-pipe.json"]
    assert "symbolic link" in reasons["answers-kim-x7.json"]


def test_an_export_with_one_huge_draft_has_its_other_answers_graded(good_class: Path) -> None:
    # Before drafts were capped, a 1,000,000-character draft made a ~1.0005 MB export that the
    # report refused whole, "probably not an answers file".
    answers = [answer(S1.id, "x" * 1_000_000), answer(S2.id, S2.model_answer)]
    answers_file(good_class, "max-x7", answers)
    accepted, rejected = load_submissions(good_class)
    frame = grade_class(accepted)
    assert graded_pairs(frame)["max-x7"] == {S1.id, S2.id}
    assert [(r.source, r.kind) for r in rejected] == [("answers-max-x7.json", "draft-cut")]
    assert len(frame[frame["learner"] == "max-x7"]["draft"].iloc[0]) == 20_000


def test_file_names_are_printed_escaped(good_class: Path, tmp_path: Path, capsys) -> None:
    # A name with an escape sequence could clear or retitle the instructor's terminal.
    (good_class / "answers-\x1b]0;pwned\x07\x1b[2J.json").write_text("{", encoding="utf-8")
    main(["report", str(good_class), "--html", str(tmp_path / "r\x1b[2J.html")])
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err and "\x07" not in captured.err
    assert "\x1b" not in captured.out
    assert "answers-\\x1b]0;pwned\\x07\\x1b[2J.json" in captured.err
    assert "r\\x1b[2J.html" in captured.out


def test_the_same_file_for_html_and_csv_is_a_usage_error(
    good_class: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "report.out"
    assert main(["report", str(good_class), "--html", str(target), "--csv", str(target)]) == 2
    assert "same file" in capsys.readouterr().err and not target.exists()


def test_a_reply_scenario_is_graded_as_a_reply() -> None:
    from outreach_coach.classreport.grading import grade_draft

    scenario = data.scenarios()["l06-reply"]
    graded = grade_draft(scenario.id, scenario.model_answer)
    assert graded.passed
    assert [name for name, *_ in graded.categories] == ["mechanics", "etiquette"]


# --- quiz results ---------------------------------------------------------------------------


def test_an_export_carries_the_quiz_answers_and_the_lessons_read(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "progress")
    store.save(S1.id, S1.model_answer)
    store.record_quiz("storm-opt-out", False)
    store.record_quiz("storm-opt-out", True)
    store.mark_lesson_read("01_reply_all_storm")
    document = json.loads(store.export("ana-q").read_text(encoding="utf-8"))
    assert document["quizzes"]["storm-opt-out"]["correct"] is True
    assert document["quizzes"]["storm-opt-out"]["tries"] == 2
    assert set(document["lessons_read"]) == {"01_reply_all_storm"}


def test_the_report_counts_quiz_answers_from_exports_and_progress_folders(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    right = {"correct": True, "correct_at": "2026-11-26T11:00:00+00:00", "tries": 3}
    wrong = {"correct": False, "correct_at": None, "tries": 1}
    answers_file(
        folder,
        "ana-q",
        [answer(S1.id, S1.model_answer)],
        quizzes={"storm-opt-out": right, "no-such-quiz": right, "recovery-reply": "junk"},
    )
    answers_file(folder, "ben-q", [answer(S1.id, S1.original)], quizzes={"storm-opt-out": wrong})
    answers_file(folder, "cai-q", [answer(S1.id, S1.original)])  # an older export: no quizzes
    lee = DraftStore(folder / "lee-laptop")
    lee.save(S1.id, S1.model_answer)
    lee.record_quiz("recovery-reply", True)
    outcome = run(folder, html=tmp_path / "report.html")
    accepted, _ = load_submissions(folder)
    table = quiz_table(accepted)
    assert list(table.index) == ["storm-opt-out", "recovery-reply"]  # course order, known ids
    assert table.loc["storm-opt-out"].to_dict() == {"learners": 2, "right": 1, "tries": 2.0}
    assert table.loc["recovery-reply", "learners"] == 1
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = page[page.index("id='quizzes'") :].split("</section>")[0]
    assert "Lesson 1, question 1" in section and "1 (50%)" in section
    assert "Lesson 6, question 1" in section
    assert outcome.exit_code == 0


def test_a_class_without_quiz_answers_says_where_they_come_from(good_class: Path) -> None:
    accepted, rejected = load_submissions(good_class)
    extras = Extras(quizzes=quiz_table(accepted))
    page = render_html(grade_class(accepted), rejected, extras=extras)
    assert "No quiz answers yet" in page


def test_a_symlinked_course_json_is_not_followed_for_quiz_answers(tmp_path: Path) -> None:
    elsewhere = tmp_path / "other-learner-course.json"
    right = {"correct": True, "correct_at": None, "tries": 1}
    elsewhere.write_text(json.dumps({"quizzes": {"storm-opt-out": right}}), encoding="utf-8")
    folder = tmp_path / "class" / "lee-laptop"
    DraftStore(folder).save(S1.id, S1.model_answer)
    (folder / "course.json").symlink_to(elsewhere)
    accepted, _ = load_submissions(tmp_path / "class")
    assert [s.learner_id for s in accepted] == ["lee-laptop"]
    assert accepted[0].quizzes == ()


def test_quiz_answers_with_unusable_tries_count_one_try(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    quizzes = {
        "storm-opt-out": {"correct": True, "tries": 0},
        "recovery-reply": {"correct": False, "tries": 10**9},
    }
    answers_file(folder, "ana-t", [answer(S1.id, S1.model_answer)], quizzes=quizzes)
    accepted, _ = load_submissions(folder)
    assert [(q.quiz, q.tries) for q in accepted[0].quizzes] == [
        ("storm-opt-out", 1),
        ("recovery-reply", 1),
    ]


# --- streaming: batches give the report the whole class gives --------------------------------


def own_rewrite(number: int) -> str:
    """A learner's own passing-looking rewrite of S1: the model answer with one sentence added
    (several learners share a text, spaced differently, as copies between friends are)."""
    extra = f"We helped {number % 4 + 10} teams like yours last year."
    spacing = "  " if number % 3 == 0 else " "
    return S1.model_answer.replace("\n\n", f"\n\n{extra}{spacing}", 1)


@pytest.fixture
def big_class(mixed_class: Path) -> Path:
    """The mixed class plus a dozen learners with draft histories and gallery candidates."""
    for number in range(12):
        history = [
            {"text": S1.original, "saved_at": "2026-11-26T10:00:00+00:00", "score": 40.0},
            {"text": own_rewrite(number), "saved_at": "2026-11-26T11:00:00+00:00", "score": 90.0},
        ]
        answers = [
            {**answer(S1.id, own_rewrite(number)), "history": history},
            answer(S2.id, S2.model_answer if number % 2 else S2.original),
        ]
        answers_file(mixed_class, f"kid{number:02d}", answers)
    return mixed_class


def _report_files(folder: Path, out: Path, **options: Any) -> dict[str, str]:
    """The HTML (its minute of generation masked), CSV and feedback files of one run."""
    outcome = run(
        folder,
        html=out / "r.html",
        csv=out / "r.csv",
        feedback_dir=out / "feedback",
        out=io.StringIO(),
        err=io.StringIO(),
        **options,
    )
    files = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.name != SECRET_FILE
    }
    files["r.html"] = re.sub(r"Generated [^<]+ by", "Generated by", files["r.html"])
    files["exit"] = str(outcome.exit_code)
    return files


@pytest.mark.parametrize("anonymized", [False, True])
def test_the_report_in_batches_equals_the_report_of_the_whole_class(
    big_class: Path, tmp_path: Path, monkeypatch, anonymized: bool
) -> None:
    monkeypatch.setenv(SALT_ENV, "a-fixed-key-so-both-runs-share-pseudonyms")
    whole = _report_files(big_class, tmp_path / "whole", batch=10_000, anonymize_ids=anonymized)
    batched = _report_files(big_class, tmp_path / "batched", batch=2, anonymize_ids=anonymized)
    assert whole == batched
    assert len([name for name in whole if name.startswith("feedback/")]) == 17
    gallery = whole["r.html"][whole["r.html"].index("id='gallery'") :]
    assert gallery.count("<article class='rewrite'>") >= 3  # the heap kept a full gallery


def test_the_streamed_table_is_the_table_of_the_whole_frame(big_class: Path, tmp_path: Path):
    run(big_class, csv=tmp_path / "streamed.csv", batch=3, out=io.StringIO(), err=io.StringIO())
    accepted, _ = load_submissions(big_class)
    write_csv(grade_class(accepted), tmp_path / "whole.csv")
    streamed = (tmp_path / "streamed.csv").read_text(encoding="utf-8")
    assert streamed == (tmp_path / "whole.csv").read_text(encoding="utf-8")
    assert streamed.count("\n") > 60


def test_figures_added_in_batches_equal_the_figures_of_the_whole_frame(big_class: Path) -> None:
    accepted, rejected = load_submissions(big_class)
    improvement: list = []
    frame = grade_class(accepted, improvement=improvement)
    whole = ClassFigures.of(frame)
    whole.add_improvement(improvement)
    parts = ClassFigures(gallery_size=GALLERY_SIZE)
    for start in range(0, len(accepted), 2):
        batch = next(iter(grade_batches(accepted[start : start + 2], total=2, answers=4)))
        parts.add(batch.rows)
        parts.add_improvement(batch.improvement)
    moment = datetime(2026, 12, 2, tzinfo=UTC)
    assert render_html(parts, rejected, generated_at=moment) == render_html(
        whole, rejected, generated_at=moment
    )
    assert not whole.improvement_summary().empty


def test_one_bad_file_or_draft_never_stops_its_batch(big_class: Path, monkeypatch) -> None:
    scanned, problems = scan_submissions(big_class)
    # Between the scan and the reading of texts, one learner's file turns to garbage.
    (big_class / "answers-kid03.json").write_text("{not json", encoding="utf-8")
    real = grading.grade

    def fragile(text: str, **people: Any) -> Any:
        if text == own_rewrite(5):
            raise RuntimeError("boom")
        return real(text, **people)

    monkeypatch.setattr(grading, "grade", fragile)
    batches = list(
        grade_batches(
            read_all(scanned, DEFAULT_MAX_BYTES, problems),
            total=20,
            answers=40,
            size=100,
            history=False,
        )
    )
    assert len(batches) == 1
    graded = {row.learner for row in batches[0].rows}
    assert "kid03" not in graded and "kid02" in graded and "kid04" in graded
    assert "kid05" in graded  # its other answer was graded
    assert [(r.source, r.kind) for r in problems if r.learner_id == "kid03"] == [
        ("answers-kid03.json", "invalid-json")
    ]
    assert [r.learner_id for r in batches[0].errors] == ["kid01", "kid05"]  # the same text


def test_a_grading_seen_in_an_earlier_batch_is_not_done_again(big_class: Path, monkeypatch):
    calls: list = []
    real = grading.grade_draft
    monkeypatch.setattr(grading, "grade_draft", lambda *a: calls.append(a) or real(*a))
    accepted, _ = load_submissions(big_class)
    list(grade_batches(accepted, total=len(accepted), answers=40, workers=1, size=1))
    wanted = {
        (a.scenario_id, t, a.sender_id)
        for s in accepted
        for a in s.answers
        for t in (a.draft, *a.history)
    }
    assert sorted(calls) == sorted(wanted)


def test_the_gallery_kept_while_streaming_is_the_best_of_all_drafts() -> None:
    """The bounded gallery against sorting every draft at once (ties in score and length, and
    copies of one text spaced differently, on purpose)."""
    rng = random.Random(7)
    texts = ["Hi Maria, one idea.", "Hi Maria,  one idea.", "Hi Maria, two ideas.", "Hello."]
    for _ in range(200):
        rows = [
            FrameRow(
                f"l{index:03d}",
                rng.choice("ab"),
                "mechanics",
                True,
                90.0,
                "",
                rng.random() < 0.8,
                rng.choice([70.0, 80.0, 90.0]),
                rng.choice(["own", "own", "model-answer"]),
                rng.choice(texts),
                "",
                (),
            )
            for index in rng.sample(range(100), rng.randint(0, 30))
        ]
        figures = ClassFigures()
        figures.add(rows)
        expected: dict[str, list[str]] = {}
        seen: set[tuple[str, str]] = set()
        candidates = [r for r in rows if r.origin == "own" and r.scenario_passed]
        for row in sorted(
            candidates, key=lambda r: (r.scenario, -r.scenario_score, len(r.draft), r.learner)
        ):
            key = (row.scenario, " ".join(row.draft.split()))
            if key not in seen and len(expected.get(row.scenario, [])) < GALLERY_SIZE:
                expected.setdefault(row.scenario, []).append(row.learner)
            seen.add(key)
        shown = {sid: [d.learner for d in kept] for sid, kept in figures.best_rewrites().items()}
        assert shown == expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_only(monkeypatch) -> None:
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert show_progress(None, 10_000) is False  # a pipe or a log file: no bar
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert show_progress(None, 10_000) is True
    assert show_progress(None, 5) is False  # too short to be worth a bar
    with progress_bar(100, "grading", None, "learner") as bar:
        bar.update(50)
    assert "grading" in terminal.getvalue() and "learner" in terminal.getvalue()
