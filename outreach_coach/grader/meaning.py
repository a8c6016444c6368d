"""Compare texts by meaning: static word vectors pooled over a text's content words.

The vectors are all-MiniLM-L6-v2's embedding of each English word on its own, written down once
by tools/build_word_vectors.py into resources/word_vectors.{json,bin} (82,711 words and word
pieces, 128 dimensions, int8): the grader gets a sentence model's sense of which words mean
alike without torch, and nothing is ever downloaded. A word missing from the table is read as
its WordPiece pieces, as the model itself splits it. On a computer the rows are read with numpy;
in the browser (JupyterLite) the same bytes are unpacked with the standard library and the same
sums are done in plain Python (`_PlainBackend`), which gives the same similarities to float32
rounding.
"""

from __future__ import annotations

import json
import math
import re
import struct
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

from . import wordlists
from .runtime import IN_BROWSER
from .text import fold, generic_words, same_word, tokens

TABLE = "word_vectors"
DIMENSIONS = 128
# The model's own limit: a longer run of letters is one unknown token to it.
LONGEST_PIECED_WORD = 100
# BERT's basic tokenizer splits a word at anything but a letter or a digit (follow-up: follow, up).
WORD_PART = re.compile(r"[a-z0-9]+")

Vector = Any  # a numpy array on a computer, a tuple of floats in the browser


class ModelMissing(RuntimeError):
    """The word vector table is not installed, or is not the one the grader knows."""


@cache
def _table() -> tuple[dict[str, int], bytes]:
    """The table's word index (word -> row) and its bytes: int8 rows, then a float32 scale each."""
    # The package's own copy, never an edited word-list folder: the table is a model, not a list.
    folder = files(__package__) / "resources"
    try:
        about = json.loads((folder / f"{TABLE}.json").read_text(encoding="utf-8"))
        raw = (folder / f"{TABLE}.bin").read_bytes()
    except FileNotFoundError:
        raise ModelMissing(
            "The grader's word vectors are missing: reinstall the course with 'python3 -m pip "
            "install -r requirements.txt' in the course folder."
        ) from None
    words = about["words"]
    if about["dimensions"] != DIMENSIONS or len(raw) != len(words) * (DIMENSIONS + 4):
        raise ModelMissing("The grader's word vectors are not the table the course knows.")
    return {word: row for row, word in enumerate(words)}, raw


def row_ids(word: str) -> list[int]:
    """The table rows that stand for one folded word: its own row, or the rows of its WordPiece
    pieces (longest piece first, as the model splits a word it does not know); none for a word
    in another script."""
    index, _ = _table()
    if word.endswith("'s"):
        word = word[:-2]
    if word in index:
        return [index[word]]
    rows = []
    for part in WORD_PART.findall(word):
        if part in index:
            rows.append(index[part])
        elif len(part) <= LONGEST_PIECED_WORD:
            rows.extend(_pieces(part, index))
    return rows


def _pieces(part: str, index: dict[str, int]) -> list[int]:
    """WordPiece: the longest known piece at each point, continuations marked '##'; no rows at
    all when some point has no piece (the model reads the whole part as unknown)."""
    rows, start = [], 0
    while start < len(part):
        prefix = "##" if start else ""
        for end in range(len(part), start, -1):
            if (piece := prefix + part[start:end]) in index:
                rows.append(index[piece])
                start = end
                break
        else:
            return []
    return rows


