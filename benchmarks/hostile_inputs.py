"""Grade hostile inputs: 17 large shapes (1-5 MB) and a hypothesis search for slow or crashing ones.

Run: python benchmarks/hostile_inputs.py [--examples N] [--sizes 1,5]
Goal on a 2-core machine: every input graded in under 1 s, and no exception but the documented
ones (TypeError for a message that is not text, ValueError for a bad profile).
Prints the worst time per shape (over sizes, placements in the message and every profile field
at its limit), the slowest input hypothesis found,
and exits 1 when any input took 1 s or more or raised anything else.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings

from outreach_coach import data, grade
from outreach_coach.grader.analysis import MAX_ANALYSED_CHARS
from outreach_coach.grader.profiles import FIELD_LIMITS, MAX_PHRASE_CHARS, MAX_PHRASES
from tests.strategies import DOCUMENTED_ERRORS, messages, profiles

MB = 1_000_000
GOAL_SECONDS = 1.0

# Each shape makes `size` characters of one kind of hostile text.
SHAPES: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: " " * n,
    "no-break spaces": lambda n: "\u00a0" * n,
    "ideographic spaces": lambda n: "\u3000" * n,
    "tabs": lambda n: "\t" * n,
    "exclamation marks": lambda n: "!" * n,
    "mixed punctuation": lambda n: ("!?.,;:'\"()-…" * (n // 12 + 1))[:n],
    "no spaces": lambda n: "x" * n,
    "many lines": lambda n: ("hi maria , i can help u !!\n" * (n // 27 + 1))[:n],
    "ordinary words": lambda n: ("Hi Maria, we build sensors for your trucks. " * (n // 44 + 1))[
        :n
    ],
    "HTML": lambda n: ('<a href="javascript:alert(1)"><b>hi</b></a><script>x</script>' * n)[:n],
    "combining marks": lambda n: ("a" + "\u0301" * 50) * (n // 51),
    "right-to-left": lambda n: ("\u202eمرحبا ماريا، يمكنني المساعدة. " * n)[:n],
    "control characters": lambda n: ("".join(map(chr, range(32))) * (n // 32 + 1))[:n],
    "merge fields": lambda n: ("Hi {{first_name}}, [Company] %NAME% ${x} " * n)[:n],
    "nested brackets": lambda n: "([{<" * (n // 8) + ">}])" * (n // 8),
    "emoji": lambda n: "😀👍🏽👨‍👩‍👧🚀" * (n // 10),
    "long words": lambda n: ("Supercalifragilistic" * 2500 + " ") * (n // 50_001 + 1),
}


def placements(shape: str) -> dict[str, str]:
    """Where a shape goes: alone, in the middle of a sentence, and in the middle of a sentence
    cut to fit the part of a message the grader reads (so the whole run is analysed)."""
    analysed = shape[: MAX_ANALYSED_CHARS - 100]
    return {
        "alone": shape,
        "inside a sentence": f"Hi Maria,\n\nI can{shape}help.\n\nBest,\nNadia",
        "inside a sentence, all analysed": f"Hi Maria,\n\nI can{analysed}help.\n\nBest,\nNadia",
    }


def profile_placements(shape: str) -> dict[str, tuple[dict, dict]]:
    """The shape in each profile field, cut to the longest the field may hold."""
    recipient = dict(vars(data.recipients()["maria-lopez"]))
    sender = dict(vars(data.senders()["nadia-sorensen"]))
    placed = {}
    for who, profile in (("recipient", recipient), ("sender", sender)):
        for field in profile:
            if field == "id":
                continue
            if field in ("interests", "offers"):
                value = [shape[:MAX_PHRASE_CHARS]] * MAX_PHRASES
            else:
                limit = FIELD_LIMITS[field]
                value = f"Maria {shape[: limit - 12]} Lopez" if field == "name" else shape[:limit]
            changed = {**profile, field: value}
            pair = (changed, sender) if who == "recipient" else (recipient, changed)
            placed[f"{who} {field}"] = pair
    return placed


def largest_profiles() -> tuple[dict, dict]:
    """A recipient and a sender with every field at its limit, in words never seen before (so no
    cache helps: every word is stemmed and looked up for the first time)."""
    counter = iter(range(10**9))

    def fresh(limit: int) -> str:
        text = ""
        while len(text) < limit:
            text += f"zq{next(counter)}word "
        return text[:limit].strip()

    phrases = [fresh(MAX_PHRASE_CHARS) for _ in range(MAX_PHRASES)]
    recipient = {field: fresh(limit) for field, limit in FIELD_LIMITS.items()}
    recipient = {**recipient, "name": "Maria Lopez", "interests": phrases}
    sender = {
        **{field: recipient[field] for field in ("headline", "company", "id")},
        "name": "Nadia Sorensen",
        "offers": [fresh(MAX_PHRASE_CHARS) for _ in range(MAX_PHRASES)],
    }
    return recipient, sender


def timed(text: str, recipient: object, sender: object) -> float:
    """Seconds to grade one input."""
    start = time.perf_counter()
    grade(text, recipient=recipient, sender=sender)
    return time.perf_counter() - start


def run_shapes(sizes: list[int]) -> float:
    """Grade every shape at every size and placement; print the worst time per shape."""
    recipient = data.recipients()["maria-lopez"]
    sender = data.senders()["nadia-sorensen"]
    worst_overall = 0.0
    for name, make in SHAPES.items():
        worst, where = 0.0, ""
        for size in sizes:
            for placement, text in placements(make(size)).items():
                seconds = timed(text, recipient, sender)
                if seconds > worst:
                    worst, where = seconds, f"{len(text) / MB:.1f} MB, {placement}"
        message = placements("")["inside a sentence"]
        for placement, people in profile_placements(make(20_000)).items():
            try:
                seconds = timed(message, *people)
            except ValueError:  # a name of only spaces is refused, as documented
                continue
            if seconds > worst:
                worst, where = seconds, f"in the {placement} field at its limit"
        worst_overall = max(worst_overall, worst)
        flag = "" if worst < GOAL_SECONDS else "  <-- over 1 s"
        print(f"{name:20} worst {worst:.3f} s ({where}){flag}")
    return worst_overall


def run_hypothesis(examples: int) -> tuple[float, str, int]:
    """Search generated messages and profiles; return the slowest time, its input, and errors."""
    slowest = [0.0, ""]
    errors: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(messages(), profiles())
    def search(message: str, profile: dict) -> None:
        start = time.perf_counter()
        try:
            grade(message, recipient=profile)
        except DOCUMENTED_ERRORS:
            pass
        except Exception as error:  # an undocumented exception is what this run looks for
            errors.append(f"{type(error).__name__}: {error} for {message[:80]!r}")
        seconds = time.perf_counter() - start
        if seconds > slowest[0]:
            size = sum(len(str(value)) for value in profile.values())
            what = f"message {message[:60]!r} ({len(message):,} chars), profile {size:,} chars"
            slowest[:] = [seconds, what]

    search()
    for error in errors[:10]:
        print("undocumented exception:", error)
    return slowest[0], slowest[1], len(errors)


def main() -> None:
    """Run both searches and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=5000, help="hypothesis examples")
    parser.add_argument("--sizes", default="1,5", help="shape sizes in MB, comma-separated")
    args = parser.parse_args()
    sizes = [int(float(s) * MB) for s in args.sizes.split(",")]
    grade("Hi Maria,\n\nwarm-up.\n\nNadia", recipient=data.recipients()["maria-lopez"])
    print(f"17 shapes x sizes {args.sizes} MB x 3 placements, and in 11 profile fields:")
    worst = run_shapes(sizes)
    message = placements("")["inside a sentence"]
    largest = timed(message, *largest_profiles())
    print(f"largest profiles (every field at its limit, all words new): {largest:.3f} s")
    worst = max(worst, largest)
    print(f"worst over the shapes: {worst:.3f} s")
    slowest, what, errors = run_hypothesis(args.examples)
    print(f"hypothesis: {args.examples} examples, {errors} undocumented exceptions")
    print(f"slowest generated input: {slowest:.3f} s, {what}")
    sys.exit(0 if max(worst, slowest) < GOAL_SECONDS and not errors else 1)


if __name__ == "__main__":
    main()
