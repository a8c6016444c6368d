"""The grader's phrase lists (resources/cues.toml) and word lists: each list finds its phrases,
as whole words, and a mistake in a list is reported with the file and the list's name."""

import shutil
from pathlib import Path

import pytest

from outreach_coach import data, grade
from outreach_coach.grader import wordlists
from outreach_coach.grader.analysis import sign_off, sign_off_line
from outreach_coach.grader.profiles import first_name_of, is_title
from tests.people import GARY, MARIA

# For each list: a text that must match it and one that must not (like the rules' examples).
CUE_EXAMPLES = {
    "connect_only": ("I would love to connect and exchange ideas.", "Our sensors connect to it."),
    "sender_serving": ("Could you endorse me for logistics?", "We follow up on your rating."),
    "negated_fit": ("You probably don't need this, but we sell sensors.", "You need sensors."),
    "solved_need": ("Our website was rebuilt last year and works well.", "Our website is old."),
    "mass_mail": ("Sorry for the mass message, everyone.", "A message for you alone."),
    "activity": ("I saw your post about the new depot.", "The depot won't open till May."),
    "offer_verbs": ("I install cold-room sensors.", "The installers' van is blue."),
    "asks": ("Would you like a short demo?", "The demo is short."),
    "soft_asks": ("Happy to send the checklist.", "The checklist is attached."),
    "compliments": ("Your latest article on spoilage stood out.", "The article is long."),
    "need": ("We are looking for a new payroll tool.", "Our payroll tool is fine."),
    "sign_offs": ("Kind regards,", "Kindness matters."),
}


def test_every_cue_list_has_examples() -> None:
    assert set(CUE_EXAMPLES) == set(wordlists.CUE_LISTS) == set(wordlists.cues())


@pytest.mark.parametrize("name", sorted(CUE_EXAMPLES))
def test_each_cue_list_finds_its_phrases_as_whole_words(name: str) -> None:
    must, must_not = CUE_EXAMPLES[name]
    assert wordlists.has_cue(name, must), must
    assert not wordlists.has_cue(name, must_not), must_not


def test_a_starred_word_goes_on_and_may_be_a_possessive() -> None:
    assert wordlists.has_cue("activity", "Congratulations on the launch!")  # congrat*
    assert wordlists.has_cue("offer_verbs", "I handle the auditor's report.")  # audit*
    assert not wordlists.has_cue("activity", "The fridge won't start.")  # won, not won't


def test_the_signature_finder_and_the_capital_check_share_one_list_of_closings() -> None:
    for closing in ("Warmly,", "Take care!", "Have a good weekend."):
        assert sign_off_line().match(closing), closing
        assert sign_off().match(closing), closing
    assert sign_off().match("Best regards, Nadia").group("rest") == "Nadia"


def test_courtesy_titles_are_one_list_for_names_and_greetings() -> None:
    assert is_title("Frau") and is_title("Dr.") and not is_title("Maria")
    assert first_name_of("Dr. Maria Lopez") == "Maria"
    # The greeting's title is skipped, so the name it addresses is the one after it.
    report = grade("Sehr geehrte Frau Weber,\n\nI saw your post.\n\nGary", MARIA, GARY)
    (wrong_name,) = [f for f in report.findings if f.code == "PERS002"]
    assert "Weber" in wrong_name.message and "Frau" not in wrong_name.message


@pytest.fixture
def copy_of_word_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the grader's resources that a test may break."""
    target = tmp_path / "resources"
    shutil.copytree(wordlists.grader_data_dir(), target)
    monkeypatch.setenv("OUTREACH_COACH_GRADER_DATA", str(target))
    data.clear_cache()
    yield target
    data.clear_cache()


def test_a_star_inside_a_word_is_reported(copy_of_word_lists: Path) -> None:
    path = copy_of_word_lists / "cues.toml"
    path.write_text(path.read_text("utf-8").replace('"congrat*"', '"con*grat"'), "utf-8")
    with pytest.raises(wordlists.DataError, match=r"field 'activity': '\*' may only end a word"):
        wordlists.cues()


def test_a_missing_cue_list_is_reported(copy_of_word_lists: Path) -> None:
    path = copy_of_word_lists / "cues.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nneed = [", "\nneeds_typo = ["), "utf-8")
    with pytest.raises(wordlists.DataError, match=r"cues\.toml, field 'need': expected a list"):
        wordlists.cues()


def test_stopwords_get_no_endings_so_herd_and_shed_keep_their_meaning() -> None:
    from outreach_coach.grader.text import content_stems, generic_words

    generic = generic_words()
    assert {"herd", "shed", "bed", "red"}.isdisjoint(generic)  # her+d, she+d, be+d, re+d
    assert {"knows", "asking", "gets", "says", "others"} <= generic  # listed forms still count
    assert {"herd", "shed"} <= content_stems("The herd waits in the milking shed.")


def test_a_post_that_states_a_problem_is_a_need_one_shared_word_can_meet() -> None:
    farmer = {
        **MARIA,
        "recent_activity": "Posted that lameness in the herd has climbed to 18% this winter.",
        "interests": ["pasture measurement"],
        "about": "",
    }
    assert wordlists.has_cue("need", farmer["recent_activity"])
    report = grade(
        "Hi Maria,\n\nI saw your post. We trim hooves and treat lameness on farms near you. "
        "Would a visit next week help?\n\nGary",
        farmer,
        GARY,
    )
    (tie,) = report.categories["relevance"].findings
    # The finding names the word the offer shares with the problem, not only a closeness.
    assert tie.code == "REL100" and "(lameness)" in tie.message, tie.message


def test_an_edited_title_list_is_read_again(copy_of_word_lists: Path) -> None:
    assert not is_title("Capt")
    path = copy_of_word_lists / "lexicon.toml"
    path.write_text(path.read_text("utf-8").replace('"dr", "mr",', '"capt", "dr", "mr",'), "utf-8")
    data.clear_cache()
    assert is_title("Capt") and first_name_of("Capt. Maria Lopez") == "Maria"
