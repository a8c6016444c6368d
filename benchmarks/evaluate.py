"""Print the grader's balanced accuracy per category on the evaluation and held-out sets.

Run: python benchmarks/evaluate.py [--misses]
"""

from __future__ import annotations

import argparse

from outreach_coach import CATEGORIES
from outreach_coach.evaluation import course_set, holdout_set, score

HELD_OUT = ("holdout.toml", "holdout2.toml", "holdout3.toml", "holdout4.toml")


def main() -> None:
    """Score both labelled sets and print one row per set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    print(f"{'set':28s}" + "".join(f"{c:>17s}" for c in CATEGORIES))
    sets = [("evaluation.toml", course_set())]
    sets += [(name, holdout_set(name)) for name in HELD_OUT]
    for name, items in sets:
        results, misses = score(items)
        row = "".join(f"{results[c].balanced_accuracy:17.3f}" for c in CATEGORIES)
        print(f"{name + f' ({len(items)})':28s}{row}")
        if args.misses:
            for item_id, category in misses:
                print(f"    {item_id}: {category}")


if __name__ == "__main__":
    main()
