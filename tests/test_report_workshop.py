"""The class report in a workshop: the capstone graded, an honest first screen, a roster, a
live mode, improvement from the draft history, and disputed verdicts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

from outreach_coach import data
from outreach_coach.classreport.command import run, watch
from outreach_coach.classreport.figures import ClassFigures
from outreach_coach.classreport.grading import FRAME_COLUMNS, grade_class
from outreach_coach.classreport.html import CSS, render_html
from outreach_coach.classreport.loading import Answer, Submission, load_submissions, targets
from outreach_coach.cli import main
from outreach_coach.grader import grade
from outreach_coach.grader.report import Finding
from outreach_coach.storage import DraftStore

S1 = next(s for s in data.scenarios().values() if s.use == "exercise")


def checked(store: DraftStore, scenario_id: str, text: str, recipient: str, sender: str) -> None:
    report = grade(text, recipient=data.recipients()[recipient], sender=data.senders()[sender])
    store.save(scenario_id, text, report)


def capstone_people() -> tuple[str, str]:
    sender = next(iter(data.senders().values()))
    recipient = next(r for r in data.recipients().values() if r.name != sender.name)
    return recipient.id, sender.id


def test_a_capstone_draft_is_exported_with_its_people_and_graded(tmp_path):
    recipient, sender = capstone_people()
    name = data.senders()[sender].name
    text = f"Hi {data.recipients()[recipient].name.split()[0]},\n\nA short note.\n\nBest,\n{name}"
    store = DraftStore(tmp_path / "class" / "ana")
    checked(store, f"capstone-{recipient}", text, recipient, sender)
    exported = json.loads(store.export("ana").read_text(encoding="utf-8"))
    answer = exported["answers"][0]
    assert (answer["recipient_id"], answer["sender_id"]) == (recipient, sender)

    accepted, rejected = load_submissions(tmp_path / "class")

    assert not [r for r in rejected if r.kind in ("unknown-scenario", "draft-scenario")]
    frame = grade_class(accepted)
    assert set(frame["scenario"]) == {f"capstone-{recipient}"}
    expected = grade(text, recipient=data.recipients()[recipient], sender=data.senders()[sender])
    assert frame["scenario_score"].iloc[0] == expected.score
    assert "Capstone: your own prospect, to" in targets()[f"capstone-{recipient}"].title


def finding(code: str, severity: str) -> Finding:
    return Finding(code, code, "mechanics", severity, "m", "h", lesson="lessons/05_x.ipynb")


def frame_of(rows: list[tuple[str, bool, float, str, tuple[Finding, ...]]]) -> pd.DataFrame:
    """A graded frame by hand: (learner, passed, score, draft, findings), one category row."""
    return pd.DataFrame(
        [
            {
                "learner": learner,
                "scenario": S1.id,
                "category": "mechanics",
                "passed": passed,
                "score": score,
                "codes": " ".join(f.code for f in findings),
                "scenario_passed": passed,
                "scenario_score": score,
                "origin": "own",
                "draft": draft,
                "saved_at": "",
                "findings": findings,
            }
            for learner, passed, score, draft, findings in rows
        ],
        columns=list(FRAME_COLUMNS),
    )


WARN, ERR = finding("too-short", "warning"), finding("no-greeting", "error")
CLASS = frame_of(
    [
        ("ana", True, 90.0, "Hi Ana, a passing draft.", (WARN,)),
        ("ben", True, 90.0, "Hi Ben, another passing draft.", (WARN,)),
        ("cat", False, 75.0, "half-written and failing", (ERR, WARN)),
    ]
)


def test_findings_rank_the_errors_that_failed_drafts_above_commoner_warnings():
    ranked = [(f.code, count) for f, count in ClassFigures.of(CLASS).top_findings()]
    assert ranked == [("no-greeting", 1), ("too-short", 3)]


def test_the_gallery_shows_passing_drafts_only():
    shown = ClassFigures.of(CLASS).best_rewrites()[S1.id]
    assert [draft.learner for draft in shown] == ["ana", "ben"]
    page = render_html(CLASS)
    gallery = page[page.index("id='gallery'") : page.index("id='learners'")]
    assert "half-written" not in gallery


def test_the_first_screen_has_no_mean_score_card_and_counts_are_whole_numbers():
    page = render_html(pd.concat([CLASS, CLASS.assign(scenario="s02-wrong-offer")]))
    summary = page[page.index("id='summary'") : page.index("id='categories'")]
    assert "Mean score" not in summary
    learners = page[page.index("id='learners'") :]
    assert "<td class='num'>2</td>" in learners
    assert not re.search(r"<td class='num'>\d+\.0</td>", learners)


def test_printing_opens_the_folded_learners_section():
    css = CSS
    assert "@media print" in css and "details::details-content" in css


def write_export(folder: Path, learner: str, answers: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"answers-{learner}.json"
    document = {
        "schema": "outreach-coach/answers",
        "schema_version": 1,
        "learner_id": learner,
        "exported_at": "2026-12-01T10:00:00+00:00",
        "answers": answers,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_roster_lists_who_handed_in_nothing(tmp_path, capsys):
    write_export(tmp_path / "class" / "ana", "ana", [])  # exported before any check
    write_export(tmp_path / "class", "ben", [{"scenario_id": S1.id, "draft": "Hi", "saved_at": ""}])
    roster = tmp_path / "roster.txt"
    roster.write_text("ana\nben\nzed\n", encoding="utf-8")

    code = main(
        [
            "report",
            str(tmp_path / "class"),
            "--html",
            str(tmp_path / "r.html"),
            "--roster",
            str(roster),
        ]
    )

    assert code == 3  # ana's file has no answers
    assert "Nothing handed in by: zed" in capsys.readouterr().err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "id='missing'" in page and "<li>zed</li>" in page


def test_watch_rewrites_the_report_until_stopped(tmp_path):
    folder = tmp_path / "class"
    write_export(folder, "ana", [{"scenario_id": S1.id, "draft": S1.model_answer, "saved_at": ""}])
    html = tmp_path / "live.html"
    pages = []

    def sleep(seconds: float) -> None:
        pages.append(html.read_text(encoding="utf-8"))
        write_export(folder, "ben", [{"scenario_id": S1.id, "draft": "Hi", "saved_at": ""}])

    code = watch(5, rounds=2, sleep=sleep, submissions=folder, html=html)

    assert code == 0
    assert "<meta http-equiv='refresh' content='5'>" in pages[0]
    assert ">1</b>Learners graded" in pages[0]
    assert ">2</b>Learners graded" in html.read_text(encoding="utf-8")
    assert main(["report", str(folder), "--watch", "5"]) == 2  # needs --html


def test_improvement_from_the_history_first_check_against_best(tmp_path):
    scenario = S1
    store = DraftStore(tmp_path / "class" / "ana")
    checked(store, scenario.id, scenario.original, scenario.recipient, scenario.sender)
    checked(store, scenario.id, scenario.model_answer, scenario.recipient, scenario.sender)
    store.export("ana")
    html = tmp_path / "r.html"

    outcome = run(tmp_path / "class", html=html)

    assert outcome.exit_code == 0
    page = html.read_text(encoding="utf-8")
    section = page[page.index("id='improvement'") : page.index("id='scores'")]
    assert "Failed first, passed later" in section
    improvement = []
    accepted, _ = load_submissions(tmp_path / "class")
    grade_class(accepted, improvement=improvement)
    rows = pd.DataFrame(improvement)
    assert len(rows) == 4 and rows["checks"].eq(2).all()
    assert rows["best_passed"].all() and not rows["first_passed"].all()


def test_disputed_verdicts_are_listed_and_bad_dispute_files_do_not_stop_the_report(tmp_path):
    folder = tmp_path / "class"
    write_export(folder / "ana", "ana", [{"scenario_id": S1.id, "draft": "Hi", "saved_at": ""}])
    disputes = folder / "ana" / "disputes"
    disputes.mkdir()
    report = {
        "categories": {"mechanics": {"findings": [{"code": "no-greeting", "severity": "error"}]}}
    }
    (disputes / "1.json").write_text(
        json.dumps(
            {
                "scenario_id": S1.id,
                "draft": "Hi <b>Maria</b>",
                "report": report,
                "comment": "I did greet her!",
            }
        ),
        encoding="utf-8",
    )
    (disputes / "2.json").write_text('{"no": "comment"}', encoding="utf-8")
    (disputes / "3.json").write_text("[[[[", encoding="utf-8")
    os.mkfifo(disputes / "4.json")
    html = tmp_path / "r.html"

    outcome = run(folder, html=html)

    page = html.read_text(encoding="utf-8")
    section = page[page.index("id='disputes'") :]
    assert "I did greet her!" in section and "no-greeting" in section
    assert "Hi &lt;b&gt;Maria&lt;/b&gt;" in section
    kinds = {r.source: r.kind for r in outcome.rejected}
    assert all(kinds[f"ana/disputes/{n}.json"] == "dispute" for n in (2, 3, 4))


def test_first_against_best_for_a_reply_covers_the_two_categories_it_is_graded_on() -> None:
    reply = data.scenarios()["l06-reply"]
    history = (reply.original, reply.model_answer)
    answer = Answer(reply.id, reply.model_answer, history=history)
    submission = Submission("ana", "answers-ana.json", None, (answer,))
    improvement: list = []
    grade_class([submission], improvement=improvement)
    rows = pd.DataFrame(improvement)
    assert list(rows["category"]) == ["mechanics", "etiquette"]
    assert rows["checks"].eq(2).all() and rows["best_passed"].all()
