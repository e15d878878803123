"""What a period's digest holds, and how it reads.

``build_digest`` is pure: changes in, a :class:`Digest` out. ``load_digest`` is the one function
that reads the database for it; "new" is decided by audit ids (``audit.id > after``), never by
dates, so an edit made late on a Sunday can neither be missed nor told twice. Dates only frame
the chart of the last twelve periods and the "period covered" line.

Long weeks are capped per section (the totals still count everything) so that a digest stays a
handful of messages however busy the week was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from .charts import stats_chart
from .digest_settings import (
    FIRST_PERIOD,
    Claim,
    DigestSettings,
    PostRecord,
    claim,
    last_posted,
    posts_before,
)
from .model import DEAL_KINDS, Fact, Source
from .queries import Changes, changes_since, fetch_facts, latest_audit_id
from .render import Page, render_template
from .store import isotime

CHART_PERIODS = 12
CHART_FILENAME = "digest-chart.png"
MAX_DEALS = 30
MAX_OTHERS = 15
MAX_CORRECTIONS = 15
MAX_BIGGEST = 5
OTHER_SECTOR = "Other sectors"


@dataclass(frozen=True)
class Totals:
    """Counts for one period; ``value_usd`` sums the deals that disclosed a value."""

    deals: int = 0
    valued: int = 0
    value_usd: float = 0.0
    others: int = 0
    corrections: int = 0


@dataclass(frozen=True)
class ChartPoint:
    start: datetime
    deals: int
    value_usd: float


@dataclass(frozen=True)
class SectorDeals:
    sector: str
    deals: list[Fact]
    value_usd: float


@dataclass(frozen=True)
class Digest:
    start: datetime
    end: datetime
    first_audit_id: int
    last_audit_id: int
    sectors: list[SectorDeals]
    others: list[Fact]
    edited: list[Fact]
    removed: list[Fact]
    biggest: list[Fact]
    totals: Totals
    previous: Totals | None
    chart: list[ChartPoint]
    sources: list[Source]
    hidden_deals: int = 0
    hidden_others: int = 0
    hidden_corrections: int = 0

    @property
    def quiet(self) -> bool:
        return not (self.sectors or self.others or self.edited or self.removed)


def deal_value(fact: Fact) -> float | None:
    """A deal's size in USD: its stated total, else upfront plus milestones."""
    total = fact.figure("total")
    if total and total.value_usd:
        return total.value_usd
    return fact.parts_usd


def build_digest(
    changes: Changes,
    removed: Sequence[Fact],
    *,
    start: datetime,
    end: datetime,
    after_audit_id: int,
    until_audit_id: int,
    previous: Totals | None = None,
    chart: Sequence[ChartPoint] = (),
) -> Digest:
    """Arrange a window's changes into a digest: deals by sector, other facts, corrections."""
    deals = [f for f in changes.added if f.is_deal]
    others = [f for f in changes.added if not f.is_deal]
    valued = [f for f in deals if deal_value(f)]
    biggest = sorted(valued, key=lambda f: (-(deal_value(f) or 0.0), f.id))[:MAX_BIGGEST]
    shown_deals = _largest_first(deals)[:MAX_DEALS]
    corrections = [*changes.edited, *removed]
    edited = changes.edited[:MAX_CORRECTIONS]
    shown_removed = list(removed[: max(0, MAX_CORRECTIONS - len(edited))])
    shown_others = others[:MAX_OTHERS]
    totals = Totals(
        deals=len(deals),
        valued=len(valued),
        value_usd=sum(deal_value(f) or 0.0 for f in valued),
        others=len(others),
        corrections=len(corrections),
    )
    shown = [*shown_deals, *shown_others, *edited, *shown_removed, *biggest]
    return Digest(
        start=start,
        end=end,
        first_audit_id=after_audit_id + 1,
        last_audit_id=until_audit_id,
        sectors=_by_sector(shown_deals),
        others=shown_others,
        edited=edited,
        removed=shown_removed,
        biggest=biggest,
        totals=totals,
        previous=previous,
        chart=list(chart),
        sources=_sources(shown),
        hidden_deals=len(deals) - len(shown_deals),
        hidden_others=len(others) - len(shown_others),
        hidden_corrections=len(corrections) - len(edited) - len(shown_removed),
    )


