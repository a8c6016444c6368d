"""Text helpers: words, sentences, stems and forms of one word."""

from outreach_coach.grader.text import content_stems, fold, same_word, sentences, stem, words


def test_words_keep_apostrophes_and_hyphens() -> None:
    assert [w.text for w in words("I'm co-founding R&D, ok?")] == [
        "I'm",
        "co-founding",
        "R&D",
        "ok",
    ]


def test_sentences_split_on_end_punctuation_and_lines() -> None:
    text = "Hi Maria,\nGreat post. We build sensors, e.g. for trucks! Open to a chat?"
    assert [s.text for s in sentences(text)] == [
        "Hi Maria,",
        "Great post.",
        "We build sensors, e.g. for trucks!",
        "Open to a chat?",
    ]


def test_sentence_offsets_point_into_the_text() -> None:
    text = "  One.  Two!\n\nThree"
    for span in sentences(text):
        assert text[span.start : span.end] == span.text


def test_fold_strips_accents_and_case() -> None:
    assert fold("José") == "jose" and fold("André’s") == "andre's"


def test_stems_unify_inflections() -> None:
    assert stem("recruiting") == stem("recruiter") or stem("recruiting") == stem("recruit")
    assert stem("refrigerated") == stem("refrigeration")


def test_content_stems_drop_stopwords_and_generic_words() -> None:
    assert content_stems("We help your business with the spoilage problem") == {
        stem("spoilage"),
        stem("problem"),
    }


def test_same_word_tells_inflections_from_stem_collisions() -> None:
    assert same_word("sensor", "sensors")
    assert same_word("refrigerated", "refrigeration")
    assert not same_word("books", "bookings")


def test_long_words_are_not_stemmed() -> None:
    word = "x" * 500
    assert stem(word) == word
