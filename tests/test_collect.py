"""`collect` copies every learner's export into a folder of its own, never overwrites, and says
who handed in nothing; the "Your id" box starts from the hub user name."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from outreach_coach import data
from outreach_coach.classreport.command import run
from outreach_coach.cli import main
from outreach_coach.collect import MANIFEST, collect, id_matches_folder, read_roster
from outreach_coach.storage import DraftStore, suggested_learner_id

S1 = next(s for s in data.scenarios().values() if s.use == "exercise")


def learner(home: Path, user: str, learner_id: str | None, where: str) -> Path | None:
    """A home folder with a draft saved in `where` and, if learner_id is given, an export."""
    store = DraftStore(home / user / where)
    store.save(S1.id, f"Hi there, this is {user}'s draft.")
    return store.export(learner_id) if learner_id else None


def test_collect_keeps_every_learner_apart_and_lists_who_has_nothing(tmp_path):
    homes, out = tmp_path / "home", tmp_path / "out"
    learner(homes, "ana", "ana", "not-the-place-for-spam-progress")
    learner(homes, "ben", "ana-k", "not-the-place-for-spam/progress")  # typed the example id
    learner(homes, "cat", "ana-k", "not-the-place-for-spam-progress")  # the same example id
    learner(homes, "dan", None, "not-the-place-for-spam-progress")  # never exported
    (homes / "eve").mkdir()  # never opened the course
    roster = tmp_path / "roster.txt"
    roster.write_text("# class of Tuesday\nana\nben\ncat\ndan\neve\nfay\n", encoding="utf-8")

    code = main(["collect", str(homes), str(out), "--roster", str(roster)])

    assert code == 3
    assert json.loads((out / "ben" / "answers-ana-k.json").read_text())["learner_id"] == "ana-k"
    assert json.loads((out / "cat" / "answers-ana-k.json").read_text())["learner_id"] == "ana-k"
    assert "ben's draft" in (out / "ben" / "answers-ana-k.json").read_text()
    assert "cat's draft" in (out / "cat" / "answers-ana-k.json").read_text()
    result = collect(homes, out, read_roster(roster))
    assert result.no_answers == ["dan", "eve"]
    assert result.not_found == ["fay"]
    assert {item.folder for item in result.mismatched} == {"ben", "cat"}
    assert all(item.status == "already-there" for item in result.files)


def test_collect_never_overwrites_a_changed_export(tmp_path):
    homes, out = tmp_path / "home", tmp_path / "out"
    learner(homes, "ana", "ana", "progress")
    collect(homes, out)
    first = (out / "ana" / "answers-ana.json").read_text()
    store = DraftStore(homes / "ana" / "progress")
    store.save(S1.id, "A second, better draft.")
    store.export("ana")

    collect(homes, out)
    collect(homes, out)

    assert (out / "ana" / "answers-ana.json").read_text() == first
    assert "better draft" in (out / "ana" / "answers-ana (2).json").read_text()
    assert not (out / "ana" / "answers-ana (3).json").exists()
    rows = list(csv.DictReader((out / MANIFEST).open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["copied", "copied", "already-there"]
    assert {r["folder"] for r in rows} == {"ana"}
    assert rows[1]["file"] == "ana/answers-ana (2).json"


def test_collect_skips_links_and_fifos_and_reports_them(tmp_path):
    homes, out = tmp_path / "home", tmp_path / "out"
    learner(homes, "ana", "ana", "progress")
    secret = tmp_path / "secret.json"
    secret.write_text('{"not": "yours"}', encoding="utf-8")
    (homes / "bob" / "progress").mkdir(parents=True)
    (homes / "bob" / "progress" / "answers-bob.json").symlink_to(secret)
    os.mkfifo(homes / "bob" / "progress" / "answers-fifo.json")
    (homes / "eve").symlink_to(homes / "ana", target_is_directory=True)

    result = collect(homes, out)

    assert [i.status for i in result.files if i.folder == "bob"] == ["unreadable"] * 2
    assert not (out / "bob").exists()
    assert not (out / "eve").exists()
    assert result.no_answers == ["bob"]
    assert result.exit_code == 3


def test_collected_folder_is_what_the_report_reads_and_it_warns_on_ids(tmp_path, capsys):
    homes, out = tmp_path / "home", tmp_path / "out"
    learner(homes, "ana", "ana", "progress")
    learner(homes, "jupyter-ben", "ben", "progress")  # TLJH's user folder name
    learner(homes, "cat", "ana-k", "progress")
    collect(homes, out)

    outcome = run(out, html=tmp_path / "r.html")

    assert sorted(outcome.figures.drafts()["learner"].unique()) == ["ana", "ana-k", "ben"]
    err = capsys.readouterr().err
    assert "cat/answers-ana-k.json" in err and "does not match" in err
    assert "jupyter-ben" not in err
    assert "does not match its folder" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_collect_refuses_an_output_inside_the_source(tmp_path, capsys):
    (tmp_path / "ana").mkdir()
    assert main(["collect", str(tmp_path), str(tmp_path / "ana" / "out")]) == 2
    assert "inside" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("learner_id", "folder", "matches"),
    [
        ("ana", "ana", True),
        ("ben", "jupyter-ben", True),
        ("ana-k", "ben", False),
        ("Ana", "ana", True),
        ("ana-example.org", "ana@example.org", True),
    ],
)
def test_id_matches_folder(learner_id, folder, matches):
    assert id_matches_folder(learner_id, folder) is matches


def test_the_id_box_starts_from_the_hub_user_name():
    assert suggested_learner_id(None, {"JUPYTERHUB_USER": "kira"}) == "kira"
    assert suggested_learner_id(None, {"JUPYTERHUB_USER": "kira@example.org"}) == "kira-example.org"
    assert suggested_learner_id("ana-k", {"JUPYTERHUB_USER": "kira"}) == "ana-k"
    assert suggested_learner_id(None, {}) == ""


def test_the_workbench_fills_the_id_box_from_jupyterhub_user(tmp_path, monkeypatch):
    from outreach_coach.workbench import Workbench

    monkeypatch.setenv("JUPYTERHUB_USER", "kira")
    bench = Workbench(S1.id, store=DraftStore(tmp_path))
    assert bench.learner_id.value == "kira"