class _NumpyBackend:
    """The table's rows read and computed with numpy (a computer)."""

    def __init__(self) -> None:
        import numpy as np

        index, raw = _table()
        count = len(index)
        self.np = np
        self.rows = np.frombuffer(raw, dtype=np.int8, count=count * DIMENSIONS).reshape(
            count, DIMENSIONS
        )
        self.scales = np.frombuffer(raw, dtype="<f4", offset=count * DIMENSIONS)

    def pooled(self, ids: list[int]) -> Vector:
        """The mean of the table's rows `ids` (a zero vector for none)."""
        if not ids:
            return self.np.zeros(DIMENSIONS, dtype=self.np.float32)
        rows = self.rows[ids].astype(self.np.float32) * self.scales[ids, None]
        # sum / count is numpy's own mean without its per-call overhead (one call per word).
        return rows.sum(axis=0) / len(ids)

    def stack(self, vectors: list[Vector]) -> Vector:
        """Vectors as the rows of one matrix."""
        return self.np.stack(vectors)

    def mean(self, rows: Vector, keep: list[int]) -> Vector:
        """The mean of the rows numbered in `keep`."""
        return rows[keep].sum(axis=0) / len(keep)

    def unit(self, vector: Vector) -> Vector:
        """The vector scaled to length 1 (a zero vector as it is)."""
        norm = float(self.np.linalg.norm(vector))
        return vector / norm if norm else vector

    def cosine(self, first: Vector, second: Vector) -> float:
        """The cosine of the angle between two vectors (0 when one is zero)."""
        norm = float(self.np.linalg.norm(first) * self.np.linalg.norm(second))
        return float(first @ second) / norm if norm else 0.0

    def cover(
        self, first: Vector, second: Vector, alike: frozenset[tuple[int, int]]
    ) -> tuple[float, float]:
        """For each row of `second`, then of `first`, its closest row on the other side (negative
        closeness as 0, the pairs in `alike` as 0), averaged."""
        closeness = self.np.maximum(first @ second.T, 0.0)  # np.clip's own overhead is larger
        if alike:
            rows, columns = zip(*alike, strict=True)
            closeness[list(rows), list(columns)] = 0.0
        height, width = closeness.shape
        return (
            float(closeness.max(axis=0).sum() / width),
            float(closeness.max(axis=1).sum() / height),
        )


class _PlainBackend:
    """The same table unpacked with the standard library and computed in plain Python (the
    browser, where numpy does not exist)."""

    def __init__(self) -> None:
        index, raw = _table()
        self.raw = raw
        self.row_format = struct.Struct(f"<{DIMENSIONS}b")
        self.scale_format = struct.Struct("<f")
        self.scales_start = len(index) * DIMENSIONS

    def pooled(self, ids: list[int]) -> Vector:
        """The mean of the table's rows `ids` (a zero vector for none)."""
        if not ids:
            return (0.0,) * DIMENSIONS
        rows = []
        for i in ids:
            (scale,) = self.scale_format.unpack_from(self.raw, self.scales_start + 4 * i)
            row = self.row_format.unpack_from(self.raw, i * DIMENSIONS)
            rows.append([value * scale for value in row])
        return tuple(math.fsum(column) / len(rows) for column in zip(*rows, strict=True))

    def stack(self, vectors: list[Vector]) -> Vector:
        """Vectors as the rows of one matrix."""
        return tuple(vectors)

    def mean(self, rows: Vector, keep: list[int]) -> Vector:
        """The mean of the rows numbered in `keep`."""
        kept = [rows[i] for i in keep]
        return tuple(math.fsum(column) / len(kept) for column in zip(*kept, strict=True))

    def unit(self, vector: Vector) -> Vector:
        """The vector scaled to length 1 (a zero vector as it is)."""
        norm = math.sqrt(math.fsum(x * x for x in vector))
        return tuple(x / norm for x in vector) if norm else vector

    def cosine(self, first: Vector, second: Vector) -> float:
        """The cosine of the angle between two vectors (0 when one is zero)."""
        norm = math.sqrt(math.fsum(x * x for x in first) * math.fsum(x * x for x in second))
        return self._dot(first, second) / norm if norm else 0.0

    def cover(
        self, first: Vector, second: Vector, alike: frozenset[tuple[int, int]]
    ) -> tuple[float, float]:
        """For each row of `second`, then of `first`, its closest row on the other side (negative
        closeness as 0, the pairs in `alike` as 0), averaged."""
        closeness = [
            [
                0.0 if (i, j) in alike else max(self._dot(row, other), 0.0)
                for j, other in enumerate(second)
            ]
            for i, row in enumerate(first)
        ]
        best_for_second = [max(column) for column in zip(*closeness, strict=True)]
        best_for_first = [max(row) for row in closeness]
        return (
            math.fsum(best_for_second) / len(best_for_second),
            math.fsum(best_for_first) / len(best_for_first),
        )

    @staticmethod
    def _dot(first: Vector, second: Vector) -> float:
        return math.fsum(map(float.__mul__, first, second))


