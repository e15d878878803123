"""Rules for facts other than deals: a company's approvals abroad, sales and stock listings, and
statistics about a whole market (values, counts, growth as a percentage or a multiple).
"""

from __future__ import annotations

import re
from datetime import date

from .amounts import find_amounts
from .dates import find_period
from .orgs import Mention, Org
from .proposal import Party, Proposal, ProposedFigure, proposed_figure

_REGULATORS = (
    (re.compile(r"\bFood and Drug Administration\b|\bFDA\b"), "U.S."),
    (re.compile(r"\bEuropean Medicines Agency\b|\bEMA\b|\bEuropean Commission\b"), "EU"),
    (re.compile(r"\bNMPA\b|\bNational Medical Products Administration\b"), "China"),
    (re.compile(r"\bPMDA\b|\bJapan's Ministry of Health\b"), "Japan"),
    (re.compile(r"\bMHRA\b"), "UK"),
    (re.compile(r"\bHealth Canada\b"), "Canada"),
)
_APPROVED = re.compile(
    r"\bapproved\b|\bapproval\b|\bmarketing authori[sz]ation\b|\bcleared by\b|\bgreen light\b", re.I
)
_PENDING = re.compile(
    r"\b(?:process|applying|apply|applied|application|seeking|seek|sought|filed|filing|submitted|"
    r"pending|awaiting|await|under review|going through|expects?|expected|hopes?|plans?|aims?|"
    r"rejected|refused|denied)\b",
    re.I,
)
_PENDING_MODAL = re.compile(r"\b(?:will|would|could|may|might)\b")  # lower case: not "May"
_COUNTRIES = re.compile(
    r"\bin\s+(?P<n>\d+)\s+(?P<what>countries(?: and regions)?|markets|jurisdictions)\b", re.I
)
_SALES = re.compile(
    r"\bsales\b[^.;]{0,60}?\b(?:reached|hit|soared|rose|grew|climbed|totall?ed|were|was|amounted|"
    r"topped|exceeded|surpassed|jumped|increased|came to|stood at)\b",
    re.I,
)
_AGGREGATE_TOPIC = re.compile(r"licen[cs]|patent|transaction|technology|export|out-licen", re.I)
_AGGREGATE_SCOPE = re.compile(
    r"\b(?:China|Chinese|global|world|industry|country|nationwide|sector|total|overall|market|"
    r"outbound|domestic)\b",
    re.I,
)
NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_NUMBER_WORD = r"(?:" + "|".join(w for w in NUMBER_WORDS if w not in ("zero", "one")) + r")"
_COUNT = re.compile(
    r"\b(?P<n>\d{1,3}(?:,\d{3})*|\d+|" + _NUMBER_WORD + r")\s+(?:[\w-]+\s+){0,3}?"
    r"(?:transactions|deals|agreements|patents|licen[cs]es|licen[cs]ing deals|companies|firms|"
    r"developers|drugmakers)\b",
    re.I,
)
# "15 times more than", "a three-time jump", "five-fold", "doubled": growth as a multiple.
_MULTIPLE = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|" + _NUMBER_WORD + r")[\s-](?:times?|fold)\s+"
    r"(?:more|higher|larger|greater|bigger|as (?:much|many|high|large)|jump|increase|rise|growth)\b"
    r"|\b(?P<n2>\d+(?:\.\d+)?|" + _NUMBER_WORD + r")-fold\b"
    r"|\b(?P<verb>doubled|tripled|trebled|quadrupled)\b",
    re.I,
)
_MULTIPLE_VERBS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4}
# "was listed on the Hong Kong Stock Exchange in 2018 and on the STAR Market in 2021"
_LISTED = re.compile(r"\b(?:listed|went public|debuted|made its debut|floated)\s+on\b", re.I)
# "a pharmaceutical company listed on the Korea Exchange", "which is listed on": what a company
# is, told in passing, not a listing as news. The event has "was/were/been/got" or the name itself
# before "listed".
_DESCRIBED_LISTING = re.compile(r"(?:\b(?:is|are)\s+(?:\w+\s+)?|\b[a-z][\w-]*\s+)listed\s+on\b")
_LISTING_EVENT = re.compile(r"\b(?:was|were|been|got|be|became)\s+(?:\w+\s+)?listed\s+on\b")
_EXCHANGE = re.compile(
    r"\bon\s+(?:the\s+)?(?P<ex>(?:[A-Z][\w&.'’-]*\s+){0,4}?(?:Stock Exchange|Exchange|Nasdaq|NYSE|"
    r"STAR Market|Main Board|ChiNext|AIM)(?:['’]s)?(?:\s+(?:STAR Market|Main Board|ChiNext))?)"
    r"(?:\s+in\s+(?P<year>(?:19|20)\d{2}))?"
)
_EXCHANGE_PLACES = (
    ("Hong Kong", "Hong Kong"),
    ("Shanghai", "Mainland China"),
    ("Shenzhen", "Mainland China"),
    ("STAR Market", "Mainland China"),
    ("ChiNext", "Mainland China"),
    ("Beijing", "Mainland China"),
    ("Nasdaq", "U.S."),
    ("NYSE", "U.S."),
    ("New York", "U.S."),
    ("London", "UK"),
    ("AIM", "UK"),
    ("Tokyo", "Japan"),
    ("Korea", "South Korea"),
    ("Singapore", "Singapore"),
)
_GROWTH = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)[\s-]?(?:percent|per cent|%)\s+(?:higher|more|up|increase|rise|growth|"
    r"surge|jump)|(?:surge|jump|rise|increase|growth) of (?P<n2>\d+(?:\.\d+)?)[\s-]?(?:percent|%)",
    re.I,
)


