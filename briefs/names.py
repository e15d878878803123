"""Resolve what a person typed to a company: exact alias, prefix or word, then typo tolerance.

Every name a company goes by (its own name included) is a row in ``aliases`` with a folded
``norm``. Lookups stay cheap at any size: exact and prefix matches use the B-tree on ``norm``,
partial words use the ``aliases_trigram`` FTS5 index, and typos are shortlisted from the rarest
trigrams of the query (their document counts come from an ``fts5vocab`` table) before a few
candidates are scored with rapidfuzz. Nothing here scans every name.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from . import text
from .errors import BadInput, NotFound
from .model import Company
from .store import connection_of

if TYPE_CHECKING:
    from .store import Reader

MAX_SUGGESTIONS = 5
# A fuzzy match is taken without asking only when it is this good and this far ahead of the next.
CONFIDENT_SCORE = 75.0
CONFIDENT_MARGIN = 8.0
# Below this a spelling shares a few letters by chance ("everyone" and "Far East Battery"):
# offering it as "did you mean" would only puzzle.
SUGGESTION_SCORE = 40.0
PART_WEIGHT = 0.9
# Bounds on the work one lookup may do, whatever the size of the knowledge base.
PREFIX_ROWS = 200
WORD_ROWS = 200
WORD_TRIGRAMS = 3
WORD_SCAN = 500
RARE_TRIGRAMS = 6
TRIGRAM_BUDGET = 2_500
SHORTLIST = 40
NEARBY_ROWS = 30

_T = TypeVar("_T")
_ID = re.compile(r"^#?(\d{1,12})$")
_COMPANY_COLUMNS = "c.id, c.slug, c.name, c.country, c.sector, c.description"


@dataclass(frozen=True)
class Candidate:
    """A company that might be meant, the spelling that matched and a 0-100 score."""

    company: Company
    alias: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """The company meant, the spelling that matched, and how: "exact", "prefix" or "fuzzy"."""

    company: Company
    alias: str
    how: str


@dataclass(frozen=True)
class _Match:
    company_id: int
    alias: str
    norm: str


def resolve_company(db: Reader, typed: str) -> Resolution:
    """The one company ``typed`` names, or NotFound("unknown_company") with suggestions.

    Order of trust: an exact alias, a company id ("#12" or "12", what autocomplete sends), a
    prefix or whole word of an alias, then a typo when one candidate is clearly ahead.
    """
    query = text.clean_name(typed, field="company")
    norm = text.normalize_name(query)
    if norm:
        exact = _exact(db, norm)
        if len({m.company_id for m in exact}) == 1:
            return Resolution(_company(db, exact[0].company_id), exact[0].alias, "exact")
        if exact:
            raise _not_found(query, _rank(db, norm, exact))
    by_id = _by_id(db, query)
    if by_id is not None:
        return Resolution(by_id, by_id.name, "exact")
    if not norm:
        raise _not_found(query, [])
    partials = _partials(db, norm)
    partial = _best_partial(partials, norm)
    if partial:
        return Resolution(_company(db, partial.company_id), partial.alias, "prefix")
    if partials:
        # The text starts several names: asking beats guessing among them.
        both = _rank(db, norm, partials, partial=True) + _rank(db, norm, _fuzzy_shortlist(db, norm))
        raise _not_found(query, _unique(sorted(both, key=lambda c: -c.score)))
    ranked = _rank(db, norm, _fuzzy_shortlist(db, norm))
    if ranked and _confident(ranked, norm):
        best = ranked[0]
        return Resolution(best.company, best.alias, "fuzzy")
    raise _not_found(query, [c for c in ranked if c.score >= SUGGESTION_SCORE])


def complete_companies(db: Reader, prefix: str, limit: int = 25) -> list[Candidate]:
    """Autocomplete from the first keystroke: each company once, under its best-matching alias.

    An empty prefix lists the companies with the most facts. Junk input returns [] rather than
    raising, because autocomplete runs on every keystroke and has nowhere to show an error.
    """
    limit = max(0, min(limit, 100))
    try:
        query = text.clean(prefix, field="company", max_len=text.MAX_NAME, required=False)
    except BadInput:
        return []
    if limit == 0:
        return []
    if not query:
        return _most_documented(db, limit)
    norm = text.normalize_name(query)
    found: list[Candidate] = []
    by_id = _by_id(db, query)
    if by_id is not None:
        found.append(Candidate(by_id, by_id.name, 100.0))
    if norm:
        matches = _prefix(db, norm, PREFIX_ROWS) + _words(db, norm)
        found += _rank(db, norm, matches, partial=True)
        if len(found) < limit and len(norm) >= 3:
            found += _rank(db, norm, _fuzzy_shortlist(db, norm))
    return _unique(found)[:limit]


# --- Finding candidates ---------------------------------------------------------------------


def _exact(db: Reader, norm: str) -> list[_Match]:
    rows = db.execute(
        "SELECT company_id, alias, norm FROM aliases WHERE norm = ? LIMIT 20", [norm]
    ).fetchall()
    return [_Match(*row) for row in rows]


def _prefix(db: Reader, norm: str, limit: int) -> list[_Match]:
    """Aliases whose folded form starts with ``norm``: a range scan on the norm index."""
    rows = db.execute(
        "SELECT company_id, alias, norm FROM aliases WHERE norm >= ? AND norm < ? "
        "ORDER BY norm LIMIT ?",
        [norm, norm + "\U0010ffff", limit],
    ).fetchall()
    return [_Match(*row) for row in rows]


def _words(db: Reader, norm: str) -> list[_Match]:
    """Aliases where ``norm`` starts a word after the first (or anywhere, for CJK without spaces).

    A word start is the text after a space, and a space is part of a trigram, so the FTS5
    phrase " norm" finds them. When one of its trigrams is rare, the aliases holding it (and
    the next rarest) are few and SQLite checks them directly: the phrase would also intersect
    the long doclists of the common ones ("sha", "han"). The start of an alias is the prefix
    scan's.
    """
    anywhere = text.has_cjk(norm)
    needle = norm if anywhere else f" {norm}"
    if len(needle) < 3:
        return []
    counts = _trigram_counts(db, {needle[i : i + 3] for i in range(len(needle) - 2)})
    if not all(counts.values()):
        return []
    rarest = sorted(counts, key=lambda g: (counts[g], g))[:WORD_TRIGRAMS]
    if counts[rarest[0]] > WORD_SCAN:
        rarest = [needle]
    found = "instr(a.norm, ?)" if anywhere else "instr(' ' || a.norm, ?)"
    rows = db.execute(
        "SELECT a.company_id, a.alias, a.norm FROM aliases_trigram t "
        f"JOIN aliases a ON a.id = t.rowid WHERE aliases_trigram MATCH ? AND {found} > 1 "
        "LIMIT ?",
        [" AND ".join(_phrase(g) for g in rarest), needle, WORD_ROWS],
    ).fetchall()
    return [_Match(*row) for row in rows]


def _partials(db: Reader, norm: str) -> list[_Match]:
    return _prefix(db, norm, PREFIX_ROWS) + _words(db, norm)


def _best_partial(matches: list[_Match], norm: str) -> _Match | None:
    """The single company a partial name points to, if there is exactly one.

    When several companies match, one that has the typed text as a whole word ("junshi" in
    "Shanghai Junshi Biosciences") beats those that merely start with it ("junshitech").
    """
    if len({m.company_id for m in matches}) == 1:
        return matches[0]
    whole = [m for m in matches if norm in m.norm.split(" ") or m.norm == norm]
    if len({m.company_id for m in whole}) == 1:
        return whole[0]
    return None


def _fuzzy_shortlist(db: Reader, norm: str) -> list[_Match]:
    """Aliases sharing the rarest trigrams of ``norm``, best first, plus a few starting with its
    first three letters, where typos are rarest.

    Common trigrams ("ing", "pha") match a large part of the table and say little; the rarest
    few bound the work and still find a name with one or two typos. Each alias scores the
    inverse document frequency of the trigrams it shares (what bm25 would weigh most), summed in
    Python over short doclists instead of ranking a long OR query inside FTS5.
    """
    nearby = _prefix(db, norm[:3], NEARBY_ROWS) if len(norm) >= 4 else []
    counts = _rare_trigrams(db, norm)
    if not counts:
        return nearby
    total = db.execute("SELECT coalesce(max(id), 1) FROM aliases").fetchone()[0]
    hits = " UNION ALL ".join(
        "SELECT rowid AS id, ? AS w FROM aliases_trigram WHERE aliases_trigram MATCH ?"
        for _ in counts
    )
    params = [v for g, docs in counts.items() for v in (math.log(1 + total / docs), _phrase(g))]
    rows = db.execute(
        f"SELECT a.company_id, a.alias, a.norm FROM (SELECT id, sum(w) AS score FROM ({hits}) "
        "GROUP BY id ORDER BY score DESC, id LIMIT ?) best JOIN aliases a ON a.id = best.id "
        "ORDER BY best.score DESC, best.id",
        [*params, SHORTLIST],
    ).fetchall()
    return nearby + [_Match(*row) for row in rows]


def _rare_trigrams(db: Reader, norm: str) -> dict[str, int]:
    """The rarest trigrams of ``norm`` with their document counts, within a posting budget.

    Trigrams are taken from the rarest up while their doclists together stay under
    ``TRIGRAM_BUDGET`` rows, so a long name made of common words costs what a short one does.
    """
    grams = {norm[i : i + 3] for i in range(len(norm) - 2)}
    counts = _trigram_counts(db, grams)
    chosen: dict[str, int] = {}
    spent = 0
    for gram in sorted((g for g in grams if counts[g]), key=lambda g: (counts[g], g)):
        if len(chosen) == RARE_TRIGRAMS or spent + counts[gram] > TRIGRAM_BUDGET:
            break
        chosen[gram] = counts[gram]
        spent += counts[gram]
    return chosen


def _trigram_counts(db: Reader, grams: set[str]) -> dict[str, int]:
    """Document counts of trigrams, remembered until the database changes.

    ``fts5vocab`` counts a term by reading its whole doclist (a common trigram is in tens of
    thousands of aliases), and the same few thousand trigrams make up most names.
    """
    known = _per_connection(db, _VOCAB_CACHE, dict)
    missing = sorted(grams - known.keys())
    if missing:
        _ensure_vocab(db)
        marks = ",".join("?" * len(missing))
        found = dict(
            db.execute(
                f"SELECT term, doc FROM temp.aliases_trigram_vocab WHERE term IN ({marks})",
                missing,
            ).fetchall()
        )
        known.update((gram, found.get(gram, 0)) for gram in missing)
    return {gram: known[gram] for gram in grams}


def _ensure_vocab(db: Reader) -> None:
    """A per-connection view of trigram document counts (no schema change needed)."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.aliases_trigram_vocab "
        "USING fts5vocab(main, aliases_trigram, row)"
    )


