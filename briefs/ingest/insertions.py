"""What a writer inserts into a deal sentence, found so the sentence can be read without it.

The deal frames read a subject, a verb and what changed hands close together. Writers put things
between them: a time ("announced this morning that it has licensed"), a description after a
name (", founded in 2021 by two chemists,", ", which makes sensors,"), an aside in brackets, a
long list of what was bought before the "from" naming the seller, an owner or a place glued
before a name ("Lyon's Brovik"). A sentence with a deal cue that the frames read no deal from
is read again with these set aside (:func:`set_aside`), the frames unchanged; so is one whose
deal takes a party named only inside such an insertion (", backed by B,": B is no party).

What is set aside cannot name a party of the deal: a span holding a company is kept unless it
is a relative clause (history about the company before it), an investor or owner (", backed by
B,", ", a subsidiary of B,": the subsidiary signs); a description that speaks of rights is kept
unless a year dates it; a span holding terms is kept, so the terms are read too. The words kept
are the sentence's own, in order: every name read is a substring of the original, which stays
the evidence quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lowered import holds_any
from .orgs import Mention

# Words a sentence must hold for a second reading to be worth trying: the deal cues.
_CUES = ("licen", "right", "patent", "technolog", "know-how", "deal", "agreement")

_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DAY = (
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r")"
    r"(?:,?\s+\d{4})?"
)
_TIME = (
    r"(?:today|yesterday|tonight"
    r"|(?:(?:earlier|later)\s+)?this\s+(?:morning|afternoon|evening|week|month|year|quarter)"
    r"|(?:earlier|later)\s+(?:today|in\s+the\s+(?:day|week|month))"
    r"|last\s+(?:night|week|month|year|quarter|" + _WEEKDAY + r")"
    r"|(?:late\s+|early\s+)?(?:on\s+)?" + _WEEKDAY + r"(?:\s+(?:morning|afternoon|evening))?"
    r"(?:,?\s+" + _DAY + r")?"
    r"|on\s+" + _DAY + r")"
)
# A time between a verb and what follows it: "announced this morning that", "sold on Tuesday
# its rights"; and between commas (", on Tuesday,").
_TIME_INSERTED = re.compile(r"(?<=[a-z])\s+" + _TIME + r"(?:,?(?=\s+that\b)|(?=\s+[a-z]))")

# A description after a name, between commas or dashes: a relative clause, a participle
# ("founded by", "based in") or a noun phrase ("a privately held maker of ...").
# Those in the group "relative" may name another company: history, an investor or an owner
# (", a subsidiary of B,": the subsidiary signs), never a party of the deal the sentence tells.
_DESCRIPTION = (
    r"(?P<relative>(?:(?:in|of|for|with|by|through)\s+)?which|who|whose"
    r"|(?:backed|owned|led|run|controlled|chaired|funded|financed)\s+by"
    r"|(?:a|an|its)\s+(?:wholly[- ]owned\s+)?(?:subsidiary|unit|arm|division)\s+of)\b"
    r"|(?:founded|established|created|spun|formed|based|headquartered|backed|owned|listed|"
    r"known|best\s+known)\b"
    r"|(?:a|an|the)\s+(?!(?:licen[cs]\w*|rights?|deal|agreement|option)\b)[\w-]"
    r"|(?:one|part|itself|formerly|previously|now|once)\b"
    r"|[A-Z][\w-]*['’]s\s+[a-z]"  # ", Japan's third-largest drugmaker,"
)
# The comma closing a description is the one the sentence goes on after (its name's verb, what
# the verb takes, "and" a second name): a description may hold a list of its own ("the company
# behind a process recovering lithium, nickel and cobalt, has").
_GOES_ON = (
    r"(?:has|have|had|is|was|are|were|will|would|can|could|may|said|says|also|today|now|"
    r"signs|grants|licenses|sells|buys|acquires|takes|obtains|adds|gains|receives|won|took|"
    r"sold|bought|[a-z]+ed|for|to|from|with|under|a|an|the|its|their|and(?=\s+[A-Z]))\b"
)
_BETWEEN_COMMAS = re.compile(r",\s+(?:" + _DESCRIPTION + r")[^;()]{0,200}?,(?=\s+" + _GOES_ON + ")")
_BETWEEN_DASHES = re.compile(r"\s+[—–]\s+(?:" + _DESCRIPTION + r")[^—–;()]{0,150}?\s+[—–](?=\s)")
# An aside between commas saying where the news comes from or what it falls under: "B has,
# according to a filing, acquired", "B will, under the agreement, take", "A, in a statement on
# Monday, said".
_SOURCE_ASIDE = re.compile(
    r",\s+(?:according\s+to|in\s+(?:a|an|its|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|filing|release|announcement|note|interview|letter|presentation)"
    r"|under\s+(?:the|a|an|its|their|this)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:agreement|deal|licen[cs]e|terms|arrangement|contract)"
    r"|as\s+(?:part\s+of|expected|previously\s+reported)|for\s+(?:its|their)\s+part"
    r"|however|meanwhile|in\s+turn)\b[^,;()]{0,80}?,(?=\s+[a-z])",
    re.I,
)
# Anything between commas or dashes after an auxiliary, before its verb, or after a verb before
# what it takes: "B has, after two years of talks, granted", "A will — pending approval — take",
# "A signed, through its Swiss unit, a licence".
_AFTER_AUXILIARY = re.compile(
    r"\b(?:has|have|had|will|would|is|was|are|were|can|could|[a-z]+ed)"
    r"(?P<aside>,\s+[^,;()]{1,80}?,|\s+[—–]\s+[^—–;()]{1,80}?\s+[—–])(?=\s+[a-z])"
)
# A territory left out of the rights, between commas: "took worldwide rights, excluding the
# U.S., to X", "licensed, outside China, its antibody". The territory is read from the sentence
# as it was written.
_EXCEPTED = re.compile(
    r",\s+(?:excluding|except(?:\s+(?:for|in))?|outside(?:\s+of)?|other\s+than|apart\s+from|"
    r"save\s+for|but\s+not(?:\s+in)?)\s+[^,;()]{1,60}?,(?=\s)"
)
_EXCEPTED_WORDS = ("xclud", "xcept", "outside", "other than", "apart from", "save for", "but not")
# A place after a name: "B Ltd. of Pune, India, receives", "A and B of Ludwigshafen will".
_PLACE = r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?"
_PLACE_OF = re.compile(r"\s+of\s+" + _PLACE + r"(?:,\s+" + _PLACE + r",)?(?=\s+[a-z])")
_TIME_ASIDE = re.compile(r",\s+" + _TIME + r",(?=\s)")
# An aside in brackets; not a defined term (quoted) nor the number of an item ("(ii)").
_BRACKETS = re.compile(r"\s+\((?!(?:[ivx]{1,4}|[a-h]|\d{1,2})\))[^()\"“”]{1,100}\)")

# What changed hands, listed before the "from" or "to" that names the other party: "bought the
# rights, approvals and stock for five products from B" is read "bought the rights from B". The
# list starts with a comma after the first thing ("its licence for X and returned Y to B" is no
# list).
_THING = re.compile(
    r"\b(?:rights?|licen[cs]es?|patents?|know-how|technology|technologies|assets?)"
    r"(?=,\s)",
    re.I,
)
# A list holds no clause of its own.
_CLAUSE = re.compile(r"[;:]|\b(?:which|that|who|whose)\b")
_FROM_OR_TO = re.compile(r"\s+(?:from|to)\s+(?:the\s+)?$")
_THING_REACH = 220

# An owner or a place glued before a name: "the clean rooms of Lyon's Brovik".
_OWNER_BEFORE = re.compile(r"\b[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2}['’]s\s+$")

# Terms in a span keep it: they are read from the same sentence.
_TERMS = re.compile(
    r"[$€£¥]|\b\d[\d.,]*\s*(?:million|billion|mln|bln|bn|m)\b|up-?front|milestone|royalt"
    r"|undisclosed|equity",
    re.I,
)


@dataclass(frozen=True)
class Pruned:
    """A sentence without its insertions, with its companies' mentions placed in it."""

    sentence: str
    mentions: list[Mention]
    removed: list[str]  # the insertions set aside, in order
    # Companies named only in what was set aside (an investor, an owner, a past partner).
    aside: frozenset[str] = frozenset()


