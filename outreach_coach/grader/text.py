"""Text helpers for the grader: words, sentences, stems and content terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

import snowballstemmer

from . import wordlists

# One word: letters or digits, joined by single apostrophes, hyphens or ampersands (R&D, co-op).
WORD = re.compile(r"[^\W_]+(?:['’&-][^\W_]+)*")
# A sentence ends at . ! ? (or a run of them) followed by white space, or at a line break. The
# run is matched from its start only, and possessively: a long run is read once, not n times.
SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)|\n")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr prof vs inc ltd co st jr sr no approx dept est ft corp".split()
)
LONGEST_STEMMED_WORD = 40

_stemmer = snowballstemmer.stemmer("english")


class Span(NamedTuple):
    """A piece of the message with its character offsets."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lowercase a word and strip accents, so José matches Jose."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a folded word (long words are left as they are)."""
    folded = fold(word)
    if len(folded) > LONGEST_STEMMED_WORD or not folded.isascii():
        return folded
    if folded.endswith("'s"):
        folded = folded[:-2]
    return _stemmer.stemWord(folded)


CACHED_TEXT_LENGTH = 4000


def words(text: str) -> tuple[Span, ...]:
    """Every word in the text, with offsets."""
    # Every check reads the same message and sentences: remember them, but not huge pastes.
    return _cached_words(text) if len(text) <= CACHED_TEXT_LENGTH else _words(text)


def _words(text: str) -> tuple[Span, ...]:
    return tuple(Span(m.start(), m.end(), m.group()) for m in WORD.finditer(text))


_cached_words = lru_cache(maxsize=4096)(_words)


def tokens(text: str) -> list[str]:
    """Every word in the text, without offsets: the words of words(text), read far faster where
    only the words matter (no match object and no Span for each)."""
    return WORD.findall(text)


def sentences(text: str, offset: int = 0) -> list[Span]:
    """Split text into sentences at end punctuation and line breaks; blank pieces are dropped."""
    pieces: list[Span] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        if match.group() != "\n" and match.group().startswith("."):
            before = text[max(0, match.start() - 6) : match.start()].split()
            if before and fold(before[-1].lstrip("(")) in ABBREVIATIONS:
                continue
        _append_sentence(pieces, text, start, match.end(), offset)
        start = match.end()
    _append_sentence(pieces, text, start, len(text), offset)
    return pieces


def _append_sentence(pieces: list[Span], text: str, start: int, end: int, offset: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    pieces.append(Span(offset + begin, offset + begin + len(stripped), stripped))


INFLECTIONS = ("", "s", "es", "ed", "d", "ing")


@wordlists.derived_from_data
@cache
def generic_words() -> frozenset[str]:
    """Stopwords, as listed, and words too common in business writing to prove a connection,
    with their plain inflections. Listed as words, not stems: the stem of "officer" would also
    drop "office", and the stem of "product" would drop "production"."""
    stopwords = frozenset(fold(w) for w in wordlists.lexicon()["stopwords"])
    listed = [fold(w) for w in wordlists.lexicon()["generic"]]
    return (
        stopwords
        | frozenset(word + ending for word in listed for ending in INFLECTIONS)
        | frozenset(word[:-1] for word in listed if word.endswith("s") and len(word) > 3)
    )


def content_stems(text: str, exclude: Iterable[str] = ()) -> set[str]:
    """Stems of the words in text that can carry a topic (no stopwords, no generic words)."""
    return set(_content_stems(text)).difference(exclude)


@wordlists.derived_from_data
@lru_cache(maxsize=16384)
def _content_stems(text: str) -> frozenset[str]:
    # Profiles and sentences are graded again and again: each text is read once.
    return frozenset().union(*map(_token_stems, tokens(text)))


@wordlists.derived_from_data
@lru_cache(maxsize=65536)
def _token_stems(token: str) -> tuple[str, ...]:
    # A new draft is mostly words seen before: each word is judged once, not once per text.
    if len(token) < 2 and not token.isdigit():
        return ()
    generic = generic_words()
    numbers = wordlists.lexicon()["number_words"]
    folded = fold(token)
    result = []
    if folded in numbers:
        result.append(numbers[folded])
    elif folded.removesuffix("'s") not in generic:
        result.append(stem(token))
    # "cold-room breakdowns" speaks of a cold room, "near-flash" of a flash.
    for part in token.split("-") if "-" in token else ():
        if fold(part) in numbers:
            result.append(numbers[fold(part)])
        elif len(part) >= 3 and fold(part) not in generic:
            result.append(stem(part))
    return tuple(result)


def content_words(text: str, exclude: Iterable[str] = ()) -> set[str]:
    """The folded words of text that can carry a topic, hyphenated words also in their parts."""
    generic, excluded = generic_words(), set(exclude)
    result = set()
    for word in tokens(text):
        parts = [word, *word.split("-")] if "-" in word else [word]
        for token in parts:
            if len(token) < 2 or not token[0].isalpha():
                continue  # a shared number ("20-minute" call, "by 20%") names no need
            folded = fold(token).removesuffix("'s")
            if folded not in generic and stem(token) not in excluded:
                result.add(folded)
    return result


@lru_cache(maxsize=65536)
def same_word(first: str, second: str) -> bool:
    """True for two forms of one word (sensor/sensors, refrigerated/refrigeration), not for
    words the stemmer merely cuts to the same stem (books/bookings)."""
    shorter, longer = sorted((first, second), key=len)
    if longer.startswith(shorter) and len(longer) - len(shorter) <= 2:
        return True
    # Measured against the longer word: "media" is most of itself but little of "mediation".
    prefix = common_prefix_length(shorter, longer)
    return prefix >= 5 and prefix >= 0.7 * len(longer)


def common_prefix_length(first: str, second: str) -> int:
    """How many leading characters two strings share."""
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def shared_words(first: set[str], second: set[str]) -> set[str]:
    """The words of `first` that are a form of some word of `second` (distributor/distribution)."""
    # Two forms of one word start with the same letter: compare only words that do.
    by_letter: dict[str, list[str]] = {}
    for b in second:
        by_letter.setdefault(b[:1], []).append(b)
    return {
        a for a in first if a in second or any(same_word(a, b) for b in by_letter.get(a[:1], ()))
    }


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """The stems of every word of a short phrase, in order (for phrase matching)."""
    return tuple(stem(word) for word in tokens(phrase))


def excerpt(text: str, limit: int = 60) -> str:
    """A short one-line quote of learner text for a finding's message."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    # End on a whole word when there is one in the last third; a single long token is cut.
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
