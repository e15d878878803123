"""The kind of deal an article names in so many words ("a co-development agreement", "the
out-licensing of X", "patent licence agreements"), often in a heading or a sentence other than
the one the deal was read from, which may say no more than "licensed"."""

from __future__ import annotations

import re
from dataclasses import replace

from ..vocab import VOCAB
from .proposal import Proposal

_DEAL_KINDS = frozenset(VOCAB.deal_kinds)
# Each kind by the words that name it; matched case-folded, so headings in capitals count too.
_NAMED_KIND = {
    "co_development": re.compile(r"\bco-?develop|\bco-?commerciali|\bjointly develop"),
    "out_licence": re.compile(r"\bout-?licen[cs]"),
    # a purchase named, or the product's ownership, trademarks or authorisations taken over
    "asset_purchase": re.compile(
        r"\basset (?:purchase|sale)|\btake (?:over )?ownership of\b|"
        r"\btake over (?:the )?(?:[\w'’]+ ){0,2}?(?:trademarks?|brands?|marketing authori[sz]ations?)\b"
    ),
    # "a patent licence", "patent licence agreements"; "12 patent licences signed" is a count
    "patent_licence": re.compile(r"\bpatent licen[cs]e(?:s? (?:agreement|deal)|\b(?!s))"),
    "newco": re.compile(
        r"\bnewco\b|\bjoint venture company\b|\b(?:set up|sets up|formed|forms|form|created|"
        r"creates|create|launched|launches|launch|established|establish) a new company\b"
    ),
}


def kinds_named(text: str) -> set[str]:
    """The kinds of deal the text names."""
    lowered = text.casefold()
    return {kind for kind, words in _NAMED_KIND.items() if words.search(lowered)}


# Where an article states its news: the headline and the opening lines. Further down, a kind
# named may be another deal's, talks, or the market's ("a surge of NewCo transactions").
LEAD_CHARS = 600


def kind_the_article_names(proposals: list[Proposal], text: str) -> list[Proposal]:
    """The one deal of an article, read as a plain licence, takes the one kind the article's
    headline or opening lines name (a digest of several deals says nothing of each)."""
    deals = [p for p in proposals if p.kind in _DEAL_KINDS]
    if len(deals) != 1 or deals[0].kind != "licence":
        return proposals
    named = kinds_named(text.lstrip()[:LEAD_CHARS])
    if len(named) != 1:
        return proposals
    kind = named.pop()
    return [replace(p, kind=kind) if p in deals else p for p in proposals]
