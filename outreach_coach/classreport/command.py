"""The `report` command: load, grade and write the report files, once or every N seconds."""

from __future__ import annotations

import os
import sys
import time
from argparse import Namespace
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from ..files import printable
from ..report import CATEGORIES
from .anonymity import anonymize, class_secret, pseudonym, pseudonyms, secret_folder
from .figures import draft_rows, quiz_table
from .gradebook import write_csv, write_feedback
from .grading import IMPROVEMENT_COLUMNS, ImprovementRow, grade_class
from .html import Extras, percent, render_html
from .loading import (
    DEFAULT_MAX_BYTES,
    Rejected,
    ReportInputError,
    id_mismatches,
    load_disputes,
    load_submissions,
    nothing_handed_in,
    targets,
)

EXIT_OK = 0
EXIT_REJECTED = 3  # the report was written, but some files (or answers) were not graded


@dataclass
class Outcome:
    """What one run of the report produced (for the command's summary and for tests)."""

    frame: pd.DataFrame
    rejected: list[Rejected]
    written: list[Path] = field(default_factory=list)  # the HTML and CSV files
    feedback: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # roster names with nothing handed in

    @property
    def exit_code(self) -> int:
        """0 when every file was graded, EXIT_REJECTED (3) when some were not."""
        return EXIT_REJECTED if self.rejected else EXIT_OK


def run(
    submissions: str | os.PathLike[str],
    *,
    html: str | os.PathLike[str] | None = None,
    csv: str | os.PathLike[str] | None = None,
    anonymize_ids: bool = False,
    feedback_dir: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    progress: bool | None = None,
    roster: Sequence[str] = (),
    refresh: int | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> Outcome:
    """Load, grade and write the report files; problems with single files go to `err`.

    `roster` names the class: those with nothing handed in are listed. `refresh` (seconds)
    makes the HTML page reload itself, for --watch.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    accepted, rejected = load_submissions(submissions, max_bytes, progress=progress)
    errors: list[Rejected] = []
    history: list[ImprovementRow] = []
    frame = grade_class(
        accepted, workers=workers, progress=progress, errors=errors, improvement=history
    )
    disputes, unread = load_disputes(submissions)
    rejected = sorted([*rejected, *errors, *unread], key=lambda r: (r.source, r.kind))
    for item in rejected:
        print(printable(f"not graded: {item.source}: {item.reason}"), file=err)
    warnings = id_mismatches(accepted)
    for warning in warnings:
        print(printable(f"warning: {warning}"), file=err)
    missing = nothing_handed_in(roster, accepted, rejected)
    if missing:
        print(printable("Nothing handed in by: " + ", ".join(missing)), file=err)
    titles = {sid: t.title for sid, t in targets().items()}
    outcome = Outcome(frame, rejected, missing=missing)
    try:
        key = class_secret(secret_folder(html, csv, feedback_dir)) if anonymize_ids else b""
        if feedback_dir is not None:
            aliases = pseudonyms(frame["learner"], key) if anonymize_ids else None
            outcome.feedback = write_feedback(frame, feedback_dir, titles=titles, aliases=aliases)
        shown, listed = anonymize(frame, rejected, key) if anonymize_ids else (frame, rejected)
        if html is not None:
            target = Path(html)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Folder names and ids are who someone is: an anonymized report gives counts only.
            extras = Extras(
                warnings=[f"{len(warnings)} export(s)"] if anonymize_ids and warnings else warnings,
                missing=[f"{len(missing)} name(s) on the roster"]
                if anonymize_ids and missing
                else missing,
                disputes=[replace(d, learner=pseudonym(d.learner, key)) for d in disputes]
                if anonymize_ids
                else disputes,
                improvement=pd.DataFrame(history, columns=list(IMPROVEMENT_COLUMNS)),
                quizzes=quiz_table(accepted),
                refresh=refresh,
            )
            page = render_html(shown, listed, titles=titles, extras=extras)
            target.write_text(page, encoding="utf-8")
            outcome.written.append(target)
        if csv is not None:
            outcome.written.append(write_csv(shown, csv))
    except OSError as error:
        raise ReportInputError(
            f"cannot write {error.filename or 'the report'}: {error.strerror or error}"
        ) from None
    print(summary_text(outcome), file=out)
    return outcome


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def summary_text(outcome: Outcome) -> str:
    """A few lines for the terminal: what was graded, the pass rates, what was written."""
    frame = outcome.frame
    drafts = draft_rows(frame)
    rates = frame.groupby("category")["passed"].mean().reindex(list(CATEGORIES))
    lines = [
        f"Graded {_count(frame['learner'].nunique(), 'learner')}, "
        f"{_count(len(drafts), 'draft')} ({_count(drafts['scenario'].nunique(), 'scenario')}).",
    ]
    if len(drafts):
        lines.append(
            "Pass rate: "
            + ", ".join(f"{c} {percent(r)}" for c, r in zip(CATEGORIES, rates, strict=True))
            + f"; all four {percent(drafts['scenario_passed'].mean())}."
        )
    if outcome.written:
        lines.append("Wrote " + ", ".join(printable(str(p)) for p in outcome.written) + ".")
    if outcome.feedback:
        folder = printable(str(outcome.feedback[0].parent))
        lines.append(f"Wrote {_count(len(outcome.feedback), 'feedback file')} in {folder}.")
    if outcome.missing:
        lines.append(f"Nothing handed in: {len(outcome.missing):,} on the roster (listed above).")
    if outcome.rejected:
        lines.append(
            f"Not graded: {len(outcome.rejected):,} (files or answers, listed above and in "
            f"the report's 'Files not graded'); exit code {EXIT_REJECTED}."
        )
    return "\n".join(lines)


def watch(
    every: int,
    *,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    out: TextIO | None = None,
    **options: Any,
) -> int:
    """Run the report every `every` seconds (the HTML reloads itself) until Ctrl+C, or for
    `rounds` runs; returns the last run's exit code."""
    out = out or sys.stdout
    code, done = EXIT_OK, 0
    try:
        while rounds is None or done < rounds:
            code = run(refresh=every, out=out, **options).exit_code
            done += 1
            if rounds is None or done < rounds:
                print(f"Next update in {every} s (Ctrl+C stops).", file=out)
                sleep(every)
    except KeyboardInterrupt:
        print("Stopped watching.", file=out)
    return code


def run_command(args: Namespace) -> int:
    """`python -m outreach_coach report` with its parsed arguments (cli.py defines them): check
    them, read the roster, then run the report once or every --watch seconds."""
    from ..collect import CollectError, read_roster

    if args.html and args.csv and Path(args.html).resolve() == Path(args.csv).resolve():
        raise ReportInputError(
            f"--html and --csv name the same file ({args.html}): the table would overwrite "
            "the report; give them different names, e.g. report.html and report.csv"
        )
    if args.watch and not args.html:
        raise ReportInputError("--watch rewrites the HTML report: give it a file with --html PATH")
    try:
        roster = read_roster(Path(args.roster)) if args.roster else []
    except CollectError as error:
        raise ReportInputError(str(error)) from None
    options = {
        "html": args.html,
        "csv": args.csv,
        "anonymize_ids": args.anonymize,
        "feedback_dir": args.feedback_dir,
        "max_bytes": args.max_bytes or DEFAULT_MAX_BYTES,
        "workers": args.workers,
        "roster": roster,
    }
    if args.watch:
        return watch(args.watch, submissions=args.submissions, **options)
    return run(args.submissions, **options).exit_code
