"""Search in Chinese, Japanese and Korean text, through the trigram indexes of m010.

These scripts are written without spaces, so the word index takes a whole run of characters for
one word and never finds a word inside it. ``facts_cjk`` and ``sources_cjk`` index every run of
three characters of the rows that hold such text, which finds a word of three or more
characters anywhere; a shorter word (most Chinese words have two characters) cannot be looked
up by trigrams, so it is found by scanning the text of those rows, which are few. Matches are
ranked and snippeted here from the row's own text, by the same column weights as the word index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .search_filters import SearchFilters, fact_conditions, source_conditions
from .search_terms import (
    FACT_COLUMNS,
    FACT_WEIGHTS,
    SOURCE_COLUMNS,
    SOURCE_WEIGHTS,
    Spellings,
    fts_expression,
    saturated,
)
from .text import MARK_END, MARK_START

if TYPE_CHECKING:
    from .store import Reader

TRIGRAM = 3
SNIPPET_CHARS = 80
SNIPPET_LEAD = 20  # characters shown before the first mention


@dataclass(frozen=True)
class Match:
    kind: str  # "fact" or "source"
    rowid: int
    score: float  # relative to the best match of its index
    snippet: str


@dataclass(frozen=True)
class _Index:
    kind: str
    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    rows: str  # the table of the rows indexed, for filters


_FACTS = _Index("fact", "facts_cjk", FACT_COLUMNS, FACT_WEIGHTS, "facts f")
_SOURCES = _Index("source", "sources_cjk", SOURCE_COLUMNS, SOURCE_WEIGHTS, "sources s")


def matches(
    db: Reader, groups: list[Spellings], filters: SearchFilters, window: int
) -> list[Match]:
    """The newest ``window`` facts, then documents, holding every group (in any spelling)."""
    found = _matches(db, _FACTS, groups, *fact_conditions(filters, "f"), window)
    if not filters.facts_only:
        found += _matches(db, _SOURCES, groups, *source_conditions(filters, "s"), window)
    return found


def _matches(
    db: Reader,
    index: _Index,
    groups: list[Spellings],
    conditions: str,
    params: dict,
    window: int,
) -> list[Match]:
    long = [g for g in groups if min(map(len, g)) >= TRIGRAM]
    short = [g for g in groups if g not in long]
    where = [f"{index.table} MATCH :match"] if long else []
    params = {**params, "window": window, "match": fts_expression(long) if long else None}
    body = " || char(10) || ".join(f"coalesce({index.table}.{c}, '')" for c in index.columns)
    for i, group in enumerate(short):
        where.append(
            "("
            + " OR ".join(f"instr(lower({body}), :w{i}_{j}) > 0" for j in range(len(group)))
            + ")"
        )
        params |= {f"w{i}_{j}": spelling for j, spelling in enumerate(group)}
    joined = (
        f" JOIN {index.rows} ON {index.rows[-1]}.id = {index.table}.rowid" if conditions else ""
    )
    columns = ", ".join(f"{index.table}.{c}" for c in index.columns)
    rows = db.execute(
        f"SELECT {index.table}.rowid, {columns} FROM {index.table}{joined} "
        f"WHERE {' AND '.join(where)}{conditions} ORDER BY {index.table}.rowid DESC LIMIT :window",
        params,
    ).fetchall()
    patterns = [_pattern(g) for g in groups]
    scored = [(row[0], _score(row[1:], index.weights, patterns), row[1:]) for row in rows]
    best = max((score for _, score, _ in scored), default=0.0) or 1.0
    return [
        Match(index.kind, rowid, score / best, _snippet(texts, index.weights, patterns))
        for rowid, score, texts in scored
    ]


def _pattern(group: Spellings) -> re.Pattern[str]:
    ordered = sorted(group, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in ordered), re.IGNORECASE)


def _score(
    texts: tuple[str | None, ...], weights: tuple[float, ...], patterns: list[re.Pattern[str]]
) -> float:
    """Each searched word's mentions, weighted by column and saturated."""
    return sum(
        saturated(sum(w * len(p.findall(t or "")) for t, w in zip(texts, weights, strict=True)))
        for p in patterns
    )


def _snippet(
    texts: tuple[str | None, ...], weights: tuple[float, ...], patterns: list[re.Pattern[str]]
) -> str:
    """A stretch of the column with the most weighted mentions, each mention marked."""
    either = re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    counted = [
        (w * len(either.findall(t or "")), -i, t or "")
        for i, (t, w) in enumerate(zip(texts, weights, strict=True))
    ]
    _, _, body = max(counted)
    first = either.search(body)
    start = max(0, first.start() - SNIPPET_LEAD) if first else 0
    end = min(len(body), start + SNIPPET_CHARS)
    shown = either.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", body[start:end])
    return ("…" if start else "") + shown.strip() + ("…" if end < len(body) else "")