@cache
def _backend(plain: bool = IN_BROWSER) -> _NumpyBackend | _PlainBackend:
    """The table, loaded once: plain Python in the browser (where numpy does not exist), numpy
    elsewhere."""
    return _PlainBackend() if plain else _NumpyBackend()


def similarity(first: str, second: str) -> float:
    """Cosine similarity of two texts' pooled word vectors, from -1 to 1 (0 when one is empty),
    leaving out words that only look like a word of the other text (bookkeeping/bookings)."""
    (first_words, a), (second_words, b) = _word_matrix(first), _word_matrix(second)
    if not first_words or not second_words:
        return 0.0
    alike = _lookalikes(first_words, second_words)
    backend = _backend()
    if not alike:
        return backend.cosine(_mean_vector(first), _mean_vector(second))
    alike_a, alike_b = {i for i, _ in alike}, {j for _, j in alike}
    keep_a = [i for i in range(len(first_words)) if i not in alike_a]
    keep_b = [j for j in range(len(second_words)) if j not in alike_b]
    if not keep_a or not keep_b:
        return 0.0
    return backend.cosine(backend.mean(a, keep_a), backend.mean(b, keep_b))


@lru_cache(maxsize=8192)
def _lookalikes(first: tuple[str, ...], second: tuple[str, ...]) -> frozenset[tuple[int, int]]:
    """The word pairs (i, j) that start alike without being one word."""
    by_start: dict[str, list[int]] = {}
    for j, word in enumerate(second):
        by_start.setdefault(word[:LOOKALIKE_PREFIX], []).append(j)
    return frozenset(
        (i, j)
        for i, word in enumerate(first)
        if len(word) >= LOOKALIKE_PREFIX
        for j in by_start.get(word[:LOOKALIKE_PREFIX], ())
        if not same_word(word, second[j])
    )


@lru_cache(maxsize=32768)
def word_vector(word: str) -> Vector:
    """The unit-length meaning vector of one word (its tokens pooled)."""
    backend = _backend()
    return backend.unit(backend.pooled(row_ids(word)))


@wordlists.derived_from_data
# 2,048 texts hold a class of drafts' sentences in about 25 MB; more only costs a class report's
# memory (each draft is new there), never a learner's speed.
@lru_cache(maxsize=2048)
def _word_matrix(text: str) -> tuple[tuple[str, ...], Vector]:
    generic = generic_words()
    kept = tuple(
        dict.fromkeys(
            fold(word)
            for word in tokens(text[:2000])
            if len(word) > 2 and not word.isdigit() and fold(word) not in generic
        )
    )
    if not kept:
        return kept, ()
    return kept, _backend().stack([word_vector(word) for word in kept])


# A text is compared with many others (a sentence with every profile field): the mean of all its
# word vectors, the usual case with no lookalike to leave out, is computed once.
@wordlists.derived_from_data
@lru_cache(maxsize=2048)
def _mean_vector(text: str) -> Vector:
    words, rows = _word_matrix(text)
    return _backend().mean(rows, list(range(len(words))))


# Words that start alike but are not one word (bookkeeping/bookings, mediation/media) look close
# to the model because they share pieces, not meaning.
LOOKALIKE_PREFIX = 4


# The relevance features read the same offer against the same need several times (an interest
# is a need and an interest; a post's cover and its match): each pair is computed once.
@wordlists.derived_from_data
@lru_cache(maxsize=4096)
def coverage(offer: str, need: str) -> tuple[float, float]:
    """How well the words of `offer` cover the words of `need` by meaning, and the reverse:
    for each word on one side, its closest word on the other that is not a lookalike,
    averaged (0 when either is empty)."""
    (first_words, first), (second_words, second) = _word_matrix(offer), _word_matrix(need)
    if not first_words or not second_words:
        return 0.0, 0.0
    return _backend().cover(first, second, _lookalikes(first_words, second_words))
