"""The day a deal is dated by, beyond what its own sentence states: a newsletter item's heading,
the day a later sentence tells it on, the article's day when the sentence's span holds it or its
year dates something else.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..errors import BadInput
from ..periods import parse_period
from .dates import day_of, find_period
from .deal_rules import Draft
from .proposal import Proposal

# The day an item's heading ends with: "... (Nov 20)", "... - May 28".
HEADING_DAY = re.compile(
    r"(?:[(\[]|\s[-–—|]\s*)(?P<day>[A-Za-z]{3,9}\.? \d{1,2}|\d{1,2} [A-Za-z]{3,9})\s*[)\]]?\s*$"
)
# A day told with the telling of the deal: "said on Tuesday", "announced late Monday".
_REPORTED_ON = re.compile(
    r"\b(?:said|says|announced|disclosed|confirmed|agreed|signed|unveiled)\s+(?:\w+\s+)?"
    r"(?:on\s+|(?=\w+day\b))"
    r"|\bon\s+\w+day\s+(?:said|announced|agreed|signed)\b",
    re.I,
)


def dated_by_article(draft: Draft, published: date | None) -> bool:
    """True when the deal's date is only the article's, the sentence having stated none."""
    return published is not None and draft.proposal.period == published.isoformat()


def date_from_telling(draft: Draft, sentence: str, published: date | None) -> None:
    """The day a later sentence tells the deal on ("..., the company said on Tuesday"), when
    the deal's own sentence gave none."""
    if not dated_by_article(draft, published) or not _REPORTED_ON.search(sentence):
        return
    if (day := day_of(sentence, published)) is not None:
        redate(draft, day, sentence)


def redate(draft: Draft, day: str, sentence: str) -> None:
    draft.proposal = replace(draft.proposal, period=day)
    draft.evidence_of["date"] = sentence


def day_of_news(proposal: Proposal, said: str, published: date | None) -> Proposal:
    """A deal dated by a span that holds the article's day ("in June 2025"), or by a later one its
    sentence looks forward to ("expected to close in the third quarter"), is the day's news: it
    takes the article's date."""
    if published is None or not proposal.period or len(proposal.period) == 10:
        return proposal
    try:
        span = parse_period(proposal.period)
    except BadInput:
        return proposal
    later = span.start > published and _FUTURE.search(said)
    if span.contains(published) or later:
        return replace(proposal, period=published.isoformat())
    return proposal


_FUTURE = re.compile(r"\b(?:expected|set|due|slated|scheduled|will|would)\b", re.I)


# A year that dates something else the sentence tells in passing: "Halden, founded in 2015,",
# "HB-3, discovered in 2019,", "a partnership that began in 2021".
_DATES_ANOTHER = re.compile(
    r"\b(?:founded|established|set up|created|formed|incorporated|discovered|began|begun|started|"
    r"launched|listed|spun (?:out|off)|approved|expir\w*|runs? to|running to|since|opened|built)\b"
    r"[^,.;()]{0,40}?\b(?P<year>(?:19|20)\d{2})\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def dated_by_another(proposal: Proposal, said: str, published: date | None) -> Proposal:
    """The deal dated by the article when the only year ``said`` (the sentence its date was read
    from) gives dates something else; by the past year its own clause gives when a later
    description dates something newer."""
    proposal = _dated_by_own_clause(proposal, said, published)
    year = proposal.period[:4] if proposal.period else ""
    if published is None or not year.isdigit() or year not in said:
        return proposal  # (a year the sentence does not hold dates nothing in it)
    others = {m["year"] for m in _DATES_ANOTHER.finditer(said)}
    if year in others and year not in set(_YEAR.findall(_DATES_ANOTHER.sub(" ", said))):
        return replace(proposal, period=published.isoformat())
    return proposal


# Where a description of what came before begins: "..., a partnership that produced an approval
# last year", "..., which ...".
_DESCRIPTION = re.compile(r",\s+(?:a|an|the|which|that|whose)\s")


def _dated_by_own_clause(proposal: Proposal, said: str, published: date | None) -> Proposal:
    """A deal whose own clause gives a year long past ("licensed X to B in 2020, a deal that
    led to a launch last year") is dated by that year, not by what the description after it
    dates: the licence is background told beside the news."""
    if published is None or "," not in said:
        return proposal
    cut = _DESCRIPTION.search(said)
    if cut is None:
        return proposal
    own = find_period(said[: cut.start()], published)
    if own is None:
        return _undated_by_description(proposal, said[cut.start() :], published)
    if own == proposal.period or not own[:4].isdigit():
        return proposal
    if int(own[:4]) >= published.year - 1 or own[:4] in _dated_by_others(said[: cut.start()]):
        return proposal
    return replace(proposal, period=own)


# A description of the deal itself ("..., a deal signed in 2023") or of its telling ("..., the
# company said on March 3") dates the deal.
_OF_THE_DEAL = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|licen[cs]e|partnership|"
    r"transaction|pact|arrangement|collaboration)\b"
    r"|\b(?:said|says|announced|announces|confirmed|disclosed|signed|agreed)\b",
    re.I,
)


def _undated_by_description(proposal: Proposal, description: str, published: date) -> Proposal:
    """A deal whose own clause gives no date is the article's news, though the description of a
    party after it does ("licensed X to B, which raised $50 million in March 2023")."""
    span = re.split(r"[,;]", description[1:], maxsplit=1)[0]
    if not proposal.period or _OF_THE_DEAL.search(description):
        return proposal
    if find_period(span, published) != proposal.period:
        return proposal
    return replace(proposal, period=published.isoformat())


def _dated_by_others(clause: str) -> set[str]:
    """The years of ``clause`` that date something other than the deal ("founded in 2015")."""
    return {m["year"] for m in _DATES_ANOTHER.finditer(clause)}


# A licence told as what came before the news, with no year: "previously licensed", "had earlier
# licensed". An older product licensed ("out-licensed its older antifungal") may be the news.
_TOLD_BEFORE = re.compile(
    r"\b(?:previously|formerly|earlier)\s+(?:been\s+)?(?:out-)?licen[cs]ed\b", re.I
)
_DESCRIBING = re.compile(r",\s+(?:which|who)\b[^,;]*(?:,|$)")
# Words of the day's news: "has now licensed", "today", "a new agreement".
_NEWS_WORDS = re.compile(r"\b(?:now|today|this week|new\s+(?:deal|agreement|licen[cs]e))\b", re.I)


def told_before(sentence: str) -> bool:
    """True when a deal's sentence tells it as licensed before, and nothing in it says it is the
    day's news."""
    if "licen" not in sentence or not _TOLD_BEFORE.search(sentence):
        return False
    own = _DESCRIBING.sub(",", sentence)
    return bool(_TOLD_BEFORE.search(own)) and not _NEWS_WORDS.search(own)
