"""What a search is narrowed to besides its words: a company, a kind of fact, a sector, dates.

One dataclass carries every filter from the CLI, Discord and the console to the query, so a new
filter is one more field here, one more condition in :func:`fact_conditions`, and an option in
each front end.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from . import names, text
from .errors import BadInput
from .model import FACT_KINDS, PartyRef
from .periods import Period, parse_period

PERIOD_LIMIT = 20


@dataclass(frozen=True)
class SearchFilters:
    """Checked filters; ``None`` leaves a search unnarrowed on that field.

    A fact passes ``since``/``until`` when its period overlaps the span from the start of
    ``since`` to the end of ``until``; a fact without a date does not pass a date filter.
    """

    company: PartyRef | None = None
    kind: str | None = None
    sector: str | None = None
    since: Period | None = None
    until: Period | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.company, self.kind, self.sector, *self.dates))

    @property
    def facts_only(self) -> bool:
        """Documents have no company, kind or sector, so filtering on one leaves only facts."""
        return any(v is not None for v in (self.company, self.kind, self.sector))

    @property
    def dates(self) -> tuple[Period | None, Period | None]:
        return self.since, self.until


NO_FILTERS = SearchFilters()


def parse_filters(
    db: Database,
    *,
    company: str | None = None,
    kind: str | None = None,
    sector: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> SearchFilters:
    """Filters from what a person typed; an empty value is no filter. Raises BadInput, or
    NotFound (with suggestions) for a company the knowledge base cannot place."""
    party = None
    if company:
        found = names.resolve_company(db, company).company
        party = PartyRef(found.id, found.name)
    if kind:
        kind = text.clean(kind, field="kind", max_len=text.MAX_NAME).casefold().replace("-", "_")
        if kind not in FACT_KINDS:
            raise BadInput(f"{kind!r} is not a kind of fact", code="bad_kind", value=kind)
    sector = text.clean(sector, field="sector", max_len=text.MAX_NAME) if sector else None
    start = _period(since, "since")
    end = _period(until, "until")
    if start and end and start.start > end.end:
        raise BadInput("since is after until", code="bad_range", since=start.text, until=end.text)
    return SearchFilters(party, kind or None, sector, start, end)


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
        sql += f" AND lower({alias}.sector) = lower(:sector)"
        params["sector"] = filters.sector
    dated, dates = _overlapping(filters, f"{alias}.period_start", f"{alias}.period_end")
    return sql + dated, params | dates


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
