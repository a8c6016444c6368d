"""python -m outreach_coach check: grades a draft from a file or stdin; exit code says pass/fail."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from outreach_coach import data
from outreach_coach.cli import main

SCENARIO = next(s for s in data.scenarios().values() if s.use == "exercise")


def test_passing_draft_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(SCENARIO.model_answer, encoding="utf-8")
    assert main(["check", "--scenario", SCENARIO.id, "--file", str(draft)]) == 0
    assert capsys.readouterr().out.startswith("Overall: PASSED")


def test_failing_draft_exits_one(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(SCENARIO.original, encoding="utf-8")
    assert main(["check", "--scenario", SCENARIO.id, "--file", str(draft)]) == 1
    assert "NEEDS WORK" in capsys.readouterr().out


def test_json_output_is_report_to_dict(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(SCENARIO.original, encoding="utf-8")
    main(["check", "--scenario", SCENARIO.id, "--file", str(draft), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is False
    assert set(payload["categories"]) == {"personalization", "relevance", "mechanics", "etiquette"}


def test_recipient_and_sender_rows(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(SCENARIO.model_answer, encoding="utf-8")
    code = main(
        [
            "check",
            "--recipient",
            SCENARIO.recipient,
            "--sender",
            SCENARIO.sender,
            "--file",
            str(draft),
        ]
    )
    assert code == 0


def test_stdin_via_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "outreach_coach", "check", "--scenario", SCENARIO.id],
        input=SCENARIO.original,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Overall: NEEDS WORK" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--scenario", "no-such-scenario", "--file", "x"], "unknown scenario id"),
        (["check", "--recipient", "nobody", "--file", "x"], "unknown recipient id"),
        (["check", "--file", "x"], "--scenario ID or --recipient ID"),
        (["check", "--scenario", SCENARIO.id, "--file", "/no/such/draft.txt"], "not found"),
    ],
)
def test_usage_errors_exit_two_with_a_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_non_utf8_draft(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"\xff\xfe\x00bad")
    assert main(["check", "--scenario", SCENARIO.id, "--file", str(draft)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
