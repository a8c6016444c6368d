"""Disputed verdicts: the file the workbench writes, and `disputes DIR` turning them into
unlabelled corpus entries for a maintainer to label."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach_coach import data, disputes, grade
from outreach_coach.cli import main
from outreach_coach.storage import DraftStore
from outreach_coach.workbench import Workbench

SCENARIO = data.scenarios()["s02-wrong-offer"]
LABELS = ("personalization", "relevance", "mechanics", "etiquette")


def dispute_in(progress: Path, comment: str = 'It fits "their" post\\ \x07 really') -> Path:
    wb = Workbench(SCENARIO.id, store=DraftStore(progress))
    wb.draft.value = SCENARIO.model_answer + "\nTomás\t✓"
    return wb.dispute(comment)


def test_disputes_become_unlabelled_corpus_entries(tmp_path, capsys) -> None:
    path = dispute_in(tmp_path / "ana")
    dispute_in(tmp_path / "ben", comment="")
    assert main(["disputes", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    corpus = tomllib.loads(out)
    assert corpus["writer"] == "disputes"
    items = corpus["item"]
    assert len(items) == 2
    first = next(i for i in items if "note" in i)
    record = json.loads(path.read_text("utf-8"))
    assert first["text"] == record["draft"]
    assert first["note"] == record["comment"]
    assert first["recipient"]["name"] == data.recipients()[SCENARIO.recipient].name
    assert first["recipient"]["interests"] == list(data.recipients()[SCENARIO.recipient].interests)
    assert first["sender"]["offers"] == list(data.senders()[SCENARIO.sender].offers)
    for item in items:
        assert not set(LABELS) & set(item), "entries are for a maintainer to label"
    assert "# grader verdict:" in out
    # The entry grades as the dispute did: the same text, profile and sender.
    recipient = data.recipients()[SCENARIO.recipient]
    again = grade(first["text"], recipient=recipient, sender=data.senders()[SCENARIO.sender])
    assert again.to_dict() == record["report"]


def test_disputes_to_a_file_and_bad_files_listed(tmp_path, capsys) -> None:
    dispute_in(tmp_path)
    (tmp_path / "disputes" / "broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "to-label.toml"
    assert main(["disputes", str(tmp_path), "--output", str(out)]) == 3
    captured = capsys.readouterr()
    assert "broken.json" in captured.err
    assert "1 disputed verdict(s) written" in captured.out
    assert len(tomllib.loads(out.read_text("utf-8"))["item"]) == 1


def test_disputes_usage_errors(tmp_path, capsys) -> None:
    assert main(["disputes", str(tmp_path / "missing")]) == 2
    assert main(["disputes", str(tmp_path)]) == 2
    assert "no dispute files" in capsys.readouterr().err


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_toml_strings_read_back_as_written(text: str) -> None:
    parsed = tomllib.loads(f"value = {disputes.toml_string(text)}\n")["value"]
    # A multi-line string drops the line break right after its opening quotes, and TOML
    # reads a CR LF pair as a line break: both are what an author's editor would do.
    assert parsed.replace("\r\n", "\n") == text.replace("\r\n", "\n")


def test_a_dispute_file_of_another_kind_is_refused(tmp_path) -> None:
    other = tmp_path / "x.json"
    other.write_text('{"format": "outreach-coach/draft"}', encoding="utf-8")
    with pytest.raises(disputes.DisputeError, match="not a dispute file"):
        disputes.read_dispute(other)
