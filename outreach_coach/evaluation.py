"""Measure the grader against messages labelled by people: balanced accuracy per category,
how many fully good messages it fails and how many bad ones it passes, split by writer."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import data
from .grader import grade
from .grader.report import CATEGORIES, Report

CORPUS = "corpus"
REAL_WRITER = "real"


@dataclass(frozen=True)
class Labelled:
    """A message, who it is to and from, and a person's pass/fail verdict per category."""

    id: str
    text: str
    recipient: Any
    sender: Any
    labels: Mapping[str, bool]
    writer: str = ""

    @property
    def good(self) -> bool:
        """True when the message passes every category: it is ready to send."""
        return all(self.labels[c] for c in CATEGORIES)


@dataclass(frozen=True)
class CategoryScore:
    """Agreement with the labels in one category."""

    category: str
    true_pass: int
    false_fail: int
    true_fail: int
    false_pass: int

    @property
    def balanced_accuracy(self) -> float:
        """The mean of the recall on passing and on failing messages."""
        passes = self.true_pass + self.false_fail
        fails = self.true_fail + self.false_pass
        pass_recall = self.true_pass / passes if passes else 1.0
        fail_recall = self.true_fail / fails if fails else 1.0
        return (pass_recall + fail_recall) / 2


@dataclass(frozen=True)
class SetScore:
    """How the grader did on one labelled set, per category and on whole messages."""

    categories: dict[str, CategoryScore]
    misses: list[tuple[str, str]]
    good: int
    good_failed: int
    bad: int
    bad_passed: int
    per_writer: dict[str, dict[str, CategoryScore]] = field(default_factory=dict)

    @property
    def good_failed_rate(self) -> float:
        """The share of fully good messages that the grader fails in some category."""
        return self.good_failed / self.good if self.good else 0.0

    @property
    def bad_passed_rate(self) -> float:
        """The share of messages failing some category that the grader passes as a whole."""
        return self.bad_passed / self.bad if self.bad else 0.0


def course_set() -> list[Labelled]:
    """The evaluation set in data/evaluation.toml, with its people from the course's CSVs."""
    recipients, senders = data.recipients(), data.senders()
    return [
        Labelled(
            item.id,
            item.text,
            recipients[item.recipient],
            senders[item.sender] if item.sender else None,
            item.labels,
            writer="team",
        )
        for item in data.evaluation()
    ]


def _labels(path: Path, item: Mapping[str, Any]) -> dict[str, bool]:
    labels = {}
    for category in CATEGORIES:
        if not isinstance(item.get(category), bool):
            raise data.DataError(path, item.get("id"), category, "expected true or false")
        labels[category] = item[category]
    return labels


def _items(path: Path, writer: str) -> list[Labelled]:
    with path.open("rb") as handle:
        try:
            document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise data.DataError(path, None, None, f"not valid TOML ({error})") from None
    items = document.get("item")
    if not isinstance(items, list):
        raise data.DataError(path, None, "item", "expected [[item]] tables")
    writer = document.get("writer", writer)
    result = []
    for number, item in enumerate(items, start=1):
        for name in ("id", "text", "recipient"):
            if name not in item:
                raise data.DataError(path, f"[[item]] #{number}", name, "this field is required")
        result.append(
            Labelled(
                item["id"],
                item["text"],
                item["recipient"],
                item.get("sender"),
                _labels(path, item),
                writer=writer,
            )
        )
    return result


def holdout_set(name: str = "holdout.toml") -> list[Labelled]:
    """A held-out set in data/: people and messages written blind, each item self-contained."""
    return _items(data.data_dir() / name, writer=Path(name).stem)


def corpus_files() -> list[Path]:
    """The writer files of the labelled corpus (one per writer, and real.toml)."""
    folder = data.data_dir() / CORPUS
    return sorted(path for path in folder.glob("*.toml") if path.name != "split.toml")


def corpus() -> list[Labelled]:
    """Every labelled message of the corpus, each with its writer."""
    return [item for path in corpus_files() for item in _items(path, writer=path.stem)]


def training_writers() -> frozenset[str]:
    """The writers the grader may be tuned on, from data/corpus/split.toml."""
    path = data.data_dir() / CORPUS / "split.toml"
    with path.open("rb") as handle:
        train = tomllib.load(handle).get("split", {}).get("train")
    if not isinstance(train, list) or not all(isinstance(w, str) for w in train):
        raise data.DataError(path, "[split]", "train", "expected a list of writer ids")
    return frozenset(train)


def corpus_part(part: str) -> list[Labelled]:
    """One part of the corpus: "train" (tuned on), "held_out" (other writers) or "real"."""
    train = training_writers()
    chosen = {
        "train": lambda w: w in train,
        "held_out": lambda w: w not in train and w != REAL_WRITER,
        "real": lambda w: w == REAL_WRITER,
    }[part]
    return [item for item in corpus() if chosen(item.writer)]


def relabels() -> dict[str, dict[str, bool]]:
    """A second labeller's labels, by message id, from data/corpus/relabel/*.toml."""
    found: dict[str, dict[str, bool]] = {}
    for path in sorted((data.data_dir() / CORPUS / "relabel").glob("*.toml")):
        with path.open("rb") as handle:
            for item in tomllib.load(handle).get("item", []):
                found[item["id"]] = _labels(path, item)
    return found


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Cohen's kappa between two labellers' pass/fail verdicts on the same messages."""
    count = len(first)
    if count == 0 or count != len(second):
        raise ValueError("kappa needs two equally long, non-empty lists of labels")
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / count
    p_first, p_second = sum(first) / count, sum(second) / count
    expected = p_first * p_second + (1 - p_first) * (1 - p_second)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(items: Iterable[Labelled]) -> tuple[int, dict[str, float]]:
    """How many corpus messages were relabelled, and Cohen's kappa per category on them."""
    second = relabels()
    both = [(item.labels, second[item.id]) for item in items if item.id in second]
    if not both:
        return 0, {}
    return len(both), {
        c: cohen_kappa([a[c] for a, _ in both], [b[c] for _, b in both]) for c in CATEGORIES
    }


def _counts(pairs: Iterable[tuple[Labelled, Report]]) -> tuple[dict[str, CategoryScore], list]:
    counts = {c: [0, 0, 0, 0] for c in CATEGORIES}
    misses = []
    for item, report in pairs:
        for category in CATEGORIES:
            label, verdict = item.labels[category], report.categories[category].passed
            slot = (0 if verdict else 1) if label else (3 if verdict else 2)
            counts[category][slot] += 1
            if label != verdict:
                misses.append((item.id, category))
    return {c: CategoryScore(c, *counts[c]) for c in CATEGORIES}, misses


def score(items: Iterable[Labelled]) -> SetScore:
    """Grade every item: per-category scores, the disagreements and whole-message rates."""
    pairs = [
        (item, grade(item.text, recipient=item.recipient, sender=item.sender)) for item in items
    ]
    categories, misses = _counts(pairs)
    writers = sorted({item.writer for item, _ in pairs})
    per_writer = {w: _counts(p for p in pairs if p[0].writer == w)[0] for w in writers}
    good = [report.passed for item, report in pairs if item.good]
    bad = [report.passed for item, report in pairs if not item.good]
    return SetScore(
        categories=categories,
        misses=misses,
        good=len(good),
        good_failed=good.count(False),
        bad=len(bad),
        bad_passed=bad.count(True),
        per_writer=per_writer,
    )
