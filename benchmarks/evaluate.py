"""Print how far the grader's verdicts agree with people's labels.

Rows: the corpus's training writers (the grader may be tuned on them), its held-out writers and
the real messages quoted in public posts (the honest figures), then the team's older sets (all
tuned on). Per category: balanced accuracy, with the spread (min-max) over writers; per set:
the share of fully good messages failed and of bad messages passed; then the agreement of a
second labeller (Cohen's kappa).

Run: python benchmarks/evaluate.py [--misses] [--markdown] [--tuning] [--by-writer]
(--misses lists disagreements: use it with --tuning, or a held-out set stops being held out.)
"""

from __future__ import annotations

import argparse

from outreach_coach import CATEGORIES
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
    found = [("corpus: held-out writers", held_out)]
    if by_writer:
        for writer in sorted({item.writer for item in held_out}):
            found.append((f"  held-out {writer}", [i for i in held_out if i.writer == writer]))
    if not tuning:
        found.append(("corpus: real messages", corpus_part("real")))
    found += [
        ("corpus: training writers", corpus_part("train")),
        ("team: evaluation.toml", course_set()),
    ]
    found += [(f"team: {name}", holdout_set(name)) for name in TEAM_SETS]
    return [(name, items) for name, items in found if items]


def _cell(result: SetScore, category: str) -> str:
    accuracy = result.categories[category].balanced_accuracy
    writers = [w[category].balanced_accuracy for w in result.per_writer.values()]
    if len(writers) > 1:
        return f"{accuracy:.3f} ({min(writers):.2f}-{max(writers):.2f})"
    return f"{accuracy:.3f}"


def main() -> None:
    """Score every set and print one row per set, then the labellers' agreement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list each disagreement")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--tuning", action="store_true", help="only the sets the grader may be tuned on"
    )
    parser.add_argument(
        "--by-writer", action="store_true", help="a row for each held-out writer as well"
    )
    args = parser.parse_args()
    header = ["set", "messages", *CATEGORIES, "good failed", "bad passed"]
    rows = []
    for name, items in sets(args.tuning, args.by_writer):
        result = score(items)
        rows.append(
            [
                name,
                str(len(items)),
                *(_cell(result, c) for c in CATEGORIES),
                f"{result.good_failed}/{result.good} ({result.good_failed_rate:.0%})",
                f"{result.bad_passed}/{result.bad} ({result.bad_passed_rate:.0%})",
            ]
        )
        if args.misses:
            rows.extend([f"    {item_id}", "", category] for item_id, category in result.misses)
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + " --- |" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) if i < len(r) else 0 for r in [header, *rows]) for i in range(2)]
        widths += [22] * (len(header) - 2)
        for row in [header, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)))
    count, kappas = agreement(corpus())
    if count:
        figures = ", ".join(f"{c} {k:.2f}" for c, k in kappas.items())
        print(f"\nSecond labeller, {count} corpus messages relabelled blind: kappa {figures}")


if __name__ == "__main__":
    main()