def _phrase(value: str) -> str:
    """An FTS5 string literal: quoted, so operators and punctuation in it mean nothing."""
    return '"' + value.replace('"', '""') + '"'


def _by_id(db: Reader, query: str) -> Company | None:
    match = _ID.match(query)
    if not match:
        return None
    try:
        return _company(db, int(match[1]))
    except NotFound:
        return None


# --- Scoring ----------------------------------------------------------------------------------


def _rank(
    db: Reader, norm: str, matches: list[_Match], *, partial: bool = False
) -> list[Candidate]:
    """Score matches with rapidfuzz and keep each company's best alias, best first.

    With ``partial`` (autocomplete) the typed text is a prefix of what is meant, so a prefix
    scores by how much of the alias it already covers.
    """
    best: dict[int, tuple[float, _Match]] = {}
    for match in matches:
        score = _score(norm, match.norm, partial=partial)
        if match.company_id not in best or score > best[match.company_id][0]:
            best[match.company_id] = (score, match)
    companies = _companies(db, list(best))
    ranked = [
        Candidate(companies[cid], match.alias, round(score, 1))
        for cid, (score, match) in best.items()
        if cid in companies
    ]
    ranked.sort(key=lambda c: (-c.score, len(c.alias), c.company.name))
    return ranked


def _score(norm: str, alias_norm: str, *, partial: bool) -> float:
    if alias_norm == norm:
        return 100.0
    if partial and (alias_norm.startswith(norm) or f" {norm}" in f" {alias_norm}"):
        return 70.0 + 29.0 * len(norm) / len(alias_norm)
    return _similarity(norm, alias_norm)


