"""The `report` command: load, grade and write the report files, once or every N seconds."""

from __future__ import annotations

import os
import sys
import time
from argparse import Namespace
from collections.abc import Callable, Sequence
from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from ..files import printable
from ..grader.report import CATEGORIES
from .anonymity import anonymized, class_secret, pseudonym, pseudonyms, secret_folder
from .figures import ClassFigures, quiz_table
from .gradebook import Gradebook, write_feedback
from .grading import BATCH, GradedBatch, grade_batches
from .html import Extras, percent, render_html
from .loading import (
    DEFAULT_MAX_BYTES,
    Rejected,
    ReportInputError,
    id_mismatches,
    load_disputes,
    nothing_handed_in,
    read_all,
    scan_submissions,
    targets,
)

EXIT_OK = 0
EXIT_REJECTED = 3  # the report was written, but some files (or answers) were not graded


@dataclass
class Outcome:
    """What one run of the report produced (for the command's summary and for tests)."""

    figures: ClassFigures  # with pseudonyms when anonymized, as the report shows them
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
    batch: int = BATCH,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> Outcome:
    """Load, grade and write the report files; problems with single files go to `err`.

    Learners are read and graded `batch` at a time and only the report's figures are kept,
    so memory stays small however large the class; the CSV and feedback files are written as
    each batch is graded. `roster` names the class: those with nothing handed in are listed.
    `refresh` (seconds) makes the HTML page reload itself, for --watch.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    scanned, rejected = scan_submissions(submissions, max_bytes, progress=progress)
    titles = {sid: t.title for sid, t in targets().items()}
    figures = ClassFigures()
    feedback: list[Path] = []
    try:
        key = class_secret(secret_folder(html, csv, feedback_dir)) if anonymize_ids else b""
        ids = [s.learner_id for s in scanned] + [r.learner_id for r in rejected if r.learner_id]
        names = pseudonyms(ids, key) if anonymize_ids else None
        with ExitStack() as stack:
            gradebook = stack.enter_context(Gradebook(csv)) if csv is not None else None
            # Closed on the way out, so an error while writing also stops the worker processes.
            batches = stack.enter_context(
                closing(
                    grade_batches(
                        read_all(scanned, max_bytes, rejected),
                        total=len(scanned),
                        answers=sum(len(s.answers) for s in scanned),
                        workers=workers,
                        progress=progress,
                        size=batch,
                    )
                )
            )
            for graded in batches:
                rejected += graded.errors
                figures.add_improvement(graded.improvement)
                if feedback_dir is not None:
                    feedback += write_feedback(
                        graded.frame(), feedback_dir, titles=titles, aliases=names
                    )
                if names is not None:
                    rows = [row._replace(learner=names[row.learner]) for row in graded.rows]
                    graded = GradedBatch(rows)
                figures.add(graded.rows)
                if gradebook is not None:
                    gradebook.write(graded.frame())
    except OSError as error:
        raise _cannot_write(error) from None
    disputes, unread = load_disputes(submissions)
    rejected = sorted([*rejected, *unread], key=lambda r: (r.source, r.kind))
    for item in rejected:
        print(printable(f"not graded: {item.source}: {item.reason}"), file=err)
    warnings = id_mismatches(scanned)
    for warning in warnings:
        print(printable(f"warning: {warning}"), file=err)
    missing = nothing_handed_in(roster, scanned, rejected)
    if missing:
        print(printable("Nothing handed in by: " + ", ".join(missing)), file=err)
    outcome = Outcome(figures, rejected, feedback=feedback, missing=missing)
    try:
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
                quizzes=quiz_table(scanned),
                refresh=refresh,
            )
            listed = anonymized(rejected, names, key) if names is not None else rejected
            page = render_html(figures, listed, titles=titles, extras=extras)
            target.write_text(page, encoding="utf-8")
            outcome.written.append(target)
    except OSError as error:
        raise _cannot_write(error) from None
    if csv is not None:
        outcome.written.append(Path(csv))
    print(summary_text(outcome), file=out)
    return outcome


def _cannot_write(error: OSError) -> ReportInputError:
    return ReportInputError(
        f"cannot write {error.filename or 'the report'}: {error.strerror or error}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def summary_text(outcome: Outcome) -> str:
    """A few lines for the terminal: what was graded, the pass rates, what was written."""
    drafts = outcome.figures.drafts()
    rates = outcome.figures.category_rates()
    lines = [
        f"Graded {_count(drafts['learner'].nunique(), 'learner')}, "
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
