"""What a period's digest holds, and how it reads.

``build_digest`` is pure: a window's picks and facts in, a :class:`Digest` out. ``load_digest``
is the one function that reads the database for it (through ``briefs.digest.query``); "new" is decided by audit ids (``audit.id > after``), never by
dates, so an edit made late on a Sunday can neither be missed nor told twice. Dates only frame
the chart of the last twelve periods and the "period covered" line.

Long weeks are capped per section (the totals still count everything) so that a digest stays a
handful of messages however busy the week was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..charts import stats_chart
from ..diffs import FieldChange, fact_changes
from ..model import Fact, Source
from ..queries import fetch_facts, latest_audit_id
from ..render import Page, render_template
from ..store import reading
from ..vocab import VOCAB
from .ledger import Claim, PostRecord, claim, last_posted, posts_before
from .query import (
    Caps,
    ChartPoint,
    Totals,
    WindowPicks,
    audit_id_before,
    chart_points,
    edit_spans,
    window_picks,
    window_totals,
)
from .schedule import FIRST_PERIOD
from .settings import DigestSettings

if TYPE_CHECKING:
    from sqlite_utils import Database

CHART_FILENAME = "digest-chart.png"
MAX_DEALS = 30
MAX_OTHERS = 15
MAX_CORRECTIONS = 15
MAX_BIGGEST = 5
OTHER_SECTOR = "Other sectors"
CAPS = Caps(deals=MAX_DEALS, others=MAX_OTHERS, corrections=MAX_CORRECTIONS, biggest=MAX_BIGGEST)


@dataclass(frozen=True)
class SectorDeals:
    sector: str
    deals: list[Fact]
    value_usd: float


@dataclass(frozen=True)
class Correction:
    """What a week's edits changed in one fact (old → new per field) and the reasons given."""

    changes: list[FieldChange]
    reasons: list[str]


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
    corrections: Mapping[int, Correction] = field(default_factory=dict)

    @property
    def quiet(self) -> bool:
        return not (self.sectors or self.others or self.edited or self.removed)


def build_digest(
    picks: WindowPicks,
    facts: Mapping[int, Fact],
    *,
    start: datetime,
    end: datetime,
    after_audit_id: int,
    until_audit_id: int,
    previous: Totals | None = None,
    chart: Sequence[ChartPoint] = (),
    corrections: Mapping[int, Correction] | None = None,
) -> Digest:
    """Arrange a window's picked facts into a digest: deals by sector, other facts, corrections.

    ``facts`` holds the hydrated facts by id; the totals (and so the "N more" lines) count the
    whole window, the lists only what is shown.
    """

    def shown(ids: list[int]) -> list[Fact]:
        return [facts[i] for i in ids if i in facts]

    deals, others, edited, removed, biggest = (
        shown(picks.deals),
        shown(picks.others),
        shown(picks.edited),
        shown(picks.removed),
        shown(picks.biggest),
    )
    totals = picks.totals
    return Digest(
        start=start,
        end=end,
        first_audit_id=after_audit_id + 1,
        last_audit_id=until_audit_id,
        sectors=_by_sector(deals),
        others=others,
        edited=edited,
        removed=removed,
        biggest=biggest,
        totals=totals,
        previous=previous,
        chart=list(chart),
        sources=_sources([*deals, *others, *edited, *removed, *biggest]),
        hidden_deals=totals.deals - len(deals),
        hidden_others=totals.others - len(others),
        hidden_corrections=totals.corrections - len(edited) - len(removed),
        corrections=dict(corrections or {}),
    )


