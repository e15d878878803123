"""One fact against every watch, without looking at every watch.

Each watch sits in one bucket, chosen by its most selective criterion: its company, else its
sector, else the first word of its keyword, else its least upfront (kept sorted). A fact
gathers candidates from the buckets of its parties, its sector and the sectors above it, the
words of its text, and the thresholds its upfront reaches; each candidate is then checked on
all its criteria. So the work follows the fact's size and the candidates it really has, not
the number of watches.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .. import vocab
from ..text import has_cjk

_WORDS = re.compile(r"\w+")
PARTY_FIELDS = ("subject_id", "counterparty_id", "licensor_id", "licensee_id")
TEXT_FIELDS = ("summary", "asset", "evidence", "note", "territory", "royalty")


def words(text: str) -> list[str]:
    """The words of a text as matching sees them: casefolded runs of letters and digits."""
    return _WORDS.findall(text.casefold())


@dataclass(frozen=True)
class Rule:
    """What the matcher needs of a watch."""

    watch_id: int
    after_audit_id: int
    company_id: int | None = None
    sector: str | None = None
    keyword: str | None = None
    min_upfront_usd: float | None = None


@dataclass(frozen=True)
class FactView:
    """A fact as one change left it (its audit snapshot), in the terms watches ask about."""

    audit_id: int
    parties: frozenset[int]
    sectors: tuple[str, ...]  # its sector and every sector above it
    words: tuple[str, ...]
    text: str  # casefolded, for keywords in scripts written without spaces
    upfront_usd: float | None

    @classmethod
    def of(cls, audit_id: int, snapshot: dict) -> FactView:
        parties = frozenset(snapshot[f] for f in PARTY_FIELDS if snapshot.get(f) is not None)
        text = " ".join(str(snapshot.get(f) or "") for f in TEXT_FIELDS).casefold()
        upfront = [
            f.get("value_usd")
            for f in snapshot.get("figures") or []
            if f.get("role") == "upfront" and f.get("value_usd") is not None
        ]
        return cls(
            audit_id=audit_id,
            parties=parties,
            sectors=sectors_above(snapshot.get("sector")),
            words=tuple(words(text)),
            text=text,
            upfront_usd=max(upfront) if upfront else None,
        )


def sectors_above(key: str | None) -> tuple[str, ...]:
    """The sector and its parents: a watch on Pharmaceuticals hears of Oncology deals."""
    found: list[str] = []
    entries = vocab.VOCAB.sectors.entries
    while key and key not in found:
        found.append(key)
        entry = entries.get(key)
        key = entry.parent if entry else None
    return tuple(found)


class Keyword:
    """A keyword compiled once: its words in order (matched as a run of the fact's words), or
    for text without spaces between words (Chinese, Japanese) a plain substring."""

    def __init__(self, text: str) -> None:
        self.words = tuple(words(text))
        self.folded = text.casefold()
        self.substring = has_cjk(self.folded)

    def found_in(self, fact: FactView) -> bool:
        if self.substring or not self.words:
            return self.folded in fact.text
        n = len(self.words)
        seq = fact.words
        return any(seq[i : i + n] == self.words for i in range(len(seq) - n + 1))


class WatchIndex:
    """Every live watch, bucketed for :meth:`match`."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_company: dict[int, list[Rule]] = defaultdict(list)
        self.by_sector: dict[str, list[Rule]] = defaultdict(list)
        self.by_word: dict[str, list[Rule]] = defaultdict(list)
        self.by_substring: list[Rule] = []
        self.keywords: dict[str, Keyword] = {}
        thresholds: list[tuple[float, int, Rule]] = []
        self.size = 0
        for rule in rules:
            self.size += 1
            if rule.keyword is not None and rule.keyword not in self.keywords:
                self.keywords[rule.keyword] = Keyword(rule.keyword)
            if rule.company_id is not None:
                self.by_company[rule.company_id].append(rule)
            elif rule.sector is not None:
                self.by_sector[rule.sector].append(rule)
            elif rule.keyword is not None:
                keyword = self.keywords[rule.keyword]
                if keyword.substring or not keyword.words:
                    self.by_substring.append(rule)
                else:
                    self.by_word[keyword.words[0]].append(rule)
            else:
                thresholds.append((rule.min_upfront_usd or 0.0, rule.watch_id, rule))
        thresholds.sort(key=lambda item: (item[0], item[1]))
        self._threshold_values = [value for value, _, _ in thresholds]
        self._threshold_rules = [rule for _, _, rule in thresholds]

    def match(self, fact: FactView) -> list[int]:
        """The ids of the watches this fact (as of its change) meets, in id order."""
        candidates: dict[int, Rule] = {}
        for party in fact.parties:
            for rule in self.by_company.get(party, ()):
                candidates[rule.watch_id] = rule
        for sector in fact.sectors:
            for rule in self.by_sector.get(sector, ()):
                candidates[rule.watch_id] = rule
        for word in set(fact.words):
            for rule in self.by_word.get(word, ()):
                candidates[rule.watch_id] = rule
        for rule in self.by_substring:
            candidates[rule.watch_id] = rule
        if fact.upfront_usd is not None:
            reached = bisect.bisect_right(self._threshold_values, fact.upfront_usd)
            for rule in self._threshold_rules[:reached]:
                candidates[rule.watch_id] = rule
        return sorted(wid for wid, rule in candidates.items() if self._meets(rule, fact))

    def _meets(self, rule: Rule, fact: FactView) -> bool:
        """Every criterion the watch has; and only changes made after the watch was added."""
        if fact.audit_id <= rule.after_audit_id:
            return False
        if rule.company_id is not None and rule.company_id not in fact.parties:
            return False
        if rule.sector is not None and rule.sector not in fact.sectors:
            return False
        if rule.keyword is not None and not self.keywords[rule.keyword].found_in(fact):
            return False
        return rule.min_upfront_usd is None or (
            fact.upfront_usd is not None and fact.upfront_usd >= rule.min_upfront_usd
        )