def _similarity(norm: str, alias_norm: str) -> float:
    """0-100 by edit distance counting a swap of neighbours as one typo ("samsnug").

    Against a longer alias the typed words are also compared with the alias's runs of as many
    words ("junshy" with "junshi" in "shanghai junshi biosciences"), a little below a match of
    the whole. A shorter alias never scores by being contained in what was typed.
    """
    from rapidfuzz.distance import OSA  # here: only a near miss is scored, never an exact name

    whole = OSA.normalized_similarity(norm, alias_norm) * 100
    words, alias_words = norm.split(" "), alias_norm.split(" ")
    if len(alias_words) <= len(words):
        return whole
    width = len(words)
    windows = (" ".join(alias_words[i : i + width]) for i in range(len(alias_words) - width + 1))
    best_window = max(OSA.normalized_similarity(norm, w) for w in windows) * 100
    return max(whole, best_window * PART_WEIGHT)


def _confident(ranked: list[Candidate], norm: str) -> bool:
    """Good enough, and at least about one typo closer than the runner-up."""
    if ranked[0].score < CONFIDENT_SCORE:
        return False
    margin = min(CONFIDENT_MARGIN, 99.0 / max(len(norm), 1))
    return len(ranked) == 1 or ranked[0].score - ranked[1].score >= margin


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[int] = set()
    kept = []
    for candidate in candidates:
        if candidate.company.id not in seen:
            seen.add(candidate.company.id)
            kept.append(candidate)
    return kept


