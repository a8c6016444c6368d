"""Print how far the grader's verdicts agree with people's labels.

Rows: the corpus's training writers (the grader may be tuned on them), its held-out writers and
the real messages quoted in public posts (the honest figures), then the team's older sets (all
tuned on). Per category: balanced accuracy, with the spread (min-max) over writers; per set:
the share of fully good messages failed and of bad messages passed; then the agreement of a
second labeller (Cohen's kappa).

Run: python benchmarks/evaluate.py [--misses] [--markdown] [--tuning] [--by-writer]
     python benchmarks/evaluate.py --write-readme   (the README's table, after a grader change)
(--misses lists disagreements: use it with --tuning, or a held-out set stops being held out.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from outreach_coach import CATEGORIES
from outreach_coach.course_files import marked_block
from outreach_coach.evaluation import (
    Labelled,
    SetScore,
    agreement,
    corpus,
    corpus_part,
    course_set,
    holdout_set,
    score,
)

TEAM_SETS = ("holdout.toml", "holdout2.toml", "holdout3.toml", "holdout4.toml")


def sets(tuning: bool = False, by_writer: bool = False) -> list[tuple[str, list[Labelled]]]:
    """Every labelled set, honest ones first (with `tuning`, only those the grader may be tuned
    on, so that working on the grader never shows a held-out figure; with `by_writer`, a row for
    each held-out writer too)."""
    held_out = [] if tuning else corpus_part("held_out")
    found = [("held-out writers (never tuned on)", held_out)]
    if by_writer:
        for writer in sorted({item.writer for item in held_out}):
            found.append((f"  held-out {writer}", [i for i in held_out if i.writer == writer]))
    if not tuning:
        found.append(("real messages (never tuned on)", corpus_part("real")))
    found += [
        ("training writers (tuned on)", corpus_part("train")),
        ("team: evaluation.toml (tuned on)", course_set()),
    ]
    found += [(f"team: {name} (tuned on)", holdout_set(name)) for name in TEAM_SETS]
    return [(name, items) for name, items in found if items]


def _cell(result: SetScore, category: str) -> str:
    accuracy = result.categories[category].balanced_accuracy
    writers = [w[category].balanced_accuracy for w in result.per_writer.values()]
    if len(writers) > 1:
        return f"{accuracy:.3f} ({min(writers):.2f}-{max(writers):.2f})"
    return f"{accuracy:.3f}"


README = Path(__file__).resolve().parents[1] / "README.md"
# The README's accuracy table lies between these two lines and is written only by --write-readme.
TABLE_START = "<!-- accuracy table: written by python benchmarks/evaluate.py --write-readme -->"
TABLE_END = "<!-- end of accuracy table -->"
HEADER = ["set", "messages", *CATEGORIES, "good failed", "bad passed"]


def rows(tuning: bool = False, by_writer: bool = False, misses: bool = False) -> list[list[str]]:
    """One row of figures per labelled set (with `misses`, a row per disagreement too)."""
    found = []
    for name, items in sets(tuning, by_writer):
        result = score(items)
        found.append(
            [
                name,
                f"{len(items):,}",
                *(_cell(result, c) for c in CATEGORIES),
                _share(result.good_failed, result.good),
                _share(result.bad_passed, result.bad),
            ]
        )
        if misses:
            found.extend([f"    {item_id}", "", category] for item_id, category in result.misses)
    return found


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({count / total:.0%})" if total else "none in the set"


def agreement_line() -> str:
    """The second labeller's agreement per category, as a sentence (empty without relabels)."""
    count, kappas = agreement(corpus())
    if not count:
        return ""
    figures = ", ".join(f"{c} {k:.2f}" for c, k in kappas.items())
    return f"Second labeller, {count} corpus messages relabelled blind: kappa {figures}"


def markdown(table: list[list[str]]) -> str:
    """The rows as a Markdown table, then the agreement line."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join([*lines, "", agreement_line()])


def plain(table: list[list[str]]) -> str:
    """The rows as aligned columns for a terminal, then the agreement line."""
    widths = [max(len(r[i]) if i < len(r) else 0 for r in [HEADER, *table]) for i in range(2)]
    widths += [22] * (len(HEADER) - 2)
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        for row in [HEADER, *table]
    ]
    return "\n".join([*lines, "", agreement_line()])


def _parts(readme: str) -> tuple[str, str, str]:
    try:
        return marked_block(readme, TABLE_START, TABLE_END)
    except ValueError:
        message = f"README.md lost its accuracy table's marker lines: {TABLE_START}"
        raise ValueError(message) from None


def readme_table(readme: str) -> str:
    """The accuracy table the README holds between its two marker lines."""
    return _parts(readme)[1].strip()


def with_table(readme: str, table: str) -> str:
    """The README with its accuracy table replaced by `table`."""
    head, _, tail = _parts(readme)
    return f"{head}\n{table}\n{tail}"


def main() -> None:
    """Score every set and print one row per set, then the labellers' agreement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list each disagreement")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--write-readme", action="store_true", help="write the Markdown table into README.md"
    )
    parser.add_argument(
        "--tuning", action="store_true", help="only the sets the grader may be tuned on"
    )
    parser.add_argument(
        "--by-writer", action="store_true", help="a row for each held-out writer as well"
    )
    args = parser.parse_args()
    if args.write_readme:
        table = markdown(rows())
        README.write_text(with_table(README.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(table)
        return
    table = rows(args.tuning, args.by_writer, args.misses)
    print(markdown(table) if args.markdown else plain(table))


if __name__ == "__main__":
    main()
