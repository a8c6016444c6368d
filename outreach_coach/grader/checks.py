"""The few generic check functions that run the rules (resources/rules.toml) on a message."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice

from . import fit, wordlists
from .analysis import Analysis, Line, sign_off_line, signature_matches
from .meaning import similarity
from .profiles import Recipient, is_title
from .report import Finding
from .rules import GREETING, GROUP, RULES_BY_CODE, Rule
from .text import (
    Span,
    content_stems,
    content_words,
    excerpt,
    fold,
    generic_words,
    phrase_stems,
    sentences,
    shared_words,
    stem,
    tokens,
    words,
)

MAX_FINDINGS_PER_RULE = 20

CheckFunction = Callable[[Analysis], Iterator[Finding]]
CHECKS: dict[str, CheckFunction] = {}


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a computed check under the name rules refer to."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = function
        return function

    return register


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def finding(
    analysis: Analysis, code: str, start: int | None = None, end: int | None = None, **fields: str
) -> Finding:
    """Build a finding from a rule's data, filling its message template."""
    rule = RULES_BY_CODE[code]
    recipient, sender = analysis.recipient, analysis.sender
    values = _Blank(
        first_name=recipient.first_name,
        recipient_name=recipient.name,
        sender_name=sender.name if sender else "",
        sender_first=sender.first_name if sender else "",
        activity_hint=excerpt(recipient.recent_activity, 50) or "a post or an announcement",
        needs_hint=", ".join(recipient.interests[:2]) or recipient.headline,
    )
    if start is not None and end is not None:
        values["found"] = excerpt(analysis.text[start:end])
    values.update(fields)
    return Finding(
        code=rule.code,
        name=rule.name,
        category=rule.category,
        severity=rule.severity,
        message=rule.message.format_map(values),
        hint=rule.hint.format_map(values),
        start=start,
        end=end,
        lesson=rule.lesson,
        why=rule.why,
    )


def run_rules(analysis: Analysis, rules: tuple[Rule, ...]) -> list[Finding]:
    """Run every rule: pattern rules through `existence`, the rest through their named check;
    each code keeps its first MAX_FINDINGS_PER_RULE findings."""
    runs = [existence(analysis, rule) for rule in rules if rule.check == "existence"]
    names = dict.fromkeys(rule.check for rule in rules if rule.check != "existence")
    runs += [CHECKS[name](analysis) for name in names]
    findings: list[Finding] = []
    per_code: dict[str, int] = {}
    for item in (finding for run in runs for finding in run):
        per_code[item.code] = per_code.get(item.code, 0) + 1
        if per_code[item.code] <= MAX_FINDINGS_PER_RULE:
            findings.append(item)
    return findings


def existence(analysis: Analysis, rule: Rule) -> Iterator[Finding]:
    """A finding for every match of any of the rule's patterns (overlapping matches merged)."""
    seen_until = -1
    matches = sorted(
        (m.start(), m.end())
        for pattern in rule.compiled
        for m in islice(pattern.finditer(analysis.head), MAX_FINDINGS_PER_RULE)
    )
    for start, end in matches:
        if start < seen_until:
            continue
        seen_until = end
        yield finding(analysis, rule.code, start, end)


# --- personalization --------------------------------------------------------------------------


@wordlists.derived_from_data
@cache
def addressed() -> re.Pattern[str]:
    """A greeting, perhaps a courtesy title, then the capitalised word it addresses."""
    titles = "|".join(re.escape(t) for t in wordlists.lexicon()["courtesy_titles"])
    return re.compile(
        rf"^[ \t]*(?i:{GREETING})[ \t,]+(?:(?i:{titles})\.?[ \t]+)?(?P<name>[A-ZÀ-Þ][\w'’-]*)"
    )


@wordlists.derived_from_data
@cache
def offer_nouns() -> frozenset[str]:
    """Stems of what an offer hands over (a demo, a quote): never a tie to a need."""
    return frozenset(stem(word) for word in wordlists.lexicon()["offer_nouns"])


GREETING_START = re.compile(rf"^\W*{GREETING}\b", re.IGNORECASE)
# A group greeting is PERS004's to report, never a wrong name: one list of groups, rules.toml's.
GROUP_GREETING = re.compile(rf"^[ \t]*{GREETING}[ \t,]+{GROUP}\b", re.IGNORECASE)
# Starting only at a comma, a full stop or the first space of a run keeps a name padded with
# thousands of spaces linear.
COMPANY_SUFFIXES = re.compile(
    r"(?:[,.]|(?<!\s))\s++(?:inc|llc|ltd|limited|co|corp|corporation|company|group|gmbh|plc|llp"
    r"|lp|pllc|pc|& co|and co|s\.a\.|sa|ag|bv|pty)\.?$",
    re.IGNORECASE,
)


