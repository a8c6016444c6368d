"""Hypothesis strategies for hostile messages and profiles (shared by tests and benchmarks)."""

from __future__ import annotations

from hypothesis import strategies as st

# What grade() documents that it raises: TypeError for a message that is not text, ValueError
# (with a message saying what to fix) for a profile it cannot use.
DOCUMENTED_ERRORS = (TypeError, ValueError)

# Pieces that stress the patterns: runs of every kind of space and of punctuation, line breaks,
# merge fields, HTML, combining marks, right-to-left marks, control characters and emoji.
HOSTILE_PIECES = (
    " ",
    "\u00a0",
    "\u3000",
    "\u2003",
    "\t",
    "\n",
    "\r\n",
    "!",
    "?",
    ".",
    "…",
    ",",
    ";",
    " - ",
    " and we ",
    ", so I ",
    "Hi Maria,",
    "Best,\nNadia",
    "{{first_name}}",
    "[Company]",
    "<b>",
    "<script>alert(1)</script>",
    "\u0301",
    "\u202e",
    "\u200f",
    "\x00",
    "\x1b[2J",
    "😀",
    "👨‍👩‍👧",
    "\ud800",
    "Dr.",
    "e.g.",
    "we help your team hire nurses",
    "Would you be open to a call?",
    "I'm not spam",
    "REPLY ALL",
    "u r gr8",
    "Supercalifragilisticexpialidocious",
)

piece = st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8))
# A piece repeated a few hundred times makes the runs that once made patterns backtrack.
run = st.builds(lambda p, n: p * n, st.sampled_from(HOSTILE_PIECES), st.integers(1, 400))


def messages() -> st.SearchStrategy[str]:
    """Messages built from hostile pieces and runs, and plain generated text."""
    return st.one_of(
        st.lists(st.one_of(piece, run), max_size=12).map("".join),
        st.text(max_size=200),
    )


field_value = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(piece, run), max_size=6).map("".join),
    st.none(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.lists(st.text(max_size=20), max_size=5),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
interests = st.one_of(
    st.lists(st.one_of(st.text(max_size=30), run), max_size=8),
    st.text(max_size=80),
    field_value,
)


def profiles() -> st.SearchStrategy[dict]:
    """Recipient profiles: mostly well-formed, some with missing fields or wrong types."""
    text_field = st.one_of(
        st.text(max_size=80), st.lists(st.one_of(piece, run), max_size=4).map("".join)
    )
    good = st.fixed_dictionaries(
        {
            "name": st.one_of(st.just("Maria Lopez"), text_field),
            "headline": text_field,
            "company": text_field,
            "industry": text_field,
            "interests": interests,
            "recent_activity": text_field,
            "about": text_field,
        }
    )
    odd = st.dictionaries(
        st.sampled_from(
            ["name", "headline", "company", "industry", "interests", "recent_activity", "about"]
        ),
        field_value,
    )
    return st.one_of(good, good, odd)