def _largest_first(deals: list[Fact]) -> list[Fact]:
    return sorted(deals, key=lambda f: (-(deal_value(f) or 0.0), f.id))


def _by_sector(deals: list[Fact]) -> list[SectorDeals]:
    """Sectors with the most deal value first; deals inside a sector largest first."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in deals:
        groups[fact.sector or OTHER_SECTOR].append(fact)
    sectors = [
        SectorDeals(name, facts, sum(deal_value(f) or 0.0 for f in facts))
        for name, facts in groups.items()
    ]
    return sorted(sectors, key=lambda s: (s.sector == OTHER_SECTOR, -s.value_usd, s.sector))


def _sources(facts: list[Fact]) -> list[Source]:
    unique = {f.source.id: f.source for f in facts}
    return sorted(unique.values(), key=lambda s: s.id)


# --- Reading the database ---------------------------------------------------------------------


def load_digest(
    db: Database,
    after_audit_id: int,
    until_audit_id: int,
    *,
    start: datetime,
    end: datetime,
    previous_range: tuple[int, int] | None = None,
) -> Digest:
    """Gather the window (after, until] and build its digest.

    ``previous_range`` is the (after, until) of the period before, for the comparison; without
    it the period of the same length before ``start`` is used, located by audit timestamps.
    """
    changes = changes_since(db, after_audit_id, until_audit_id=until_audit_id)
    removed_ids = [e.entity_id for e in changes.removed if e.entity_id is not None]
    removed = fetch_facts(db, removed_ids, include_deleted=True)
    length = max(end - start, timedelta(days=1))
    if previous_range is None:
        previous_range = (audit_id_before(db, start - length), after_audit_id)
    return build_digest(
        changes,
        removed,
        start=start,
        end=end,
        after_audit_id=after_audit_id,
        until_audit_id=until_audit_id,
        previous=period_totals(db, *previous_range),
        chart=chart_points(db, end=end, length=length),
    )


def audit_id_before(db: Database, moment: datetime) -> int:
    """The last audit id written before ``moment``: where a date-bounded window starts."""
    row = db.execute(
        "SELECT coalesce(max(id), 0) FROM audit WHERE at < ?", [isotime(moment)]
    ).fetchone()
    return row[0]


_DEAL_VALUE_SQL = """
    coalesce(
        (SELECT g.value_usd FROM figures g WHERE g.fact_id = f.id AND g.role = 'total'
            AND g.value_usd IS NOT NULL LIMIT 1),
        (SELECT sum(g.value_usd) FROM figures g WHERE g.fact_id = f.id
            AND g.role IN ('upfront', 'milestones') AND g.value_usd > 0)
    )
"""
_KINDS = ",".join(f"'{k}'" for k in DEAL_KINDS)


def period_totals(db: Database, after_audit_id: int, until_audit_id: int) -> Totals:
    """Totals of a past window, counted in SQL (facts added in it that are still live)."""
    deals, valued, value, others = db.execute(
        f"""
        SELECT coalesce(sum(f.kind IN ({_KINDS})), 0),
            coalesce(sum(f.kind IN ({_KINDS}) AND {_DEAL_VALUE_SQL} IS NOT NULL), 0),
            coalesce(sum(CASE WHEN f.kind IN ({_KINDS}) THEN {_DEAL_VALUE_SQL} END), 0.0),
            coalesce(sum(f.kind NOT IN ({_KINDS})), 0)
        FROM audit a JOIN facts f ON f.id = a.entity_id
        WHERE a.entity = 'fact' AND a.action = 'add' AND a.undoes IS NULL
            AND a.id > ? AND a.id <= ? AND f.deleted_at IS NULL
        """,
        [after_audit_id, until_audit_id],
    ).fetchone()
    (corrections,) = db.execute(
        "SELECT count(DISTINCT entity_id) FROM audit WHERE entity = 'fact' "
        "AND action IN ('edit', 'remove') AND id > ? AND id <= ?",
        [after_audit_id, until_audit_id],
    ).fetchone()
    return Totals(deals, valued, value, others, corrections)


def chart_points(db: Database, *, end: datetime, length: timedelta) -> list[ChartPoint]:
    """New deals and their value in each of the last twelve periods ending at ``end``."""
    starts = [end - length * (CHART_PERIODS - i) for i in range(CHART_PERIODS)]
    counts = [0] * CHART_PERIODS
    values = [0.0] * CHART_PERIODS
    rows = db.execute(
        f"""
        SELECT a.at, {_DEAL_VALUE_SQL}
        FROM audit a JOIN facts f ON f.id = a.entity_id
        WHERE a.entity = 'fact' AND a.action = 'add' AND a.undoes IS NULL
            AND a.at >= ? AND a.at <= ? AND f.deleted_at IS NULL AND f.kind IN ({_KINDS})
        """,
        [isotime(starts[0]), isotime(end)],
    )
    first = starts[0]
    for at, value in rows:
        index = min(int((datetime.fromisoformat(at) - first) / length), CHART_PERIODS - 1)
        if index >= 0:
            counts[index] += 1
            values[index] += value or 0.0
    return [ChartPoint(s, c, v) for s, c, v in zip(starts, counts, values, strict=True)]


@dataclass(frozen=True)
class _ChartRow:
    bucket: str
    deals: int
    usd_total: float


@dataclass(frozen=True)
class _ChartStats:
    """The shape ``charts.stats_chart`` draws: one row per period."""

    rows: list[_ChartRow]
    granularity: str = "week"
    period: str | None = None
    sector: str | None = None


def chart_png(digest: Digest) -> bytes:
    """The last twelve periods' new deals and value, drawn by the same chart as /stats."""
    rows = [_ChartRow(p.start.strftime("%m-%d"), p.deals, p.value_usd) for p in digest.chart]
    weekly = abs(digest.end - digest.start - timedelta(days=7)) < timedelta(hours=2)
    return stats_chart(_ChartStats(rows, granularity="week" if weekly else "period"))


