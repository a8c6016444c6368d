"""Compare texts by meaning: static word embeddings (WordLlama's 256-dimension model) pooled
over a text's content words.

The model is the matrix that the `wordllama` wheel ships with its tokenizer, read straight from
the installed package with `safetensors` and `tokenizers`: nothing is ever downloaded (the
package's own `WordLlama.load()` would try to fetch its tokenizer from the network).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.resources import files

import numpy as np

from . import wordlists
from .text import fold, generic_words, same_word, words

MODEL = "l2_supercat"
DIMENSIONS = 256


class ModelMissing(RuntimeError):
    """The embedding model's files are not installed."""


@cache
def _model() -> tuple[object, np.ndarray]:
    """The tokenizer and the embedding matrix, loaded once."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    try:
        package = files("wordllama")
    except ModuleNotFoundError:
        raise ModelMissing(
            "The grader's meaning model is missing: run 'python3 -m pip install -r "
            "requirements.txt' in the course folder."
        ) from None
    tokenizer = Tokenizer.from_file(str(package / "tokenizers" / f"{MODEL}_tokenizer_config.json"))
    weights = load_file(str(package / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors"))
    return tokenizer, weights["embedding.weight"].astype(np.float32)


def similarity(first: str, second: str) -> float:
    """Cosine similarity of two texts' pooled word vectors, from -1 to 1 (0 when one is empty),
    leaving out words that only look like a word of the other text (bookkeeping/bookings)."""
    (first_words, a), (second_words, b) = _word_matrix(first), _word_matrix(second)
    if not len(a) or not len(b):
        return 0.0
    alike = _lookalikes(first_words, second_words)
    keep_a = ~alike.any(axis=1)
    keep_b = ~alike.any(axis=0)
    if not keep_a.any() or not keep_b.any():
        return 0.0
    pooled_a, pooled_b = a[keep_a].mean(axis=0), b[keep_b].mean(axis=0)
    norm = float(np.linalg.norm(pooled_a) * np.linalg.norm(pooled_b))
    return float(pooled_a @ pooled_b) / norm if norm else 0.0


@lru_cache(maxsize=8192)
def _lookalikes(first: tuple[str, ...], second: tuple[str, ...]) -> np.ndarray:
    """Which word pairs start alike without being one word."""
    alike = np.zeros((len(first), len(second)), dtype=bool)
    by_start: dict[str, list[int]] = {}
    for j, word in enumerate(second):
        by_start.setdefault(word[:LOOKALIKE_PREFIX], []).append(j)
    for i, word in enumerate(first):
        if len(word) < LOOKALIKE_PREFIX:
            continue
        for j in by_start.get(word[:LOOKALIKE_PREFIX], ()):
            alike[i, j] = not same_word(word, second[j])
    return alike


@lru_cache(maxsize=32768)
def word_vector(word: str) -> np.ndarray:
    """The unit-length meaning vector of one word (its tokens pooled)."""
    tokenizer, matrix = _model()
    ids = tokenizer.encode(word, add_special_tokens=False).ids
    pooled = matrix[ids].mean(axis=0) if ids else np.zeros(DIMENSIONS, dtype=np.float32)
    norm = float(np.linalg.norm(pooled))
    return pooled / norm if norm else pooled


@wordlists.derived_from_data
# 2,048 texts hold a class of drafts' sentences in about 25 MB; more only costs a class report's
# memory (each draft is new there), never a learner's speed.
@lru_cache(maxsize=2048)
def _word_matrix(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    generic = generic_words()
    kept = tuple(
        dict.fromkeys(
            fold(span.text)
            for span in words(text[:2000])
            if len(span.text) > 2 and not span.text.isdigit() and fold(span.text) not in generic
        )
    )
    if not kept:
        return kept, np.zeros((0, DIMENSIONS), dtype=np.float32)
    return kept, np.stack([word_vector(word) for word in kept])


# Words that start alike but are not one word (bookkeeping/bookings, mediation/media) look close
# to the model because they share pieces, not meaning.
LOOKALIKE_PREFIX = 4


def coverage(offer: str, need: str) -> tuple[float, float]:
    """How well the words of `offer` cover the words of `need` by meaning, and the reverse:
    for each word on one side, its closest word on the other that is not a lookalike,
    averaged (0 when either is empty)."""
    (first_words, first), (second_words, second) = _word_matrix(offer), _word_matrix(need)
    if not len(first) or not len(second):
        return 0.0, 0.0
    closeness = np.clip(first @ second.T, 0.0, None)
    closeness[_lookalikes(first_words, second_words)] = 0.0
    return float(closeness.max(axis=0).mean()), float(closeness.max(axis=1).mean())