@check("greeting")
def greeting(analysis: Analysis) -> Iterator[Finding]:
    """PERS001/PERS002: is the recipient greeted by first name, and not someone else?"""
    opening = analysis.opening
    recipient = analysis.recipient
    if opening is None:
        yield finding(analysis, "PERS001")
        return
    window = opening.text[:200]
    pieces = sentences(window)  # none when the line starts with 200 spaces
    first_sentence = pieces[0].text if pieces else ""
    # Any part after the first name may be the surname a title goes with ("Mr. Quispe Mamani").
    surnames = {fold(part) for part in recipient.name.split()[1:]}
    spans = words(first_sentence if len(window) == 200 else window)
    greeted = bool(GREETING_START.match(window))
    for index, span in enumerate(spans):
        # A lowercase name counts after a greeting word ("hey rafael"): that is a mechanics slip.
        capitalised = span.text[:1].isupper() or (greeted and index <= 2)
        if capitalised and analysis.names_recipient(span.text):
            return
        titled = index > 0 and is_title(spans[index - 1].text)
        if titled and fold(span.text) in surnames:
            return
    match = addressed().match(window)
    not_a_name = wordlists.lexicon()["not_a_name"]
    if match and fold(match.group("name")) not in not_a_name and not GROUP_GREETING.match(window):
        name = match.group("name")
        start = opening.start + match.start("name")
        yield finding(analysis, "PERS002", start, start + len(name), addressed=name)
        return
    yield finding(analysis, "PERS001", opening.start, opening.start + len(first_sentence[:80]))


def _company_names(company: str) -> list[str]:
    """How a message may name a company: in full, without "Inc." or "Co.", or by its first
    distinctive words ("The Loom" for The Loom Coworking, "Brightline" for Brightline Foods)."""
    base = COMPANY_SUFFIXES.sub("", company.strip()).rstrip(".,")
    names = [base] if base else []
    parts = base.split()
    lead = 1 if parts and fold(parts[0]) == "the" else 0
    if len(parts) > lead + 1:
        first = parts[lead]
        if len(first) >= 4 and fold(first) not in wordlists.lexicon()["generic"]:
            names.append(" ".join(parts[: lead + 1]))
    return names


@wordlists.derived_from_data
@lru_cache(maxsize=1024)
def company_pattern(company: str) -> re.Pattern[str] | None:
    """A pattern for the ways a message may name this company, or None for an empty name."""
    names = "|".join(re.escape(name) for name in _company_names(company))
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.IGNORECASE) if names else None


# "Head of Operations at Brightline | Speaker": white space is matched from the start of a run.
HEADLINE_PARTS = re.compile(
    r"(?<!\s)\s++(?:at|@)\s+|(?:(?<!\s)\s*+|(?<=\s))[|,]\s*|(?<!\s)\s++[–—-]\s+"
)


# A split starts only where a run of white space starts and takes the run possessively, so a run
# of spaces is read once (retrying from each of its spaces made 20,000 of them take 10 s).
CLAUSE_SPLIT = re.compile(r"[,;:—–]\s++|(?<!\s)\s++(?:while|because|since|so that|and)\s++")


def _offering(clause: str) -> bool:
    """A clause in the sender's voice that offers or does something."""
    return bool(
        WE_VOICE.search(clause)
        or (I_VOICE.search(clause) and wordlists.has_cue("offer_verbs", clause))
    )


# Keyed by the Analysis object itself (identity): the personalization check and the relevance
# check both read one message's details, and grade() runs them on the same Analysis.
@lru_cache(maxsize=8)
def detail_matches(analysis: Analysis) -> tuple[tuple[Span, str], ...]:
    """Each body sentence that uses a concrete detail of the profile, and which detail."""
    return tuple(_detail_matches(analysis))


