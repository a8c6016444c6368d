"""The draft store never loses a learner's draft and never crashes on a damaged file."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from filelock import FileLock

from outreach_coach import grade, storage
from outreach_coach.storage import (
    HISTORY_LIMIT,
    MAX_DRAFT_CHARS,
    DraftStore,
    check_learner_id,
    default_progress_dir,
)
from tests.people import MARIA as PROFILE

GOOD_TEXT = (
    "Hi Maria,\n\nI read your post about cutting spoilage in refrigerated trucks. We help food "
    "companies track cold-chain temperatures on every delivery, and a short guide we wrote on "
    "spoilage alerts might be useful to your operations team. Would you like me to send it?\n\n"
    "Best,\nSam"
)
# Characters per draft in the kill test: the longest draft the store keeps, so with its history a
# save file is about 400 KB and a save takes long enough to interrupt.
BIG = MAX_DRAFT_CHARS - 17


@cache
def real_report():
    return grade(GOOD_TEXT, recipient=PROFILE)


def utc(stamp: str) -> datetime:
    parsed = datetime.fromisoformat(stamp)
    assert parsed.utcoffset() == timedelta(0), stamp
    return parsed


# --- workers for the multi-process tests (top level so spawn can import them) ---------------


def save_many(root: str, tag: str, count: int) -> None:
    store = DraftStore(root, lock_timeout=30)
    report = grade(GOOD_TEXT, recipient=PROFILE)
    for i in range(count):
        result = store.save("s01-race", f"{tag}-{i:03d}", report)
        if not result.saved or result.note:
            sys.exit(f"save {tag}-{i} failed: {result.note}")


def big_text(i: int) -> str:
    return f"<{i:06d}>" + "x" * BIG + f"</{i:06d}>"


def save_forever(root: str, started) -> None:
    store = DraftStore(root)
    i = 0
    while True:
        store.save("s02-kill", big_text(i))
        i += 1
        started.set()


def save_then_hang_mid_save(root: str, mid_save) -> None:
    store = DraftStore(root)
    store.save("s02-kill", big_text(0))

    def hang(fd: int) -> None:
        mid_save.set()  # the new version is in the temp file but not yet in place
        time.sleep(60)

    os.fsync = hang
    store.save("s02-kill", big_text(1))


def is_complete(text: str) -> bool:
    head, tail = text[:8], text[-9:]
    return len(text) == BIG + 17 and tail == f"</{head[1:7]}>" and set(text[8:-9]) == {"x"}


# --- saving and loading -----------------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path):
    store = DraftStore(tmp_path)
    report = real_report()
    result = store.save("s01-reply-all", GOOD_TEXT, report)

    assert result.saved and result.note is None
    assert result.path == tmp_path / "s01-reply-all.json"
    draft = store.load("s01-reply-all")
    assert draft.scenario_id == "s01-reply-all"
    assert draft.text == GOOD_TEXT
    assert draft.checks == 1
    assert draft.summary == report.summary()
    assert draft.report == report.to_dict()
    assert draft.passed is report.passed and draft.score == report.score
    utc(draft.saved_at)
    assert json.loads(result.path.read_text(encoding="utf-8"))["text"] == GOOD_TEXT
    assert store.drafts() == {"s01-reply-all": draft}


def test_save_without_report_keeps_text_and_counts_no_check(tmp_path):
    store = DraftStore(tmp_path)
    store.save("s01-a", "first", real_report())
    store.save("s01-a", "Ünïcode draft ✉️ with\nnew lines")

    draft = store.load("s01-a")
    assert draft.text == "Ünïcode draft ✉️ with\nnew lines"
    assert draft.report is None and draft.summary is None and draft.passed is None
    assert draft.checks == 1
    assert draft.saves == 2


def test_load_missing_returns_none_and_drafts_empty(tmp_path):
    store = DraftStore(tmp_path / "not-yet")
    assert store.load("s01-a") is None
    assert store.drafts() == {}
    assert store.learner_id is None


def test_history_keeps_last_20_versions(tmp_path):
    store = DraftStore(tmp_path)
    for i in range(25):
        store.save("s01-a", f"version {i}", real_report() if i % 2 else None)

    draft = store.load("s01-a")
    assert HISTORY_LIMIT == 20
    assert [v.text for v in draft.history] == [f"version {i}" for i in range(5, 25)]
    assert draft.history[-1].text == draft.text
    assert draft.history[-2].passed is real_report().passed
    assert draft.history[-2].score == real_report().score
    assert draft.history[-1].score is None
    assert draft.saves == 25 and draft.checks == 12
    # An accidental overwrite can be undone from the history.
    store.save("s01-a", draft.history[-3].text)
    assert store.load("s01-a").text == "version 22"


def test_save_leaves_no_temp_files_and_cleans_stale_ones(tmp_path):
    store = DraftStore(tmp_path)
    stale = tmp_path / ".s01-a.json.abc123.tmp"
    stale.write_text("half a save from a killed kernel")
    store.save("s01-a", "text")

    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s01-a.json", "s01-a.json.lock"]


# --- concurrency and crashes ------------------------------------------------------------------


def test_two_processes_saving_concurrently_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=save_many, args=(str(tmp_path), t, 50)) for t in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]

    data = json.loads((tmp_path / "s01-race.json").read_text(encoding="utf-8"))
    draft = DraftStore(tmp_path).load("s01-race")
    # Every read-modify-write saw the one before it: no save was overwritten.
    assert data["saves"] == 100 and draft.saves == 100
    assert draft.checks == 100
    texts = [v.text for v in draft.history]
    assert len(texts) == 20 and len(set(texts)) == 20
    assert texts[-1] == draft.text
    for tag in "ab":
        mine = [t for t in texts if t.startswith(tag)]
        assert mine == sorted(mine)  # each process's saves appear in the order it made them
    assert draft.text.endswith("-049")  # the last save of all was some process's last one


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_process_killed_while_saving_leaves_a_valid_file(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    store = DraftStore(tmp_path)
    saves = 0
    # Several kills at different moments, so some land in the middle of writing a file.
    for delay in (0.05, 0.12, 0.2):
        started = ctx.Event()
        worker = ctx.Process(target=save_forever, args=(str(tmp_path), started))
        worker.start()
        try:
            assert started.wait(30), "the saving process never saved"
            time.sleep(delay)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.join(10)
        assert worker.exitcode == -signal.SIGKILL

        draft = store.load("s02-kill")
        assert draft is not None and draft.note is None
        assert is_complete(draft.text)
        assert all(is_complete(v.text) for v in draft.history)
        assert draft.saves > saves  # the saves before each kill were kept
        saves = draft.saves
        assert not list(tmp_path.glob("*.corrupt-*"))

    # The killed process's lock is released and its half-written temp file cleaned up.
    result = DraftStore(tmp_path, lock_timeout=2).save("s02-kill", "after the crash")
    assert result.saved and result.note is None
    assert not list(tmp_path.glob(".*.tmp"))
    assert store.load("s02-kill").saves == saves + 1


def test_process_killed_between_writing_and_renaming_keeps_the_previous_save(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    mid_save = ctx.Event()
    worker = ctx.Process(target=save_then_hang_mid_save, args=(str(tmp_path), mid_save))
    worker.start()
    try:
        assert mid_save.wait(30), "the saving process never reached the middle of a save"
        assert list(tmp_path.glob(".s02-kill.json.*.tmp"))  # half-done save on disk
        worker.kill()
    finally:
        worker.join(10)

    draft = DraftStore(tmp_path).load("s02-kill")
    assert draft.text == big_text(0) and draft.saves == 1
    result = DraftStore(tmp_path, lock_timeout=2).save("s02-kill", "next")
    assert result.saved and result.note is None
    assert not list(tmp_path.glob(".*.tmp"))


def test_busy_lock_returns_a_not_saved_note_instead_of_raising(tmp_path):
    store = DraftStore(tmp_path, lock_timeout=0.1)
    store.save("s01-a", "kept")
    with FileLock(str(tmp_path / "s01-a.json.lock")):
        result = store.save("s01-a", "lost?")

    assert not result.saved
    assert "NOT saved" in result.note and "try again" in result.note
    assert store.load("s01-a").text == "kept"


def test_disk_error_returns_a_not_saved_note_instead_of_raising(tmp_path, monkeypatch):
    store = DraftStore(tmp_path)
    store.save("s01-a", "kept")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = store.save("s01-a", "new text")
    monkeypatch.undo()

    assert not result.saved
    assert "NOT saved" in result.note and "No space left on device" in result.note
    assert store.load("s01-a").text == "kept"
    assert not list(tmp_path.glob(".*.tmp"))


# --- damaged files ----------------------------------------------------------------------------

DAMAGED = {
    "garbage bytes": b"\x00\xff\xfe garbage \x80\x81",
    "truncated JSON": b'{"scenario_id": "s01-a", "text": "Hi Mar',
    "empty file": b"",
    "a list": b'["s01-a", "Hi"]',
    "missing text": b'{"scenario_id": "s01-a", "saved_at": "2026-11-26T12:00:00+00:00"}',
    "another scenario": json.dumps(
        {"scenario_id": "s09-other", "text": "x", "saved_at": "2026-11-26T12:00:00+00:00"}
    ).encode(),
    "bad history": json.dumps(
        {"scenario_id": "s01-a", "text": "x", "saved_at": "t", "history": [1, 2]}
    ).encode(),
    "negative checks": json.dumps(
        {"scenario_id": "s01-a", "text": "x", "saved_at": "t", "checks": -1}
    ).encode(),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_file_is_set_aside_on_load_and_the_next_save_says_so(tmp_path, content):
    path = tmp_path / "s01-a.json"
    path.write_bytes(content)
    store = DraftStore(tmp_path)

    assert store.load("s01-a") is None
    kept = list(tmp_path.glob("s01-a.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert not path.exists()
    note = store.note("s01-a")
    assert "s01-a was damaged" in note and kept[0].name in note and "fresh one" in note

    result = DraftStore(tmp_path).save("s01-a", "fresh text")
    assert result.saved and result.note == note
    assert store.load("s01-a").text == "fresh text"
    assert store.note("s01-a") is None  # told once, on the save that started afresh
    assert DraftStore(tmp_path).save("s01-a", "again").note is None


def test_damaged_file_found_while_saving_is_set_aside_with_a_note(tmp_path):
    (tmp_path / "s01-a.json").write_text('{"scenario_id": "s01-a", "te', encoding="utf-8")
    result = DraftStore(tmp_path).save("s01-a", "new draft", real_report())

    assert result.saved
    assert result.note.startswith("Your earlier save file for s01-a was damaged; it was kept as")
    assert len(list(tmp_path.glob("s01-a.json.corrupt-*"))) == 1
    draft = DraftStore(tmp_path).load("s01-a")
    assert draft.text == "new draft" and draft.checks == 1 and len(draft.history) == 1


def test_drafts_leaves_every_file_it_cannot_tell_is_a_draft_alone(tmp_path):
    store = DraftStore(tmp_path)
    store.save("s01-a", "good one")
    store.set_learner_id("ana-k")
    others = {
        "s02-b.json": b"\xff not json",
        "answers-ana-k.json": b"{}",
        "Notes.json": b"{}",
        "package.json": b'{"name": "my-app", "version": "1.0.0"}',
        "tsconfig.json": b"{,}",
    }
    for name, content in others.items():
        (tmp_path / name).write_bytes(content)

    drafts = store.drafts()
    assert list(drafts) == ["s01-a"] and drafts["s01-a"].text == "good one"
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert all((tmp_path / name).read_bytes() == content for name, content in others.items())
    assert store.learner_id == "ana-k"
    # Opening the scenario whose file it is sets a damaged save file aside, with a note.
    assert store.load("s02-b") is None
    assert len(list(tmp_path.glob("s02-b.json.corrupt-*"))) == 1


def test_drafts_sets_aside_a_damaged_file_the_course_wrote(tmp_path):
    store = DraftStore(tmp_path)
    store.save("s01-a", "good one")
    damaged = {"format": "outreach-coach/draft", "scenario_id": "s01-a", "text": 5}
    (tmp_path / "s01-a.json").write_text(json.dumps(damaged), encoding="utf-8")

    assert store.drafts() == {}
    assert len(list(tmp_path.glob("s01-a.json.corrupt-*"))) == 1


HOSTILE_JSON = {
    "nested": b"[" * 1000 + b"]" * 1000,
    "nested objects": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "huge integer": b'{"scenario_id": "s01-a", "text": "x", "checks": ' + b"9" * 5000 + b"}",
    "deep report": b'{"scenario_id": "s01-a", "text": "x", "saved_at": "2026-01-01", "report": '
    + b'{"a":' * 200
    + b"1"
    + b"}" * 200
    + b"}",
}


@pytest.mark.parametrize("content", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_nested_or_huge_number_json_is_a_damaged_file_not_a_crash(tmp_path, content):
    (tmp_path / "s01-a.json").write_bytes(content)
    store = DraftStore(tmp_path)

    assert store.drafts() == {} or store.load("s01-a") is None
    result = store.save("s01-a", "new text")
    assert result.saved and "damaged" in result.note
    assert store.load("s01-a").text == "new text"
    assert len(list(tmp_path.glob("s01-a.json.corrupt-*"))) == 1


def test_a_byte_order_mark_does_not_make_a_draft_damaged(tmp_path):
    store = DraftStore(tmp_path)
    store.save("s01-a", "my draft")
    path = tmp_path / "s01-a.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert store.load("s01-a").text == "my draft"
    assert not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_the_progress_folder_neither_hangs_nor_is_touched(tmp_path):
    os.mkfifo(tmp_path / "s01-a.json")
    os.mkfifo(tmp_path / "learner.json")
    store = DraftStore(tmp_path, lock_timeout=2)

    assert store.drafts() == {}
    assert store.load("s01-a") is None
    assert "named pipe" in store.note("s01-a")
    assert store.learner_id is None
    result = store.save("s01-a", "my draft")
    assert not result.saved and "named pipe" in result.note and "Move it" in result.note
    assert (tmp_path / "s01-a.json").is_fifo() and (tmp_path / "learner.json").is_fifo()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_is_not_read(tmp_path):
    (tmp_path / "s01-a.json").symlink_to("/dev/zero")
    (tmp_path / "learner.json").symlink_to("/dev/zero")
    store = DraftStore(tmp_path)

    assert store.drafts() == {}
    assert store.load("s01-a") is None and "a device" in store.note("s01-a")
    assert store.learner_id is None


def test_an_oversized_save_file_is_set_aside_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(storage.store, "MAX_SAVE_FILE_BYTES", 1000)
    store = DraftStore(tmp_path)
    store.save("s01-a", "x" * 2000)

    assert store.load("s01-a") is None
    assert len(list(tmp_path.glob("s01-a.json.corrupt-*"))) == 1


def test_a_draft_longer_than_the_grader_reads_is_saved_cut_with_a_note(tmp_path):
    store = DraftStore(tmp_path)
    result = store.save("s01-a", "y" * 1_000_000)

    assert result.saved and "1,000,000 characters" in result.note
    assert f"first {MAX_DRAFT_CHARS:,}" in result.note
    assert store.load("s01-a").text == "y" * MAX_DRAFT_CHARS


def test_a_lone_surrogate_is_saved_as_a_replacement_character_with_a_note(tmp_path):
    store = DraftStore(tmp_path)
    report = grade("Hi Maria \ud83d, thanks \ud83d\ude00", recipient=PROFILE)
    result = store.save("s01-a", "Hi Maria \ud83d, thanks \ud83d\ude00", report)

    assert result.saved and "broken characters" in result.note
    assert store.load("s01-a").text == "Hi Maria \ufffd, thanks 😀"


def test_a_symlinked_lock_file_does_not_empty_its_target(tmp_path):
    # filelock up to 3.20.0 opened the lock with O_TRUNC through the symlink.
    victim = tmp_path / "elsewhere.txt"
    victim.write_bytes(b"precious" * 25)
    progress = tmp_path / "progress"
    progress.mkdir()
    (progress / "s01-a.json.lock").symlink_to(victim)

    result = DraftStore(progress, lock_timeout=2).save("s01-a", "my draft")
    assert victim.read_bytes() == b"precious" * 25
    assert not result.saved and "symbolic links" in result.note  # refused, and the learner told


def test_repeated_damage_gets_distinct_corrupt_names(tmp_path):
    store = DraftStore(tmp_path)
    for _ in range(3):
        (tmp_path / "s01-a.json").write_text("nope", encoding="utf-8")
        assert store.load("s01-a") is None
    assert len(list(tmp_path.glob("s01-a.json.corrupt-*"))) == 3


# --- folder, ids ------------------------------------------------------------------------------


def test_env_var_overrides_the_progress_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OUTREACH_COACH_PROGRESS", str(tmp_path / "mine"))
    assert default_progress_dir() == tmp_path / "mine"
    result = DraftStore().save("s01-a", "text")
    assert result.path == tmp_path / "mine" / "s01-a.json" and result.path.exists()


def test_default_progress_folder_is_at_the_repository_root(monkeypatch):
    monkeypatch.delenv("OUTREACH_COACH_PROGRESS", raising=False)
    repo = Path(__file__).resolve().parent.parent
    assert default_progress_dir() == repo / "progress"
    assert DraftStore().root == repo / "progress"


BAD_SCENARIO_IDS = ["", "../escape", "a/b", "S01-upper", "s01_a", "s01.json", "-lead", "x" * 81]
BAD_SCENARIO_IDS += ["learner", "answers-ana", None]


@pytest.mark.parametrize("bad", BAD_SCENARIO_IDS)
def test_bad_scenario_ids_are_refused_before_touching_disk(tmp_path, bad):
    store = DraftStore(tmp_path)
    with pytest.raises(ValueError, match=r"Scenario id .* (not valid|reserved)"):
        store.save(bad, "text")
    with pytest.raises(ValueError, match="Scenario id"):
        store.load(bad)
    assert list(tmp_path.iterdir()) == []


def test_good_scenario_ids_are_accepted(tmp_path):
    store = DraftStore(tmp_path)
    for scenario_id in ("s01-reply-all", "learner-intro", "capstone-r07", "x" * 80):
        assert store.save(scenario_id, "text").saved
    assert len(store.drafts()) == 4


def test_learner_id_is_saved_and_validated(tmp_path):
    store = DraftStore(tmp_path)
    assert store.set_learner_id("  Ana.K_2026-b ") == "Ana.K_2026-b"
    assert DraftStore(tmp_path).learner_id == "Ana.K_2026-b"
    assert json.loads((tmp_path / "learner.json").read_text())["learner_id"] == "Ana.K_2026-b"
    assert check_learner_id("x" * 64) == "x" * 64


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("ana k", "contains a space"),
        ("ana/../k", "contains '/'"),
        ("ána", "contains 'á'"),
        ("x" * 65, "65 characters long"),
        (42, "must be text"),
    ],
)
def test_bad_learner_ids_raise_a_clear_message(tmp_path, bad, message):
    store = DraftStore(tmp_path)
    with pytest.raises(ValueError, match=message) as info:
        store.set_learner_id(bad)
    if isinstance(bad, str) and bad.strip():
        assert "letters, digits" in str(info.value)
    assert store.learner_id is None


def test_damaged_learner_file_is_set_aside(tmp_path):
    (tmp_path / "learner.json").write_text('{"learner_id": "bad id!"}', encoding="utf-8")
    store = DraftStore(tmp_path)
    assert store.learner_id is None
    assert len(list(tmp_path.glob("learner.json.corrupt-*"))) == 1
    store.set_learner_id("ana")
    assert store.learner_id == "ana"


def test_a_damaged_draft_in_a_read_only_folder_is_not_restored_silently(tmp_path, monkeypatch):
    path = tmp_path / "s01-a.json"
    path.write_bytes(b"{not json")

    def read_only(_path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.store, "set_aside", read_only)
    store = DraftStore(tmp_path)
    assert store.load("s01-a") is None
    note = store.note("s01-a")
    assert "could not be read or repaired (Permission denied)" in note
    assert "make that folder writable" in note
    assert path.read_bytes() == b"{not json"  # left exactly as it was


def test_the_best_check_outlives_the_history(tmp_path) -> None:
    from outreach_coach import data

    scenario = data.scenarios()["s01-mass-note"]
    people = {
        "recipient": data.recipients()[scenario.recipient],
        "sender": data.senders()[scenario.sender],
    }
    store = DraftStore(tmp_path)
    store.save(scenario.id, scenario.model_answer, grade(scenario.model_answer, **people))
    worse = grade(scenario.original, **people)
    for _ in range(HISTORY_LIMIT + 5):
        store.save(scenario.id, scenario.original, worse)
    draft = store.load(scenario.id)
    assert all(not v.passed for v in draft.history)
    assert draft.best.passed and draft.best.text == scenario.model_answer
    store.save(scenario.id, "Hi, saved without a check")  # an unchecked save keeps it too
    assert store.load(scenario.id).best.text == scenario.model_answer


def test_a_file_from_before_best_was_kept_takes_the_best_of_its_history(tmp_path) -> None:
    store = DraftStore(tmp_path)
    store.save("s01-mass-note", "second")
    path = store.path_for("s01-mass-note")
    document = json.loads(path.read_text("utf-8"))
    del document["best"], document["profile"]
    document["history"] = [
        {"text": "first", "saved_at": "2026-01-01T00:00:00+00:00", "score": 90, "passed": True},
        {"text": "second", "saved_at": "2026-01-02T00:00:00+00:00", "score": 40, "passed": False},
    ]
    path.write_text(json.dumps(document), encoding="utf-8")
    draft = store.load("s01-mass-note")
    assert draft.best.text == "first" and draft.profile is None


def test_a_profile_is_saved_with_the_draft_and_kept(tmp_path) -> None:
    store = DraftStore(tmp_path)
    profile = {"name": "Ines Carvalho", "interests": ["school visits"]}
    store.save("capstone-custom-ines", "Hi Ines", profile=profile)
    store.save("capstone-custom-ines", "Hi Ines, again")
    assert store.load("capstone-custom-ines").profile == profile


def test_course_json_is_not_a_scenario(tmp_path) -> None:
    store = DraftStore(tmp_path)
    store.record_quiz("storm-opt-out", True)
    assert store.drafts() == {}
    (tmp_path / "course.json").write_text("{broken", encoding="utf-8")
    assert store.quiz_results() == {}
