"""Takers counted before they are named: "A has licensed the technology to two new partners",
then each partner told in a sentence of its own ("B, a Japanese smelter, will use the process at
its refinery"). The first sentence names no licensee; the ones after it name one each, by what it
will do with the licensed thing rather than by a verb of licensing.
"""

from __future__ import annotations

import re

from .lowered import holds_any
from .passive_takers import licensed_by_taker

# Words for the takers a licence is counted to, in lower case.
_TAKER_WORDS = (
    "partners",
    "licensees",
    "companies",
    "manufacturers",
    "makers",
    "producers",
    "customers",
    "firms",
    "groups",
    "operators",
    "breeders",
    "developers",
    "distributors",
    "suppliers",
    "drugmakers",
    "biotechs",
    "houses",
    "vendors",
    "integrators",
)
# Words every licence to counted takers holds: a sentence with none is not tried.
_COUNTED_CUES = (*_TAKER_WORDS, "agreements", "deals")
_COUNT = r"(?:two|three|four|five|six|seven|eight|several|multiple|\d+)"
# "licensed the technology to two new partners", "granted licences to three manufacturers",
# "signed licences with several producers"; or the deals counted themselves: "announced three
# licence agreements granting partners access", "entered into two regional licence agreements".
_TO_COUNTED = re.compile(
    r"\b(?:licen[cs](?:ed|es)|out-licen[cs]ed|granted\s+(?:\w+\s+)?licen[cs]es|"
    r"(?:signed|entered\s+into|concluded|struck)\s+(?:\w+\s+)?"
    r"licen[cs](?:es|(?:e|ing)\s+(?:deals|agreements|contracts)))\b"
    r"[^⟨.;]{0,60}?\b(?:to|with)\s+" + _COUNT + r"\s+"
    r"(?:(?:[a-z]+-based|[A-Z]?[a-z]+)\s+){0,2}"
    r"(?:" + "|".join(_TAKER_WORDS) + r")\b"
    r"|\b(?:announced|signed|entered\s+into|concluded|struck|agreed)\s+"
    + _COUNT
    + r"\s+(?:[\w-]+\s+){0,2}?licen[cs](?:e|ing)\s+(?:agreements|deals)\b(?!\s+with\s+⟨)"
)
# The licensor: the company named last before the verb, with no other company between.
_GRANTOR = re.compile(r"⟨(\d+)⟩[^⟨;]{0,200}$")


def counts_takers(text: str) -> bool:
    """A cheap look first: whether the text holds a word for takers counted ("partners")."""
    return holds_any(text, _COUNTED_CUES)


def licensed_to_counted(marked: str) -> int | None:
    """The index of the company that licenses to takers it counts but does not name."""
    if not counts_takers(marked):
        return None
    told = _TO_COUNTED.search(marked)
    if told is None or "⟨" in marked[told.start() : told.end()]:
        return None
    grantor = _GRANTOR.search(marked, 0, told.start())
    return int(grantor[1]) if grantor else None


# A taker opening its own sentence, after an opening phrase or not, described or placed or not
# ("Separately, Brazilian miner ⟨1⟩", "The first, ⟨1⟩,", "⟨1⟩, a Japanese smelter,", "⟨1⟩ of
# Lyon, France,"), and what it will do with the licensed thing: use it, obtain rights to it, or
# license it itself ("⟨1⟩ has licensed the engine for one target").
_USES = re.compile(
    r"(?:[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3},\s+)?(?:[\w'’-]+\s+){0,3}?⟨(?P<a>\d+)⟩"
    r"(?:\s+(?:of|in|from)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?:,\s+[A-Z][\w-]*(?=,))?)?"
    r"(?:,\s+(?:a|an|the)\s+[^⟨,;]{1,80},|,)?\s+"
    r"(?:said\s+(?:it|that\s+it)\s+|says\s+(?:it|that\s+it)\s+)?"
    r"(?:has\s+|have\s+|will\s+|would\s+|is\s+to\s+|plans\s+to\s+|is\s+set\s+to\s+)?"
    r"(?:also\s+)?(?:pay\s+[^⟨.;]{1,40}?\s+to\s+)?"
    r"(?:use|uses|using|deploy|deploys|apply|applies|adopt|adopts|adopted|run|operate|"
    r"obtain|obtained|obtains|take|taken|takes|took|get|gets|got|receive|received|receives|"
    r"secured|acquired|gained|(?:in-)?licen[cs]ed(?!\s+(?:it|them)\b))\s+"
    r"(?:(?:the|its|this|that|these|those)\s+|⟨\d+⟩['’]s?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:(?:process|technology|platform|method|know-how|licen[cs]e|rights|design|chemistry|"
    r"trait|engine|software|tool|compound|antibody|asset|patents?)\b"
    r"|[A-Z][\w-]*(?=[^⟨.;]{0,40}\blicen[cs]e))"
    r"(?![^⟨.;]{0,60}\bto\s+(?:the\s+)?⟨)"
)


# A taker named last, after the licence it takes: "The second licence goes to ⟨1⟩", "Rights for
# maize went to Nairobi-based ⟨1⟩", "The third licensee is ⟨1⟩".
_GOES_TO = re.compile(
    r"(?:[\w'’-]+,?\s+){0,8}?(?i:licen[cs]es?|licensees?|deals?|agreements?|rights)\s+"
    r"(?:[\w'’-]+,?\s+){0,8}?(?:(?:goes|go|went|has\s+gone)\s+to|(?:is|was|are|were)(?:\s+with)?)\s+"
    r"(?:(?:[A-Z][\w'’-]*|[\w-]+-based)\s+){0,3}⟨(?P<a>\d+)⟩"
)


def counted_taker(marked: str, grantor: int) -> int | None:
    """The index of the company a sentence names as one of the takers counted before: it opens
    the sentence and will use or has obtained the licensed thing, or the thing "has been licensed
    by" it; never the grantor itself."""
    found = _USES.match(marked) or _GOES_TO.match(marked)
    taker = int(found["a"]) if found else licensed_by_taker(marked)
    return None if taker is None or taker == grantor else taker
