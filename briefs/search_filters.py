"""What a search is narrowed to besides its words: a company, a kind of fact, a sector, a flow,
dates.

One dataclass carries every filter from the CLI, Discord and the console to the query, so a new
filter is one more field here, one more condition in :func:`fact_conditions`, and an option in
each front end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import names, text, vocab
from .errors import BadInput
from .model import FACT_KINDS, PartyRef
from .periods import Period, parse_period

if TYPE_CHECKING:
    from .store import Reader

PERIOD_LIMIT = 20


@dataclass(frozen=True)
class SearchFilters:
    """Checked filters; ``None`` leaves a search unnarrowed on that field.

    A fact passes ``since``/``until`` when its period overlaps the span from the start of
    ``since`` to the end of ``until``; a fact without a date does not pass a date filter.
    A sector includes the sectors beneath it, as in stats; a flow keeps the facts whose
    licensor's and licensee's countries lie in its regions.
    """

    company: PartyRef | None = None
    kind: str | None = None
    sector: vocab.Entry | None = None
    since: Period | None = None
    until: Period | None = None
    flow: vocab.Flow | None = None

    @property
    def active(self) -> bool:
        return self.facts_only or any(v is not None for v in self.dates)

    @property
    def facts_only(self) -> bool:
        """Documents have no company, kind, sector or flow, so filtering on one leaves facts."""
        return any(v is not None for v in (self.company, self.kind, self.sector, self.flow))

    @property
    def dates(self) -> tuple[Period | None, Period | None]:
        return self.since, self.until


NO_FILTERS = SearchFilters()


def parse_filters(
    db: Reader,
    *,
    company: str | None = None,
    kind: str | None = None,
    sector: str | None = None,
    since: str | None = None,
    until: str | None = None,
    flow: str | None = None,
) -> SearchFilters:
    """Filters from what a person typed; an empty value is no filter. Raises BadInput (a
    sector or region the vocabulary does not know names the closest entries), or NotFound
    (with suggestions) for a company the knowledge base cannot place."""
    party = None
    if company:
        found = names.resolve_company(db, company).company
        party = PartyRef(found.id, found.name)
    if kind:
        kind = text.clean(kind, field="kind", max_len=text.MAX_NAME).casefold().replace("-", "_")
        if kind not in FACT_KINDS:
            raise BadInput(f"{kind!r} is not a kind of fact", code="bad_kind", value=kind)
    start = _period(since, "since")
    end = _period(until, "until")
    if start and end and start.start > end.end:
        raise BadInput("since is after until", code="bad_range", since=start.text, until=end.text)
    return SearchFilters(
        company=party,
        kind=kind or None,
        sector=vocab.parse_sector(sector) if sector else None,
        since=start,
        until=end,
        flow=vocab.parse_flow(flow) if flow else None,
    )


def _period(value: str | None, field: str) -> Period | None:
    return parse_period(text.clean(value, field=field, max_len=PERIOD_LIMIT)) if value else None


def fact_conditions(filters: SearchFilters, alias: str = "f") -> tuple[str, dict]:
    """SQL conditions (each starting with `` AND``) on ``facts AS alias``, and their parameters."""
    sql, params = "", {}
    if filters.company:
        sql += f""" AND {alias}.id IN (
            SELECT id FROM facts WHERE subject_id = :company
            UNION SELECT id FROM facts WHERE counterparty_id = :company
            UNION SELECT id FROM facts WHERE licensor_id = :company
            UNION SELECT id FROM facts WHERE licensee_id = :company)"""
        params["company"] = filters.company.id
    if filters.kind:
        sql += f" AND {alias}.kind = :kind"
        params["kind"] = filters.kind
    if filters.sector:
        within = {
            f"sector{i}": key
            for i, key in enumerate(vocab.VOCAB.sectors.within(filters.sector.key))
        }
        sql += f" AND {alias}.sector IN ({', '.join(':' + name for name in within)})"
        params |= within
    if filters.flow:
        condition, regions = vocab.flow_sql_named(filters.flow, "lc.country", "le.country")
        sql += parties_where(condition, alias)
        params |= regions
    dated, dates = _overlapping(filters, f"{alias}.period_start", f"{alias}.period_end")
    return sql + dated, params | dates


def parties_where(condition: str, alias: str = "f") -> str:
    """`` AND`` the facts whose licensor (``lc``) and licensee (``le``) companies meet
    ``condition``: how a flow reaches the parties' countries, in search and in stats."""
    return (
        " AND EXISTS (SELECT 1 FROM companies lc, companies le WHERE "
        f"lc.id = {alias}.licensor_id AND le.id = {alias}.licensee_id AND {condition})"
    )


def source_conditions(filters: SearchFilters, alias: str = "s") -> tuple[str, dict]:
    """Conditions on ``sources AS alias``: a document is dated by its publication."""
    published = f"substr({alias}.published, 1, 10)"
    return _overlapping(filters, published, published)


def _overlapping(filters: SearchFilters, first: str, last: str) -> tuple[str, dict]:
    """Rows whose days ``first``..``last`` overlap the span from ``since`` to ``until``."""
    sql, params = "", {}
    if filters.since:
        sql += f" AND {last} >= :since"
        params["since"] = filters.since.start.isoformat()
    if filters.until:
        sql += f" AND {first} <= :until"
        params["until"] = filters.until.end.isoformat()
    return sql, params
