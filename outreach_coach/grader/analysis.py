"""What the grader reads off a message once, so every check can share it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from . import wordlists
from .profiles import Recipient, Sender, is_title
from .text import Span, common_prefix_length, content_stems, fold, sentences, tokens

# Checks read this much of a message: longer texts are already far past any sensible length
# (and get the too-long warning), and this keeps grading a 1 MB paste well under a second.
MAX_ANALYSED_CHARS = 20_000


@wordlists.derived_from_data
@cache
def sign_off() -> re.Pattern[str]:
    """A line that starts with a closing ("Best regards,", "- Thanks!") and what follows it."""
    return re.compile(
        r"^[ \t]*(?:[-–—~][ \t]*)?(?:with[ \t]+)?"
        rf"(?:{wordlists.cue_alternation('sign_offs')})\b[ \t,.!:;—–-]*(?P<rest>[^\n]*)$",
        re.IGNORECASE,
    )


@wordlists.derived_from_data
@cache
def sign_off_line() -> re.Pattern[str]:
    """A line that holds only a closing ("Thanks!"), so the next line starts a sentence."""
    return re.compile(
        rf"^[ \t]*(?:{wordlists.cue_alternation('sign_offs')})[ \t]*[,.!]?[ \t]*$", re.IGNORECASE
    )


CONTACT_LINE = re.compile(
    r"^[ \t]*(?:(?:tel|phone|mobile|cell|m|t|e|email|web)[ \t]*[:.][ \t]*\S[^\n]*"
    r"|[+(\d][\d ()./-]{6,}\d[ \t]*|\S+@\S+|(?:https?://|www\.)\S+|\[[^\]\n]{1,60}\])[ \t]*$",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"[A-ZÀ-Þ][\w'’.-]*")
LEADING_MARKS = re.compile(r"^[ \t]*(?:[-–—~•*>]+[ \t]*)?")
TRAILING_PHONE = re.compile(r"[ \t,|–—-]*[+(\d][\d ()./-]{6,}\d$")
NAME_CONNECTORS = frozenset({"&", "and", "from", "at", "with", "of", "|", "-", "–", "—", "/"})
GOES_BY = re.compile(
    r"\b(?:call me|calls me|goes by|go by|known as|friends call me)[ \t]+"
    r"[\"'“‘]?([A-Z][\w'’-]{1,20})"
)
POSTSCRIPT = re.compile(r"^[ \t]*p\.?[ \t]?s\.?(?:[ \t:,-]|$)", re.IGNORECASE)
YOU = re.compile(r"\byou(?:r|rs|'re|'ve|'d|'ll)?\b")
SUBJECT_LINE = re.compile(r"^[ \t]*(?:subject|re|fwd?)[ \t]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One line of the message with its offsets."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        """The line without surrounding white space."""
        return self.text.strip()


@wordlists.derived_from_data
@lru_cache(maxsize=1024)
def name_variants(first_name: str) -> frozenset[str]:
    """The folded forms of a first name that count as that name (Dan for Daniel, Bob for Robert)."""
    nicknames = wordlists.lexicon()["nicknames"]
    parts = {fold(part) for part in re.split(r"[-\s]+", first_name) if part}
    full = fold(first_name)
    variants = {full, *parts}
    for part in list(variants):
        variants.update(nicknames.get(part, ()))
        for formal, shorts in nicknames.items():
            if part in shorts:
                variants.add(formal)
    return frozenset(variants)


@wordlists.derived_from_data
@lru_cache(maxsize=16384)
def is_short_form(word: str, first_name: str) -> bool:
    """True when word is the first name, a listed nickname, or reads as a short form of it:
    its start (Andy for Andrés, Kasia for Katarzyna, Fritz for Friedrich) or its end (Femi for
    Oluwafemi, Hannes for Johannes). Diminutives are too many to list them all."""
    folded = fold(word)
    if folded in name_variants(first_name):
        return True
    full = fold(first_name)
    if len(folded) < 3 or not folded.isalpha():
        return False
    prefix = common_prefix_length(folded, full)
    shorter = len(folded) < len(full)
    return prefix >= 3 or (prefix >= 2 and shorter) or (shorter and full.endswith(folded))


class Analysis:
    """A message with the recipient and sender it is graded against, and what is read off it."""

    def __init__(self, text: str, recipient: Recipient, sender: Sender | None):
        self.text = text
        self.recipient = recipient
        self.sender = sender
        self.head = text[:MAX_ANALYSED_CHARS]

    @cached_property
    def lines(self) -> list[Line]:
        """Every line of the analysed part of the message."""
        result, start = [], 0
        for piece in self.head.split("\n"):
            result.append(Line(start, start + len(piece), piece))
            start += len(piece) + 1
        return result

    @cached_property
    def content_lines(self) -> list[Line]:
        """The non-blank lines."""
        return [line for line in self.lines if line.stripped]

    @cached_property
    def opening(self) -> Line | None:
        """The first line that is not a subject line: where a greeting belongs."""
        for line in self.content_lines:
            if not SUBJECT_LINE.match(line.text):
                return line
        return None

    @cached_property
    def signature(self) -> tuple[int, str | None, bool]:
        """Where the sign-off block starts, the name it is signed with, and whether it signs off.

        Returns (offset where the closing block starts, the signed name or None, found sign-off).
        """
        lines = self.content_lines
        body_end = len(self.head)
        tail = lines[1:][-6:]  # the opening line greets; it never signs off
        # Contact lines (phone, e-mail, web) and a P.S. sit below a signature: look above them.
        while tail and (CONTACT_LINE.match(tail[-1].text) or POSTSCRIPT.match(tail[-1].text)):
            body_end = tail[-1].start
            tail = tail[:-1]
        for index in range(len(tail) - 1, -1, -1):
            line = tail[index]
            match = sign_off().match(line.text)
            if not match or (len(line.stripped) > 60 and not match.group("rest")):
                continue
            rest = match.group("rest").strip()
            name = self._name_in(rest) if rest else None
            if name is None:
                below = [t for t in tail[index + 1 :] if not CONTACT_LINE.match(t.text)]
                name = self._name_in(below[0].text) if below else None
            if rest and name is None and len(rest.split()) > 4:
                continue  # "Thanks for your time today..." is a sentence, not a sign-off
            return line.start, name, True
        # Without a sign-off, a line that is only a name ends the message (a one-line message
        # has none); a title or company line may sit below it ("Priya Raman" / "Founder, X").
        if len(lines) > 1:
            candidates = [(line, self._name_in(line.text)) for line in tail[-3:][::-1]]
            named = [(line, name) for line, name in candidates if name is not None]
            for line, name in named:
                if self._signs_as_sender(name):
                    return line.start, name, False
            if named and (candidates[0][1] is not None or len(named[0][1].split()) <= 3):
                line, name = named[0]
                return line.start, name, False
        return body_end, None, False

    def _name_in(self, line: str) -> str | None:
        """The name on a signature line, or None when the line does not look like a name."""
        stripped = LEADING_MARKS.sub("", line).strip().rstrip(",.")
        stripped = TRAILING_PHONE.sub("", stripped).strip()  # "Shane 087 555 0123"
        if not stripped or len(stripped) > 40:
            return None
        tokens = stripped.replace(",", " ").split()
        name_tokens = []
        for token in tokens:
            if not NAME_WORD.fullmatch(token) or fold(token) in wordlists.lexicon()["stopwords"]:
                break
            name_tokens.append(token)
        if not name_tokens and len(tokens) <= 2 and self._signs_as_sender(stripped):
            # "best,\nnadia": the sender's own name typed in lowercase still signs the message
            # (MECH001 asks for the capital).
            return stripped
        if not name_tokens or len(name_tokens) > 4:
            return None
        # "Priya Raman, Coldwise Sensors", "Rebecca & the Stein team", "Ana from Fibra": a name
        # followed by a company or team; anything else after the capitals is a sentence.
        rest = tokens[len(name_tokens)] if len(name_tokens) < len(tokens) else ""
        joined = "," in stripped or "|" in stripped or fold(rest) in NAME_CONNECTORS
        if rest and not joined:
            return None
        return " ".join(name_tokens[:3])

    def _signs_as_sender(self, name: str) -> bool:
        if self.sender is None:
            return False
        return signature_matches(name, self.sender)

    @cached_property
    def body_end(self) -> int:
        """Where the body ends and the sign-off block begins."""
        return self.signature[0]

    @cached_property
    def body_sentences(self) -> list[Span]:
        """Sentences of the body: after the greeting line, before the sign-off block."""
        begin = 0
        opening = self.opening
        if opening is not None and self.greeting_only(opening):
            begin = opening.end
        return sentences(self.head[begin : self.body_end], offset=begin)

    def greeting_only(self, line: Line) -> bool:
        """True for a line that is only a greeting, such as 'Hi Maria,'."""
        text = line.stripped
        short_with_comma = len(text) <= 40 and text.endswith((",", "!", ":", "—", "-"))
        return short_with_comma or len(text.split()) <= 3

    @cached_property
    def protected_exact(self) -> frozenset[str]:
        """Words as the profiles spell them: names and their own words are never flagged (and a
        company called ACME is not shouting)."""
        person = self.recipient
        sources = [person.name, person.company, person.headline, person.industry, person.about]
        sources += [person.recent_activity, *person.interests]
        if self.sender is not None:
            sources += [self.sender.name, self.sender.company, self.sender.headline]
            sources += list(self.sender.offers)
        return frozenset(word for source in sources for word in tokens(source))

    @cached_property
    def protected(self) -> frozenset[str]:
        """The profiles' words, folded (for checks that ignore case and accents)."""
        return frozenset(fold(word) for word in self.protected_exact)

    @cached_property
    def recipient_name_stems(self) -> set[str]:
        """Stems of the recipient's name and company: naming them is not an offer."""
        return content_stems(f"{self.recipient.name} {self.recipient.company}")

    @cached_property
    def recipient_profile_stems(self) -> set[str]:
        """Content stems of everything the recipient's profile says."""
        person = self.recipient
        fields = [person.headline, person.industry, person.recent_activity, person.about]
        return content_stems(" ".join([*fields, *person.interests]))

    @cached_property
    def recipient_nicknames(self) -> frozenset[str]:
        """Names the profile says they go by ("Most people call me Bia")."""
        found = GOES_BY.findall(f"{self.recipient.about} {self.recipient.headline}")
        return frozenset(fold(name) for name in found)

    def names_recipient(self, word: str) -> bool:
        """True when a word is the recipient's first name, a short form, or a name they go by."""
        return is_short_form(word, self.recipient.first_name) or (
            fold(word) in self.recipient_nicknames
        )

    def second_person(self, sentence: str) -> bool:
        """True when a sentence speaks to the reader (you, your) or names them."""
        if YOU.search(fold(sentence)):
            return True
        return any(self.names_recipient(word) for word in tokens(sentence))


def signature_matches(signed: str, sender: Sender) -> bool:
    """True when a signature starts with the sender's first name, a short form or its initial.

    The surname alone is not enough: the story's note was signed with another first name. Nor
    is the company's name when it holds the surname ("Kahale Studio" for Keoni Kahale).
    """
    tokens = [t.strip(".,") for t in signed.split() if not is_title(fold(t))]
    if not tokens:
        return False
    first = tokens[0]
    company = {fold(word) for word in sender.company.split()}
    if {fold(t) for t in tokens} <= company and not is_short_form(first, sender.first_name):
        return False
    if len(first) == 1:
        return fold(first) == fold(sender.first_name)[:1]
    # Some names put the family name first ("Zhang Wei" signs "Wei").
    given = [part for part in sender.name.split()[1:] if not is_title(fold(part))]
    return is_short_form(first, sender.first_name) or fold(first) in {fold(g) for g in given}