def _not_found(query: str, ranked: list[Candidate]) -> NotFound:
    return NotFound(
        f"no company matches {query[:60]!r}",
        code="unknown_company",
        suggestions=ranked[:MAX_SUGGESTIONS],
        query=query,
    )


# --- Companies --------------------------------------------------------------------------------


def _company(db: Reader, company_id: int) -> Company:
    found = _companies(db, [company_id])
    if company_id not in found:
        raise NotFound(f"no company #{company_id}", code="unknown_company", query=str(company_id))
    return found[company_id]


def _companies(db: Reader, ids: list[int]) -> dict[int, Company]:
    if not ids:
        return {}
    # One JSON parameter keeps the statement the same for any number of ids, so SQLite
    # prepares it once per connection rather than parsing a new list of marks each time.
    rows = db.execute(
        f"SELECT {_COMPANY_COLUMNS} FROM companies c "
        "WHERE c.id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {row[0]: Company(*row) for row in rows}


def _most_documented(db: Reader, limit: int) -> list[Candidate]:
    """Companies named in the most live facts, for an empty prefix; when fewer companies have
    facts than asked for, others fill the list by name.

    The counts are kept by triggers (``company_fact_counts``, migration m006), so this reads
    the top of one index instead of counting the facts table on the first keystroke.
    """
    counts = dict(
        db.execute(
            "SELECT company_id, facts FROM company_fact_counts WHERE facts > 0 "
            "ORDER BY facts DESC, company_id LIMIT ?",
            [limit],
        ).fetchall()
    )
    if len(counts) < limit:
        extra = db.execute("SELECT id FROM companies ORDER BY name LIMIT ?", [limit]).fetchall()
        for (cid,) in extra:
            counts.setdefault(cid, 0)
    companies = _companies(db, list(counts))
    ordered = sorted(counts, key=lambda cid: (-counts[cid], companies[cid].name.casefold()))
    return [Candidate(companies[cid], companies[cid].name, 100.0) for cid in ordered][:limit]


# What each connection has learnt, with the (data_version, total_changes) it was learnt at.
_CacheEntry = tuple[tuple[int, int], Any]
_VOCAB_CACHE: dict[int, _CacheEntry] = {}
MAX_CONNECTIONS = 8


def _per_connection(db: Reader, cache: dict[int, _CacheEntry], build: Callable[[], _T]) -> _T:
    """This connection's entry in ``cache``, built afresh once the database has changed.

    ``data_version`` moves when another connection writes, ``total_changes`` when this one
    does. Each connection keeps its own entry (the bot reads through several), and only the
    last few connections are remembered.
    """
    conn = connection_of(db)
    version = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
    entry = cache.get(id(conn))
    if entry is None or entry[0] != version:
        if id(conn) not in cache and len(cache) >= MAX_CONNECTIONS:
            del cache[next(iter(cache))]
        entry = cache[id(conn)] = (version, build())
    return entry[1]
