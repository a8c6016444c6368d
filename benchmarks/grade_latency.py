"""Benchmark grade(): p50/p99 latency over the course's messages, and time on large inputs.

Run: python benchmarks/grade_latency.py [--repeat N]
Goals on a 2-core machine: p50 < 5 ms, p99 < 20 ms, every large input < 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

from outreach_coach import data, grade
from outreach_coach.evaluation import corpus as labelled_corpus

LARGE_INPUTS = {
    "1 MB with no spaces": "x" * 1_000_000,
    "1 MB of punctuation": "!?.,;:'\"()-" * 90_910,
    "100k lines": "hi maria , i can help u !!\n" * 100_000,
    "1 MB of words": "Hi Maria, we build sensors for your trucks. " * 23_000,
}


def corpus() -> list[tuple[str, object, object]]:
    """(text, recipient, sender) for every example message, scenario text and evaluation item."""
    recipients, senders = data.recipients(), data.senders()
    items = [(m.text, recipients[m.recipient], senders[m.sender]) for m in data.messages().values()]
    for scenario in data.scenarios().values():
        people = (recipients[scenario.recipient], senders[scenario.sender])
        items += [(scenario.original, *people), (scenario.model_answer, *people)]
    items += [(e.text, recipients[e.recipient], senders.get(e.sender)) for e in data.evaluation()]
    return items


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def first_sight(count: int) -> list[float]:
    """CPU milliseconds to grade each of `count` distinct corpus drafts once, in a fresh process:
    the words of a draft never graded before are stemmed and looked up for the first time, as a
    learner's new draft is (CPU time, so other work on the machine does not count)."""
    items = labelled_corpus()
    step = max(1, len(items) // count)
    timings = []
    for item in items[::step][:count]:
        start = time.process_time()
        grade(item.text, recipient=item.recipient, sender=item.sender)
        timings.append((time.process_time() - start) * 1000)
    return timings


def main() -> None:
    """Print latency percentiles and large-input timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the corpus")
    parser.add_argument(
        "--first-sight", type=int, default=400, help="distinct corpus drafts graded once"
    )
    args = parser.parse_args()
    fresh = first_sight(args.first_sight)
    print(
        f"{len(fresh)} distinct corpus drafts, each graded once (CPU): "
        f"p50 {statistics.median(fresh):.2f} ms, p99 {percentile(fresh, 0.99):.2f} ms"
    )
    items = corpus()
    for text, recipient, sender in items:  # warm caches (stems, compiled patterns, data files)
        grade(text, recipient=recipient, sender=sender)
    timings = []
    for _ in range(args.repeat):
        for text, recipient, sender in items:
            start = time.perf_counter()
            grade(text, recipient=recipient, sender=sender)
            timings.append((time.perf_counter() - start) * 1000)
    print(f"messages: {len(items)} x {args.repeat} passes = {len(timings)} calls")
    print(f"p50: {statistics.median(timings):.2f} ms")
    print(f"p99: {percentile(timings, 0.99):.2f} ms")
    print(f"max: {max(timings):.2f} ms")
    recipient = next(iter(data.recipients().values()))
    sender = next(iter(data.senders().values()))
    for label, text in LARGE_INPUTS.items():
        start = time.perf_counter()
        grade(text, recipient=recipient, sender=sender)
        print(f"{label} ({len(text):,} chars): {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
