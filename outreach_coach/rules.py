"""The grader's rules as data: code, name, category, severity, message, hint, why and lesson.

A rule either lists regular expressions (run by the generic `existence` check) or names one of
the few computed checks in `checks.py`. Message templates may use {placeholders} that the check
fills in (the detail it matched, the name it saw). Every pattern is linear: no nested repeats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

LESSON_PERSONALIZATION = "lessons/03_personalization.ipynb"
LESSON_RELEVANCE = "lessons/04_offer_relevance.ipynb"
LESSON_MECHANICS = "lessons/05_professional_writing.ipynb"
LESSON_STORM = "lessons/01_reply_all_storm.ipynb"
LESSON_RECOVERY = "lessons/06_when_it_goes_wrong.ipynb"

GREETING = r"(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))"
GROUP = (
    r"(?:all|everyone|everybody|folks|team|friends|connections?|network|colleagues|guys|people"
    r"|y'?all|valued (?:customers?|clients?|partners?|connections?|members?)"
    r"|linkedin (?:friends|members|connections?)"
    # "Hello Tattoo Studio Owners," "Dear fellow founders:" a role in the plural is a crowd.
    r"|(?:[A-Za-z]+[ \t]+){0,3}(?:owners|managers|leaders|professionals|founders|directors"
    r"|members|partners|recruiters|marketers|teams|executives|entrepreneurs)(?=[ \t]*[,:!]))"
)


@dataclass(frozen=True)
class Rule:
    """One thing the grader checks, with the words it says to the learner."""

    code: str
    name: str
    category: str
    severity: str
    message: str
    hint: str
    why: str
    lesson: str
    check: str = "existence"
    patterns: tuple[str, ...] = ()
    ignore_case: bool = True

    @cached_property
    def compiled(self) -> tuple[re.Pattern[str], ...]:
        """The rule's patterns, compiled line by line (and case-insensitively unless told not)."""
        flags = re.MULTILINE | (re.IGNORECASE if self.ignore_case else 0)
        return tuple(re.compile(p, flags) for p in self.patterns)