def _detail_matches(analysis: Analysis) -> Iterator[tuple[Span, str]]:
    recipient = analysis.recipient
    exclude = analysis.recipient_name_stems
    activity = content_stems(recipient.recent_activity, exclude)
    about = content_stems(recipient.about, exclude)
    role = HEADLINE_PARTS.split(recipient.headline)
    headline_stems = content_stems(" ".join(role), exclude)
    interests = [(phrase, set(content_stems(phrase, exclude))) for phrase in recipient.interests]
    # The sender's own pitch is not a detail about the reader: "our grant-writing service"
    # shares words with an interest in grants, but says nothing about them.
    pitch: set[str] = set()
    if analysis.sender is not None:
        pitch = content_stems(" ".join([analysis.sender.company, *analysis.sender.offers]))
    for sentence in analysis.body_sentences:
        text = sentence.text
        stems = content_stems(text, exclude)
        cue = bool(wordlists.has_cue("activity", text))
        if pitch and not cue:
            # Only the clauses that make the offer lose the pitch's words: "if the homework
            # club needs a home while the roof is fixed, our room is free" still speaks of them.
            stems = set().union(
                *(
                    content_stems(clause, exclude) - (pitch if _offering(clause) else set())
                    for clause in CLAUSE_SPLIT.split(text)
                )
            )
        speaks_to_them = analysis.second_person(text)
        shared = stems & activity
        # A sentence that points at their post ("great post on lameness", "I read that you are
        # raising money for new seats") needs only one of its words.
        if len(shared) >= 3 or (shared and cue) or (speaks_to_them and len(shared) >= 2):
            yield sentence, f"their recent activity ({excerpt(recipient.recent_activity, 70)})"
        for phrase, needed in interests:
            hits = needed & stems
            # An interest named in full is about them even when recited ("crane safety, shift
            # planning: what a mix"); a partial one only when the sentence speaks to them.
            recited = len(needed) >= 2 and hits == needed
            addressed = bool(needed) and (speaks_to_them or cue)
            if recited or (addressed and (hits == needed or len(hits) >= 2)):
                yield sentence, f"their interest in {phrase}"
        if speaks_to_them and stems & headline_stems:
            yield sentence, f"their role ({recipient.headline})"
        shared_about = stems & about
        if len(shared_about) >= 3 or (speaks_to_them and len(shared_about) >= 2):
            yield sentence, "their About section"
    yield from _details_by_meaning(analysis, pitch)


# How close by meaning a sentence about the reader must be to a profile statement to count as
# using it ("congrats on the seed round" for "closed its seed round"), when it also shares a
# word with it; chosen on the training writers (benchmarks/evaluate.py --tuning).
DETAIL_SIMILARITY = 0.42


def _details_by_meaning(analysis: Analysis, pitch: set[str]) -> Iterator[tuple[Span, str]]:
    """Body sentences about the reader that say in other words what a profile statement says."""
    recipient = analysis.recipient
    statements = [*fit.statements(recipient.recent_activity), *fit.statements(recipient.about)]
    statements += list(recipient.interests)
    exclude = analysis.recipient_name_stems | pitch
    for sentence in analysis.body_sentences:
        text = sentence.text
        if not (analysis.second_person(text) or wordlists.has_cue("activity", text)):
            continue
        stems = content_stems(text, exclude)
        for statement in statements:
            if (
                stems & content_stems(statement)
                and similarity(text, statement) >= DETAIL_SIMILARITY
            ):
                yield sentence, f"what their profile says ('{excerpt(statement, 70)}')"
                break


@check("mass_mail")
def mass_mail(analysis: Analysis) -> Iterator[Finding]:
    """PERS008 and ETIQ007: a line in the body that shows the message went to many people."""
    for match in islice(wordlists.cue_pattern("mass_mail").finditer(analysis.head), 3):
        yield finding(analysis, "PERS008", match.start(), match.end())
        yield finding(analysis, "ETIQ007", match.start(), match.end())


@check("profile_detail")
def profile_detail(analysis: Analysis) -> Iterator[Finding]:
    """PERS003 when no sentence uses a profile detail; PERS100 naming the detail when one does."""
    for sentence, detail in detail_matches(analysis):
        yield finding(analysis, "PERS100", sentence.start, sentence.end, detail=detail)
        return
    yield finding(analysis, "PERS003")


# --- relevance ----------------------------------------------------------------------------

