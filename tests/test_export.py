"""Exported answers round-trip through read_answers, which rejects bad files with a clear reason."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache

import pytest

import outreach_coach
from outreach_coach import grade
from outreach_coach.storage import (
    MAX_BYTES,
    SCHEMA,
    SCHEMA_VERSION,
    AnswersError,
    DraftStore,
    read_answers,
)
from tests.people import MARIA as PROFILE

TEXT = (
    "Hi Maria,\n\nI read your post about cutting spoilage in refrigerated trucks. Our sensors "
    "flag warm trailers before the food spoils; would a two-page case study help your team?\n\n"
    "Best,\nSam"
)


@cache
def real_report():
    return grade(TEXT, recipient=PROFILE)


def valid_data(**changes):
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "learner_id": "ana-k",
        "exported_at": "2026-11-26T12:00:00+00:00",
        "course_version": "0.1.0",
        "answers": [
            {
                "scenario_id": "s01-a",
                "draft": "Hi",
                "saved_at": "2026-11-26T11:58:00+00:00",
                "checks": 3,
                "report": None,
            }
        ],
    }
    data.update(changes)
    return data


def write(tmp_path, data, name="answers-ana-k.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_export_round_trips_through_read_answers(tmp_path):
    store = DraftStore(tmp_path)
    report = real_report()
    store.save("s02-b", "Ünïcode ✉️ draft")
    store.save("s01-a", "first try", report)
    store.save("s01-a", TEXT, report)

    path = store.export("ana-k")
    assert path == tmp_path / "answers-ana-k.json"
    data = read_answers(path)
    assert data["schema"] == SCHEMA == "outreach-coach/answers"
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["learner_id"] == "ana-k"
    assert data["course_version"] == outreach_coach.__version__
    assert datetime.fromisoformat(data["exported_at"]).utcoffset() == timedelta(0)
    first, second = data["answers"]
    saved = store.load("s01-a")
    assert first == {
        "scenario_id": "s01-a",
        "draft": TEXT,
        "saved_at": saved.saved_at,
        "checks": 2,
        "report": report.to_dict(),
        # Every checked version, oldest first: the class report's first-vs-best check.
        "history": [
            {"text": v.text, "saved_at": v.saved_at, "score": report.score, "passed": True}
            for v in saved.history
        ],
    }
    assert [v["text"] for v in first["history"]] == ["first try", TEXT]
    assert second["history"] == []
    assert second["scenario_id"] == "s02-b" and second["draft"] == "Ünïcode ✉️ draft"
    assert second["checks"] == 0 and second["report"] is None
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_uses_the_saved_learner_id_and_a_chosen_folder_or_file(tmp_path):
    store = DraftStore(tmp_path / "progress")
    store.save("s01-a", "text")
    with pytest.raises(ValueError, match="learner id first"):
        store.export()
    store.set_learner_id("bo")

    out = tmp_path / "out"
    out.mkdir()
    assert store.export(path=out) == out / "answers-bo.json"
    assert read_answers(out / "answers-bo.json")["learner_id"] == "bo"
    chosen = tmp_path / "mine.json"
    assert store.export("ana-k", chosen) == chosen
    assert read_answers(chosen)["answers"][0]["draft"] == "text"


def test_export_with_no_drafts_is_valid_and_bad_learner_id_is_refused(tmp_path):
    store = DraftStore(tmp_path)
    assert read_answers(store.export("ana-k"))["answers"] == []
    with pytest.raises(ValueError, match="contains a space"):
        store.export("ana k")


def test_read_answers_accepts_extra_fields_and_a_bom(tmp_path):
    data = valid_data(extra="kept")
    data["answers"][0]["note"] = "also kept"
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    before = path.read_bytes()

    assert read_answers(path) == data
    assert path.read_bytes() == before  # reading never touches the file


def answers_with(**fields):
    answer = {"scenario_id": "s01-a", "draft": "Hi", "saved_at": "2026-11-26T11:58:00+00:00"}
    answer.update(fields)
    return valid_data(answers=[{k: v for k, v in answer.items() if v is not ...}])


BAD_DATA = {
    "top is a list": ([], "expected a JSON object"),
    "wrong schema": (valid_data(schema="something/else"), "'schema' must be"),
    "schema version 2": (valid_data(schema_version=2), "schema_version 2 is not supported"),
    "schema version text": (valid_data(schema_version="1"), "'schema_version' must be"),
    "schema version missing": (
        {k: v for k, v in valid_data().items() if k != "schema_version"},
        "'schema_version' must be",
    ),
    "learner id missing": (
        {k: v for k, v in valid_data().items() if k != "learner_id"},
        "'learner_id' must be",
    ),
    "learner id bad": (valid_data(learner_id="../../etc"), "'learner_id' must be"),
    "answers missing": (
        {k: v for k, v in valid_data().items() if k != "answers"},
        "'answers' must be a list",
    ),
    "answers not a list": (valid_data(answers={"s01": "x"}), "'answers' must be a list"),
    "answer not object": (valid_data(answers=["Hi"]), r"answers\[0\] must be an object"),
    "draft missing": (
        answers_with(draft=...),
        r"answers\[0\]: field 'draft' must be text \(missing",
    ),
    "draft number": (answers_with(draft=5), r"'draft' must be text \(found the number 5"),
    "scenario id missing": (answers_with(scenario_id=...), "'scenario_id' must be text"),
    "saved_at null": (answers_with(saved_at=None), "'saved_at' must be text"),
    "checks negative": (answers_with(checks=-1), "'checks' must be a whole number"),
    "report text": (answers_with(report="good"), "'report' must be an object or null"),
    "exported_at number": (valid_data(exported_at=5), "'exported_at' must be text"),
}


@pytest.mark.parametrize(("data", "reason"), BAD_DATA.values(), ids=BAD_DATA.keys())
def test_read_answers_rejects_bad_content_with_a_specific_reason(tmp_path, data, reason):
    path = write(tmp_path, data)
    with pytest.raises(AnswersError, match=reason) as info:
        read_answers(path)
    assert info.value.reason == str(info.value)
    assert info.value.path == path
    assert str(info.value).startswith("answers-ana-k.json")


def test_read_answers_rejects_a_newer_schema_saying_to_update(tmp_path):
    with pytest.raises(AnswersError, match="newer course: update"):
        read_answers(write(tmp_path, valid_data(schema_version=2)))


def test_read_answers_rejects_duplicate_scenarios(tmp_path):
    answer = valid_data()["answers"][0]
    with pytest.raises(AnswersError, match=r"answers\[1\]: scenario 's01-a' appears twice"):
        read_answers(write(tmp_path, valid_data(answers=[answer, answer])))


def test_read_answers_rejects_invalid_json_with_line_and_column(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{\n  "schema": "outreach-coach/answers",\n  "answers": [\n', encoding="utf-8")
    with pytest.raises(AnswersError, match=r"not valid JSON \(.* at line 4, column 1\)"):
        read_answers(path)


def test_read_answers_rejects_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(json.dumps(valid_data(learner_id="ana")).replace("Hi", "Olé").encode("cp1252"))
    with pytest.raises(AnswersError, match=r"not UTF-8 text \(bad byte at position \d+\)"):
        read_answers(path)


def test_read_answers_rejects_a_file_that_is_too_large(tmp_path):
    path = write(tmp_path, valid_data())
    size = path.stat().st_size
    assert read_answers(path, max_bytes=size)["learner_id"] == "ana-k"
    with pytest.raises(AnswersError, match=f"larger than {size - 1:,} bytes"):
        read_answers(path, max_bytes=size - 1)
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: too large without writing it all
    with pytest.raises(AnswersError, match=f"larger than {MAX_BYTES:,} bytes"):
        read_answers(big)


def test_read_answers_reports_missing_files_and_folders(tmp_path):
    with pytest.raises(AnswersError, match=r"nope\.json: file not found"):
        read_answers(tmp_path / "nope.json")
    with pytest.raises(AnswersError, match="is a folder"):
        read_answers(tmp_path)


def test_answers_error_is_a_value_error():
    assert issubclass(AnswersError, ValueError)
