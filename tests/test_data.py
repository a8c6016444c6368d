"""Loading data/: everything valid loads, and a malformed file says file, row, field and why."""

import re
import shutil
from pathlib import Path

import pytest

from outreach_coach import data
from outreach_coach.grader import wordlists


@pytest.fixture
def copy_of_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ that a test may break; the loaders read it instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(data.data_dir(), target)
    # The grader's word lists live in the package; the copy holds them too, in the same folder.
    for path in wordlists.grader_data_dir().glob("*.toml"):
        shutil.copy(path, target / path.name)
    monkeypatch.setenv("OUTREACH_COACH_DATA", str(target))
    monkeypatch.setenv("OUTREACH_COACH_GRADER_DATA", str(target))
    data.clear_cache()
    yield target
    data.clear_cache()


def test_course_data_loads() -> None:
    assert len(data.recipients()) >= 10
    assert len(data.senders()) >= 5
    assert len(data.messages()) >= 12
    assert len(data.scenarios()) >= 5
    assert len(data.evaluation()) >= 40
    assert wordlists.topics() and wordlists.lexicon()["acronyms"]


def test_profiles_have_the_documented_fields() -> None:
    profile = next(iter(data.recipients().values()))
    assert profile.name and profile.headline and profile.company and profile.industry
    assert isinstance(profile.interests, tuple) and profile.interests
    assert profile.recent_activity


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_csv_missing_required_value_names_file_row_and_field(copy_of_data: Path) -> None:
    path = copy_of_data / "recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("id")] = "nobody-here"
    cells[header.index("name")] = ""
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as caught:
        data.recipients()
    error = caught.value
    assert error.file.endswith("recipients.csv") and error.row == 2 and error.field == "name"
    assert "non-empty" in str(error)


def test_csv_missing_column(copy_of_data: Path) -> None:
    path = copy_of_data / "senders.csv"
    _rewrite(path, ",offers", ",products")
    with pytest.raises(data.DataError, match="column 'offers' is missing"):
        data.senders()


def test_duplicate_id(copy_of_data: Path) -> None:
    path = copy_of_data / "senders.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match="duplicate id"):
        data.senders()


def test_toml_syntax_error(copy_of_data: Path) -> None:
    (copy_of_data / "scenarios.toml").write_text("[[scenario]\nid = ", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"scenarios\.toml: is not valid TOML"):
        data.scenarios()


def test_unknown_reference(copy_of_data: Path) -> None:
    path = copy_of_data / "messages.toml"
    first = next(iter(data.messages().values()))
    _rewrite(path, f'recipient = "{first.recipient}"', 'recipient = "no-such-person"')
    data.clear_cache()
    with pytest.raises(data.DataError) as caught:
        data.messages()
    assert caught.value.field == "recipient" and "no-such-person" in str(caught.value)
    assert "[[message]] #" in str(caught.value)


def test_bad_label_type(copy_of_data: Path) -> None:
    path = copy_of_data / "evaluation.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("relevance = true", 'relevance = "yes"', 1), encoding="utf-8")
    with pytest.raises(data.DataError, match="'relevance': expected true or false"):
        data.evaluation()


def test_missing_file(copy_of_data: Path) -> None:
    (copy_of_data / "topics.toml").unlink()
    with pytest.raises(data.DataError, match="file not found"):
        wordlists.topics()


def test_scenario_kind_must_be_known(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "scenarios.toml", 'use = "exercise"', 'use = "homework"')
    with pytest.raises(data.DataError, match="expected one of exercise, lesson"):
        data.scenarios()


def test_an_empty_csv_says_which_file_and_what_it_needs(copy_of_data: Path) -> None:
    (copy_of_data / "recipients.csv").write_text("", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"recipients\.csv: is empty: expected a header row"):
        data.recipients()


def test_a_toml_file_that_is_not_utf8_says_so(copy_of_data: Path) -> None:
    path = copy_of_data / "scenarios.toml"
    path.write_bytes(path.read_bytes().replace(b"Hi", b"H\xff", 1))
    with pytest.raises(data.DataError, match=r"scenarios\.toml: is not UTF-8 text"):
        data.scenarios()


def test_a_number_among_the_stopwords_names_the_list(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "lexicon.toml", "stopwords = [", "stopwords = [5, ")
    with pytest.raises(data.DataError, match=r"field 'stopwords': expected words in quotes"):
        wordlists.lexicon()


def test_a_nickname_that_is_not_text_names_the_entry(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "lexicon.toml", '"bob", ', "7, ")
    with pytest.raises(data.DataError, match=r"row robert, field 'nicknames'"):
        wordlists.lexicon()


def test_an_unclosed_quote_is_blamed_on_its_own_row(copy_of_data: Path) -> None:
    path = copy_of_data / "recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ',"', 1)  # row 4 opens a quote it never closes
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"row 4: a quoted field on this row is never closed"):
        data.recipients()


