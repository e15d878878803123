"""The read side of the knowledge base: briefs, full-text search, stats, sources and changes.

Every query leaves out removed facts (``deleted_at IS NULL``) unless asked, and returns the read
models of ``briefs.model`` so the renderer never sees a database row.

Search snippets mark matched words with :data:`MARK_START` and :data:`MARK_END` (the ASCII
control characters STX and ETX). ``text.clean`` refuses control characters, so stored text can
never contain them: a renderer escapes the snippet for its medium, then turns the two marks into
bold.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from . import text, vocab
from .errors import BadInput, NotFound
from .model import (
    DEAL_KINDS,
    DEAL_VALUE_SQL,
    Alias,
    AuditEntry,
    Citation,
    Company,
    Fact,
    Figure,
    PartyRef,
    Source,
)
from .periods import parse_period
from .search_filters import (
    NO_FILTERS,
    SearchFilters,
    fact_conditions,
    parties_where,
    source_conditions,
)
from .search_terms import FACT_WEIGHTS, any_of, fts_expression, saturated
from .spelling import spellings
from .text import MARK_END, MARK_START

if TYPE_CHECKING:
    from .store import Reader

# Search ranks the newest matches of a query with bm25 rather than all of them: a common word
# matches most of the table, and ordering every match by rank costs hundreds of milliseconds.
SEARCH_WINDOW = 500
MAX_SEARCH_TERMS = 8
MAX_OFFSET = 1000
EXCERPT_CHARS = 600

_SOURCE_COLUMNS = "id, key, kind, title, outlet, author, published, url, note"
# The fact's own columns, then the source id and the four party ids, which hydration swaps for
# objects.
_FACT_COLUMNS = """
    id, kind, summary, key, asset, sector, territory, stage, royalty, period, period_start,
    period_end, status, evidence, note, origin, revision, created_at, updated_at, deleted_at,
    source_id, subject_id, counterparty_id, licensor_id, licensee_id, licensor_undisclosed,
    licensee_undisclosed"""
_FIGURE_COLUMNS = (
    "fact_id, role, disclosed, value, unit, value_usd, usd_basis, approx, note, precision"
)
# A list of ids bound as one JSON array (see ``_ids``).
_ID_LIST = "(SELECT value FROM json_each(?))"
_WORD = re.compile(r"\w+", re.UNICODE)
_NEWEST_FIRST = "period_end IS NULL, period_end DESC, id DESC"


# --- Facts ------------------------------------------------------------------------------------


def fetch_facts(db: Reader, ids: Sequence[int], *, include_deleted: bool = False) -> list[Fact]:
    """Hydrate facts (parties, source, figures) in the order of ``ids``; missing ids are skipped."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    deleted = "" if include_deleted else " AND deleted_at IS NULL"
    found = {
        row[0]: row
        for row in db.execute(
            f"SELECT {_FACT_COLUMNS} FROM facts WHERE id IN {_ID_LIST}{deleted}", [_ids(wanted)]
        )
    }
    return _hydrate(db, [found[i] for i in wanted if i in found])


def get_fact(db: Reader, fact_id: int, *, include_deleted: bool = False) -> Fact:
    """One fact; asking for a removed one says how to bring it back."""
    found = fetch_facts(db, [fact_id], include_deleted=True)
    if not found:
        raise NotFound(f"no fact #{fact_id}", code="unknown_fact", fact_id=fact_id)
    if found[0].deleted_at is not None and not include_deleted:
        from .changes import removed_error  # here: a lookup need not import the write side

        raise removed_error(db, fact_id)
    return found[0]


