"""Compare texts by meaning: static word embeddings (WordLlama's 256-dimension model) pooled
over a text's content words.

The model is the matrix that the `wordllama` wheel ships with its tokenizer, read straight from
the installed package: nothing is ever downloaded (the package's own `WordLlama.load()` would try
to fetch its tokenizer from the network). On a computer it is read with `safetensors` and
`tokenizers` and computed with numpy; in the browser (JupyterLite, where none of the three
exists) the same files are read with the standard library and the same sums are done in plain
Python (`_PlainBackend`), which gives the same similarities to float32 rounding.
"""

from __future__ import annotations

import json
import math
import struct
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from . import wordlists
from .runtime import IN_BROWSER
from .text import fold, generic_words, same_word, tokens

MODEL = "l2_supercat"
DIMENSIONS = 256

Vector = Any  # a numpy array on a computer, a tuple of floats in the browser


class ModelMissing(RuntimeError):
    """The embedding model's files are not installed."""


def _model_files() -> tuple[Traversable, Traversable]:
    """The tokenizer's JSON and the embedding matrix inside the installed `wordllama` package."""
    try:
        package = files("wordllama")
    except ModuleNotFoundError:
        raise ModelMissing(
            "The grader's meaning model is missing: run 'python3 -m pip install -r "
            "requirements.txt' in the course folder."
        ) from None
    return (
        package / "tokenizers" / f"{MODEL}_tokenizer_config.json",
        package / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors",
    )


class _NumpyBackend:
    """The model through `tokenizers`, `safetensors` and numpy (a computer)."""

    def __init__(self) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tokenizer_file, matrix_file = _model_files()
        self.np = np
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.matrix = load_file(str(matrix_file))["embedding.weight"].astype(np.float32)

    def token_ids(self, word: str) -> list[int]:
        """The tokenizer's ids for one word."""
        return self.tokenizer.encode(word, add_special_tokens=False).ids

    def pooled(self, ids: list[int]) -> Vector:
        """The mean of the rows `ids` of the matrix (a zero vector for none)."""
        if not ids:
            return self.np.zeros(DIMENSIONS, dtype=self.np.float32)
        # sum / count is numpy's own mean without its per-call overhead (one call per word).
        return self.matrix[ids].sum(axis=0) / len(ids)

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
    """The same model read with the standard library and computed in plain Python (the browser):
    a byte-level BPE of one word from the tokenizer's own vocabulary and merges, and the
    float16 rows unpacked from the safetensors file."""

    def __init__(self) -> None:
        tokenizer_file, matrix_file = _model_files()
        config = json.loads(tokenizer_file.read_text(encoding="utf-8"))
        if config["normalizer"]["normalizers"][0] != {"type": "Prepend", "prepend": "▁"}:
            raise ModelMissing("The meaning model's tokenizer is not the one the course knows.")
        model = config["model"]
        self.vocab: dict[str, int] = model["vocab"]
        self.ranks: dict[tuple[str, str], int] = {
            tuple(merge.split(" ", 1)): rank for rank, merge in enumerate(model["merges"])
        }
        self.unknown = self.vocab[model["unk_token"]]
        raw = matrix_file.read_bytes()
        (header_size,) = struct.unpack_from("<Q", raw)
        entry = json.loads(raw[8 : 8 + header_size])["embedding.weight"]
        if entry["dtype"] != "F16" or entry["shape"][1] != DIMENSIONS:
            raise ModelMissing("The meaning model's matrix is not the one the course knows.")
        start = 8 + header_size + entry["data_offsets"][0]
        self.rows = raw[start : 8 + header_size + entry["data_offsets"][1]]
        self.row_format = struct.Struct(f"<{DIMENSIONS}e")

    def token_ids(self, word: str) -> list[int]:
        """The ids the `tokenizers` library gives one word: '▁' prepended, its characters (or
        their UTF-8 bytes when a character is not in the vocabulary) merged pair by pair, the
        best-ranked pair first and the leftmost of equals, as its BPE model does."""
        symbols: list[str] = []
        for character in "▁" + word.replace(" ", "▁"):
            if character in self.vocab:
                symbols.append(character)
            else:
                symbols.extend(f"<0x{byte:02X}>" for byte in character.encode("utf-8"))
        while len(symbols) > 1:
            best = min(
                range(len(symbols) - 1),
                key=lambda i: (self.ranks.get((symbols[i], symbols[i + 1]), math.inf), i),
            )
            if (symbols[best], symbols[best + 1]) not in self.ranks:
                break
            symbols[best : best + 2] = [symbols[best] + symbols[best + 1]]
        return [self.vocab.get(symbol, self.unknown) for symbol in symbols]

    def pooled(self, ids: list[int]) -> Vector:
        """The mean of the rows `ids` of the matrix (a zero vector for none)."""
        if not ids:
            return (0.0,) * DIMENSIONS
        size = self.row_format.size
        rows = [self.row_format.unpack_from(self.rows, i * size) for i in ids]
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
    """The model, loaded once: plain Python in the browser (where numpy, tokenizers and
    safetensors do not exist), numpy elsewhere."""
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
    return backend.unit(backend.pooled(backend.token_ids(word)))


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