def test_every_course_file_is_checked_when_the_course_opens(copy_of_data: Path) -> None:
    from outreach_coach import grade
    from tests.people import MARIA

    (copy_of_data / "topics.toml").write_text("[topics]\nhiring = 5\n", encoding="utf-8")
    with pytest.raises(data.DataError, match=r"topics\.toml"):
        data.load_all()
    # A message with no offer would not need the topics, yet grading says so at once.
    with pytest.raises(data.DataError, match=r"topics\.toml"):
        grade("Hi Maria, hope you are well.", recipient=MARIA)


def test_a_profile_field_over_its_limit_names_the_row(copy_of_data: Path) -> None:
    path = copy_of_data / "recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Row 3's headline made longer than the 300 characters a profile may hold.
    lines[2] = lines[2].replace("Not Cold Lists", "Not Cold Lists" + " and more" * 40, 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(
        data.DataError, match=r"recipients\.csv, row 3: recipient field 'headline' has"
    ):
        data.recipients()


@pytest.mark.parametrize("field", ["objectives", "key_points", "instructor_notes"])
def test_an_exercise_without_objectives_key_points_or_notes_names_its_row(
    copy_of_data: Path, field: str
) -> None:
    path = copy_of_data / "scenarios.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"{field} = [")
    end = text.index("]\n", start) + 2
    first = re.search(r'^id = "([^"]+)"', text, re.MULTILINE).group(1)
    path.write_text(text[:start] + f"{field} = []\n" + text[end:], encoding="utf-8")
    with pytest.raises(
        data.DataError, match=rf"row \[\[scenario\]\] #1 \(id {first}\), field '{field}'"
    ):
        data.scenarios()


def test_an_empty_key_point_is_refused(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "scenarios.toml", "key_points = [\n", 'key_points = [\n  " ",\n')
    with pytest.raises(data.DataError, match=r"field 'key_points'.*non-empty"):
        data.scenarios()


def test_a_single_choice_question_with_two_right_answers_names_its_row(copy_of_data) -> None:
    path = copy_of_data / "quizzes.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('id = "recovery-reply"')
    head, tail = text[:start], text[start:].replace("correct = false", "correct = true", 1)
    path.write_text(head + tail, encoding="utf-8")
    with pytest.raises(data.DataError, match=r"\[\[question\]\] #2, field 'option'.*exactly one"):
        data.quiz_questions()


def test_a_quiz_option_needs_an_explanation(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "quizzes.toml", "explanation = ", "explained = ")
    with pytest.raises(data.DataError, match=r"#1, option 1, field 'explanation'"):
        data.quiz_questions()


def test_a_spot_label_must_be_text(copy_of_data: Path) -> None:
    _rewrite(copy_of_data / "quizzes.toml", 'PERS001 = "', 'PERS001 = 3\nX = "')
    with pytest.raises(data.DataError, match=r"\[spot_labels\], field 'PERS001'"):
        data.spot_labels()


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("source = ", "origin = ", r"research.toml, row \[\[figure\]\] #1, field 'source'"),
        ('unit = "characters"', 'unit = "chars"', r"#1, field 'unit': expected one of"),
        ("value = 400", 'value = "400"', r"#1, field 'value': expected a whole number"),
        ('id = "inmail_short_lift"', 'id = "inmail_short_chars"', r"#2, field 'id': duplicate"),
        ("value = 400", 'value = 400\naddress = "linkedin"', r"#1, field 'address'"),
    ],
)
def test_a_malformed_research_figure_names_its_row_and_field(
    copy_of_data: Path, old: str, new: str, where: str
) -> None:
    _rewrite(copy_of_data / "research.toml", old, new)
    with pytest.raises(data.DataError, match=where):
        data.research()


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            '{sender_first}"""',
            '{sender_name}"""',
            r"\[graceful_reply\], field 'text': unknown \{sen",
        ),
        ('id = "punctuation"', 'id = "capitals"', r"\[\[pair\]\] #2, field 'id': duplicate"),
        ('sender = "nadia-sorensen"', 'sender = "nobody"', r"#1, field 'sender': unknown sender"),
        ('recipient = "aisha-rahman"', 'recipient = ""', r"\[openers\], field 'recipient'"),
        (
            "hints = [",
            'hints = [" ",',
            r"\[capstone\], field 'hints': expected a list of non-empty",
        ),
        ("[openers]", "[opener]", r"field 'openers': expected a \[openers\] table"),
    ],
)
def test_a_malformed_lesson_text_names_its_table_and_field(
    copy_of_data: Path, old: str, new: str, where: str
) -> None:
    _rewrite(copy_of_data / "lessons.toml", old, new)
    with pytest.raises(data.DataError, match=where) as caught:
        data.lesson_texts()
    assert caught.value.file.endswith("lessons.toml")