# The table stays compact, one rule a block, so it reads like data.
# fmt: off
RULES: tuple[Rule, ...] = (
    # --- personalization -------------------------------------------------------------------
    Rule(
        "PERS001", "personalization.no_name", "personalization", "error",
        "The message does not greet {first_name} by name.",
        "Open with their first name, for example 'Hi {first_name},'.",
        "A name at the top is the first sign that the message was written for one person.",
        LESSON_PERSONALIZATION, check="greeting",
    ),
    Rule(
        "PERS002", "personalization.wrong_name", "personalization", "error",
        "The greeting addresses '{addressed}', but this message goes to {recipient_name}.",
        "Check the name against the profile before you send: 'Hi {first_name},'.",
        "Greeting the wrong person shows the message was copied from one sent to someone else.",
        LESSON_PERSONALIZATION, check="greeting",
    ),
    Rule(
        "PERS003", "personalization.no_detail", "personalization", "error",
        "Nothing in the message comes from {first_name}'s profile: it could go to anyone.",
        "Mention one real detail: their recent activity ({activity_hint}), an interest, "
        "their role or their company.",
        "A detail from their profile proves you looked at them before writing.",
        LESSON_PERSONALIZATION, check="profile_detail",
    ),
    Rule(
        "PERS004", "personalization.group_greeting", "personalization", "error",
        "'{found}' is a group greeting: it tells the reader they are one of a crowd.",
        "Greet one person by their first name.",
        "Group greetings are the clearest mark of a mass message.",
        LESSON_PERSONALIZATION,
        patterns=(
            rf"^[ \t]*{GREETING}[ \t,]+{GROUP}\b",
            r"\bto whom it may concern\b",
            r"\bdear (?:sir|madam)(?:[ \t]*(?:/|or)[ \t]*madam)?\b",
            r"\bdear (?:valued )?(?:customers?|clients?|members?|connections?|friends?)\b",
        ),
    ),
    Rule(
        "PERS005", "personalization.merge_field", "personalization", "error",
        "'{found}' is an unfilled template field: the mail merge showed through.",
        "Replace the placeholder with the real name or detail.",
        "An unfilled field shows the reader a machine sent this to a list.",
        LESSON_PERSONALIZATION,
        patterns=(
            r"\[[ \t]*(?:first[ _]?name|last[ _]?name|full[ _]?name|name|company(?:[ _]?name)?"
            r"|recipient|contact|title|job[ _]?title|industry|city)[ \t]*\]",
            r"\[(?:insert|your|add|enter) [^\]\n]{1,40}\]",
            r"\{\{?[ \t]*[A-Za-z_][A-Za-z0-9_.]{0,30}[ \t]*\}\}?",
            r"<<[ \t]*[A-Za-z_][A-Za-z0-9_ ]{0,30}>>",
            r"%[A-Z][A-Z_]{1,30}%",
            r"\$\{[A-Za-z_]\w{0,30}\}",
            r"\*\|[A-Z_]{1,30}\|\*",
        ),
    ),
    Rule(
        "PERS006", "personalization.whole_network", "personalization", "error",
        "'{found}' says this went to your whole network.",
        "Write to one person, and say why you are writing to them.",
        "Nobody wants to be one entry in a broadcast.",
        LESSON_PERSONALIZATION,
        patterns=(
            r"\b(?:my|our) (?:whole|entire) (?:network|list|contact list|address book|database)\b",
            r"\ball (?:of )?my (?:connections|contacts|network|followers)\b",
            r"\beveryone (?:in|on) my (?:network|list|contacts)\b",
        ),
    ),
    Rule(
        "PERS008", "personalization.mass_mail_mark", "personalization", "error",
        "'{found}' tells {first_name} this message went to many people.",
        "Write to one person: drop the line and say why you are writing to them.",
        "A note that admits it is a broadcast cannot feel personal, whatever else it says.",
        LESSON_PERSONALIZATION, check="mass_mail",
    ),
    Rule(
        "PERS007", "personalization.generic_opener", "personalization", "warning",
        "'{found}' is flattery that fits anyone: it is not a detail about them.",
        "Swap it for one specific thing from their profile.",
        "Generic compliments read as a template and cost the reader's trust.",
        LESSON_PERSONALIZATION,
        patterns=(
            r"\bI (?:came|come|stumbled) (?:across|upon) your profile\b",
            r"\b(?:your|such an?|what an?) (?:impressive|amazing|great|interesting|stellar|awesome)"
            r" (?:profile|background)\b",
            r"\b(?:I was|I am|I'm) (?:really |very |so )?impressed (?:by|with) your"
            r" (?:profile|background)\b",
            r"\blike-?minded professionals?\b",
            r"\b(?:grow|expand|expanding|growing) my (?:professional )?network\b",
        ),
    ),
    Rule(
        "PERS100", "personalization.detail_found", "personalization", "info",
        "Personal detail found: {detail}.",
        "",
        "Shows which part of the profile the message used.",
        LESSON_PERSONALIZATION, check="profile_detail",
    ),
    # --- relevance -------------------------------------------------------------------------
    Rule(
        "REL001", "relevance.no_offer", "relevance", "error",
        "The message makes no offer and asks for nothing: the reader cannot tell why you wrote.",
        "Say in one sentence what you could do for them, then ask a soft question.",
        "A message with no clear point wastes the reader's time.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL002", "relevance.vague_offer", "relevance", "error",
        "'{found}' is a vague offer: it does not say what you could do for {first_name}.",
        "Name one concrete thing you offer that fits a need in their profile.",
        "Vague offers such as 'anything I can do' put the work of guessing on the reader.",
        LESSON_RELEVANCE, check="offer",
        patterns=(
            r"\banything (?:else )?(?:that )?(?:I|we) (?:can|could) (?:do|help with)\b",
            r"\b(?:if|should) you (?:ever )?need anything\b",
            r"\blet (?:me|us) know if (?:there(?:'s| is) )?anything\b",
            r"\b(?:our|my) (?:services|products|solutions|offerings)\b",
            r"\b(?:many|various|a variety of|a range of|a wide range of|all kinds of"
            r"|a full range of|lots of|numerous) (?:different |other )?"
            r"(?:services|products|solutions|offerings)\b",
            r"\ball (?:of )?your (?:\w+ )?needs\b",
            r"\bwhatever you (?:may )?need\b",
            r"\bhow (?:I|we) (?:can|could|might) help(?: you| your business)?[ \t]*[.!?]",
        ),
    ),
    Rule(
        "REL003", "relevance.unrelated_offer", "relevance", "error",
        "Your offer ({offer}) does not connect to a need in {first_name}'s profile: the "
        "nearest is {nearest}, and the offer does not meet it.",
        "Pick the offer that fits what they care about ({needs_hint}), or explain the link.",
        "An offer that cannot benefit the reader is what makes a message feel like spam.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL007", "relevance.connect_only", "relevance", "error",
        "'{found}' asks only to connect: it does not say what you could do for {first_name}.",
        "Add one sentence on what you could do about a need in their profile ({needs_hint}).",
        "A request to connect with no reason gives the reader nothing to say yes to.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL008", "relevance.sender_serving_ask", "relevance", "error",
        "'{found}' asks {first_name} for something that helps only you.",
        "Offer something that helps them first; ask for favours once you know each other.",
        "Endorse-me, rate-me and follow-me asks read as using the reader.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL009", "relevance.need_already_met", "relevance", "error",
        "Your offer ({offer}) is aimed at something {first_name}'s profile says is already "
        "handled: {need}.",
        "Read the profile again and offer help with a need that is still open ({needs_hint}).",
        "Offering what someone just said they have shows you did not read their profile.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL010", "relevance.denies_fit", "relevance", "error",
        "'{found}' says yourself that the offer may not fit {first_name}.",
        "Only send an offer you believe fits; say why it fits instead.",
        "If you doubt the fit, the reader will too, and the message becomes noise.",
        LESSON_RELEVANCE, check="offer",
    ),
    Rule(
        "REL004", "relevance.self_centred", "relevance", "warning",
        "The message talks about you and your company more than about {first_name} "
        "({me} I/we words, {you} you/your words).",
        "Rewrite a sentence or two around their situation: 'you', 'your team'.",
        "Readers answer messages about their problems, not about the sender.",
        LESSON_RELEVANCE, check="self_centred",
    ),
    Rule(
        "REL005", "relevance.pressure", "relevance", "warning",
        "'{found}' is a pressure phrase: it reads as an advert, not a conversation.",
        "Drop the urgency and offer something they can say yes to at their own pace.",
        "Pressure makes a first message feel like a sales blast.",
        LESSON_RELEVANCE,
        patterns=(
            r"\bbuy (?:it |them )?now\b",
            r"\blimited[- ]time\b",
            r"\bact (?:now|fast|today|quickly)\b",
            r"\bcall (?:me |us )?(?:now|today|immediately)\b",
            r"\bdon'?t miss (?:out|this)\b",
            r"\bonly \d{1,4} (?:spots?|seats?|places?|units?) left\b",
            r"\b(?:offer|deal|discount|price) (?:ends|expires) (?:today|tonight|soon|tomorrow)\b",
            r"\bonce[- ]in[- ]a[- ]lifetime\b",
            r"\bfinal (?:chance|notice|reminder)\b",
            r"\bhurry\b",
            r"\bbefore it'?s too late\b",
            r"\burgent(?:ly)?\b",
        ),
    ),
    Rule(
        "REL006", "relevance.no_closing_ask", "relevance", "warning",
        "The message ends without a question or a soft ask, so there is no easy way to reply.",
        "End with a low-pressure question, for example 'Would a short call next week help?'.",
        "A clear, easy next step starts the conversation.",
        LESSON_RELEVANCE, check="closing_ask",
    ),
    Rule(
        "REL100", "relevance.offer_fits", "relevance", "info",
        "Your offer ties to {need}.",
        "",
        "Shows which need in the profile the offer answers.",
        LESSON_RELEVANCE, check="offer",
    ),
    # --- mechanics -------------------------------------------------------------------------
    Rule(
        "MECH001", "mechanics.lowercase_sentence", "mechanics", "error",
        "This sentence starts in lowercase: '{found}'.",
        "Start every sentence, and the greeting and sign-off, with a capital letter.",
        "Careless capitalisation makes a business message look rushed.",
        LESSON_MECHANICS, check="sentence_case",
    ),
    Rule(
        "MECH002", "mechanics.lowercase_i", "mechanics", "error",
        "The pronoun '{found}' is written in lowercase.",
        "Write 'I' (and I'm, I'll, I've) as a capital.",
        "A lowercase 'i' reads as text-message style in a professional note.",
        LESSON_MECHANICS,
        patterns=(r"(?<![\w'’.@/\\-])i(?:['’](?:m|ll|ve|d))?(?![\w@/'’)-])(?!\.e\b)",),
        ignore_case=False,
    ),
    Rule(
        "MECH003", "mechanics.space_before_punctuation", "mechanics", "error",
        "There is a space before the punctuation in '{found}'.",
        "Put commas, full stops, question marks and colons right after the word.",
        "Stray spaces look careless and break how the sentence reads.",
        LESSON_MECHANICS,
        patterns=(
            r"\b\w{1,40}[ \t]+[,;!?]",
            r"\b\w{1,40}[ \t]+\.(?![.])(?!(?:NET|com|net|org|io)\b)",
            r"\b\w{1,40}[ \t]+:(?=[ \t]|$)",
        ),
    ),
    Rule(
        "MECH004", "mechanics.repeated_punctuation", "mechanics", "error",
        "'{found}' is a run of punctuation.",
        "Use one full stop, question mark or exclamation mark.",
        "Runs such as '!!' or '??' read as shouting or impatience.",
        LESSON_MECHANICS,
        patterns=(r"[!?]{2,}", r",{2,}", r";{2,}", r"(?<!\.)\.{4,}"),
    ),
    Rule(
        "MECH005", "mechanics.shouting", "mechanics", "error",
        "'{found}' is in capitals: in writing that reads as shouting.",
        "Use normal capitalisation; keep capitals for acronyms such as CRM or CEO.",
        "All-caps words feel aggressive and look like advertising.",
        LESSON_MECHANICS, check="shouting",
    ),
    Rule(
        "MECH006", "mechanics.text_speak", "mechanics", "error",
        "'{found}' is text-speak.",
        "Write the word out in full ({suggestion}).",
        "Shorthand like 'u' or 'pls' looks careless in a first business message.",
        LESSON_MECHANICS, check="text_speak",
    ),
    Rule(
        "MECH007", "mechanics.misspelling", "mechanics", "error",
        "'{found}' is misspelled: did you mean '{suggestion}'?",
        "Correct the spelling to '{suggestion}'.",
        "Spelling mistakes make readers doubt the care behind the offer.",
        LESSON_MECHANICS, check="misspelling",
    ),
    Rule(
        "MECH008", "mechanics.too_long", "mechanics", "warning",
        "The message is long for a first note: {chars} characters, word count {words}.",
        "Aim for under 400 characters, and 50 to 125 words at most.",
        "LinkedIn found InMails under 400 characters did 22% better than average and those over "
        "1,200 characters 11% worse; Boomerang (the maker of an email add-on), counting replies "
        "to 40 million emails, found that those of 50 to 125 words got the most.",
        LESSON_MECHANICS, check="length",
    ),
    Rule(
        "MECH009", "mechanics.too_short", "mechanics", "warning",
        "The message is too short to carry a greeting, a personal detail and an offer "
        "(word count {words}).",
        "Add one sentence about them and one about what you could do for them.",
        "A bare line gives the reader no reason to answer.",
        LESSON_MECHANICS, check="length",
    ),
    Rule(
        "MECH010", "mechanics.long_sentences", "mechanics", "warning",
        "{detail}: long sentences are hard to read on a phone.",
        "Split long sentences; one idea per sentence.",
        "Readability scores are noisy on short texts, so this is only a wide-band warning.",
        LESSON_MECHANICS, check="sentence_length",
    ),
    # --- etiquette -------------------------------------------------------------------------
    Rule(
        "ETIQ001", "etiquette.signature_mismatch", "etiquette", "error",
        "The message is signed '{found}', but the sender's profile name is {sender_name}.",
        "Sign with the name on your LinkedIn profile: '{sender_first}'.",
        "A signature that does not match the profile looks like a fake or a copied message.",
        LESSON_MECHANICS, check="signature",
    ),
    Rule(
        "ETIQ002", "etiquette.no_signature", "etiquette", "warning",
        "The message has no sign-off with your name.",
        "End with a short sign-off and your name, for example 'Best,' then your first name.",
        "A name at the end closes the message like a letter from a person.",
        LESSON_MECHANICS, check="signature",
    ),
    Rule(
        "ETIQ003", "etiquette.defensive", "etiquette", "error",
        "'{found}' argues with the reader: whether it is spam is the recipient's call.",
        "Apologise, remove them, and thank them; do not defend the message.",
        "Defensiveness in a public thread costs more than the original message did.",
        LESSON_RECOVERY,
        patterns=(
            r"\b(?:it|this|that)(?:'s|’s|s| is| was) not (?:a )?(?:spam|junk)",
            r"\b(?:it|this|that) (?:isn'?t|wasn'?t|isnt|wasnt|aint|ain'?t) (?:a )?(?:spam|junk)",
            r"\b(?:I|we) (?:don'?t|do not|dont|never) (?:do |send )?(?:spam|junk)\b",
            r"\b(?:we|I)(?:'re| are| am|'m) (?:not|no) (?:a )?spammers?\b",
            r"\bnot (?:a )?spammers?\b",
            r"\bwe(?:'re| are) (?:a |an )?(?:legit|legitimate|real(?! estate)|reputable|honest"
            r"|genuine)\b",
            r"\bI (?:promise|swear|assure you)(?: that)? (?:it|this)(?: is|'s)? ?"
            r"(?:isn'?t|is not|not)\b",
            r"\b(?:look|take a look) at (?:it|this|our \w{1,20}|the \w{1,20}) again\b",
            r"\b(?:message|note|email|offer|it|this|that) (?:is|was) not (?:a )?(?:spam|junk)\b",
            r"\b(?:our company|we|it|this)(?: is|'s| are|'re) (?:100% |totally |completely )?"
            r"(?:legit|legitimate)\b",
            r"\b(?:please|kindly) reconsider\b",
            r"\bif (?:you|u) (?:don'?t|dont|do not) believe (?:me|us)\b",
            r"\byou(?:'re| are) (?:overreacting|wrong)\b",
        ),
    ),
    Rule(
        "ETIQ004", "etiquette.reply_all", "etiquette", "error",
        "'{found}' invites everyone to reply to everyone.",
        "Ask people to reply to you directly, never to the whole list.",
        "Reply-all is what turned the story's message into a storm in every inbox.",
        LESSON_STORM, check="reply_all",
        patterns=(r"\breply(?:[- ]to)?[- ]all\b",),
    ),
    Rule(
        "ETIQ005", "etiquette.addressed_to_many", "etiquette", "error",
        "'{found}' shows one message addressed to many people.",
        "Send a separate, personal message to each person.",
        "One message to many recipients is how a reply-all storm starts.",
        LESSON_STORM,
        patterns=(
            rf"^[ \t]*{GREETING}[ \t,]+{GROUP}\b",
            r"\b(?:to|for) (?:all|each) of you\b",
            r"\beveryone (?:on|in) (?:this|the|my) (?:list|thread|email|message|group)\b",
            r"\b(?:this|my|our) (?:mailing|distribution|contact) list\b",
            r"\bsending this (?:note |message )?to (?:all|everyone|several|many)\b",
            r"\+[ \t]*\d{1,5}[ \t]+others?\b",
            r"^[ \t]*(?:to|cc|bcc)[ \t]*:[^\n,]*,[^\n,]*,",
            r"\bto whom it may concern\b",
            r",[ \t]*(?:everyone|everybody|folks|guys|y'?all)[ \t]*[!.?]",
            r"(?:^|[.!?][ \t]+)(?:and[ \t]+)?(?:everyone|everybody|folks|guys|y'?all)[ \t]*,",
        ),
    ),
    Rule(
        "ETIQ007", "etiquette.sent_to_many", "etiquette", "error",
        "'{found}' shows the message was sent to a list, not to one person.",
        "Send a separate, personal message to each person, with no list or opt-out lines.",
        "Broadcasts on LinkedIn are what turns into a reply-all storm and spam reports.",
        LESSON_STORM, check="mass_mail",
    ),
    Rule(
        "ETIQ006", "etiquette.link_in_first_message", "etiquette", "warning",
        "'{found}' is a link in a first message: many readers treat that as spam.",
        "Leave the link out until they ask for it.",
        "Links from strangers look like phishing or advertising.",
        LESSON_MECHANICS,
        patterns=(
            r"(?<![@\w])(?:https?://|www\.)[^\s<>\"']+",
            r"(?<![@\w.-])[A-Za-z0-9][A-Za-z0-9-]{0,62}\.(?:com|net|org|io|co|biz|info|ai|app|us)"
            r"\b(?![@.\w-])(?:/[^\s<>\"']*)?",
        ),
    ),
)
# fmt: on

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rule(code: str) -> Rule:
    """The rule with this code."""
    return RULES_BY_CODE[code]