# A break starts where a run of white space starts (or right after the previous break), and its
# white space is taken possessively: retrying inside a run of spaces made splitting cubic.
CLAUSE_BREAK = re.compile(
    r"(?:(?<!\s)\s*+(?:[;:—–]|(?<=\s)-\s|,\s+|(?<=\s)(?:and|but|so)\s++"
    r"(?=(?:i|we|wanted|want|would|thought)\b))|(?<=\s)(?:[;:—–]|,\s+))\s*",
    re.IGNORECASE,
)
# "I am the founder of TableTurn": who the sender is, not what they offer this reader.
INTRODUCTION = re.compile(
    r"\b(?:I am|I'm|my name is)\b[^.!?]{0,40}?\b(?:founder|co-?founder|ceo|owner|head|director|"
    r"manager|partner|part of|with|at|from)\b|\bintroduce (?:myself|ourselves)\b",
    re.IGNORECASE,
)
WE_VOICE = re.compile(r"\b(?:we|we've|we'd|we'll|we're|our|us)\b", re.IGNORECASE)
I_VOICE = re.compile(r"\b(?:i|i've|i'd|i'll|i'm|my team)\b", re.IGNORECASE)
ME_WORDS = frozenset("i i'm i've i'd i'll we we're we've we'd we'll me my mine our ours us".split())
YOU_WORDS = frozenset("you your yours you're you've you'd you'll yourself yourselves".split())


@wordlists.derived_from_data
@cache
def _topic_index() -> tuple[dict[str, frozenset[str]], dict[str, tuple[tuple[str, str], ...]]]:
    """Single-stem topic entries by stem, and multi-word entries as space-joined stems, filed
    under their first stem (a text is then checked only for the phrases that can start in it)."""
    singles: dict[str, set[str]] = {}
    phrases: list[tuple[str, str]] = []
    for topic, entries in wordlists.topics().items():
        for entry in entries:
            stems = phrase_stems(entry)
            if len(stems) == 1 and entry.isupper():
                # Acronyms match only in capitals: ATS must not match the word "at".
                singles.setdefault(entry, set()).add(topic)
            elif len(stems) == 1 and fold(entry) not in generic_words():
                singles.setdefault(stems[0], set()).add(topic)
            elif len(stems) > 1:
                phrases.append((" ".join(stems), topic))
    by_first: dict[str, list[tuple[str, str]]] = {}
    for phrase, topic in phrases:
        by_first.setdefault(phrase.split(" ", 1)[0], []).append((phrase, topic))
    return (
        {k: frozenset(v) for k, v in singles.items()},
        {k: tuple(v) for k, v in by_first.items()},
    )


@wordlists.derived_from_data
@lru_cache(maxsize=4096)
def topic_terms(text: str) -> dict[str, frozenset[str]]:
    """The topics of the lexicon that a text touches, each with the terms that touched it."""
    singles, phrases = _topic_index()
    # "screen-reader" is also "screen reader": hyphenated words count by their parts too.
    parts = [part for word in tokens(text) for part in _with_parts(word)]
    sequence = [stem(part) for part in parts]
    found: dict[str, set[str]] = {}
    for part, token in zip(parts, sequence, strict=True):
        for topic in singles.get(token, frozenset()):
            found.setdefault(topic, set()).add(token)
        if part.isupper():
            for topic in singles.get(part, frozenset()):
                found.setdefault(topic, set()).add(token)
    joined = " " + " ".join(sequence) + " "
    for first in dict.fromkeys(sequence):
        for phrase, topic in phrases.get(first, ()):
            if f" {phrase} " in joined:
                found.setdefault(topic, set()).add(phrase)
    return {topic: frozenset(terms) for topic, terms in found.items()}


def _with_parts(word: str) -> list[str]:
    return [word, *word.split("-")] if "-" in word else [word]


def topics_in(text: str) -> set[str]:
    """The topics of the lexicon that a text touches."""
    return set(topic_terms(text))


def _clauses(sentence: Span) -> list[str]:
    return [piece for piece in CLAUSE_BREAK.split(sentence.text) if piece.strip()]


def offer_passages(analysis: Analysis) -> list[str]:
    """The sentences that offer or ask something, with their compliment clauses taken out.

    The compliment ("loved your post on hiring") is about the reader; the rest of the sentence
    is what the sender proposes, and only that is compared with the reader's needs.
    """
    own_words: set[str] = set()
    company: re.Pattern[str] | None = None
    if analysis.sender is not None:
        profile_words = analysis.recipient_profile_stems
        # Words that name what the sender sells and the reader does not already talk about.
        own_words = content_stems(" ".join(analysis.sender.offers)) - profile_words
        own_words -= content_stems(analysis.sender.company)  # "Ledgerly Bookkeeping" is a name
        company = company_pattern(analysis.sender.company)
    defensive = RULES_BY_CODE["ETIQ003"].compiled
    passages = []
    for sentence in analysis.body_sentences:
        question = sentence.text.rstrip().endswith("?")
        kept, offered = [], False
        clauses = _clauses(sentence)
        for clause in clauses:
            if any(p.search(clause) for p in defensive):
                continue  # "I don't do spam" is an argument, not an offer
            names_company = bool(company and company.search(clause))
            voice = (
                bool(WE_VOICE.search(clause))
                or names_company
                or bool(I_VOICE.search(clause) and wordlists.has_cue("offer_verbs", clause))
            )
            asks = bool(wordlists.has_cue("asks", clause)) or (question and clause is clauses[-1])
            names_offer = bool(own_words & content_stems(clause))
            if wordlists.has_cue("compliments", clause) or _asks_for_self(clause):
                continue
            if not (voice or asks or names_offer):
                # Before the offer it sets the scene ("after a migration like that"); after it,
                # it says what the offer does ("so the patient data stay protected").
                if offered:
                    kept.append(clause)
                continue
            offered = True
            kept.append(clause)
        if offered:
            passages.append(" ".join(kept))
    return passages


