"""Term benchmarks: what upfronts, totals and upfront shares are normal for a kind of deal.

Headline totals ("biobucks") are mostly milestones that may never be paid, so the upfront and
its share of the total are shown beside the total. Each summary is over the deals that
disclose that term, with their number; under ``MIN_DEALS`` there is no median to speak of.
Quartiles are the inclusive (linear) quartiles of ``statistics.quantiles``: the median of
1, 2, 3, 4 is 2.5 and its quartiles 1.75 and 3.25.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import DEAL_VALUE_SQL
from .scope import UPFRONT_SQL, DealScope, deal_conditions

if TYPE_CHECKING:
    from ..store import Reader

MIN_DEALS = 5
TERMS = ("upfront", "total", "share")

# Whether the deal's value is more than its upfront: a stated total or milestones. Without
# them the "total" would be the upfront itself and its share a meaningless 100%.
_BEYOND_UPFRONT = """
    EXISTS (SELECT 1 FROM figures g WHERE g.fact_id = f.id AND g.value_usd > 0
        AND (g.role = 'total' OR g.role LIKE 'milestones%'))
"""


@dataclass(frozen=True)
class TermSummary:
    """One term over the deals that disclose it: how many, and the spread when there are enough."""

    term: str
    values: tuple[float, ...]  # sorted: for the chart's strip
    low: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    high: float | None = None

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def enough(self) -> bool:
        return self.median is not None


@dataclass(frozen=True)
class Benchmark:
    scope: DealScope
    deals: int  # every deal in scope, disclosed or not
    terms: tuple[TermSummary, ...]

    def term(self, name: str) -> TermSummary:
        return next(t for t in self.terms if t.term == name)


def benchmark(db: Reader, scope: DealScope) -> Benchmark:
    """Upfront, total and upfront share of the deals in ``scope``."""
    where, params = deal_conditions(scope)
    rows = db.execute(
        f"""
        SELECT {UPFRONT_SQL}, {DEAL_VALUE_SQL}, {_BEYOND_UPFRONT}
        FROM facts f WHERE {where}
        """,
        params,
    ).fetchall()
    upfronts = [up for up, _, _ in rows if up is not None]
    totals = [value for _, value, beyond in rows if value is not None and beyond]
    shares = [up / value for up, value, beyond in rows if up and value and beyond]
    return Benchmark(
        scope=scope,
        deals=len(rows),
        terms=(
            summarise("upfront", upfronts),
            summarise("total", totals),
            summarise("share", shares),
        ),
    )


def summarise(term: str, values: list[float]) -> TermSummary:
    """The values sorted, with quartiles once there are ``MIN_DEALS`` of them."""
    ordered = tuple(sorted(values))
    if len(ordered) < MIN_DEALS:
        return TermSummary(term, ordered)
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return TermSummary(term, ordered, ordered[0], q1, median, q3, ordered[-1])
