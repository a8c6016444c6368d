"""Every rule has texts that must trigger it and texts that must not (proselint's test table)."""

import ast
import re
import string
from pathlib import Path

import pytest

from outreach_coach import grade
from outreach_coach.data import DataError
from outreach_coach.grader import checks, rules
from outreach_coach.grader.checks import CHECKS
from outreach_coach.grader.rules import RULES, RULES_BY_CODE, load_rules
from tests.people import GARY, GOOD_TO_MARIA, MARIA, PRIYA

# A good message with one line swapped: isolates one rule at a time.
GOOD = GOOD_TO_MARIA


def swap(old: str, new: str) -> str:
    """The good message with one piece replaced."""
    assert old in GOOD, old
    return GOOD.replace(old, new)


# Maria's profile when her spoilage problem is solved and nothing else in it is about sensors.
SOLVED = {
    "recent_activity": "Posted that two new drivers joined the night shift.",
    "interests": ["driver retention", "route planning"],
    "about": "Our trucks already have spoilage alerts that work well.",
}

# code -> (texts that must trigger it, texts that must not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "PERS001": (
        [swap("Hi Maria,", "Hello,"), swap("Hi Maria,", "Hi there,")],
        [
            GOOD,
            swap("Hi Maria,", "Maria, good morning."),
            swap("Hi Maria,", "Dear Ms. Lopez,"),
            swap("Hi Maria,\n\nCongratulations", "Ms. Lopez, congratulations"),
        ],
    ),
    "PERS002": (
        [swap("Hi Maria,", "Hi Sarah,"), swap("Hi Maria,", "Dear Mr. Collins,")],
        [GOOD, swap("Hi Maria,", "Hi all,")],
    ),
    "PERS003": (
        [
            "Hi Maria,\n\nWe build wireless sensors that send spoilage alerts before a load warms"
            " up. Would a short call next week be useful?\n\nBest,\nPriya",
            "Hi Maria,\n\nI came across your profile and would love to connect. We make sensors for"
            " trucks. Open to a chat?\n\nBest,\nPriya",
        ],
        [
            GOOD,
            swap("Congratulations on cutting spoilage", "I enjoyed your post on cutting spoilage"),
            "Hi Maria,\n\nI see Brightline Foods runs 40 delivery routes. We build sensors for"
            " trucks. Open to a chat?\n\nBest,\nPriya",
        ],
    ),
    "PERS004": (
        [
            swap("Hi Maria,", "Hi all,"),
            swap("Hi Maria,", "Dear Sir/Madam,"),
            swap("Hi Maria,", "To whom it may concern,"),
            swap("Hi Maria,", "Hello Fresh Food Distribution Owners,"),
            swap("Hi Maria,", "Hi Brightline team,"),
            swap("Hi Maria,", "Hello fellow founders!"),
            swap("Hi Maria,", "Dear Winemakers of Montalcino,"),
            swap("Hi Maria,", "dear architects,"),
            swap("Hi Maria,", "To all fleet managers,"),
        ],
        [
            GOOD,
            swap("Hi Maria,", "Hi Maria, all the best to you,"),
            swap("Hi Maria,", "Hi Maria and the Brightline team,"),
        ],
    ),
    "PERS005": (
        [
            swap("Hi Maria,", "Hi [First Name],"),
            swap("Hi Maria,", "Hi {first_name},"),
            swap("Hi Maria,", "Hi <<Name>>,"),
            swap("Hi Maria,", "Hi %FIRSTNAME%,"),
        ],
        [GOOD, swap("Hi Maria,", "Hi Maria (from the food-safety panel),")],
    ),
    "PERS006": (
        [swap("Best,", "I am sending this to my whole network.\n\nBest,")],
        [GOOD, swap("Best,", "I rarely write to people outside my network.\n\nBest,")],
    ),
    "PERS008": (
        [
            swap("Best,", "Sorry for the mass message.\n\nBest,"),
            swap("Best,", "Reply STOP to opt out.\n\nBest,"),
        ],
        [GOOD, swap("Best,", "Happy to stop here if this is not useful.\n\nBest,")],
    ),
    "PERS007": (
        [
            swap("Congratulations on", "I came across your profile. Congratulations on"),
            swap("Congratulations on", "What an impressive profile! Congratulations on"),
        ],
        [GOOD],
    ),
    "PERS100": (
        [GOOD],
        ["Hi Maria,\n\nWe sell sensors. Interested?\n\nBest,\nPriya"],
    ),
    "REL001": (
        [
            "Hi Maria,\n\nCongratulations on cutting spoilage by 12% in your refrigerated trucks."
            " Great result.\n\nBest,\nPriya"
        ],
        [GOOD],
    ),
    "REL002": (
        [
            "Hi Maria,\n\nCongratulations on cutting spoilage by 12% in your refrigerated trucks."
            " If there's anything I can do for you, let me know.\n\nBest,\nPriya",
            "Hi Maria,\n\nCongratulations on cutting spoilage by 12% in your refrigerated trucks."
            " We offer many services to companies like yours.\n\nBest,\nPriya",
        ],
        [GOOD],
    ),
    "REL003": (
        [
            "Hi Maria,\n\nCongratulations on cutting spoilage by 12% in your refrigerated trucks."
            " We print custom pens and mugs with your logo. Want a sample box?\n\nBest,\nGary",
            "Hi Maria,\n\nLoved your post on cold-chain logistics. We design wedding invitations"
            " and greeting cards. Would you like a catalogue?\n\nBest,\nPriya",
        ],
        [GOOD],
    ),
    "REL007": (
        [
            swap(
                "We build wireless sensors that send spoilage alerts to the driver's phone before"
                " a load warms up.\nWould a short call next week to compare notes on your"
                " cold-chain setup be useful?",
                "I would love to connect and exchange ideas.",
            ),
        ],
        [GOOD, swap("We build", "I'd love to connect: we build")],
    ),
    "REL008": (
        [
            swap(
                "We build wireless sensors that send spoilage alerts to the driver's phone before"
                " a load warms up.\nWould a short call next week to compare notes on your"
                " cold-chain setup be useful?",
                "Could you endorse me for cold-chain logistics?",
            ),
        ],
        [GOOD],
    ),
    "REL009": (
        [(GOOD, {**MARIA, **SOLVED})],
        [GOOD, (GOOD, {**MARIA, **SOLVED, "about": "Our trucks have no spoilage alerts yet."})],
    ),
    "REL010": (
        [swap("We build", "You probably don't need this, but we build")],
        [GOOD, swap("We build", "You may need more routes soon; we build")],
    ),
    "REL004": (
        [
            swap(
                "We build wireless sensors",
                "I founded our company in 2019 and we are proud of our team. We think our"
                " product is the best we have made. We build wireless sensors",
            )
        ],
        [GOOD],
    ),
    "REL005": (
        [swap("Would a short call", "This is a limited time price: act now. Would a short call")],
        [GOOD, swap("Would a short call", "There is no rush at all. Would a short call")],
    ),
    "REL006": (
        [
            swap(
                "Would a short call next week to compare notes on your cold-chain setup be useful?",
                "Our sensors work with any refrigerated truck.",
            )
        ],
        [GOOD],
    ),
    "REL100": (
        [GOOD],
        [
            "Hi Maria,\n\nWe design wedding invitations and greeting cards. Would you like a"
            " catalogue?\n\nBest,\nPriya"
        ],
    ),
    "MECH001": (
        [
            swap("Congratulations on", "congratulations on"),
            swap("Hi Maria,", "hi Maria,"),
            swap("Best,", "best,"),
        ],
        [GOOD, swap("Congratulations on", "Your iPhone shows it too. Congratulations on")],
    ),
    "MECH002": (
        [swap("We build", "i think we build"), swap("We build", "i'm sure we build")],
        [GOOD, swap("We build", "Our sensors (i.e. small radios) are what we build; we build")],
    ),
    "MECH003": (
        [swap("big\nresult", "big ,\nresult"), swap("be useful?", "be useful ?")],
        [GOOD, swap("be useful?", "be useful? :)")],
    ),
    "MECH004": (
        [swap("be useful?", "be useful??"), swap("big\nresult", "big\nresult!!")],
        [GOOD, swap("be useful?", "be useful...?")],
    ),
    "MECH005": (
        [
            swap("We build", "We build AMAZING"),
            swap("We build", "ACT NOW: we build"),
            swap("We build", "We build FREE"),
        ],
        [
            GOOD,
            swap("We build", "Our CRM and SEO team at the CEO's request, we build"),
            swap("We build", "We handle CFIA licensing and we build"),
        ],
    ),
    "MECH006": (
        [swap("Would a short call", "Would u like a short call"), swap("Best,", "Thx,")],
        [GOOD],
    ),
    "MECH007": (
        [swap("big\nresult", "big\nbuisness result"), swap("be useful?", "definately be useful?")],
        [GOOD],
    ),
    "MECH008": (
        [swap("Best,", "We also help with more. " * 60 + "\n\nBest,")],
        [GOOD],
    ),
    "MECH009": (
        ["Hi Maria, want sensors for your trucks?\nPriya"],
        [GOOD],
    ),
    "MECH011": (
        [
            swap("We build", "you're drivers will love it. We build"),
            swap("We build", "It fits you're team. We build"),
            swap("We build", "Their is no setup fee. We build"),
            swap("We build", "Brokers love there dashboards. We build"),
            swap("We build", "Its free to try. We build"),
            swap("We build", "It costs less then you pay now. We build"),
            swap("We build", "It let's you see every truck. We build"),
        ],
        [
            GOOD,
            swap("We build", "You're always welcome to ask. We build"),
            swap("We build", "You're hiring, I saw. We build"),
            swap("We build", "The fleet gives so much of its time to this. We build"),
            swap("We build", "There was a recall last year. We build"),
            swap("We build", "It lets you see every truck. We build"),
        ],
    ),
    "MECH010": (
        [
            swap(
                "We build wireless sensors",
                "We build wireless sensors and gateways and dashboards and alarms and reports and"
                " apps and cables and mounts and batteries and antennas and chargers and cases and"
                " labels and tools and manuals and everything a fleet of any size could want and"
                " we build wireless sensors",
            )
        ],
        [GOOD],
    ),
    "ETIQ001": (
        [
            swap("Best,\nPriya", "Best,\nBob Harlan"),
            swap("Best,\nPriya", "Cheers, Anna"),
            swap("Best,\nPriya", "xoxo\nRebecca & the Stein Studios team"),
            swap("Best,\nPriya", "Shane 087 555 0123"),
            # The company's name holds Gary's surname, but it is not a person signing.
            swap(
                "Best,\nPriya",
                "Gary here, from the stand next to yours.\n\nBest,\nPruitt Promotions",
            ),
        ],
        [
            GOOD,
            swap("Best,\nPriya", "Best,\nPriya Raman"),
            swap("Best,\nPriya", "— Priya"),
            swap("Best,\nPriya", "Priya & the Coldwise team"),
            swap("Best,\nPriya", "With best regards,\nPriya Raman\nColdwise"),
            swap(
                "Best,\nPriya",
                "Gary here, from the stand next to yours.\n\nGary Pruitt\nPruitt Promotions",
            ),
            swap("Best,\nPriya", "Thanks and regards,\nPriya"),
        ],
    ),
    "ETIQ002": (
        [swap("\n\nBest,\nPriya", "")],
        [GOOD],
    ),
    "ETIQ003": (
        [
            "Hi Maria,\n\nIt's not spam, we are a legitimate small company. Please look at it"
            " again.\n\nBest,\nPriya",
            "Sorry but I don't do spam.",
            swap("Best,", "It may look like spam, but I promise it isn't.\n\nBest,"),
            swap("Best,", "We're a legitimate, family-owned business.\n\nBest,"),
            swap("Best,", "Our message is not spam. Kindly reconsider.\n\nBest,"),
            swap("Best,", "Our company is 100% legit, ask anyone.\n\nBest,"),
            swap("Best,", "We are a genuine company, not spammers.\n\nBest,"),
            swap("Best,", "Please don't mark this as spam, I'm a real person.\n\nBest,"),
            swap("Best,", "P.S. Not a bot, I promise.\n\nBest,"),
            swap("Best,", "This is not a sales pitch.\n\nBest,"),
            swap("Best,", "Please look at my proposal again.\n\nBest,"),
        ],
        [
            GOOD,
            swap("Best,", "I am sorry it felt like spam; I have removed you.\n\nBest,"),
            swap("We build", "We are a real estate firm that also builds; we build"),
            swap("We build", "I am a registered nurse by training, and we build"),
        ],
    ),
    "ETIQ004": (
        [swap("Best,", "Feel free to reply all with your thoughts.\n\nBest,")],
        [
            GOOD,
            swap("Best,", "Please don't reply all; answer me directly.\n\nBest,"),
            "Reply all is not the place for this.",
        ],
    ),
    "ETIQ005": (
        [
            swap("Hi Maria,", "Hi everyone,"),
            swap("Best,", "I am sending this to everyone on my list.\n\nBest,"),
            "To: Maria Lopez, Ana Souza, Tomas Wrobel, +47 others\n\n" + GOOD,
            "To: Maria Lopez; Ana Souza; Tomas Wrobel\n\n" + GOOD,
            swap("Hi Maria,", "Hi Brightline team,"),
        ],
        [GOOD, swap("Hi Maria,", "Hi Anders,"), swap("Hi Maria,", "Hi Maria and the team,")],
    ),
    "ETIQ007": (
        [
            swap("Best,", "This is an update for my LinkedIn community.\n\nBest,"),
            swap("Best,", "This is going out to my whole fleet list.\n\nBest,"),
            swap("Best,", "Apologies if you get this twice.\n\nBest,"),
            swap(
                "Best,",
                "I'm sending this note to every founder in my network who is hiring.\n\nBest,",
            ),
        ],
        [GOOD, swap("Best,", "I enjoyed your community talk.\n\nBest,")],
    ),
    "ETIQ006": (
        [
            swap("be useful?", "be useful? See https://coldwise.example.com/demo"),
            swap("be useful?", "be useful? See www.coldwise.com"),
        ],
        [GOOD, swap("Best,", "You can reach me at priya@coldwise.com.\n\nBest,")],
    ),
}


