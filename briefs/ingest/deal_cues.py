"""Direction of a deal from general cues, for a deal sentence no role rule reads.

A sentence whose deal word (licence, rights, option, patents, assets...) sits beside two
companies states a deal, but wordings vary more than any list of frames can follow. Each cue
here says only which side one company is on: the subject of a taking verb takes, the subject of
a granting verb gives, "from B" / "developed by B" / "B's X" / "the X of B" mark the giver and
"to A" after a grant the taker. The deal is proposed only when each side has its cue and the cues agree.
"""

from __future__ import annotations

import re

# A word of what deals hand over; a sentence without one states no deal these cues may read.
DEAL_WORD = re.compile(
    r"licen[cs]|\brights?\b|\boption\b|\bpatents?\b|\bassets?\b|product line|\bportfolio\b|"
    r"know-how|co-develop",
    re.I,
)
# Wordings that end or deny a deal, speak of talks or sell shares: left to other rules.
_NOT_NEW = re.compile(
    r"\b(?:back|return\w*|terminat\w*|ended|ends|not|no|denied|denies|talks|"
    r"negotiat\w*|considering|could|might|would|shares|stock)\b",
    re.I,
)

_MARK = r"⟨(?P<k>\d+)⟩"
_ANY = r"⟨(\d+)⟩"
# Between a subject and its verb: an apposition, a relative pronoun, an auxiliary, an adverb.
_TO_VERB = (
    r"(?:,[^⟨⟩;]{0,160}?,)?\s+"
    r"(?:(?:which|who|has|have|had|will|is|was|also|now|each|all|both|agreed\s+to)\s+){0,3}"
)
_TAKES = (
    r"(?:signed|signs|signing|sign)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:licen[cs]e|licensing|option|co-development)\b"
    r"|(?:taken|took|takes|take|obtained|obtains|obtain|gained|gains|gain|in-licensed|"
    r"in-licenses|secured|secures)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:licen[cs]es?|rights?|options?)\b"
    r"|(?:buying|buys|buy|bought|acquiring|acquires|acquire|acquired|purchasing|purchases|"
    r"purchase|purchased)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,5}?"
    r"(?:patents?|assets?|product\s+line|business|portfolio|rights?|programme|program)\b"
)
# "A licenses B's X" in a headline may mean either; granting and out-licensing say who gives.
_GIVES = (
    r"(?:(?:announced|completed|agreed)\s+(?:the\s+|an?\s+)?)?"
    r"(?:out-licensed|out-licenses|out-license|out-licensing|granted|grants|grant)\b"
)
_TAKER_SUBJECT = re.compile(
    r"(?<!['’]s )" + _MARK + r"(?!['’])" + _TO_VERB + r"(?:" + _TAKES + r")"
)
_GIVER_SUBJECT = re.compile(r"(?<!['’]s )" + _MARK + r"(?!['’])" + _TO_VERB + _GIVES)
_GIVER_MARK = re.compile(
    r"\b(?:from|(?:developed|owned|held|created|invented|made)\s+by)\s+"
    + _ANY
    + r"|"
    + _ANY
    + r"['’]s?\s+(?!⟨)[a-z\"“]"  # "B's sodium-ion design": the owner gives
    + r"|\b(?:portfolio|software|business|technology|patents|assets|platform|stack|designs?|"
    r"records|lines?|families)\s+of\s+" + _ANY,
    re.I,
)
_TAKER_MARK = re.compile(
    r"\b(?:grants|granted|grant|gives|gave|give)\s+"
    + _ANY
    + r"\s+(?!and\b)"  # "grants B rights"
    + r"|\b(?:licensing|licensed|licenses|license|granted|grants|sold|sells|transfer\w*)\b"
    r"[^⟨⟩;]{0,120}?\bto\s+(?:[A-Z][\w-]*['’]s\s+)?" + _ANY
)
# "Monterrey's Acme" opening a sentence: a place or parent before the subject's own name.
_DESCRIBER = re.compile(r"⟨(\d+)⟩['’]s?\s+⟨\d+⟩")


def cued_roles(marked: str, names: list[str]) -> tuple[int, int] | None:
    """The marks of (licensor, licensee) the cues of ``marked`` agree on, or None.

    ``names`` are the companies the marks stand for, by mark number; two marks of one name are
    one company, and the sentence must name exactly two.
    """
    if not DEAL_WORD.search(marked) or _NOT_NEW.search(marked):
        return None
    describer = _DESCRIBER.match(marked)
    skip = set()
    if describer is not None:
        skip.add(int(describer[1]))
        marked = marked[marked.index("⟨", 1) :]
    parties = {names[i] for i in range(len(names)) if i not in skip}
    if len(parties) != 2:
        return None
    givers = {names[int(m["k"])] for m in _GIVER_SUBJECT.finditer(marked)}
    givers |= {names[int(k)] for m in _GIVER_MARK.finditer(marked) for k in m.groups() if k}
    takers = {names[int(m["k"])] for m in _TAKER_SUBJECT.finditer(marked)}
    takers |= {names[int(k)] for m in _TAKER_MARK.finditer(marked) for k in m.groups() if k}
    givers &= parties
    takers &= parties
    # Each side needs its own cue: one cue alone cannot tell this deal from a second one told
    # in the same sentence ("A out-licenses X, B takes C's patents").
    if len(givers) != 1 or len(takers) != 1 or givers == takers:
        return None
    return names.index(next(iter(givers))), names.index(next(iter(takers)))