# --- Rendering --------------------------------------------------------------------------------


def render_digest(
    digest: Digest,
    *,
    flavour: str = "discord",
    last_error: str | None = None,
    preview: bool = False,
    with_chart: bool = True,
) -> list[Page]:
    """The digest as pages; the first carries the chart image when one is attached."""
    pages = render_template(
        "digest.j2", flavour, digest=digest, last_error=last_error, preview=preview
    )
    if with_chart and flavour == "discord" and digest.chart:
        pages[0].image = f"attachment://{CHART_FILENAME}"
    return pages


# --- Digests as the ledger posts them -----------------------------------------------------------


def window(db: Database, settings: DigestSettings, end: datetime) -> tuple[int, int, datetime]:
    """(after, until, start) of a server's next digest: everything after its last posted
    digest (or, for a first digest, the week before ``end``) up to the newest change."""
    previous = last_posted(db, settings.guild_id)
    if previous is not None:
        after = previous.last_audit_id
        start = datetime.fromisoformat(previous.period_end or previous.claimed_at)
    else:
        start = end - FIRST_PERIOD
        after = audit_id_before(db, start)
    return after, max(after, latest_audit_id(db)), start


def claim_period(
    db: Database,
    settings: DigestSettings,
    key: str,
    *,
    end: datetime,
    now: datetime,
    retry_failed: bool = False,
) -> Claim:
    """Claim ``key`` for a server, recording the window it covers (see :func:`window`)."""
    after, until, start = window(db, settings, end)
    return claim(
        db,
        settings.guild_id,
        key,
        first_audit_id=after + 1,
        last_audit_id=until,
        period_start=start,
        period_end=end,
        now=now,
        retry_failed=retry_failed,
    )


def preview(db: Database, settings: DigestSettings, now: datetime) -> Digest:
    """The digest the server would get if it posted at ``now``; claims nothing."""
    after, until, start = window(db, settings, now)
    previous = last_posted(db, settings.guild_id)
    previous_range = (previous.first_audit_id - 1, previous.last_audit_id) if previous else None
    return load_digest(db, after, until, start=start, end=now, previous_range=previous_range)


def digest_for_post(db: Database, record: PostRecord) -> Digest:
    """The digest a claimed period holds: the same window every time it is (re)built."""
    before = posts_before(db, record.guild_id, record)
    previous_range = (before.first_audit_id - 1, before.last_audit_id) if before else None
    end = datetime.fromisoformat(record.period_end or record.claimed_at)
    start = datetime.fromisoformat(record.period_start) if record.period_start else end
    return load_digest(
        db,
        record.first_audit_id - 1,
        record.last_audit_id,
        start=start,
        end=end,
        previous_range=previous_range,
    )
