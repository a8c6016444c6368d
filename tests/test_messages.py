"""The annotated example messages and the scenarios in data/ agree with the grader."""

import pytest

from outreach_coach import Report, data, grade

MESSAGES = data.messages()
SCENARIOS = data.scenarios()


def graded(text: str, recipient_id: str, sender_id: str) -> Report:
    """The report for a text between two people of the course data."""
    return grade(text, recipient=data.recipients()[recipient_id], sender=data.senders()[sender_id])


# Known misses of the relevance decision on the course's own examples, kept visible: strict, so
# a fix that makes them pass must remove them from here.
KNOWN_MISSES = {
    "bad-wrong-offer": "temperature sensors pitched to a plant that posted about vibration "
    "sensors: the shared word 'sensors' and a close-sounding post still read as a fit",
}


@pytest.mark.parametrize(
    "message_id",
    [
        pytest.param(m, marks=pytest.mark.xfail(reason=KNOWN_MISSES[m], strict=True))
        if m in KNOWN_MISSES
        else m
        for m in MESSAGES
    ],
)
def test_example_message_earns_exactly_its_expected_findings(message_id: str) -> None:
    message = MESSAGES[message_id]
    report = graded(message.text, message.recipient, message.sender)
    assert report.codes == set(message.expected_codes), report.summary()


def test_the_story_is_all_there() -> None:
    kinds = [m.kind for m in MESSAGES.values()]
    assert len(MESSAGES) >= 12
    assert kinds.count("mass") >= 1 and kinds.count("defensive") >= 1
    assert kinds.count("unsubscribe") >= 2 and kinds.count("good") >= 2


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_model_answer_passes_every_category(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    report = graded(scenario.model_answer, scenario.recipient, scenario.sender)
    if scenario.is_reply:  # a reply is graded on mechanics and etiquette only
        report = report.as_reply()
    assert report.passed, report.summary()


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_original_message_fails(scenario_id: str) -> None:
    scenario = SCENARIOS[scenario_id]
    report = graded(scenario.original, scenario.recipient, scenario.sender)
    assert not report.passed


def test_enough_scenarios_for_the_exercises() -> None:
    uses = [s.use for s in SCENARIOS.values()]
    assert uses.count("exercise") >= 5
    assert all(len(s.hints) >= 2 for s in SCENARIOS.values())


def test_people_span_several_industries() -> None:
    assert len({r.industry for r in data.recipients().values()}) >= 8