def set_aside(sentence: str, mentions: list[Mention]) -> Pruned | None:
    """The sentence without what is inserted into it; None when it has no cue or nothing to
    set aside."""
    if not holds_any(sentence.lower(), _CUES):
        return None
    spans = _merged(_insertions(sentence, mentions))
    if not spans:
        return None
    return _without(sentence, mentions, spans)


def names_aside(sentence: str) -> bool:
    """Whether the sentence may name a company inside an insertion (a relative clause, an
    investor, an owner): a plain scan before anything costlier."""
    return holds_any(sentence, _ASIDE_NAMING)


_ASIDE_NAMING = ("which", "who", " by ", "subsidiary", "unit of", "arm of", "division of")
# Plain words without which no time of _TIME can be in the sentence.
_TIME_WORDS = ("day", "this ", "last ", "night", "earlier", "later", "on ")


def _insertions(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Each family is looked for only where its plain mark (a comma, a dash, a bracket, a time
    word, a possessive) is in the sentence."""
    commas = "," in sentence
    dashes = "—" in sentence or "–" in sentence
    spans: list[tuple[int, int]] = []
    if holds_any(sentence, _TIME_WORDS):
        spans.extend(m.span() for m in _TIME_INSERTED.finditer(sentence))
    asides = [_TIME_ASIDE, _SOURCE_ASIDE] if commas else []  # "X said, on Monday, that"
    if commas and holds_any(sentence, _EXCEPTED_WORDS):
        asides.append(_EXCEPTED)
    if " of " in sentence:
        spans.extend(_places_of(sentence, mentions))
    for match in (m for pattern in asides for m in pattern.finditer(sentence)):
        if not _holds_a_name(match.span(), mentions):
            spans.append(match.span())
    if commas or dashes:
        spans.extend(_after_auxiliaries(sentence, mentions))
    described = [
        p for p, marked in ((_BETWEEN_COMMAS, commas), (_BETWEEN_DASHES, dashes)) if marked
    ]
    for match in (m for pattern in described for m in pattern.finditer(sentence)):
        if (
            _after_a_name(match.start(), mentions)
            and (match["relative"] or not _holds_a_name(match.span(), mentions))
            and not _tells_a_deal(match.group())
        ):
            spans.append(match.span())
    if "(" in sentence:
        spans.extend(
            m.span()
            for m in _BRACKETS.finditer(sentence)
            if not _holds_a_name(m.span(), mentions) and not _tells_a_deal(m.group())
        )
    if commas:
        spans.extend(_listed_things(sentence, mentions))
    if "'s " in sentence or "’s " in sentence:
        spans.extend(_owners_before(sentence, mentions))
    return [s for s in spans if not _TERMS.search(sentence, *s)]


def _places_of(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """ " of Pune, India," or " of Ludwigshafen" right after a name: where the company is, read
    past."""
    spans = []
    for mention in mentions:
        place = _PLACE_OF.match(
            sentence, mention.end + (sentence[mention.end : mention.end + 1] == ".")
        )
        if place is not None and not _holds_a_name(place.span(), mentions):
            spans.append(place.span())
    return spans


def _after_auxiliaries(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    spans = [m.span("aside") for m in _AFTER_AUXILIARY.finditer(sentence)]
    return [span for span in spans if not _holds_a_name(span, mentions)]


# A description that speaks of rights may tell the deal itself (", a new company that will take
# the rights,"); one dated by a year is the company's history (", which licensed it in 2019,").
_DEAL_WORDS = re.compile(r"licen[cs]|\brights?\b|patent|\bdeal\b|agreement", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _tells_a_deal(description: str) -> bool:
    return bool(_DEAL_WORDS.search(description)) and not _YEAR.search(description)


def _after_a_name(at: int, mentions: list[Mention]) -> bool:
    """True when a name ends just before ``at`` (a description describes a company)."""
    return any(0 <= at - m.end <= 1 for m in mentions)


def _holds_a_name(span: tuple[int, int], mentions: list[Mention]) -> bool:
    return any(_overlap(span, (m.start, m.end)) for m in mentions)


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _listed_things(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """The rest of a list of things changing hands, up to the "from" or "to" naming a party."""
    spans = []
    for mention in mentions:
        before = _FROM_OR_TO.search(sentence, max(0, mention.start - 12), mention.start)
        if before is None:
            continue
        reach = max(0, before.start() - _THING_REACH)
        thing = _THING.search(sentence, reach, before.start())
        if thing is None or thing.end() >= before.start():
            continue
        span = (thing.end(), before.start())
        if not _holds_a_name(span, mentions) and not _CLAUSE.search(sentence, *span):
            spans.append(span)
    return spans


def _owners_before(sentence: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """ "Lyon's " before a name: the place or owner is set aside, the name read alone. An owner
    read as a company stays ("Penrose Bio's RSV antibody": whose the antibody is)."""
    spans = []
    for mention in mentions:
        owner = _OWNER_BEFORE.search(sentence, max(0, mention.start - 60), mention.start)
        if owner is not None and not _holds_a_name(owner.span(), mentions):
            spans.append(owner.span())
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, overlapping ones joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _without(sentence: str, mentions: list[Mention], spans: list[tuple[int, int]]) -> Pruned:
    """The sentence with the spans cut out, the mentions outside them moved to their new place."""
    parts, kept, removed = [], [], []
    at = 0
    for start, end in spans:
        parts.append(sentence[at:start])
        removed.append(sentence[start:end])
        at = end
    parts.append(sentence[at:])
    for mention in mentions:
        if any(_overlap((mention.start, mention.end), span) for span in spans):
            continue
        shift = sum(e - s for s, e in spans if e <= mention.start)
        kept.append(Mention(mention.start - shift, mention.end - shift, mention.org))
    aside = {m.org.name for m in mentions} - {m.org.name for m in kept}
    return Pruned("".join(parts), kept, removed, frozenset(aside))