def _asks_for_self(clause: str) -> bool:
    """True for a clause that only asks to connect or asks a favour for the sender."""
    return bool(
        wordlists.has_cue("connect_only", clause) or wordlists.has_cue("sender_serving", clause)
    )


def _need_sources(recipient: Recipient) -> list[tuple[str, str, str, int]]:
    """(profile field, text, label, shared words needed) for each part of the profile that can
    show a need.

    An interest, or a post that says what they are looking for ("looking for a second kiln"), is
    a need the person states, so one shared word is enough there; elsewhere a single shared word
    is weak evidence (temperature sensors vs vibration sensors), so two count.
    """
    activity, about = recipient.recent_activity, recipient.about
    sources = [
        ("interest", phrase, f"their interest in {phrase}", 1) for phrase in recipient.interests
    ]
    sources += [
        ("post", activity, f"their recent post ({excerpt(activity)})", _needed(activity)),
        ("role", recipient.headline, f"their role ({recipient.headline})", 2),
        ("about", about, "what they say in their About section", _needed(about)),
        ("industry", recipient.industry, f"their industry ({recipient.industry})", 2),
    ]
    return [source for source in sources if source[1]]


def _needed(text: str) -> int:
    return 1 if wordlists.has_cue("need", text) else 2


def _tie(analysis: Analysis, offer_text: str, recipient: Recipient) -> fit.Tie | None:
    """The need in `recipient`'s profile an offer connects to, by shared stems or a shared
    topic, or None."""
    exclude = analysis.recipient_name_stems | offer_nouns()
    # Their own name and company ("your inn's books") make an offer sound fitted, not fit.
    offer_text = " ".join(word for word in tokens(offer_text) if stem(word) not in exclude)
    offer_topics = topic_terms(offer_text)
    # Their industry says who they are ("we clean a lot of accounting firms"), not what they need.
    offer_words = content_words(offer_text, exclude | content_stems(recipient.industry))
    for field, source, label, needed in _need_sources(recipient):
        need_topics = topic_terms(source)
        # Same topic of need (phishing ~ security awareness, hiring ~ recruiting): the lexicon
        # lists words that name a need, so even one of them on both sides ties the offer.
        for topic in sorted(offer_topics.keys() & need_topics.keys()):
            if field == "industry" and offer_topics[topic] <= need_topics[topic]:
                continue  # "the #1 platform for restaurants" only names their industry
            shared_topic = topic.replace("_", " ")
            return fit.Tie(field, f"{label} (shared topic: {shared_topic})", 2, topic=True)
        shared = shared_words(offer_words, content_words(source, exclude))
        if len(shared) >= needed:
            return fit.Tie(field, f"{label} ({', '.join(sorted(shared))})", len(shared))
    return None


def _vague_spans(analysis: Analysis) -> list[re.Match[str]]:
    rule = RULES_BY_CODE["REL002"]
    body = analysis.head[: analysis.body_end]
    return [m for pattern in rule.compiled for m in islice(pattern.finditer(body), 5)]


@dataclass(frozen=True)
class OfferEvidence:
    """What the message offers or asks, read sentence by sentence, and how it fits."""

    passages: list[str]
    concrete: list[str]
    vague: list[re.Match[str]]
    lexical_tie: fit.Tie | None
    fit: fit.Fit | None


