"""The grader agrees with people's labels on the evaluation set (balanced accuracy >= 0.90)."""

import pytest

from outreach_coach import CATEGORIES
from outreach_coach.evaluation import CategoryScore, course_set, score

THRESHOLD = 0.90


@pytest.fixture(scope="module")
def results() -> dict[str, CategoryScore]:
    return score(course_set()).categories


def test_the_set_is_large_and_balanced() -> None:
    items = course_set()
    assert len(items) >= 40
    for category in CATEGORIES:
        passes = sum(item.labels[category] for item in items)
        assert 0.3 <= passes / len(items) <= 0.7, category


@pytest.mark.parametrize("category", CATEGORIES)
def test_balanced_accuracy_per_category(results: dict, category: str) -> None:
    result = results[category]
    assert result.balanced_accuracy >= THRESHOLD, (
        f"{category}: balanced accuracy {result.balanced_accuracy:.3f} < {THRESHOLD}"
    )


def test_no_model_answer_is_reused_in_the_evaluation_set() -> None:
    from outreach_coach import data

    answers = {" ".join(s.model_answer.split()) for s in data.scenarios().values()}
    assert not answers & {" ".join(item.text.split()) for item in course_set()}


def test_balanced_accuracy_arithmetic() -> None:
    assert CategoryScore("x", 8, 2, 5, 5).balanced_accuracy == pytest.approx(0.65)
    assert CategoryScore("x", 3, 0, 0, 0).balanced_accuracy == 1.0
