"""Command line: `check` grades one draft; `report` grades a class's exported answers;
`collect` gathers those answers from learners' home folders; `disputes` turns verdicts learners
questioned into unlabelled corpus entries."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import data
from .files import printable
from .grader import grade

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


class UsageError(Exception):
    """Bad arguments or input: the message says what is wrong and what to do."""


def _read_draft(file: str | None) -> str:
    if file is None or file == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no draft given: pass --file DRAFT.txt or pipe the text on stdin")
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"draft file not found: {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text: save the draft as plain UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _lookup(table: dict, key: str, kind: str) -> object:
    if key not in table:
        known = ", ".join(sorted(table)) or "none"
        raise UsageError(f"unknown {kind} id {key!r}; known ids: {known}")
    return table[key]


def _people(args: argparse.Namespace) -> tuple[object, object | None]:
    recipient = sender = None
    if args.scenario:
        scenario = _lookup(data.scenarios(), args.scenario, "scenario")
        recipient = data.recipients()[scenario.recipient]
        sender = data.senders()[scenario.sender]
    if args.recipient:
        recipient = _lookup(data.recipients(), args.recipient, "recipient")
    if args.sender:
        sender = _lookup(data.senders(), args.sender, "sender")
    if recipient is None:
        raise UsageError("say who the message is for: --scenario ID or --recipient ID")
    return recipient, sender


def run_check(args: argparse.Namespace) -> int:
    """Grade one draft and print the report; non-zero exit when any category fails."""
    recipient, sender = _people(args)
    report = grade(_read_draft(args.file), recipient=recipient, sender=sender)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.summary())
    return EXIT_OK if report.passed else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m outreach_coach",
        description="Grade LinkedIn outreach messages the way the course does.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="grade one draft message")
    check.add_argument("--scenario", help="scenario id from data/scenarios.toml")
    check.add_argument("--recipient", help="recipient id from data/recipients.csv")
    check.add_argument("--sender", help="sender id from data/senders.csv")
    check.add_argument("--file", help="the draft as a UTF-8 text file (default: stdin)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(run=run_check)
    _add_report_parser(commands)
    _add_collect_parser(commands)
    _add_disputes_parser(commands)
    return parser


def _add_disputes_parser(commands: argparse._SubParsersAction) -> None:
    disputes = commands.add_parser(
        "disputes",
        help="turn disputed verdicts into unlabelled corpus entries",
        description=(
            "Read the dispute files (progress/disputes/*.json, written by the workbench's "
            "'This verdict looks wrong' button) in DIR, its disputes/ folder, or the disputes/ "
            "folders of the progress folders inside it, and print them as unlabelled [[item]] "
            "entries in the corpus format (data/corpus/README.md), the comment as note."
        ),
        epilog=(
            "Exit codes: 0 every file was read; 3 the entries were written but some files "
            "were not dispute files (each listed on stderr); 2 usage error."
        ),
    )
    disputes.add_argument("folder", metavar="DIR", help="a progress folder or a class's folders")
    disputes.add_argument("--output", "-o", metavar="PATH", help="write the TOML here")
    disputes.set_defaults(run=run_disputes)


def run_disputes(args: argparse.Namespace) -> int:
    """Print (or write) unlabelled corpus entries for every dispute file found."""
    from . import disputes

    folder = Path(args.folder)
    if not folder.exists():
        raise UsageError(f"{folder} does not exist: pass a progress folder or a class's folder")
    found, problems = disputes.read_disputes(folder)
    for path, reason in problems:
        print(f"skipped {printable(str(path))}: {printable(reason)}", file=sys.stderr)
    if not found:
        raise UsageError(
            f"no dispute files in {folder}: expected progress/disputes/<scenario>-<time>.json"
        )
    text = disputes.corpus_toml(found)
    if args.output:
        try:
            path = disputes.write_corpus_toml(text, args.output)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
        print(f"{len(found)} disputed verdict(s) written to {printable(str(path))}")
    else:
        sys.stdout.write(text)
    return EXIT_PARTIAL if problems else EXIT_OK


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {number}")
    return number


def _add_report_parser(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="grade a class's exported answers and write an HTML/CSV report",
        description=(
            "Read every exported-answers file (answers-<learner>.json) in SUBMISSIONS_DIR, or "
            "one learner's progress folder, grade each draft again and write the class report. "
            "Learner code is never run: only the answers' text is read."
        ),
        epilog=(
            "Exit codes: 0 every file was graded; 3 the report was written but some files "
            "(or answers) were not graded, each listed on stderr and in the report; "
            "2 usage error (folder missing, nothing to read, cannot write the report)."
        ),
    )
    report.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="folder of answers files")
    report.add_argument("--html", metavar="PATH", help="write the HTML report here")
    report.add_argument("--csv", metavar="PATH", help="write the gradebook table (CSV) here")
    report.add_argument(
        "--anonymize",
        action="store_true",
        help="show stable pseudonyms (learner-1a2b3c4d) instead of learner ids in HTML and CSV",
    )
    report.add_argument(
        "--feedback-dir",
        metavar="DIR",
        help="write one feedback-<learner>.md per learner here (named by the real id)",
    )
    report.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=None,
        metavar="N",
        help="skip files larger than N bytes (default 4000000)",
    )
    report.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="grading processes (default: one per CPU for large classes)",
    )
    report.add_argument(
        "--roster",
        metavar="FILE",
        help="class list, one name (hub user name or learner id) per line: lists who handed "
        "in nothing",
    )
    report.add_argument(
        "--watch",
        type=_positive_int,
        default=None,
        metavar="N",
        help="rewrite the report every N seconds until Ctrl+C (the HTML page reloads itself)",
    )
    report.set_defaults(run=run_report)


def _add_collect_parser(commands: argparse._SubParsersAction) -> None:
    collect = commands.add_parser(
        "collect",
        help="copy learners' exported answers from their home folders, one folder each",
        description=(
            "Copy every answers-*.json found in each learner folder of SOURCE (hub home "
            "folders such as /home, or any folder of learner folders) into OUT/<folder>/, "
            "never overwriting; list who has no answers; record every copy in "
            "OUT/collected.csv. Then run: python -m outreach_coach report OUT"
        ),
        epilog=(
            "Exit codes: 0 everyone handed something in; 3 collected, but someone has no "
            "answers (or a file could not be read), as listed; 2 usage error."
        ),
    )
    collect.add_argument("source", metavar="SOURCE", help="folder of learner (home) folders")
    collect.add_argument("out", metavar="OUT", help="folder to collect into (made if missing)")
    collect.add_argument(
        "--roster", metavar="FILE", help="class list, one name per line: who has no folder"
    )
    collect.set_defaults(run=run_collect)


def run_collect(args: argparse.Namespace) -> int:
    """Collect learners' exports into one folder per learner; 3 when someone has none."""
    from . import collect

    try:
        return collect.run(args.source, args.out, args.roster)
    except collect.CollectError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(
            f"cannot write {error.filename or args.out}: {error.strerror or error}"
        ) from None


def run_report(args: argparse.Namespace) -> int:
    """Grade a folder of exported answers; 0 if every file was graded, 3 if some were not."""
    # Late: pandas and matplotlib are not needed by `check`.
    from .classreport.command import run_command
    from .classreport.loading import ReportInputError

    try:
        return run_command(args)
    except ReportInputError as error:
        raise UsageError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        data.load_all()
        return args.run(args)
    except (UsageError, data.DataError) as error:
        print(f"error: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
