"""The grader's rules, read from resources/rules.toml: code, name, category, severity,
message, hint, why and lesson.

A rule either lists regular expressions (run by the generic `existence` check) or names one of
the few computed checks in `checks.py`. Message templates may use {placeholders} that the check
fills in (the detail it matched, the name it saw). Every pattern is linear: no nested repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from .report import CATEGORIES, SEVERITIES
from .wordlists import DataError, grader_data_dir, read_toml

REQUIRED = ("code", "name", "category", "severity", "message", "hint", "why", "lesson")
CODE_RE = re.compile(r"[A-Z]{3,5}\d{3}")


@dataclass(frozen=True)
class Rule:
    """One thing the grader checks, with the words it says to the learner."""

    code: str
    name: str
    category: str
    severity: str
    message: str
    hint: str
    why: str
    lesson: str
    check: str = "existence"
    patterns: tuple[str, ...] = ()
    ignore_case: bool = True

    @cached_property
    def compiled(self) -> tuple[re.Pattern[str], ...]:
        """The rule's patterns, compiled line by line (and case-insensitively unless told not)."""
        flags = re.MULTILINE | (re.IGNORECASE if self.ignore_case else 0)
        return tuple(re.compile(p, flags) for p in self.patterns)


def _text(table: dict[str, Any], key: str, path: Path, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise DataError(path, where, key, "expected text in quotes")
    return value


def load_rules(path: Path) -> tuple[dict[str, str], tuple[Rule, ...]]:
    """The shared pattern fragments and the rules in a rules.toml; DataError says what to fix."""
    document = read_toml(path)
    lessons = document.get("lessons")
    fragments = document.get("fragments")
    for name, table in (("lessons", lessons), ("fragments", fragments)):
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise DataError(path, None, name, f"expected a [{name}] table of texts")
    known = {f.name for f in fields(Rule)}
    rules = []
    for index, table in enumerate(document.get("rule") or [], start=1):
        where = f"rule {index}"
        if not isinstance(table, dict):
            raise DataError(path, where, None, "expected a [[rule]] table")
        unknown = sorted(set(table) - known)
        if unknown:
            raise DataError(path, where, unknown[0], f"unknown field; known: {sorted(known)}")
        values = {key: _text(table, key, path, where) for key in REQUIRED}
        if not CODE_RE.fullmatch(values["code"]):
            raise DataError(path, where, "code", "expected letters then three digits, e.g. PERS001")
        if values["category"] not in CATEGORIES:
            raise DataError(path, where, "category", f"expected one of {CATEGORIES}")
        if values["severity"] not in SEVERITIES:
            raise DataError(path, where, "severity", f"expected one of {SEVERITIES}")
        if values["lesson"] not in lessons:
            raise DataError(path, where, "lesson", f"expected one of {sorted(lessons)}")
        values["lesson"] = lessons[values["lesson"]]
        patterns = table.get("patterns", [])
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise DataError(path, where, "patterns", "expected a list of regular expressions")
        for name, fragment in fragments.items():
            patterns = [p.replace("{{" + name + "}}", fragment) for p in patterns]
        check = table.get("check", "existence" if patterns else None)
        if not isinstance(check, str):
            raise DataError(path, where, "check", "expected patterns or the name of a check")
        ignore_case = table.get("ignore_case", True)
        if not isinstance(ignore_case, bool):
            raise DataError(path, where, "ignore_case", "expected true or false")
        rule = Rule(**values, check=check, patterns=tuple(patterns), ignore_case=ignore_case)
        try:
            rule.compiled  # noqa: B018 - compile now, so a broken pattern is reported here
        except re.error as error:
            raise DataError(
                path, where, "patterns", f"a pattern does not compile ({error})"
            ) from None
        rules.append(rule)
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        raise DataError(path, None, "code", f"each code once; repeated: {repeated}")
    return fragments, tuple(rules)


FRAGMENTS, RULES = load_rules(grader_data_dir() / "rules.toml")
GREETING = FRAGMENTS["greeting"]
GROUP = FRAGMENTS["group"]

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rule(code: str) -> Rule:
    """The rule with this code."""
    return RULES_BY_CODE[code]
