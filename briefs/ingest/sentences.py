"""Sentences as the rules read them: split from the text, cancelled when they deny, doubt or
only anticipate a deal, and marked so a rule can say where each company stands.
"""

from __future__ import annotations

import re

from .lowered import NoCase, lowered
from .orgs import Mention

# A stop, then the space before a sentence's capital. The stop is matched, not looked behind
# for: a pattern that starts with a character class is found much faster.
_BOUNDARY = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z])")
_NO_SPLIT_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|approx|Pvt|Pte|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
    r"|\b[A-Z]|\bU\.S|\bU\.K|\be\.g|\bi\.e)\.$"
)
_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "It",
        "This",
        "That",
        "These",
        "Its",
        "Their",
        "He",
        "She",
        "They",
        "We",
        "But",
        "And",
        "However",
        "Under",
        "Meanwhile",
        "Separately",
        "Financial",
        "Terms",
        "According",
        "In",
        "On",
        "A",
        "An",
    ]
)


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_COMPANY_DOT = re.compile(r"\b(?:Inc|Co|Corp|Ltd|Sdn)\.$")
_NAME_DOT = re.compile(r"\b(?:Inc|Co|Corp|Ltd|B\.V|N\.V|S\.A|A\.G)\.$")
# The three patterns above match only the last few characters before a boundary, so they are
# searched from this many characters before it rather than along the whole paragraph.
_ABBREVIATION_REACH = 16


def sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph number, sentence) pairs; abbreviations such as "U.S." and "Co." do not split."""
    out: list[tuple[int, str]] = []
    for number, paragraph in enumerate(p for p in _PARAGRAPH_BREAK.split(text) if p.strip()):
        start = 0
        for boundary in _BOUNDARY.finditer(paragraph):
            stop = boundary.start()  # the full stop, question or exclamation mark
            head = paragraph[start : stop + 1].rstrip('"”’)')
            near = max(0, len(head) - _ABBREVIATION_REACH)
            following = _word_at(paragraph, boundary.end()).strip('"“(')
            if _NO_SPLIT_BEFORE.search(head, near) and following not in _SENTENCE_STARTERS:
                continue
            if _COMPANY_DOT.search(head, near) and following.rstrip(".") in (
                "Ltd",
                "Bhd",  # a Malaysian "Sdn. Bhd."
            ):
                continue
            if _NAME_DOT.search(head, near) and paragraph[boundary.end() : boundary.end() + 1] in (
                "(",
                "“",
                '"',
            ):
                continue  # 'Asterra Pharma, Inc. (Nasdaq: ASTR)': the name's bracket follows
            sentence = paragraph[start : stop + 2]  # the stop and the quote or space after it
            out.extend((number, c) for c in _clauses(sentence))
            start = boundary.end()
        tail = paragraph[start:].strip()
        if tail:
            out.extend((number, c) for c in _clauses(tail))
    return out


def _word_at(paragraph: str, start: int) -> str:
    """The text from ``start`` to the next space: slicing only that far, not the paragraph's
    rest, keeps splitting a long paragraph from costing the square of its length."""
    space = paragraph.find(" ", start)
    return paragraph[start:space] if space != -1 else paragraph[start:]


# ", and C has obtained rights ...": a second deal with a subject of its own is read on its own.
_NEW_DEAL_CLAUSE = re.compile(
    r",\s+and\s+(?=(?:[A-Z][\w.&'-]*\s+){1,4}(?:has|have|had|will|also)\s+(?:\w+\s+)?"
    r"(?:licen|in-licen|out-licen|obtain|gain|acquir|secur|tak|receiv|grant|bought|sold)\w*)"
)


def _clauses(sentence: str) -> list[str]:
    """The sentence, split where a new subject starts a second deal."""
    sentence = sentence.strip()
    if ", and " not in sentence:
        return [sentence]
    parts, start = [], 0
    for match in _NEW_DEAL_CLAUSE.finditer(sentence):
        parts.append(sentence[start : match.start()] + ".")
        start = match.end()
    parts.append(sentence[start:])
    return [p for p in parts if p.strip(" .")]


# --- Cues that cancel a sentence ---------------------------------------------------------------

_DISCLOSURE = re.compile(
    r"\b(?:did not|didn't|does not|declined to|would not|wouldn't|were not|was not|have not been|"
    r"has not been|had not been|not)\s+(?:be\s+)?(?:disclose|disclosed|reveal|revealed|give|"
    r"provide|made public|make public)\b",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:no plans?|not to licen|did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|"
    r"had not|never|declined to (?:discuss|comment|confirm|say)|refused|denied|denies|deny|"
    r"dismissed|rejected reports?|no (?:deal|agreement|licen[cs]e)|not (?:licen|sign|grant|acquir|"
    r"reach|enter)|terminated|terminate|called off|scrapped|walked away|ended (?:its|the|a)|"
    r"in talks|in discussions|in negotiations|negotiating|considering|consider|"
    r"exploring|mulling|evaluating|weighing (?:a|an|the|whether|options|offers?|bids?)|rumou?r|speculat|reportedly|is said to|are said to|"
    r"people familiar|sources said|according to sources|unnamed sources|"
    r"(?:expected|expects|plans?|planning|intends?|hopes?|aims?|seeks?|seeking|wants?|set) to "
    r"(?:sign|licen|grant|acquire|announce|reach|finali[sz]e|conclude|enter into|strike|out-licen)|"
    r"(?:potential|possible|proposed|prospective) (?:deal|agreement|licen|partner|tie-up)|"
    r"whether|if|reference is made to|revert|reverts|reverted|regain|regains|regained|"
    r"(?:returned|return|returns) to|wind-down|winding down|hand(?:s|ed|ing)? back|gave back|"
    r"give(?:s|n)? back)\b",
    re.I,
)
_MODAL = re.compile(
    r"\b(?:may|might|could|should|(?<!said it )(?<!said they )(?<!day it )(?<!day they )would)"
    r"\s+(?:\w+\s+){0,2}?(?:licen|sign|grant|acquire|agree)"
)  # "said (on Monday) it would acquire the rights" reports what was agreed
_DENIAL = re.compile(
    r"\b(?:denied|denies|dismissed|rejected) (?:the |those |these |media )?reports?\b", re.I
)
_RETRACTION = re.compile(
    _DENIAL.pattern
    + r"|\b(?:terminated|terminates|notice (?:[\w-]+\s+){0,4}?to terminate|termination of)\s+"
    r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:agreement|licen[cs]e|deal|collaboration|partnership)\b",
    re.I,
)


# Every wording of the first holds a negation or "declined"; of the last, a word of denial or
# ending: sentences without one are turned away by a scan for plain words.
_DISCLOSURE_NC = NoCase(_DISCLOSURE, cues=("not", "n't", "declined"))
_NEGATION_NC = NoCase(NEGATION)
_RETRACTION_NC = NoCase(_RETRACTION, cues=("denie", "dismissed", "rejected", "terminat"))


# ", the start-up whose models ... have never been shown," describes a company, between commas,
# at the sentence's end (", a firm that is winding down its plant.") or in brackets ("(which
# declined to comment)"): a doubt or an ending told there is not the sentence's.
_DESCRIBING = re.compile(
    r",\s+(?:(?:a|an|the)\s+[^,;⟨⟩]{0,60}?\s+(?:which|who|whose|that)|which|who|whose)\b"
    r"[^;,]{0,160}(?=,|\.?\s*$)"
    r"|\s\((?:which|who|whose)\b[^()]{0,160}\)"
)


def cancelled(sentence: str) -> bool:
    """True when the sentence denies, doubts or only anticipates what it mentions."""
    if not _doubted(sentence):
        return False
    own = _without_descriptions(sentence)
    return own == sentence or _doubted(own)


def _without_descriptions(sentence: str) -> str:
    """The sentence without the relative clauses that describe its companies."""
    if "wh" not in sentence and "that" not in sentence:
        return sentence
    return _DESCRIBING.sub("", sentence)


def _doubted(sentence: str) -> bool:
    plain, lower = _DISCLOSURE_NC.sub(" ", sentence, lowered(sentence))
    return bool(_NEGATION_NC.search(plain, lower) or _MODAL.search(plain))


def conditional(sentence: str) -> bool:
    """True when the only doubt is a condition ("if milestones are met"): deal terms are often
    stated that way, so such a sentence may still add terms to the deal just read."""
    plain, lower = _DISCLOSURE_NC.sub(" ", sentence, lowered(sentence))
    cues = {m[0].lower() for m in _NEGATION_NC.finditer(plain, lower)}
    return cues == {"if"} and not _MODAL.search(plain)


def retracted(sentence: str) -> bool:
    """True when the sentence denies reports about its companies or ends a deal: what was read
    about them goes. An ending told of a company in passing (", which terminated its licence
    with B in 2021,") is its history, not the sentence's news."""
    if not _RETRACTION_NC.search(sentence, lowered(sentence)):
        return False
    own = _without_descriptions(sentence)
    return own == sentence or bool(_RETRACTION_NC.search(own, lowered(own)))


def denied(sentence: str) -> bool:
    """True when the sentence denies reports, rather than ending an agreement: a denial speaks
    of every deal read about its companies, an ending only of the one it ends."""
    return bool(_DENIAL.search(sentence))


# --- Marking the companies in a sentence ----------------------------------------------------


_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def mark(sentence: str, mentions: list[Mention]) -> str:
    """Replace each mention with ⟨index⟩ so rules can say where the parties stand."""
    out, last = [], 0
    for index, mention in enumerate(mentions):
        before = sentence[last : mention.start]
        if sentence[mention.start : mention.start + 3].lower() != "the":
            before = _THE_BEFORE.sub("", before)  # 'the Company', 'the Licensee': a defined term
        out.append(before)
        out.append(f"⟨{index}⟩")
        last = mention.end
    out.append(sentence[last:])
    return "".join(out)