def codes_of(case: str | tuple[str, dict]) -> set[str]:
    """Every finding code (errors, warnings and notes) the grader gives this text (written to
    Maria unless the case names another profile)."""
    text, recipient = (case, MARIA) if isinstance(case, str) else case
    sender = GARY if "Gary" in text else PRIYA
    return {f.code for f in grade(text, recipient=recipient, sender=sender).findings}


@pytest.mark.parametrize(
    ("code", "text"), [(code, text) for code, (hits, _) in CASES.items() for text in hits]
)
def test_rule_triggers(code: str, text: str | tuple[str, dict]) -> None:
    assert code in codes_of(text)


@pytest.mark.parametrize(
    ("code", "text"), [(code, text) for code, (_, misses) in CASES.items() for text in misses]
)
def test_rule_does_not_trigger(code: str, text: str | tuple[str, dict]) -> None:
    assert code not in codes_of(text)


def test_every_rule_has_examples_both_ways() -> None:
    missing = [r.code for r in RULES if not (CASES.get(r.code, ([], []))[0] and CASES[r.code][1])]
    assert not missing, f"rules without a triggering and a passing example: {missing}"


def test_no_examples_for_unknown_codes() -> None:
    assert set(CASES) <= set(RULES_BY_CODE)


def test_rules_are_complete_data() -> None:
    for rule in RULES:
        assert rule.code[:-3].isalpha() and rule.code[-3:].isdigit(), rule.code
        assert rule.name.startswith(rule.category + "."), rule.code
        assert rule.severity in {"error", "warning", "info"}, rule.code
        assert rule.message and rule.why and rule.lesson.startswith("lessons/"), rule.code
        assert rule.severity == "info" or rule.hint, rule.code
        assert rule.check == "existence" or rule.check in CHECKS, rule.code
        assert rule.check != "existence" or rule.patterns, rule.code


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def _finding_calls() -> tuple[set[str], dict[str, set[str]]]:
    """The placeholders finding() always fills, and the ones each check passes per rule code."""
    tree = ast.parse(Path(checks.__file__).read_text(encoding="utf-8"))
    base = {"found"}  # filled from the span whenever a check gives one
    passed: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "finding":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_Blank":
                    base |= {k.arg for k in call.keywords}
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "finding":
            code = node.args[1] if len(node.args) > 1 else None
            if isinstance(code, ast.Constant):
                passed.setdefault(code.value, set()).update(k.arg for k in node.keywords)
    return base, passed


