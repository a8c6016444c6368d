"""The browser's plain-Python meaning model gives the numpy model's values and verdicts."""

import pytest

from outreach_coach import data, grade
from outreach_coach.evaluation import corpus
from outreach_coach.grader import meaning
from outreach_coach.grader.profiles import as_recipient
from outreach_coach.grader.text import fold, words

# Every 20th corpus message (over 100, from every writer), graded by each model.
SAMPLE = corpus()[::20]


LOADED = meaning._backend


def _use_backend(monkeypatch: pytest.MonkeyPatch, plain: bool) -> None:
    monkeypatch.setattr(meaning, "_backend", lambda: LOADED(plain))
    meaning.word_vector.cache_clear()
    data.clear_cache()


@pytest.fixture(scope="module")
def backends() -> tuple[object, object]:
    return meaning._backend(plain=False), meaning._backend(plain=True)


def test_plain_bpe_gives_the_tokenizers_ids_for_every_corpus_word(backends) -> None:
    numpy_model, plain_model = backends
    vocabulary = sorted({fold(span.text) for item in corpus() for span in words(item.text)})
    vocabulary += ["naïve", "日本語", "🙂ok", "a b"]
    differ = [w for w in vocabulary if numpy_model.token_ids(w) != plain_model.token_ids(w)]
    assert len(vocabulary) > 5000
    assert differ == []


def _measure(item) -> tuple[list[float], dict[str, bool], float]:
    about = as_recipient(item.recipient).about
    values = [meaning.similarity(item.text, about), *meaning.coverage(item.text, about)]
    report = grade(item.text, recipient=item.recipient, sender=item.sender)
    return values, {name: c.passed for name, c in report.categories.items()}, report.score


def test_plain_and_numpy_models_agree_on_corpus_messages(monkeypatch) -> None:
    _use_backend(monkeypatch, plain=False)
    by_numpy = [_measure(item) for item in SAMPLE]
    _use_backend(monkeypatch, plain=True)
    by_plain = [_measure(item) for item in SAMPLE]
    _use_backend(monkeypatch, plain=False)
    assert len(SAMPLE) > 100
    assert any(values[0] > 0.3 for values, _, _ in by_numpy)
    for item, (values, verdicts, score), (plain_values, plain_verdicts, plain_score) in zip(
        SAMPLE, by_numpy, by_plain, strict=True
    ):
        assert plain_values == pytest.approx(values, abs=1e-5), item.id
        assert (plain_verdicts, plain_score) == (verdicts, score), item.id
