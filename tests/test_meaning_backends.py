"""The word vector table, and the browser's plain-Python reading of it giving the numpy one's
values and verdicts."""

import pytest

from outreach_coach import data, grade
from outreach_coach.evaluation import corpus
from outreach_coach.grader import meaning
from outreach_coach.grader.profiles import as_recipient

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


def test_the_table_is_whole_and_its_rows_are_unit_vectors(backends) -> None:
    index, raw = meaning._table()
    numpy_model, _ = backends
    assert len(index) > 50_000 and len(raw) == len(index) * (meaning.DIMENSIONS + 4)
    lengths = numpy_model.np.linalg.norm(
        numpy_model.rows.astype("float32") * numpy_model.scales[:, None], axis=1
    )
    # int8 rounding moves each of 128 values by at most half a step of max/127.
    assert abs(lengths - 1).max() < 0.02


def test_a_word_missing_from_the_table_is_read_as_its_pieces() -> None:
    index, _ = meaning._table()
    assert meaning.row_ids("baker's") == meaning.row_ids("baker") == [index["baker"]]
    pieced = meaning.row_ids("reflowering")
    words = {row: word for word, row in index.items()}
    assert "reflowering" not in index and len(pieced) > 1
    assert "".join(words[row].removeprefix("##") for row in pieced) == "reflowering"
    assert meaning.row_ids("日本語") == [] and meaning.row_ids("") == []


def test_words_alike_in_meaning_are_closer_than_unrelated_ones() -> None:
    alike = [("weekend", "saturdays"), ("grant", "funder"), ("sensor", "thermometer")]
    for word, close in alike:
        for far in ("forklift", "violin", "mortgage"):
            assert meaning.similarity(word, close) > meaning.similarity(word, far) + 0.1, word


def test_a_missing_table_says_how_to_reinstall(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(meaning, "files", lambda package: tmp_path)
    meaning._table.cache_clear()
    try:
        with pytest.raises(meaning.ModelMissing, match=r"pip install -r requirements\.txt"):
            meaning._table()
    finally:
        monkeypatch.undo()
        meaning._table.cache_clear()


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
