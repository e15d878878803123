"""Money in running text: find amounts, pair a stated dollar conversion with its original, and name
the role each amount plays in a deal (upfront, milestones, total, equity) from the words around it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..money import (
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    CURRENCY_WORDS,
    MAX_AMOUNT,
    SCALE_WORDS,
    SCALES,
)
from .lowered import NoCase, holds_any, lowered

_DIGIT = re.compile(r"\d")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# The currencies and scales are the money module's, so the admin's typed amounts and the
# amounts read in articles know the same ones. A currency written as letters before the number
# ("Rs", "CHF") must start a word: "hours 5 million" holds no rupees. "a $45-million payment"
# joins its scale with a hyphen.
_AMOUNT = re.compile(
    r"(?P<approx>\b(?:nearly|almost|about|around|approximately|roughly|over|more than|up to|some|"
    r"close to|at least|less than|under)\s+)?"
    r"(?:(?<![A-Za-z])(?P<pre>" + CURRENCY_BEFORE + r")\s?(?P<num>" + _NUMBER + r")"
    r"(?:[\s-]?(?P<scale>" + SCALES + r")\b)?"
    r"|(?<!\d)(?<!\d,)(?<!\d\.)(?P<num2>" + _NUMBER + r")[\s-]?(?P<scale2>" + SCALES + r")?\s+"
    r"(?P<post>" + CURRENCY_AFTER + r")\b)",
    re.IGNORECASE,
)
_SCALE_WORD = re.compile(r"(?<![a-z])(?:" + SCALES + r")(?![a-z])", re.IGNORECASE)
_CONVERSION_GAP = re.compile(
    r"^\s*(?:\(|,\s*|\s)?\s*(?:or|about|around|roughly|approximately|some|nearly|equivalent to|"
    r"worth)?\s*(?:about|around|roughly|approximately|some|nearly)?\s*$",
    re.IGNORECASE,
)

TERMS_FILE = Path(__file__).resolve().parents[2] / "data" / "ingest" / "terms.toml"


@cache
def _terms_table() -> dict:
    with open(TERMS_FILE, "rb") as fh:
        return tomllib.load(fh)


class _Cued:
    """A pattern tried only on text holding one of its cue words: long alternations of wordings
    are slow to try at every position, a scan for a few lower-case words is not."""

    def __init__(self, patterns: list[str], cues: list[str]) -> None:
        self._pattern = NoCase(re.compile("|".join(f"(?:{p})" for p in patterns), re.I))
        self._cues = tuple(cues)

    def search(self, text: str) -> re.Match[str] | None:
        """The first match, found in the lower-cased text where that finds the same."""
        lower = lowered(text)
        if not holds_any(text.lower() if lower is None else lower, self._cues):
            return None
        return self._pattern.search(text, lower)


# "Financial terms were not disclosed", in any of the wordings of ``data/ingest/terms.toml``.
UNDISCLOSED = _Cued(_terms_table()["undisclosed"], _terms_table()["undisclosed_cues"])


# The words of an institution's name: named beside the parties, it is not one of them.
INSTITUTION_WORDS = frozenset(_terms_table()["institution_words"])


# Role words, each with the pattern that signals it near an amount (``data/ingest/terms.toml``).
ROLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile("|".join(f"(?:{p})" for p in patterns), re.I))
    for role, patterns in _terms_table()["roles"].items()
)
_MILESTONE_CUES = dict(ROLE_WORDS)["milestones"]
_ROLE_WORDS_NOCASE = tuple((role, NoCase(pattern)) for role, pattern in ROLE_WORDS)
# Every role's words in one pattern, a group per role in the table's order.
_ANY_ROLE_WORD = NoCase(
    re.compile("|".join(f"(?P<{role}>{pattern.pattern})" for role, pattern in ROLE_WORDS), re.I)
)
_ROLE_PLACE = {role: place for place, (role, _) in enumerate(ROLE_WORDS)}
# "The signing fee is $8 million": money and any role word make a sentence one of terms.
FIGURE_WORDS = _Cued([p.pattern for _, p in ROLE_WORDS], _terms_table()["money_cues"])
# The roles a deal's figures have; any other role the table names is paid on terms no figure
# holds (an option's exercise, royalties, payments on a calendar), so its amount is not proposed.
FIGURE_ROLES = frozenset({"upfront", "milestones", "equity", "total"})
# "worth", "valued at" and "value" are not role words: they describe a part as readily as the whole
# ("shares worth $20 million"), so a part's word in the same clause wins and 'total' is the default.
# Words that make an amount something other than a deal term: a plant, revenue, a market, a round.
NOT_DEAL = re.compile(
    r"plant|factory|facility|revenue|\bsales\b(?![- ](?:milestones?|based|thresholds?|targets?))|market|capacity|funding|raised|\bipo\b|"
    r"\bseries [a-f]\b|financing|seed round|\bestimat|"
    r"capital expenditure|build|construction|spent|spend|budget|valuation of the company|"
    r"investment in (?:a|the|its) (?:new )?(?:plant|factory|facility|site)|cash (?:position|balance|"
    r"on hand)|of (?:year-end |quarter-end )?cash\b|market cap|runway|peak (?:[\w-]+ )?sales|"
    r"price target",
    re.I,
)
# "and" or a comma ends a clause unless it joins the kinds of one milestone ("development,
# regulatory and sales milestones"); "and development-stage payments" is a clause of its own.
_CLAUSE_BREAK = re.compile(
    r"(?:[;,]|\band\b)(?!\s+(?:development|regulatory|commercial|sales|clinical|approval)\b"
    r"(?![- ]stage|\s+payments?\b))"
    r"|\bplus\b|\bwhile\b|\bwith\b",
    re.I,
)


# "NT$", "S$", "A$", "C$": another country's dollar, which the rate table does not hold; read as
# US dollars it would be wrong by a factor of up to thirty.
_OTHER_DOLLAR = re.compile(r"\b(?:NT|S|A|C|NZ)\$\Z")


@dataclass(frozen=True)
class Amount:
    """One amount as written, with its original currency and, if the text states one, USD."""

    start: int
    end: int
    value: float
    currency: str
    approx: str | None = None
    stated_usd: float | None = None


def find_amounts(sentence: str) -> list[Amount]:
    """Amounts of money in a sentence; a dollar conversion right after another currency is folded
    into that amount ("3.5 billion yuan (540 million US dollars)") instead of counted twice."""
    if not _DIGIT.search(sentence):
        return []  # every amount has a number: the long pattern need not be tried
    found = [
        a
        for a in (_amount(m) for m in _AMOUNT.finditer(sentence))
        if a is not None and not _OTHER_DOLLAR.search(sentence, 0, a.start + 1)
    ]
    merged: list[Amount] = []
    for amount in found:
        if (
            merged
            and amount.currency == "USD"
            and merged[-1].currency != "USD"
            and merged[-1].stated_usd is None
            and _CONVERSION_GAP.match(sentence[merged[-1].end : amount.start])
        ):
            last = merged[-1]
            merged[-1] = Amount(
                last.start, amount.end, last.value, last.currency, last.approx, amount.value
            )
            continue
        merged.append(amount)
    return merged


def _amount(match: re.Match[str]) -> Amount | None:
    number = match["num"] or match["num2"]
    scale = (match["scale"] or match["scale2"] or "").lower()
    word = (match["pre"] or match["post"] or "").lower()
    currency = CURRENCY_WORDS.get(re.sub(r"\s+", " ", word))
    if currency is None:
        return None
    value = float(number.replace(",", "")) * SCALE_WORDS.get(scale, 1.0)
    if not 0 < value <= MAX_AMOUNT:
        return None
    approx = match["approx"].strip().lower() if match["approx"] else None
    return Amount(match.start(), match.end(), value, currency, approx)


_MILESTONE_WORD = re.compile(r"milestones?", re.I)
# The kinds, and the events a development milestone is paid on ("upon IND clearance", "tied to
# technology transfer and the first patient dosed"); near-term payments come first, in development.
_MILESTONE_KINDS = re.compile(
    r"\b(development|clinical|regulatory|approvals?|commercial|sales|IND|first patient|"
    r"dosed|dosing|technology transfer|near-term)\b",
    re.I,
)
MILESTONE_KINDS = {
    "clinical": "development",
    "approval": "regulatory",
    "approvals": "regulatory",
    "sales": "commercial",
    "ind": "development",
    "first patient": "development",
    "dosed": "development",
    "dosing": "development",
    "technology transfer": "development",
    "near-term": "development",
}


# Between "milestone" and its amount: "milestone payments of up to US$180 million", "milestone
# payments in an aggregate amount of up to US$38 million", a table's "Sales milestones | $90m".
_LINK = re.compile(
    r"\s*(?:payments?|fees?)?\s*[|:]?\s*(?:(?:could|would|may|might|will|can)\s+)?"
    r"(?:of|worth|be worth|totall?ing|total|reach|amount(?:ing)? to|add up to|valued at|"
    r"in (?:an|the) aggregate(?: amount)?(?: of)?)?\s*"
    r"(?:up to|as much as)?\s*(?:an? aggregate(?: amount)? of)?\s*",
    re.I,
)


_SHARE_PURCHASE = re.compile(
    r"\b(?:purchase|subscribe|buy|acquire|sell|issue)[sd]?\b[^.;]{0,80}\b(?:shares|stock|stake)\b",
    re.I,
)


# Between a whole and the first of its parts: "up to $85 million in milestones, consisting of
# up to $20 million ...".
_PARTS_FOLLOW = re.compile(
    r"\b(?:consisting of|comprising|comprised of|made up of|split (?:into|between|among)|"
    r"broken down (?:as|into)|divided (?:into|between)|including|of which|incl\.)",
    re.I,
)


def milestone_kinds(sentence: str, amounts: list[Amount], index: int) -> frozenset[str]:
    """The kinds of milestone an amount is for ("$300 million in regulatory milestones",
    "sales milestone payments of up to US$440 million", "$200 million on regulatory approvals"
    in a list of milestones): development, regulatory, commercial; empty when the article does
    not say."""
    amount = amounts[index]
    right_edge = amounts[index + 1].start if index + 1 < len(amounts) else len(sentence)
    if index + 1 < len(amounts) and _PARTS_FOLLOW.search(sentence, amount.end, right_edge):
        return frozenset()  # the whole of the milestones, its parts listed after it
    left_edge = amounts[index - 1].end if index else 0
    after = _clause_after(sentence, amount, right_edge, 120)
    before = sentence[max(left_edge, amount.start - 80) : amount.start].split(";")[-1]
    if _linked_milestone(before):
        hit = list(_MILESTONE_WORD.finditer(before))[-1]
        words = before[max(0, hit.start() - 50) : hit.start()]  # "sales milestones of"
    elif word := _MILESTONE_WORD.search(after):
        words = after[: word.start()]  # "$300 million in regulatory milestones"
    else:
        words = after  # "..., $700 million tied to sales targets"
    found = (k.lower() for k in _MILESTONE_KINDS.findall(words))
    return frozenset(MILESTONE_KINDS.get(k, k) for k in found)


def _clause_after(sentence: str, amount: Amount, right_edge: int, reach: int) -> str:
    """The words after an amount up to the end of its clause, at most ``reach`` characters
    (finishing the word the limit falls in)."""
    stop = min(right_edge, amount.end + reach)
    while stop < right_edge and sentence[stop].isalpha():
        stop += 1
    after = sentence[amount.end : stop]
    cut = _CLAUSE_BREAK.search(after)
    return after[: cut.start()] if cut else after


# What may stand between two amounts of one list ("$120 million in development milestones,
# $200 million on regulatory approvals and (iii) up to $700 million ..."): the joint itself.
_LIST_JOINT = re.compile(
    r"\s*(?:,|;|\band\b|,\s*and\b|;\s*and\b)\s*(?:\(?(?:[ivx]{1,4}|[a-h]|\d)\)\s*)?"
    r"(?:another|a further|further|up to|as much as)?\s*",
    re.I,
)
# Money put into a company (capital letter: a name, not "in a plant"): an equity investment.
_INVESTED = re.compile(r"\binvest(?:s|ed|ing)?\s+(?:up to\s+|about\s+|another\s+)?$", re.I)
_IN_A_COMPANY = re.compile(r"\s+in\s+(?:[A-Z][\w-]*['’]s\s+)?[A-Z]")
_INVESTMENT_IN = re.compile(
    r"\s+(?:(?:equity|strategic|minority|direct|private)\s+)?investment\s+in\s+[A-Z]"
)
# The whole, then a part of it: "up to $1.5 billion, including $100 million upfront".
_INCLUDING = re.compile(r"\b(?:including|of which|incl\.)\s+(?:an?\s+|the\s+)?$", re.I)
# A figure restated in another currency: "in KRW terms", "at today's exchange rate".
_CONVERTED = re.compile(
    r"\bat (?:today['’]s|current|the current|prevailing|present) (?:exchange )?rates?\b"
    r"|\bin (?:[A-Z]{3}|dollar|won|yen|euro|yuan|sterling) terms\b",
    re.I,
)
# Money that sizes other deals, not this one's terms: "11 deals above $500 million", "upfronts
# across the 61 deals sum to $3.4 billion".
_OTHER_DEALS = re.compile(
    r"\b(?:deals|transactions|agreements|licen[cs]es|pacts)\s+(?:(?:each|all)\s+)?(?:above|over|"
    r"exceeding|topping|worth (?:more than|over|above|at least)|of (?:more than|over|at least))"
    r"\s*$|\bacross (?:the |all |these |those )?(?:\d+ )?(?:such )?deals\b",
    re.I,
)


def _sizes_other_deals(sentence: str, start: int, end: int) -> bool:
    """True when the words before an amount make it a size other deals passed (a cheap look for
    the plural nouns first)."""
    window = sentence[start:end].lower()
    if not holds_any(window, _DEAL_NOUNS):
        return False
    return bool(_OTHER_DEALS.search(sentence, start, end))


_DEAL_NOUNS = ("deals", "transactions", "agreements", "licences", "licenses", "pacts")
_RAISED = re.compile(r"\brais(?:e|es|ed|ing)\b", re.I)
# "most of the $1.125bn is tied to sales": the amount named before, told again.
_RESTATED = re.compile(r"\b(?:of|from|on|with|all|most|half|part|much)\s+the\s*$", re.I)
# "the upfront and milestone payments": both parts named together, so the amount is their sum.
_BOTH_PARTS = re.compile(
    r"\b(?:the|of|in|all|its)\s+(?:total\s+|combined\s+)?(?:up[- ]?front|signing)\s+"
    r"(?:payments?\s+|fees?\s+)?(?:and|plus)\s+(?:the\s+)?(?:potential\s+)?milestones?\b"
    r"[^,;]{0,60}$",
    re.I,
)
_BOTH_PARTS_AFTER = re.compile(
    r"\s*in\s+(?:total\s+)?(?:up[- ]?front|signing)\s+(?:payments?\s+)?(?:and|plus)\s+"
    r"(?:potential\s+)?milestones?\b",
    re.I,
)
# "bringing the total to $455 million", "taking the potential value of the agreement to as
# much as $1.085 billion": a sum of the terms before it.
_SUMMED = re.compile(
    r"\b(?:bring(?:s|ing)?|tak(?:es|ing)|rais(?:es|ing)|lift(?:s|ing)|push(?:es|ing))\b"
    r"[^,;]{0,80}\bto\s+(?:up to\s+|as much as\s+|about\s+|around\s+|nearly\s+)?$",
    re.I,
)


def role_of(sentence: str, amounts: list[Amount], index: int) -> str | None:
    """The deal role of ``amounts[index]`` from the nearest role word in its own clause.

    Words right after an amount ("$50 million upfront") weigh a little more than words before
    it ("an upfront payment of $50 million"). Returns None when the amount is not a deal term
    (a plant, revenue, a market) and 'total' for a lone "up to" or unqualified deal value.
    """
    amount = amounts[index]
    left_edge = amounts[index - 1].end if index else 0
    right_edge = amounts[index + 1].start if index + 1 < len(amounts) else len(sentence)
    before = sentence[max(left_edge, amount.start - 60) : amount.start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = _clause_after(sentence, amount, right_edge, 80)
    if index + 1 < len(amounts) and _INCLUDING.search(sentence, amount.end, right_edge):
        # "as much as $1.5 billion ..., including $100 million upfront"; "up to $500 million in
        # milestones, including $100 million ...": the whole of the milestones
        whole_of_milestones = _MILESTONE_WORD.search(after) or _linked_milestone(before)
        return "milestones" if whole_of_milestones else "total"
    if _CONVERTED.search(sentence, max(left_edge, amount.start - 60), right_edge):
        return None  # "worth roughly KRW 27bn at today's rate": a figure converted, told again
    if _sizes_other_deals(sentence, max(left_edge, amount.start - 100), amount.start):
        return None  # "we count 11 deals above $500 million": a size other deals passed
    if _RESTATED.search(before):
        return None  # "most of the $1.125bn": an amount told before, not another term
    if _SUMMED.search(sentence, max(left_edge, amount.start - 140), amount.start):
        return "total"
    if _BOTH_PARTS.search(sentence, max(left_edge, amount.start - 100), amount.start) or (
        _BOTH_PARTS_AFTER.match(sentence, amount.end, right_edge)
    ):
        return "total"  # "upfront and milestone payments of up to $645 million": their sum
    role_word = _nearest_role_word(before, after)
    if role_word is not None and role_word not in FIGURE_ROLES:
        return None
    if amount.value < 1000 and not _SCALE_WORD.search(sentence, amount.start, amount.end):
        return None  # "$31.5 a share", a price: too small to be a deal term
    if (_INVESTED.search(before) and _IN_A_COMPANY.match(after)) or _INVESTMENT_IN.match(after):
        # "will invest $25 million in Halden", "a $25 million investment in Halden"
        return None if NOT_DEAL.search(sentence, left_edge, right_edge) else "equity"
    if _linked_milestone(before):
        return "milestones"  # "milestone payments of up to JPY 3.2 billion in total"
    if role_word == "equity" and _RAISED.search(before):
        return None  # "raised EUR 310 million in equity last year": a funding round
    if role_word is not None and role_word != "total":
        return role_word
    if role_word is None and _continues_milestones(sentence, amounts, index):
        return "milestones"  # "... in development milestones, $200 million on approvals"
    if role_word is not None and re.search(r"aggregate", before + after, re.I):
        milestone_near = (
            _MILESTONE_WORD.search(sentence, amount.end, min(right_edge, amount.end + 120))
            or _MILESTONE_WORD.search(before)
            or _MILESTONE_CUES.search(after)
        )
        if milestone_near:
            # "up to an aggregate of $42.5 million upon ... milestones", "$230 million in the
            # aggregate upon ... annual net sales thresholds"
            return "milestones"
    if NOT_DEAL.search(sentence, left_edge, right_edge):
        return None  # "it would build a plant ..., with an investment of 4.5 billion yuan"
    if _SHARE_PURCHASE.search(sentence):
        return (
            "equity"  # "agreed to purchase 1,250,000 shares ..., for gross proceeds of $5 million"
        )
    return "total"


def _nearest_role_word(before: str, after: str) -> str | None:
    """The role whose word stands nearest the amount: the words right after it ("$50 million
    upfront") weigh a little more than the words before it ("an upfront payment of"). Of two
    as near, the role the table lists first wins, the words after it before the words before."""
    best: tuple[float, int, str] | None = None  # distance, place in that order, role
    nearest = _ANY_ROLE_WORD.search(after, lowered(after))
    if nearest:  # the first match of all the roles' words at once is the nearest of each's
        role = next(role for role, _ in ROLE_WORDS if nearest[role] is not None)
        best = (nearest.start() * 0.8, 2 * _ROLE_PLACE[role], role)
    lower_before = lowered(before)
    for place, (role, pattern) in enumerate(_ROLE_WORDS_NOCASE):
        hits = pattern.finditer(before, lower_before)
        if hits:
            found = (len(before) - hits[-1].end(), 2 * place + 1, role)
            if best is None or found < best:
                best = found
    return best[2] if best is not None else None


def _linked_milestone(before: str) -> bool:
    """True when the words just before an amount are a milestone phrase leading into it."""
    hits = list(_MILESTONE_WORD.finditer(before))
    return bool(hits) and bool(_LINK.fullmatch(before[hits[-1].end() :]))


def _continues_milestones(sentence: str, amounts: list[Amount], index: int) -> bool:
    """True when the amount, with no role word of its own, is the next item of a list whose
    amount before it is a milestone."""
    if not index or not _LIST_JOINT.fullmatch(_after_clause_of(sentence, amounts, index - 1)):
        return False
    return role_of(sentence, amounts, index - 1) == "milestones"


def _after_clause_of(sentence: str, amounts: list[Amount], index: int) -> str:
    """What stands between an amount's own clause and the next amount."""
    amount, following = amounts[index], amounts[index + 1]
    own = _clause_after(sentence, amount, following.start, 120)
    return sentence[amount.end + len(own) : following.start]
