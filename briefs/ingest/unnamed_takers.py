"""Takers counted before they are named: "A has licensed the technology to two new partners",
then each partner told in a sentence of its own ("B, a Japanese smelter, will use the process at
its refinery"). The first sentence names no licensee; the ones after it name one each, by what it
will do with the licensed thing rather than by a verb of licensing.
"""

from __future__ import annotations

import re

from .lowered import holds_any

# Words every licence to counted takers holds, in lower case: a sentence with none is not tried.
_COUNTED_CUES = (
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
)
# "licensed the technology to two new partners", "granted licences to three manufacturers",
# "signed licences with several producers".
_TO_COUNTED = re.compile(
    r"\b(?:licen[cs](?:ed|es)|out-licen[cs]ed|granted\s+(?:\w+\s+)?licen[cs]es|"
    r"signed\s+(?:\w+\s+)?licen[cs](?:es|ing\s+(?:deals|agreements)))\b"
    r"[^⟨.;]{0,60}?\b(?:to|with)\s+(?:two|three|four|five|six|several|\d+)\s+"
    r"(?:(?:new|more|other|further|[a-z]+-based|[A-Z][a-z]+)\s+){0,2}"
    r"(?:" + "|".join(_COUNTED_CUES) + r")\b"
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


# A taker opening its own sentence, after an opening phrase or not, described or not
# ("Separately, Brazilian miner ⟨1⟩", "The first, ⟨1⟩,", "⟨1⟩, a Japanese smelter,"), and what
# it will do with the licensed thing.
_USES = re.compile(
    r"(?:[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,3},\s+)?(?:[\w'’-]+\s+){0,3}?⟨(?P<a>\d+)⟩"
    r"(?:,\s+(?:a|an|the)\s+[^⟨,;]{1,80},|,)?\s+"
    r"(?:said\s+(?:it|that\s+it)\s+|says\s+(?:it|that\s+it)\s+)?"
    r"(?:has\s+|have\s+|will\s+|would\s+|is\s+to\s+|plans\s+to\s+|is\s+set\s+to\s+)?"
    r"(?:pay\s+[^⟨.;]{1,40}?\s+to\s+)?"
    r"(?:use|uses|using|deploy|deploys|apply|applies|adopt|adopts|adopted|run|operate|"
    r"obtain|obtained|obtains|take|taken|takes|took|get|gets|got|receive|received|receives)\s+"
    r"(?:(?:the|its|this|that|these|those)\s+|⟨\d+⟩['’]s?\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:process|technology|platform|method|know-how|licen[cs]e|rights|design|chemistry)\b"
)


def counted_taker(marked: str, grantor: int) -> int | None:
    """The index of the company a sentence opens with as one of the takers counted before: it
    will use or has obtained the licensed thing, and is not the grantor itself."""
    found = _USES.match(marked)
    if found is None or int(found["a"]) == grantor:
        return None
    return int(found["a"])