def other_facts(
    sentence: str,
    mentions: list[Mention],
    last_org: Org | None,
    published: date | None,
    carried: str | None,
) -> list[Proposal]:
    """Facts about one company or a whole market: listings, approvals, sales, statistics."""
    listings = _listings(sentence, mentions, last_org, published)
    if listings:
        return listings
    year = published.year if published else None
    other = _approval(sentence, mentions, last_org, published) or _sales(
        sentence, mentions, last_org, published, year
    )
    if other is None and not mentions:
        other = _market_stat(sentence, published, year, carried)
    return [other] if other is not None else []


def _approval(
    sentence: str, mentions: list[Mention], last_org: Org | None, published: date | None
) -> Proposal | None:
    if (
        not _APPROVED.search(sentence)
        or _PENDING.search(sentence)
        or _PENDING_MODAL.search(sentence)
    ):
        return None
    territory = next((where for pattern, where in _REGULATORS if pattern.search(sentence)), None)
    countries = _COUNTRIES.search(sentence)
    if territory is None and countries is None:
        return None
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return None
    figures: tuple[ProposedFigure, ...] = ()
    if countries is not None:
        territory = f"{countries['n']} {countries['what']}"
        figures = (ProposedFigure("count", float(countries["n"]), "count"),)
    return Proposal(
        kind="approval",
        evidence=sentence,
        confidence=confidence,
        why="rule approval" + (" (regulator)" if countries is None else " (countries)"),
        subject=Party(org.name, org.company_id),
        parties=(Party(org.name, org.company_id),),
        asset=_approved_asset(sentence, mentions),
        territory=territory,
        period=find_period(sentence, published) or (published.isoformat() if published else None),
        figures=figures,
    )


def _subject(
    sentence: str, mentions: list[Mention], last_org: Org | None
) -> tuple[Org | None, float]:
    """Whose fact: a company named in the sentence, else the company the text was just about."""
    if mentions:
        by = next(
            (
                m
                for m in mentions
                if sentence[max(0, m.start - 12) : m.start].rstrip().endswith(("by", "from"))
            ),
            None,
        )
        return (by or mentions[0]).org, 0.8
    return last_org, 0.55


def _approved_asset(sentence: str, mentions: list[Mention]) -> str | None:
    for mention in mentions:
        tail = sentence[mention.end : mention.end + 40]
        match = re.match(
            r"['’]s\s+(?P<asset>[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?:has|have|had|was|is|became|received|won)\b",
            tail,
        )
        if match:
            return match["asset"]
    match = re.search(
        r"\bthe\s+(?P<asset>[\w-]+(?:\s+[\w-]+){0,4}?)\s+(?:produced|developed|made)\s+by\b",
        sentence,
    )
    return match["asset"] if match else None