def offer_evidence(analysis: Analysis) -> OfferEvidence:
    """The message's offer passages, the concrete ones, the vague phrases, and the decision."""
    passages = offer_passages(analysis)
    vague = _vague_spans(analysis)
    vague_rule = RULES_BY_CODE["REL002"]
    concrete = []
    for clause in passages:
        cleaned = clause
        # Vague phrases and web addresses say nothing about what is offered.
        for pattern in (*vague_rule.compiled, *RULES_BY_CODE["ETIQ006"].compiled):
            cleaned = pattern.sub(" ", cleaned)
        if content_stems(cleaned, analysis.recipient_name_stems | offer_nouns()):
            concrete.append(cleaned)
    if not concrete:
        return OfferEvidence(passages, concrete, vague, None, None)
    # All that the message offers or asks, together: "we plant wildflower meadows" and "I could
    # walk the plot with you" tie to "natural burials on a meadow plot" only as one offer.
    # Only needs still open count: "our website was rebuilt last year" is no need for one.
    tie = _tie(analysis, " ".join(concrete), fit.open_profile(analysis.recipient))
    # The body without its compliments: praise of their post is personalization, and must not
    # make an unrelated offer look close to their needs.
    sentences_ = analysis.body_sentences
    about_them = {sentence.start for sentence, _ in detail_matches(analysis)}
    context = " ".join(
        s.text
        for s in sentences_
        if s.start not in about_them and not wordlists.has_cue("compliments", s.text)
    )
    body = " ".join(s.text for s in sentences_)
    decision = fit.decide(concrete, analysis.recipient, analysis.sender, tie, body, context)
    return OfferEvidence(passages, concrete, vague, tie, decision)


def _cue_finding(analysis: Analysis, code: str, cue: str) -> Finding | None:
    body = analysis.head[: analysis.body_end]
    match = wordlists.has_cue(cue, body)
    return finding(analysis, code, match.start(), match.end()) if match else None


@check("offer")
def offer(analysis: Analysis) -> Iterator[Finding]:
    """REL001-REL003, REL007-REL010, REL100: is there a concrete offer, and does it fit a need
    the profile shows and does not say is met?"""
    denial = _cue_finding(analysis, "REL010", "negated_fit")
    if denial:
        yield denial
    evidence = offer_evidence(analysis)
    decision = evidence.fit
    if decision is not None:
        offered = f"'{excerpt(evidence.concrete[0], 50)}'"
        if decision.fits and not denial:
            tie = evidence.lexical_tie
            need = tie.label if tie else (decision.nearest.label if decision.nearest else "")
            yield finding(analysis, "REL100", need=need)
        elif decision.met_need is not None:  # the decision says no, and this is why
            yield finding(analysis, "REL009", offer=offered, need=decision.met_need.label)
        elif not decision.fits:
            nearest = decision.nearest.label if decision.nearest else "nothing"
            yield finding(analysis, "REL003", offer=offered, nearest=nearest)
        if decision.fits:
            return
    if evidence.vague:
        first = evidence.vague[0]
        yield finding(analysis, "REL002", first.start(), first.end())
        return
    if decision is not None:
        return
    for code, cue in (("REL008", "sender_serving"), ("REL007", "connect_only")):
        ask = _cue_finding(analysis, code, cue)
        if ask:
            yield ask
            return
    if evidence.passages:
        yield finding(analysis, "REL002", found=excerpt(evidence.passages[0]))
    else:
        yield finding(analysis, "REL001")


@check("self_centred")
def self_centred(analysis: Analysis) -> Iterator[Finding]:
    """REL004: far more I/we than you/your."""
    body = analysis.head[: analysis.body_end]
    folded = [fold(word) for word in tokens(body)]
    me = sum(token in ME_WORDS for token in folded)
    you = sum(token in YOU_WORDS for token in folded)
    if me >= 4 and me >= 2 * you:
        yield finding(analysis, "REL004", me=str(me), you=str(you))


@check("closing_ask")
def closing_ask(analysis: Analysis) -> Iterator[Finding]:
    """REL006: the last two sentences of the body hold no question or soft ask."""
    pressure = RULES_BY_CODE["REL005"].compiled
    for sentence in analysis.body_sentences[-2:]:
        text = sentence.text
        for pattern in pressure:
            text = pattern.sub(" ", text)  # "call me today!" is pressure, not a soft ask
        if "?" in text or wordlists.has_cue("soft_asks", text):
            return
    yield finding(analysis, "REL006")


# --- mechanics ------------------------------------------------------------------------------