def _by_sector(deals: list[Fact]) -> list[SectorDeals]:
    """Sectors with the most deal value first; deals inside a sector largest first."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in deals:
        groups[VOCAB.sectors.label(fact.sector) or OTHER_SECTOR].append(fact)
    sectors = [
        SectorDeals(name, facts, sum(f.value_usd or 0.0 for f in facts))
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

    The window is counted and ranked in SQL and only the facts shown are hydrated: a few dozen
    however busy the week (``briefs.digest.query``). All of it is read in one transaction, so
    the facts shown are in the state the picks judged, whatever other connections write:
    Python's ``sqlite3`` (before 3.12) begins a transaction only before a write, so each
    SELECT would otherwise see what is committed when it runs. ``store.reading()`` issues a
    deferred ``BEGIN`` (the snapshot is taken at the first read; in WAL mode writers carry on),
    or joins a caller's open transaction, whose reads already share one state.
    ``previous_range`` is the (after, until) of the period before, for the comparison; without
    it the period of the same length before ``start`` is used, located by audit timestamps.
    """
    length = period_length(start, end)
    with reading(db):  # one read snapshot: see the docstring
        picks = window_picks(db, after_audit_id, until_audit_id, CAPS)
        facts = fetch_facts(db, picks.fact_ids, include_deleted=True)
        if previous_range is None:
            previous_range = (audit_id_before(db, start - length), after_audit_id)
        previous = window_totals(db, *previous_range)
        chart = chart_points(db, end=end, length=length)
        spans = edit_spans(db, after_audit_id, until_audit_id, picks.edited)
        corrections = {
            fact_id: Correction(fact_changes(db, span.before, span.after), span.reasons)
            for fact_id, span in spans.items()
        }
    return build_digest(
        picks,
        {fact.id: fact for fact in facts},
        start=start,
        end=end,
        after_audit_id=after_audit_id,
        until_audit_id=until_audit_id,
        previous=previous,
        chart=chart,
        corrections=corrections,
    )


def period_length(start: datetime, end: datetime) -> timedelta:
    """The length of the chart's periods and of the period compared with: at least a day."""
    return max(end - start, timedelta(days=1))


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
    return stats_chart(
        _ChartStats(rows, granularity="week" if weekly else "period"), counts="added"
    )


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
    digest up to the newest change.

    A first digest covers the week before ``end``, but lists nothing the knowledge base held
    when the server switched its digest on (``switched_on_audit_id``): a bot that loaded the
    curated facts that week would otherwise present all of them as new deals. The week still
    frames the title, the chart and the comparison with the week before.
    """
    previous = last_posted(db, settings.guild_id)
    if previous is not None:
        after = previous.last_audit_id
        start = datetime.fromisoformat(previous.period_end or previous.claimed_at)
    else:
        start = end - FIRST_PERIOD
        after = max(audit_id_before(db, start), settings.switched_on_audit_id or 0)
    return after, max(after, latest_audit_id(db)), start


def claim_period(
    db: Database,
    settings: DigestSettings,
    key: str,
    *,
    end: datetime,
    nonce: str,
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
        nonce=nonce,
        now=now,
        retry_failed=retry_failed,
    )


def previous_range(
    db: Database, before: PostRecord | None, start: datetime, end: datetime
) -> tuple[int, int]:
    """The window a digest's totals are compared with: the digest posted before it, or for a
    first digest the period of the same length before ``start``. That one ends where ``start``
    is, not where the first digest's window begins: what lies between was already known when
    the digest was switched on, and belongs to neither period."""
    if before is not None:
        return before.first_audit_id - 1, before.last_audit_id
    return audit_id_before(db, start - period_length(start, end)), audit_id_before(db, start)


def preview(db: Database, settings: DigestSettings, now: datetime) -> Digest:
    """The digest the server would get if it posted at ``now``; claims nothing."""
    after, until, start = window(db, settings, now)
    compared = previous_range(db, last_posted(db, settings.guild_id), start, now)
    return load_digest(db, after, until, start=start, end=now, previous_range=compared)


def digest_for_post(db: Database, record: PostRecord) -> Digest:
    """The digest a claimed period holds: the same window every time it is (re)built."""
    end = datetime.fromisoformat(record.period_end or record.claimed_at)
    start = datetime.fromisoformat(record.period_start) if record.period_start else end
    before = posts_before(db, record.guild_id, record)
    return load_digest(
        db,
        record.first_audit_id - 1,
        record.last_audit_id,
        start=start,
        end=end,
        previous_range=previous_range(db, before, start, end),
    )
