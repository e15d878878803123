"""Which deals an analytic question is asked of: a period, sector, kind, stage and flow.

Deals are dated by announcement (``period_start``), as in stats. Sector, kind and flow reuse
the search's checks and SQL (``briefs.search_filters``), so "Oncology" or "China → US" means
the same everywhere; stage and the announcement period are added here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import text, vocab
from ..errors import BadInput
from ..model import DEAL_KINDS
from ..periods import Period, parse_period
from ..search_filters import PERIOD_LIMIT, SearchFilters, fact_conditions

# A deal's upfront in USD over the fact aliased ``f``: its first upfront figure, as
# ``Fact.parts_usd`` reads it; NULL when not disclosed.
UPFRONT_SQL = """
    (SELECT nullif(g.value_usd, 0) FROM figures g WHERE g.fact_id = f.id AND g.role = 'upfront'
        ORDER BY g.id LIMIT 1)
"""


@dataclass(frozen=True)
class DealScope:
    """Checked filters on deals; ``None`` leaves that field open."""

    period: Period | None = None
    sector: vocab.Entry | None = None
    kind: str | None = None
    stage: vocab.Entry | None = None
    flow: vocab.Flow | None = None


EVERY_DEAL = DealScope()


def parse_scope(
    *,
    period: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    stage: str | None = None,
    flow: str | None = None,
) -> DealScope:
    """A scope from what a person typed; an empty value is no filter. Raises BadInput."""
    kind_key = _deal_kind(kind) if kind else None
    return DealScope(
        period=parse_period(text.clean(period, field="period", max_len=PERIOD_LIMIT))
        if period
        else None,
        sector=vocab.parse_sector(sector) if sector else None,
        kind=kind_key,
        stage=vocab.VOCAB.stages.resolve(
            text.clean(stage, field="stage", max_len=text.MAX_NAME), "stage"
        )
        if stage
        else None,
        flow=vocab.parse_flow(flow) if flow else None,
    )


def _deal_kind(typed: str) -> str:
    """A kind of deal (licence, option...); other kinds of fact are not deals to rank."""
    key = text.clean(typed, field="kind", max_len=text.MAX_NAME).casefold().replace("-", "_")
    entry = vocab.VOCAB.kinds.find(key)
    if entry is None or entry.key not in DEAL_KINDS:
        raise BadInput(f"{typed!r} is not a kind of deal", code="bad_deal_kind", value=key[:40])
    return entry.key


def deal_conditions(scope: DealScope) -> tuple[str, dict]:
    """SQL (from ``FROM facts f WHERE``) for the live deals in ``scope``, and its parameters."""
    kinds = {f"deal_kind{i}": key for i, key in enumerate(DEAL_KINDS)}
    sql = f"f.deleted_at IS NULL AND f.kind IN ({', '.join(':' + k for k in kinds)})"
    shared = SearchFilters(kind=scope.kind, sector=scope.sector, flow=scope.flow)
    narrowed, params = fact_conditions(shared, "f")
    sql += narrowed
    params |= kinds
    if scope.period:
        sql += " AND f.period_start >= :period_first AND f.period_start <= :period_last"
        params |= {
            "period_first": scope.period.start.isoformat(),
            "period_last": scope.period.end.isoformat(),
        }
    if scope.stage:
        sql += " AND f.stage = :stage"
        params["stage"] = scope.stage.key
    return sql, params