# After end punctuation and a space, or after a stray " ." glued to the next word (" .please").
# A match starts only where a run of end punctuation starts and takes it possessively, so a run
# of "!" is read once rather than again from every position in it.
SENTENCE_START = re.compile(
    r"(?<![.!?…])[.!?]++[\"'”’)\]]*+[ \t]++(?=\S)|(?<=\s)[.!?]++(?=[^\W\d_])"
)
LINE_LEAD = re.compile(r"^[ \t]*(?:[-–—•*>#]+[ \t]*|\d{1,2}[.)][ \t]+|[(\"'“‘]+)?")
ENDS_SENTENCE = re.compile(r"[.!?:…)\]]$")
NOT_A_SENTENCE_WORD = re.compile(r"(?:https?:|www\.|\S*@|\S*\.\w)", re.IGNORECASE)


def _sentence_starts(analysis: Analysis) -> Iterator[int]:
    previous = None
    for line in analysis.lines:
        if not line.stripped:
            previous = None
            continue
        begins_sentence = (
            previous is None
            or bool(ENDS_SENTENCE.search(previous.stripped))
            or analysis.greeting_only(previous)
            or bool(sign_off_line().match(previous.text))
        )
        if begins_sentence:
            yield line.start + LINE_LEAD.match(line.text).end()
        for match in SENTENCE_START.finditer(line.text):
            before = line.text[: match.start()].split()
            if before and fold(before[-1]).rstrip(".") in {"e.g", "i.e", "etc", "vs", "approx"}:
                continue
            yield line.start + match.end()
        previous = line


FIRST_WORD = re.compile(r"[^\s,;:!?]+")


@check("sentence_case")
def sentence_case(analysis: Analysis) -> Iterator[Finding]:
    """MECH001: a sentence, greeting or sign-off that starts with a lowercase letter."""
    text = analysis.head
    for start in _sentence_starts(analysis):
        match = FIRST_WORD.match(text, start)
        if not match:
            continue
        word = match.group()
        if not word[:1].islower() or any(ch.isupper() for ch in word[1:]):
            continue
        # Match on the text, not the word: FIRST_WORD stops at the colon of "https://".
        if NOT_A_SENTENCE_WORD.match(text, start) or fold(word) in analysis.protected_exact:
            continue
        yield finding(analysis, "MECH001", match.start(), match.end())


def _is_caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@wordlists.derived_from_data
@cache
def _acronyms() -> frozenset[str]:
    return frozenset(a.upper() for a in wordlists.lexicon()["acronyms"])


@wordlists.derived_from_data
@cache
def _english_words() -> frozenset[str]:
    """Ordinary words the course knows: a capitalised one of these is shouting, not an acronym."""
    lexicon = wordlists.lexicon()
    topic_words = [w for entries in wordlists.topics().values() for w in entries if " " not in w]
    listed = [*lexicon["stopwords"], *lexicon["generic"], *lexicon["common_words"], *topic_words]
    return frozenset(fold(word) for word in listed)


def _reads_as_shouting(word: str) -> bool:
    """A lone capitalised word: long ones shout; short ones only when they are ordinary words
    (FREE, HUGE), since a short unknown one is most likely an acronym (CFIA, NAFTA)."""
    letters = sum(ch.isalpha() for ch in word)
    return letters >= 6 or (letters >= 3 and fold(word) in _english_words())


@check("shouting")
def shouting(analysis: Analysis) -> Iterator[Finding]:
    """MECH005: words in capitals that are not acronyms, and runs of them."""
    run: list[Span] = []
    text = analysis.head

    def flush() -> Iterator[Finding]:
        if len(run) >= 2 or _reads_as_shouting(run[0].text):
            yield finding(analysis, "MECH005", run[0].start, run[-1].end)

    for span in words(text):
        word = span.text
        caps = _is_caps(word) and word.upper() not in _acronyms()
        caps = caps and word not in analysis.protected_exact and not any(c.isdigit() for c in word)
        # %NAME% and {COMPANY} are template syntax (PERS005), not shouting.
        caps = caps and text[span.start - 1 : span.start] not in {"%", "{", "[", "<", "|"}
        adjacent = run and "\n" not in text[run[-1].end : span.start]
        if caps:
            if run and not adjacent:
                yield from flush()
                run = []
            run.append(span)
        elif run:
            yield from flush()
            run = []
    if run:
        yield from flush()


def _abbreviation_part(text: str, span: Span) -> bool:
    after = text[span.end : span.end + 2]
    before = text[max(0, span.start - 1) : span.start]
    return (len(after) == 2 and after[0] == "." and after[1].isalpha()) or before == "."