def _sales(
    sentence: str,
    mentions: list[Mention],
    last_org: Org | None,
    published: date | None,
    year: int | None,
) -> Proposal | None:
    sales = _SALES.search(sentence)
    if sales is None:
        return None
    amounts = [a for a in find_amounts(sentence) if a.start >= sales.start()]
    if not amounts:
        return None
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return None
    period = find_period(sentence, published)
    figure_year = int(period[:4]) if period else year
    before = sentence[max(0, sales.start() - 30) : sales.start()].split()
    asset = before[-1] if before and re.fullmatch(r"[A-Z][A-Za-z0-9-]+", before[-1]) else None
    if asset and asset in {m.org.name for m in mentions}:
        asset = None
    return Proposal(
        kind="sales",
        evidence=sentence,
        confidence=confidence,
        why="rule sales",
        subject=Party(org.name, org.company_id),
        parties=(Party(org.name, org.company_id),),
        asset=asset,
        period=period,
        figures=(proposed_figure("sales", amounts[0], figure_year),),
    )


def _market_stat(
    sentence: str, published: date | None, year: int | None, carried: str | None = None
) -> Proposal | None:
    """An aggregate figure; a comparison ("16 percent higher than in 2024") does not date it,
    and a sentence that names no period continues the previous statistic's."""
    if not (_AGGREGATE_TOPIC.search(sentence) and _AGGREGATE_SCOPE.search(sentence)):
        return None
    period = find_period(re.split(r"\bthan\b", sentence)[0], published) or carried
    figure_year = int(period[:4]) if period else year
    figures: list[ProposedFigure] = []
    amounts = [
        a for a in find_amounts(sentence) if not re.search(r"\bthan\s*$", sentence[: a.start])
    ]
    if amounts:
        figures.append(proposed_figure("value", amounts[0], figure_year))
    count = _COUNT.search(sentence)
    if count and not any(a.start <= count.start() < a.end for a in amounts):
        figures.append(ProposedFigure("count", _number(count["n"]), "count"))
    growth = _GROWTH.search(sentence)
    multiple = _MULTIPLE.search(sentence)
    if growth:
        figures.append(ProposedFigure("growth", float(growth["n"] or growth["n2"]), "percent"))
    elif multiple:
        figures.append(ProposedFigure("growth", _multiple(multiple), "multiple"))
    if not figures or not (amounts or count):
        return None
    return Proposal(
        kind="market_stat",
        evidence=sentence,
        confidence=0.6,
        why="rule aggregate statistic",
        period=period,
        figures=tuple(figures),
    )


def _number(text: str) -> float:
    """A count as digits ("1,200") or a word ("eight")."""
    return float(NUMBER_WORDS.get(text.lower()) or text.replace(",", ""))


def _multiple(match: re.Match[str]) -> float:
    if match["verb"]:
        return float(_MULTIPLE_VERBS[match["verb"].lower()])
    return _number(match["n"] or match["n2"])


def _listings(
    sentence: str, mentions: list[Mention], last_org: Org | None, published: date | None
) -> list[Proposal]:
    """A company's listing on an exchange, one per exchange the sentence names after "listed on"."""
    listed = _LISTED.search(sentence)
    if listed is None or _PENDING.search(sentence) or _PENDING_MODAL.search(sentence):
        return []
    if _DESCRIBED_LISTING.search(sentence) and not _LISTING_EVENT.search(sentence):
        return []
    org, confidence = _subject(sentence, mentions, last_org)
    if org is None:
        return []
    found = []
    for match in _EXCHANGE.finditer(sentence, listed.start()):
        exchange = re.sub(r"['’]s$", "", match["ex"])
        place = next((where for key, where in _EXCHANGE_PLACES if key in exchange), None)
        period = match["year"] or find_period(sentence[match.start() :], published)
        found.append(
            Proposal(
                kind="listing",
                evidence=sentence,
                confidence=confidence,
                why="rule listing",
                subject=Party(org.name, org.company_id),
                parties=(Party(org.name, org.company_id),),
                asset=exchange,
                territory=place,
                period=period,
            )
        )
    return found
