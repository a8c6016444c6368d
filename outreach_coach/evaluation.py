"""Measure the grader against messages labelled by people: balanced accuracy per category."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import data
from .grader import grade
from .report import CATEGORIES


@dataclass(frozen=True)
class Labelled:
    """A message, who it is to and from, and a person's pass/fail verdict per category."""

    id: str
    text: str
    recipient: Any
    sender: Any
    labels: Mapping[str, bool]


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
        )
        for item in data.evaluation()
    ]


def holdout_set(name: str = "holdout.toml") -> list[Labelled]:
    """A held-out set in data/: people and messages written blind, each item self-contained."""
    path = data.data_dir() / name
    with path.open("rb") as handle:
        items = tomllib.load(handle)["item"]
    return [
        Labelled(
            item["id"],
            item["text"],
            item["recipient"],
            item.get("sender"),
            {c: item[c] for c in CATEGORIES},
        )
        for item in items
    ]


def score(items: Iterable[Labelled]) -> tuple[dict[str, CategoryScore], list[tuple[str, str]]]:
    """Grade every item; per-category scores and the (item id, category) disagreements."""
    counts = {c: [0, 0, 0, 0] for c in CATEGORIES}
    misses = []
    for item in items:
        report = grade(item.text, recipient=item.recipient, sender=item.sender)
        for category in CATEGORIES:
            label, verdict = item.labels[category], report.categories[category].passed
            slot = (0 if verdict else 1) if label else (3 if verdict else 2)
            counts[category][slot] += 1
            if label != verdict:
                misses.append((item.id, category))
    return {c: CategoryScore(c, *counts[c]) for c in CATEGORIES}, misses