@check("text_speak")
def text_speak(analysis: Analysis) -> Iterator[Finding]:
    """MECH006: chat shorthand such as u, ur, pls, thx."""
    table = wordlists.lexicon()["text_speak"]
    text = analysis.head
    for span in words(text):
        folded = fold(span.text)
        if folded not in table or folded in analysis.protected:
            continue
        if span.text.upper() in _acronyms() or _abbreviation_part(text, span):
            continue
        yield finding(analysis, "MECH006", span.start, span.end, suggestion=table[folded])


@check("misspelling")
def misspelling(analysis: Analysis) -> Iterator[Finding]:
    """MECH007: a word from the list of common misspellings (never the profiles' own words)."""
    table = wordlists.lexicon()["misspellings"]
    for span in words(analysis.head):
        folded = fold(span.text)
        if folded in table and folded not in analysis.protected:
            yield finding(analysis, "MECH007", span.start, span.end, suggestion=table[folded])


LONG_CHARS = 1200
LONG_WORDS = 200
SHORT_WORDS = 25


@check("length")
def length(analysis: Analysis) -> Iterator[Finding]:
    """MECH008/MECH009: too long for a first note, or too short to say anything."""
    chars = len(analysis.text.strip())
    count = len(tokens(analysis.head))
    if chars > LONG_CHARS or count > LONG_WORDS:
        yield finding(analysis, "MECH008", chars=f"{chars:,}", words=f"{count:,}")
    elif count < SHORT_WORDS:
        yield finding(analysis, "MECH009", words=str(count))


LONGEST_SENTENCE = 50
LONGEST_MEAN = 30


@check("sentence_length")
def sentence_length(analysis: Analysis) -> Iterator[Finding]:
    """MECH010: one very long sentence, or long sentences on average (a wide band only)."""
    counts = [(s, len(tokens(s.text))) for s in analysis.body_sentences]
    counts = [(s, n) for s, n in counts if n >= 3]
    if not counts:
        return
    longest, most = max(counts, key=lambda pair: pair[1])
    mean = sum(n for _, n in counts) / len(counts)
    if most > LONGEST_SENTENCE:
        yield finding(
            analysis, "MECH010", longest.start, longest.end, detail=f"One sentence has {most} words"
        )
    elif mean > LONGEST_MEAN and len(counts) >= 2:
        yield finding(analysis, "MECH010", detail=f"Sentences average {mean:.0f} words")


# --- etiquette ------------------------------------------------------------------------------


TEAM_LINE = re.compile(r"\bteam\b", re.IGNORECASE)


def _organisation_signature(analysis: Analysis) -> Line | None:
    """The last line when it signs with a team or company instead of a person ("The X Team")."""
    lines = analysis.content_lines
    if len(lines) < 2 or analysis.sender is None:
        return None
    last = lines[-1]
    company = company_pattern(analysis.sender.company)
    short = len(last.stripped) <= 60 and not ENDS_SENTENCE.search(last.stripped)
    if short and (TEAM_LINE.search(last.text) or (company and company.search(last.text))):
        return last
    return None


@check("signature")
def signature(analysis: Analysis) -> Iterator[Finding]:
    """ETIQ001/ETIQ002: is the message signed, and with the sender's own name?"""
    start, name, _ = analysis.signature
    if name is None:
        organisation = _organisation_signature(analysis)
        if organisation is not None:
            end = organisation.start + len(organisation.text.rstrip())
            yield finding(analysis, "ETIQ001", organisation.start, end, found=organisation.stripped)
        else:
            yield finding(analysis, "ETIQ002")
        return
    if analysis.sender is not None and not signature_matches(name, analysis.sender):
        offset = analysis.head.find(name, start)
        end = offset + len(name) if offset >= 0 else None
        yield finding(analysis, "ETIQ001", offset if offset >= 0 else None, end, found=name)


NEGATION_BEFORE = re.compile(
    r"\b(?:don'?t|do not|dont|not|never|no need to|avoid|instead of|rather than|without|stop|"
    r"no)\b[^.!?\n]{0,20}$",
    re.IGNORECASE,
)
NOUN_USE_AFTER = re.compile(
    r"^\W{0,3}(?:is|was|isn'?t|wasn'?t|has|button|storm|thread|chain|mess|replies)\b", re.I
)


@check("reply_all")
def reply_all(analysis: Analysis) -> Iterator[Finding]:
    """ETIQ004: inviting reply-all (not warning against it, nor talking about it)."""
    text = analysis.head
    for match in RULES_BY_CODE["ETIQ004"].compiled[0].finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 20]
        if NEGATION_BEFORE.search(before) or NOUN_USE_AFTER.match(after):
            continue
        yield finding(analysis, "ETIQ004", match.start(), match.end())