def _ids(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter for :data:`_ID_LIST`.

    One parameter keeps the statement's text the same for any number of ids, so SQLite
    prepares it once per connection; a list of ``?`` marks is parsed again for every length
    (about 0.2 ms for a brief's two hundred facts, per statement).
    """
    return json.dumps(list(ids))


def _hydrate(db: Reader, rows: list[tuple]) -> list[Fact]:
    """Facts from ``_FACT_COLUMNS`` rows, in their order.

    A brief of hundreds of facts costs three more statements, not more per fact: each
    distinct source and party is read once (a brief names its company in every fact), then
    the figures and the further sources. Facts share their source and party objects.
    """
    fact_ids = [row[0] for row in rows]
    cited = _further_sources(db, fact_ids)
    sources = _sources(
        db, {row[20] for row in rows} | {sid for pairs in cited.values() for sid, _ in pairs}
    )
    parties = _parties(db, {pid for row in rows for pid in row[21:25] if pid is not None})
    figures = _figures(db, fact_ids)
    party = parties.get
    return [
        _build_fact(
            row,
            sources[row[20]],
            party(row[21]),
            party(row[22]),
            party(row[23]),
            party(row[24]),
            bool(row[25]),
            bool(row[26]),
            figures.get(row[0], ()),
            tuple(Citation(sources[sid], evidence) for sid, evidence in cited.get(row[0], ())),
        )
        for row in rows
    ]


def _further_sources(db: Reader, fact_ids: list[int]) -> dict[int, list[tuple[int, str | None]]]:
    """Each fact's sources after its first: (source id, evidence), in the order they were added."""
    grouped: dict[int, list[tuple[int, str | None]]] = {}
    for fact_id, source_id, evidence in db.execute(
        f"SELECT fact_id, source_id, evidence FROM fact_sources WHERE fact_id IN {_ID_LIST} "
        "ORDER BY fact_id, id",
        [_ids(fact_ids)],
    ):
        grouped.setdefault(fact_id, []).append((source_id, evidence))
    return grouped


def _builder(cls: type, columns: str, *given: str) -> Callable[..., Any]:
    """``build(row, *given)``: a frozen slotted read model from a row of ``columns``, without
    ``__init__``.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (1.7 µs
    for a ``Fact``, a large part of hydrating a brief of hundreds of facts). The builder sets
    each slot through its descriptor in straight-line code (0.9 µs), as ``dataclasses``
    itself writes ``__init__``. Fields named in ``given`` are arguments (objects, converted
    values); every other field is the row's column of that name. The result equals what the
    constructor builds.
    """
    names = [c.strip() for c in columns.split(",")]
    values = {
        f.name: f.name if f.name in given else f"row[{names.index(f.name)}]" for f in fields(cls)
    }
    env: dict[str, Any] = {"new": object.__new__, "cls": cls}
    env |= {f"set_{name}": getattr(cls, name).__set__ for name in values}
    body = "".join(f"    set_{name}(obj, {value})\n" for name, value in values.items())
    exec(
        f"def build({', '.join(('row', *given))}):\n    obj = new(cls)\n{body}    return obj\n", env
    )
    return env["build"]


_build_fact = _builder(
    Fact,
    _FACT_COLUMNS,
    "source",
    "subject",
    "counterparty",
    "licensor",
    "licensee",
    "licensor_undisclosed",
    "licensee_undisclosed",
    "figures",
    "more_sources",
)
_build_source = _builder(Source, _SOURCE_COLUMNS)
_build_figure = _builder(Figure, _FIGURE_COLUMNS, "disclosed")


def _sources(db: Reader, ids: set[int]) -> dict[int, Source]:
    rows = db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id IN {_ID_LIST}", [_ids(ids)])
    return {row[0]: _build_source(row) for row in rows}


def _parties(db: Reader, ids: set[int]) -> dict[int, PartyRef]:
    rows = db.execute(f"SELECT id, name FROM companies WHERE id IN {_ID_LIST}", [_ids(ids)])
    return {pid: PartyRef(pid, name) for pid, name in rows}


def _figures(db: Reader, fact_ids: list[int]) -> dict[int, tuple[Figure, ...]]:
    grouped: dict[int, list[Figure]] = {}
    for row in db.execute(
        f"SELECT {_FIGURE_COLUMNS} FROM figures WHERE fact_id IN {_ID_LIST} ORDER BY fact_id, id",
        [_ids(fact_ids)],
    ):
        grouped.setdefault(row[0], []).append(_build_figure(row, bool(row[2])))
    return {fid: tuple(figs) for fid, figs in grouped.items()}


# --- Company brief ----------------------------------------------------------------------------


@dataclass
class Brief:
    """Everything known about one company: deals first, then other facts, each newest first."""

    company: Company
    aliases: list[Alias]
    deals: list[Fact]
    others: list[Fact]


def company_brief(db: Reader, company_id: int) -> Brief:
    """Every live fact where the company is subject, counterparty, licensor or licensee."""
    row = db.execute(
        "SELECT id, slug, name, country, sector, description FROM companies WHERE id = ?",
        [company_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no company #{company_id}", code="unknown_company", query=str(company_id))
    rows = db.execute(
        f"""
        SELECT {_FACT_COLUMNS} FROM facts WHERE id IN (
            SELECT id FROM facts WHERE subject_id = :c
            UNION SELECT id FROM facts WHERE counterparty_id = :c
            UNION SELECT id FROM facts WHERE licensor_id = :c
            UNION SELECT id FROM facts WHERE licensee_id = :c
        ) AND deleted_at IS NULL ORDER BY {_NEWEST_FIRST}
        """,
        {"c": company_id},
    ).fetchall()
    facts = _hydrate(db, rows)
    return Brief(
        company=Company(*row),
        aliases=_aliases(db, company_id),
        deals=[f for f in facts if f.is_deal],
        others=[f for f in facts if not f.is_deal],
    )


def _aliases(db: Reader, company_id: int) -> list[Alias]:
    rows = db.execute(
        """
        SELECT a.alias, a.kind, a.source_id, s.outlet, a.note FROM aliases a
        LEFT JOIN sources s ON s.id = a.source_id
        WHERE a.company_id = ? ORDER BY a.kind != 'name', a.id
        """,
        [company_id],
    ).fetchall()
    return [Alias(*row) for row in rows]


# --- Search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """A matching fact, or a source whose own text matched; ``score`` is higher for better."""

    fact: Fact | None
    source: Source | None
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    has_more: bool
    filters: SearchFilters = NO_FILTERS


# A ranked match before hydration: ("fact" or "source", rowid, score).
Ranked = tuple[str, int, float]


def search(
    db: Reader,
    query: str,
    *,
    limit: int = 10,
    offset: int = 0,
    filters: SearchFilters = NO_FILTERS,
) -> SearchPage:
    """Full-text search over facts and source documents, best matches first.

    Each word is looked for in all its spellings (``briefs.spelling``). A query with CJK text
    reads the trigram indexes (``briefs.search_cjk``); any other reads the word indexes, where the
    newest ``SEARCH_WINDOW`` matches of each index (all of them, for a rare word) are ranked by
    :func:`_relevance`, so a common word costs about what a rare one does. With filters and no
    words, the matching facts are listed newest first.
    """
    cleaned = text.clean(query, field="query", max_len=text.MAX_QUERY, required=not filters.active)
    if not 1 <= limit <= 100 or not 0 <= offset <= MAX_OFFSET:
        raise BadInput("limit or offset out of range", code="bad_page", limit=limit, offset=offset)
    words = _WORD.findall(cleaned)[:MAX_SEARCH_TERMS]
    if not words and not filters.active:
        raise BadInput("the search has no words in it", code="empty_query")
    if not words:
        ranked, snippets = _listed(db, filters, offset + limit + 1), {}
    elif any(text.has_cjk(word) for word in words):
        from . import search_cjk  # here: only Chinese, Japanese or Korean words need it

        matches = search_cjk.matches(db, [spellings(w) for w in words], filters, SEARCH_WINDOW)
        ranked = sorted(((m.kind, m.rowid, m.score) for m in matches), key=_best_first)
        snippets = {(m.kind, m.rowid): m.snippet for m in matches}
    else:
        ranked, snippets = _by_words(db, [spellings(w) for w in words], filters, offset + limit)
    page = ranked[offset : offset + limit]
    hits = _hydrate_hits(db, page, snippets)
    return SearchPage(cleaned, hits, has_more=len(ranked) > offset + limit, filters=filters)


def _best_first(hit: Ranked) -> tuple:
    return (-hit[2], hit[0], -hit[1])


def _by_words(
    db: Reader, groups: list[tuple[str, ...]], filters: SearchFilters, wanted: int
) -> tuple[list[Ranked], Callable[[list[Ranked]], dict]]:
    """Matches from the word indexes, ranked; and how to snippet the page shown."""
    expression = fts_expression(groups)
    window = max(SEARCH_WINDOW, wanted + 1)
    ranked = _facts_ranked(db, expression, groups, filters, window)
    if not filters.facts_only:
        ranked += _sources_ranked(db, expression, filters, window)
    ranked.sort(key=_best_first)

    def snippets(page: list[Ranked]) -> dict:
        ids = {kind: [rowid for k, rowid, _ in page if k == kind] for kind in ("fact", "source")}
        return _snippets(db, "facts_fts", "fact", expression, ids["fact"]) | _snippets(
            db, "sources_fts", "source", expression, ids["source"]
        )

    return ranked, snippets


def _facts_ranked(
    db: Reader,
    expression: str,
    groups: list[tuple[str, ...]],
    filters: SearchFilters,
    window: int,
) -> list[Ranked]:
    """The newest ``window`` matching facts with a bm25-like relevance, relative to the best.

    bm25 would read the whole doclist of every word to count its documents (15 ms for a word
    in most facts, on its first call in each query); here FTS5 only walks the window, and
    ``highlight()`` marks each mention so :func:`_relevance` can weigh them. Scaling by the
    best lets a fact and a document that are each the best of their index meet as equals.
    """
    marked = ", ".join(
        f"highlight(facts_fts, {col}, '{MARK_START}', '{MARK_END}')"
        for col in range(len(FACT_WEIGHTS))
    )
    conditions, params = fact_conditions(filters, "f")
    joined = " JOIN facts f ON f.id = facts_fts.rowid" if conditions else ""
    rows = db.execute(
        f"SELECT facts_fts.rowid, {marked} FROM facts_fts{joined} WHERE facts_fts MATCH :match"
        f"{conditions} ORDER BY facts_fts.rowid DESC LIMIT :window",
        {"match": expression, "window": window, **params},
    ).fetchall()
    if not rows:
        return []
    rarity = _rarity(db, groups) if len(groups) > 1 else {groups[0]: 1.0}
    owners: dict[str, tuple[str, ...]] = {}
    scored = [(row[0], _relevance(row[1:], rarity, owners)) for row in rows]
    best = max(score for _, score in scored) or 1.0
    return [("fact", rowid, score / best) for rowid, score in scored]


def _sources_ranked(
    db: Reader, expression: str, filters: SearchFilters, window: int
) -> list[Ranked]:
    """The newest ``window`` matching documents by bm25 (their index is far smaller)."""
    conditions, params = source_conditions(filters, "s")
    joined = " JOIN sources s ON s.id = sources_fts.rowid" if conditions else ""
    rows = db.execute(
        f"SELECT sources_fts.rowid, -bm25(sources_fts) FROM sources_fts{joined} "
        f"WHERE sources_fts MATCH :match{conditions} ORDER BY sources_fts.rowid DESC LIMIT :window",
        {"match": expression, "window": window, **params},
    ).fetchall()
    best = max((score for _, score in rows), default=0.0) or 1.0
    return [("source", rowid, score / best) for rowid, score in rows]


def _rarity(db: Reader, groups: list[tuple[str, ...]]) -> dict[tuple[str, ...], float]:
    """An inverse document frequency per word, estimated from its newest matching facts.

    A word with fewer than ``SEARCH_WINDOW`` matches is counted exactly; for a common one the
    span of rowids its newest matches cover says how dense it is. Either way FTS5 stops after
    ``SEARCH_WINDOW`` rows instead of reading the whole doclist.
    """
    total = db.execute("SELECT max(rowid) FROM facts_fts").fetchone()[0] or 1
    rarity = {}
    for group in dict.fromkeys(groups):
        found, oldest = db.execute(
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM facts_fts "
            "WHERE facts_fts MATCH ? ORDER BY rowid DESC LIMIT ?)",
            [any_of(group), SEARCH_WINDOW],
        ).fetchone()
        docs = found if found < SEARCH_WINDOW else found * total / (total - oldest + 1)
        rarity[group] = math.log(1 + total / max(docs, 1))
    return rarity


def _relevance(
    columns: Sequence[str | None],
    rarity: dict[tuple[str, ...], float],
    owners: dict[str, tuple[str, ...]],
) -> float:
    """Each word's mentions weighted by column, saturated as bm25 does, times its rarity.

    A marked mention counts for the searched word one of whose spellings shares the longest
    beginning with it (the index stems words, so "licences" is marked for "licence");
    ``owners`` remembers that choice for the rest of the window.
    """
    mentions = dict.fromkeys(rarity, 0.0)
    for column, weight in zip(columns, FACT_WEIGHTS, strict=True):
        if not column or MARK_START not in column:
            continue
        for piece in column.split(MARK_START)[1:]:
            found = piece.split(MARK_END, 1)[0].casefold()
            group = owners.get(found)
            if group is None:
                group = owners[found] = max(rarity, key=lambda g: _shared_start(g, found))
            mentions[group] += weight
    return sum(rarity[group] * saturated(tf) for group, tf in mentions.items())


def _shared_start(spelt: tuple[str, ...], word: str) -> int:
    """How many leading characters ``word`` shares with the closest spelling."""
    best = 0
    for spelling in spelt:
        n = 0
        for x, y in zip(spelling, word, strict=False):
            if x != y:
                break
            n += 1
        best = max(best, n)
    return best


def _listed(db: Reader, filters: SearchFilters, wanted: int) -> list[Ranked]:
    """Facts passing the filters, newest first: a search with filters and no words."""
    conditions, params = fact_conditions(filters, "f")
    rows = db.execute(
        f"SELECT f.id FROM facts f WHERE f.deleted_at IS NULL{conditions} "
        f"ORDER BY {_NEWEST_FIRST} LIMIT :wanted",
        {"wanted": wanted, **params},
    )
    return [("fact", fid, 1.0) for (fid,) in rows]


def _hydrate_hits(
    db: Reader, page: list[Ranked], snippets: dict | Callable[[list[Ranked]], dict]
) -> list[SearchHit]:
    """Hits for the page shown; ``snippets`` maps (kind, rowid) to a marked snippet, or makes
    that map for the page (snippets are only worth making for what is shown)."""
    marks = snippets(page) if callable(snippets) else snippets
    facts = {f.id: f for f in fetch_facts(db, [rowid for kind, rowid, _ in page if kind == "fact"])}
    sources = _sources(db, {rowid for kind, rowid, _ in page if kind == "source"})
    hits = []
    for kind, rowid, score in page:
        snippet = marks.get((kind, rowid), "")
        if kind == "fact" and rowid in facts:
            hits.append(SearchHit(facts[rowid], None, snippet, score))
        elif kind == "source" and rowid in sources:
            hits.append(SearchHit(None, sources[rowid], snippet, score))
    return hits


def _snippets(
    db: Reader, table: str, kind: str, expression: str, ids: list[int]
) -> dict[tuple[str, int], str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT rowid, snippet({table}, -1, ?, ?, '…', 16) FROM {table} "
        f"WHERE {table} MATCH ? AND rowid IN ({marks})",
        [MARK_START, MARK_END, expression, *ids],
    )
    return {(kind, rowid): snippet for rowid, snippet in rows}


# --- Stats ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatRow:
    bucket: str
    kind: str
    sector: str | None
    deals: int
    disclosed: int
    usd_total: float


@dataclass(frozen=True)
class Stats:
    """Deal counts computed from our facts (``rows``) beside what articles reported (``reported``)."""

    granularity: str
    period: str | None
    sector: str | None  # the sector's label; its filter includes the sectors beneath it
    rows: list[StatRow]
    reported: list[Fact]
    flow: str | None = None  # "Greater China → US": licensor's region to licensee's


_BUCKETS = {
    "year": "substr(period_start, 1, 4)",
    "half": "substr(period_start, 1, 4) || '-H' || "
    "(CASE WHEN substr(period_start, 6, 2) <= '06' THEN 1 ELSE 2 END)",
    "quarter": "substr(period_start, 1, 4) || '-Q' || "
    "((CAST(substr(period_start, 6, 2) AS INTEGER) + 2) / 3)",
    "month": "substr(period_start, 1, 7)",
}
UNDATED = "undated"
# Periods from the shortest to the longest: grouping a period by one as long or longer gives
# one bucket, which is named as the period asked for ("2025-H1", not "2025").
_LENGTHS = ("day", "month", "quarter", "half", "year")


def stats(
    db: Reader,
    *,
    granularity: str = "year",
    period: str | None = None,
    sector: str | None = None,
    flow: str | None = None,
) -> Stats:
    """Deals per bucket, kind and sector: how many, how many disclosed a value, and USD summed.

    A deal's value is ``Fact.value_usd``, summed in SQL by ``model.DEAL_VALUE_SQL``.
    Deals without a date count under ``"undated"`` unless a period is asked for. A sector
    includes the sectors beneath it; a flow ("China → US") keeps the deals whose licensor and
    licensee are in those regions.
    """
    if granularity not in _BUCKETS:
        raise BadInput(
            f"unknown granularity {granularity!r}", code="bad_granularity", value=granularity[:20]
        )
    span = parse_period(text.clean(period, field="period", max_len=20)) if period else None
    sector_entry = vocab.parse_sector(sector) if sector else None
    deal_flow = vocab.parse_flow(flow) if flow else None
    where, params = _stat_filter(span, sector_entry and sector_entry.key)
    kinds = ",".join(f"'{k}'" for k in DEAL_KINDS)
    flow_where, flow_params = _flow_filter(deal_flow)
    bucket, label = _BUCKETS[granularity], []
    if span and _LENGTHS.index(granularity) >= _LENGTHS.index(span.granularity):
        bucket, label = "?", [span.text]
    rows = db.execute(
        f"""
        WITH deal AS (
            SELECT f.kind, f.sector, f.period_start, {DEAL_VALUE_SQL} AS value_usd
            FROM facts f WHERE f.deleted_at IS NULL AND f.kind IN ({kinds}){where}{flow_where}
        )
        SELECT coalesce({bucket}, '{UNDATED}') AS bucket, kind, sector,
            count(*), count(value_usd), total(value_usd)
        FROM deal GROUP BY 1, 2, 3 ORDER BY bucket = '{UNDATED}', 1, 2, 3
        """,
        [*params, *flow_params, *label],
    ).fetchall()
    return Stats(
        granularity=granularity,
        period=span.text if span else None,
        sector=sector_entry.label if sector_entry else None,
        rows=[StatRow(*row) for row in rows],
        reported=[] if deal_flow else _reported(db, where, params),
        flow=deal_flow.label if deal_flow else None,
    )


def _stat_filter(span, sector: str | None) -> tuple[str, list]:
    where, params = "", []
    if span:
        where += " AND f.period_start >= ? AND f.period_start <= ?"
        params += [span.start.isoformat(), span.end.isoformat()]
    if sector:
        within = vocab.VOCAB.sectors.within(sector)
        where += f" AND f.sector IN ({','.join('?' * len(within))})"
        params += list(within)
    return where, params


def _flow_filter(flow: vocab.Flow | None) -> tuple[str, list]:
    """Deals whose licensor's and licensee's countries lie in the flow's regions."""
    if flow is None:
        return "", []
    condition, params = vocab.flow_sql(flow, "lc.country", "le.country")
    return parties_where(condition, "f"), params


def _reported(db: Reader, where: str, params: list) -> list[Fact]:
    """Aggregates the articles state themselves (market_stat), inside the period, newest first."""
    where = where.replace("f.period_start <= ?", "f.period_end <= ?")
    ids = [
        fid
        for (fid,) in db.execute(
            f"SELECT f.id FROM facts f WHERE f.deleted_at IS NULL AND f.kind = 'market_stat'"
            f"{where} ORDER BY {_NEWEST_FIRST}",
            params,
        )
    ]
    return fetch_facts(db, ids)


# --- Sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    facts: int


@dataclass(frozen=True)
class SourceDetail:
    source: Source
    facts: list[Fact]
    text_excerpt: str | None


def list_sources(db: Reader) -> list[SourceSummary]:
    """Every source with its number of live facts (first or further source), newest first."""
    rows = db.execute(
        f"""
        SELECT {_SOURCE_COLUMNS},
            (SELECT count(*) FROM facts f WHERE f.source_id = s.id AND f.deleted_at IS NULL)
            + (SELECT count(*) FROM fact_sources c JOIN facts f ON f.id = c.fact_id
                WHERE c.source_id = s.id AND f.deleted_at IS NULL)
        FROM sources s ORDER BY published IS NULL, published DESC, id DESC
        """
    ).fetchall()
    return [SourceSummary(Source(*row[:9]), row[9]) for row in rows]


def get_source(db: Reader, source_id: int) -> SourceDetail:
    row = db.execute(
        f"SELECT {_SOURCE_COLUMNS}, text FROM sources WHERE id = ?", [source_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no source #{source_id}", code="unknown_source", source_id=source_id)
    ids = [
        fid
        for (fid,) in db.execute(
            "SELECT id FROM facts WHERE deleted_at IS NULL AND (source_id = :s OR id IN "
            "(SELECT fact_id FROM fact_sources WHERE source_id = :s)) "
            f"ORDER BY {_NEWEST_FIRST}",
            {"s": source_id},
        )
    ]
    return SourceDetail(Source(*row[:9]), fetch_facts(db, ids), _excerpt(row[9]))


def _excerpt(body: str | None) -> str | None:
    """The opening of a document, cut at a word so it never ends mid-word."""
    if not body:
        return None
    body = body.strip()
    if len(body) <= EXCERPT_CHARS:
        return body
    cut = body[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# --- Changes since an audit id ----------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What happened to facts between two audit ids, as net effects over the window.

    ``first_audit_id``/``last_audit_id`` span every audit row in the window (any entity), so a
    caller that remembers ``last_audit_id`` never reads the same rows twice.
    """

    added: list[Fact]
    edited: list[Fact]
    removed: list[AuditEntry]
    first_audit_id: int | None
    last_audit_id: int | None


_AUDIT_COLUMNS = (
    "id, at, actor, action, entity, entity_id, actor_id, guild_id, before, after, reason, "
    "undoes, undone_by"
)


# The fact rows of an audit window. ``+entity`` keeps SQLite on the id range (a window is a thin
# slice of the trail) rather than the (entity, entity_id) index, which would walk every fact
# change ever made.
FACT_CHANGES = (
    f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE +entity = 'fact' AND id > ? AND id <= ? ORDER BY id"
)


def latest_audit_id(db: Reader) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def changes_since(db: Reader, after_audit_id: int, *, until_audit_id: int | None = None) -> Changes:
    """Facts added, edited and removed after ``after_audit_id`` (up to ``until_audit_id``).

    Each fact is judged by the audit snapshots: whether it was live before its first change in
    the window and after its last. Added then removed inside the window is no news at all;
    removed then restored (undo) is not a removal; an edit, or the undo of one, is an edit.
    This reads ``before``/``after`` rather than action names, so "add", "edit", "remove" and
    "undo" (as ``briefs.changes`` writes them) all count by what they did.
    """
    until = latest_audit_id(db) if until_audit_id is None else until_audit_id
    span = db.execute(
        "SELECT min(id), max(id) FROM audit WHERE id > ? AND id <= ?", [after_audit_id, until]
    ).fetchone()
    entries = [_audit_entry(row) for row in db.execute(FACT_CHANGES, [after_audit_id, until])]
    history: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        if entry.entity_id is not None:
            history.setdefault(entry.entity_id, []).append(entry)
    added, edited, removed = [], [], []
    for fact_id, steps in history.items():
        before, after = _live(steps[0].before), _live(steps[-1].after)
        if not before and after:
            added.append(fact_id)
        elif before and not after:
            removed.append(steps[-1])
        elif before and after and any(_live(s.before) and _live(s.after) for s in steps):
            edited.append(fact_id)
    return Changes(
        added=fetch_facts(db, added),
        edited=fetch_facts(db, edited),
        removed=removed,
        first_audit_id=span[0],
        last_audit_id=span[1],
    )


def _audit_entry(row: tuple) -> AuditEntry:
    values = list(row)
    values[8] = json.loads(values[8]) if values[8] else None
    values[9] = json.loads(values[9]) if values[9] else None
    return AuditEntry(*values)


def _live(snapshot: dict | None) -> bool:
    """Whether an audit snapshot shows the fact present (stored and not removed)."""
    return snapshot is not None and snapshot.get("deleted_at") is None
