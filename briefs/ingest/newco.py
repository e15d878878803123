"""A company founded in the story and what its founders put into it.

"A and B announced the formation of C, a new company ..." names a NewCo; a later sentence
"A will contribute an exclusive licence to its patents" says which founder licenses to it.
Both read the marked sentence (see :func:`.sentences.mark`).
"""

from __future__ import annotations

import re

_NEW = (
    r",\s+(?:a|an)\s+(?:newly\s+(?:formed|created|established)\s+|new\s+)"
    r"(?:[\w.-]+\s+){0,2}?(?:company|venture|start-?up|entity|biotech|NewCo)\b"
)
# "the formation of ⟨2⟩, a new company", "to launch ⟨2⟩, a newly formed venture"
_FOUNDED = re.compile(
    r"\b(?:(?:formation|launch|creation|establishment|founding)\s+of|"
    r"(?:launch|form|create|establish|set\s+up)(?:e?[ds]|ing)?)\s+⟨(?P<n>\d+)⟩" + _NEW,
    re.I,
)
# "⟨0⟩ will contribute an exclusive licence to its patents": what only an owner can put in.
_CONTRIBUTES = re.compile(
    r"⟨(?P<a>\d+)⟩\s+(?:will\s+|is\s+to\s+|has\s+|would\s+)?(?:also\s+|each\s+)?"
    r"contribut(?:e|es|ed|ing)\s+(?P<what>[^⟨⟩.;]{0,80}?\b(?:licen[cs]e|rights?|patents?|"
    r"technology|platform|know-how|intellectual\s+property)\b)",
    re.I,
)


# The founded company as the story goes on to call it: "the venture", "the new company".
_THE_NEWCO = r"\b(?:the|a)\s+(?:new(?:ly\s+formed)?\s+(?:company|entity|venture)|(?:joint\s+)?venture|NewCo|JV)"
# "The new company, to be called ⟨2⟩,", "the joint venture, named ⟨2⟩": named after it is told.
_NAMED_LATER = re.compile(
    _THE_NEWCO + r",?\s+(?:which\s+will\s+be\s+|to\s+be\s+|provisionally\s+)?"
    r"(?:called|named|known\s+as)\s+⟨(?P<n>\d+)⟩",
    re.I,
)
# "⟨0⟩ will license its patents exclusively to the venture", "⟨0⟩ will grant the new company an
# exclusive licence": a founder licensing to the company founded, named or not.
_LICENSES_TO_IT = re.compile(
    r"⟨(?P<a>\d+)⟩\s+(?:will\s+|is\s+to\s+|would\s+|has\s+agreed\s+to\s+)?(?:also\s+)?"
    r"(?:(?:exclusively\s+)?(?:licen[cs]e|sub-?licen[cs]e|transfer|assign)[ds]?\s+"
    r"(?P<what>[^⟨⟩.;]{0,100}?)\s+to\s+" + _THE_NEWCO + r"\b"
    r"|grant(?:s|ed)?\s+" + _THE_NEWCO + r"\s+(?P<given>(?:an?\s+)?[^⟨⟩.;]{0,40}?licen[cs]e\b))",
    re.I,
)


def founded(marked: str) -> int | None:
    """The mark of the company the sentence says is being founded, if it says so."""
    if "⟩" not in marked:
        return None
    match = _FOUNDED.search(marked) or _NAMED_LATER.search(marked)
    return int(match["n"]) if match else None


def licenses_to_newco(marked: str) -> tuple[int, str] | None:
    """(mark, what) of a founder the sentence says licenses to the company founded, which it
    calls "the venture" or "the new company" rather than by name."""
    match = _LICENSES_TO_IT.search(marked)
    return (int(match["a"]), match["what"] or match["given"]) if match else None


def contributor(marked: str) -> tuple[int, str] | None:
    """(mark, what) of a founder putting rights or technology into the new company."""
    match = _CONTRIBUTES.search(marked)
    return (int(match["a"]), match["what"]) if match else None


# Who funds a NewCo: "New York investment firm ⟨1⟩", "venture investor ⟨1⟩", "⟨1⟩ Capital".
# Money is what it brings, never a licence.
_INVESTOR_BEFORE = re.compile(
    r"(?:\b(?:venture(?:[\s-]capital)?|investment|private[\s-]equity|growth(?:[\s-]equity)?|VC)"
    r"\s+(?:firm|fund|group|house|investor|company|manager)|\binvestors?)\s+$",
    re.I,
)
_INVESTOR_WORDS = frozenset(
    ["Capital", "Ventures", "Venture", "Partners", "Investments", "Investment", "Equity", "Fund"]
)


def investor(marked: str, mark: str, name: str) -> bool:
    """Whether the party at ``mark`` is an investor, by its name or what it is called."""
    if name.split()[-1] in _INVESTOR_WORDS:
        return True
    start = marked.find(f"⟨{mark}⟩")
    return start > 0 and _INVESTOR_BEFORE.search(marked[max(0, start - 60) : start]) is not None


def co_founder(marked: str, mark: str) -> str | None:
    """The founder beside an investor ("⟨0⟩ joined with investment firm ⟨1⟩ to launch ..."),
    which brings the asset the investor funds."""
    found = re.search(
        r"⟨(?P<a>\d+)⟩[^⟨⟩.;]{0,40}?(?:\band|\b(?:joined|teamed\s+up|partnered|linked\s+up)"
        r"\s+(?:forces\s+)?with)\s+[^⟨⟩.;]{0,50}?⟨" + re.escape(mark) + r"⟩",
        marked,
    )
    return found["a"] if found else None