def test_every_placeholder_in_a_message_is_one_its_check_fills() -> None:
    # A typo such as {frist_name} would otherwise show the learner a blank.
    base, passed = _finding_calls()
    assert {"first_name", "recipient_name"} <= base, "finding() was not parsed"
    unfilled = {}
    for rule in RULES:
        used = {
            name
            for template in (rule.message, rule.hint)
            for _, name, _, _ in string.Formatter().parse(template)
            if name
        }
        missing = used - base - passed.get(rule.code, set())
        if missing:
            unfilled[rule.code] = sorted(missing)
    assert not unfilled, f"placeholders no check fills: {unfilled}"


def test_the_rules_file_is_checked_when_the_grader_loads(tmp_path: Path) -> None:
    good = (Path(rules.__file__).parent / "resources" / "rules.toml").read_text("utf-8")
    fragments, loaded = load_rules(Path(rules.__file__).parent / "resources" / "rules.toml")
    assert loaded == RULES and fragments["greeting"] == rules.GREETING
    broken = {
        'severity = "error"': ('severity = "eror"', "field 'severity'"),
        'check = "greeting"': ('chek = "greeting"', "field 'chek': unknown field"),
        'lesson = "storm"': ('lesson = "the storm"', "field 'lesson'"),
        "'[!?]{2,}',": ("'[!?{2,}',", "does not compile"),
        'code = "PERS002"': ('code = "PERS001"', "repeated: ['PERS001']"),
    }
    for old, (new, says) in broken.items():
        assert old in good, old
        path = tmp_path / "rules.toml"
        path.write_text(good.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(DataError, match=re.escape(says)):
            load_rules(path)
