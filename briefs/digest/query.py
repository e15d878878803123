"""The digest's reads: what a window of audit ids changed, counted and ranked in SQL.

A busy week adds thousands of facts but a digest shows a few dozen, so the window is judged,
counted and ranked in one statement over the audit trail, and only the facts the digest shows
are hydrated afterwards (``queries.fetch_facts``). The judgement is the one of
``queries.changes_since``: a fact counts by whether its snapshots show it live before its first
change in the window and after its last, never by action names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..model import DEAL_KINDS, DEAL_VALUE_SQL
from ..store import isotime

if TYPE_CHECKING:
    from sqlite_utils import Database

CHART_PERIODS = 12

_KINDS = ",".join(f"'{k}'" for k in DEAL_KINDS)


def _live(snapshot: str) -> str:
    """SQL: whether an audit snapshot shows the fact stored and not removed (``_live`` in queries)."""
    return (
        f"(CASE WHEN {snapshot} IS NULL THEN 0 "
        f"ELSE json_extract({snapshot}, '$.deleted_at') IS NULL END)"
    )


# Each fact touched in (after, until] with its net change. ``+a.entity`` keeps SQLite on the id
# range (a window is a thin slice of the trail) rather than the (entity, entity_id) index, which
# would walk every fact change ever made. Only a fact's first and last rows have their snapshots
# decoded; the middle ones are looked at only for a fact live at both ends (was it edited?).
_NET_CHANGES = f"""
    WITH span AS (
        SELECT a.entity_id AS fact_id, min(a.id) AS first_id, max(a.id) AS last_id
        FROM audit a
        WHERE +a.entity = 'fact' AND a.entity_id IS NOT NULL AND a.id > :after AND a.id <= :until
        GROUP BY a.entity_id
    ),
    ends AS (
        SELECT s.fact_id, s.first_id, s.last_id,
            {_live("first_step.before")} AS was_live, {_live("last_step.after")} AS is_live
        FROM span s
        JOIN audit first_step ON first_step.id = s.first_id
        JOIN audit last_step ON last_step.id = s.last_id
    ),
    net AS MATERIALIZED (
        SELECT fact_id, first_id,
            CASE
                WHEN NOT was_live AND is_live THEN 'added'
                WHEN was_live AND NOT is_live THEN 'removed'
                WHEN was_live AND EXISTS (
                    SELECT 1 FROM audit e
                    WHERE e.entity = 'fact' AND e.entity_id = fact_id
                        AND e.id BETWEEN first_id AND last_id
                        AND {_live("e.before")} AND {_live("e.after")}
                ) THEN 'edited'
            END AS change
        FROM ends
    ),
    item AS MATERIALIZED (
        SELECT n.fact_id, n.first_id, n.change,
            CASE
                WHEN n.change != 'added' THEN 'correction'
                WHEN f.kind IN ({_KINDS}) THEN 'deal'
                ELSE 'other'
            END AS section,
            CASE WHEN n.change = 'added' AND f.kind IN ({_KINDS}) THEN {DEAL_VALUE_SQL} END
                AS value_usd
        FROM net n JOIN facts f ON f.id = n.fact_id
        WHERE n.change = 'removed' OR (n.change IS NOT NULL AND f.deleted_at IS NULL)
    )
"""

# The window's totals per section, then the facts a digest shows: the largest deals, the biggest
# valued ones, other facts and corrections in the order they happened (edits before removals).
# One statement, so the window is judged once; each part is a pass over at most a week of rows,
# and (rank, tie) orders the facts inside each part.
_WINDOW_PICKS = f"""
    {_NET_CHANGES}
    SELECT 'totals' AS part, section, NULL, count(*), count(value_usd), total(value_usd),
        0 AS rank, 0 AS tie
    FROM item GROUP BY section
    UNION ALL SELECT * FROM (
        SELECT 'deals', section, fact_id, NULL, NULL, NULL, -coalesce(value_usd, 0), fact_id
        FROM item WHERE section = 'deal'
        ORDER BY coalesce(value_usd, 0) DESC, fact_id LIMIT :deals)
    UNION ALL SELECT * FROM (
        SELECT 'biggest', section, fact_id, NULL, NULL, NULL, -value_usd, fact_id
        FROM item WHERE section = 'deal' AND value_usd IS NOT NULL
        ORDER BY value_usd DESC, fact_id LIMIT :biggest)
    UNION ALL SELECT * FROM (
        SELECT 'others', section, fact_id, NULL, NULL, NULL, 0, first_id
        FROM item WHERE section = 'other'
        ORDER BY first_id LIMIT :others)
    UNION ALL SELECT * FROM (
        SELECT change, section, fact_id, NULL, NULL, NULL, change = 'removed', first_id
        FROM item WHERE section = 'correction'
        ORDER BY change = 'removed', first_id LIMIT :corrections)
    ORDER BY part, rank, tie
"""


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
class Caps:
    """How many items of each section a digest shows."""

    deals: int
    others: int
    corrections: int
    biggest: int


@dataclass(frozen=True)
class WindowPicks:
    """A window's totals and the ids of the facts its digest shows, in the order shown."""

    totals: Totals = Totals()
    deals: list[int] = field(default_factory=list)
    biggest: list[int] = field(default_factory=list)
    others: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)

    @property
    def fact_ids(self) -> list[int]:
        return [*self.deals, *self.biggest, *self.others, *self.edited, *self.removed]


def window_picks(db: Database, after_audit_id: int, until_audit_id: int, caps: Caps) -> WindowPicks:
    """Count the window (after, until] and pick the facts to show, without hydrating any.

    Net effects over the window: added then removed is nothing; removed then restored is not a
    removal; edits of a fact added in the window leave it "added". A corrected fact counts
    only while it still exists, a removed one always, as when hydrating them.
    """
    params = {
        "after": after_audit_id,
        "until": until_audit_id,
        "deals": caps.deals,
        "others": caps.others,
        "corrections": caps.corrections,
        "biggest": caps.biggest,
    }
    counts: dict[str, tuple[int, int, float]] = {}
    parts: dict[str, list[int]] = {}
    for part, section, fact_id, items, valued, value_sum, _, _ in db.execute(_WINDOW_PICKS, params):
        if part == "totals":
            counts[section] = (items, valued, value_sum)
        else:
            parts.setdefault(part, []).append(fact_id)
    deals, valued, value_usd = counts.get("deal", (0, 0, 0.0))
    return WindowPicks(
        totals=Totals(
            deals=deals,
            valued=valued,
            value_usd=value_usd,
            others=counts.get("other", (0,))[0],
            corrections=counts.get("correction", (0,))[0],
        ),
        deals=parts.get("deals", []),
        biggest=parts.get("biggest", []),
        others=parts.get("others", []),
        edited=parts.get("edited", []),
        removed=parts.get("removed", []),
    )


def window_totals(db: Database, after_audit_id: int, until_audit_id: int) -> Totals:
    """A window's totals alone (the previous period's, for the comparison line)."""
    nothing = Caps(deals=0, others=0, corrections=0, biggest=0)
    return window_picks(db, after_audit_id, until_audit_id, nothing).totals


# One seek in the ``audit_at`` index (migration m005): the newest row before the moment. Ids
# and timestamps grow together (one writer at a time, each row stamped as written), so this is
# the largest id before it; ``max(id) WHERE at < ?`` would walk back from the newest row through
# everything written since the moment.
AUDIT_ID_BEFORE = "SELECT id FROM audit WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1"


def audit_id_before(db: Database, moment: datetime) -> int:
    """The last audit id written before ``moment``: where a date-bounded window starts."""
    row = db.execute(AUDIT_ID_BEFORE, [isotime(moment)]).fetchone()
    return row[0] if row else 0


# An audit timestamp (``store.isotime``: whole seconds, with its UTC offset) in microseconds.
_MICROSECONDS = "(CAST(strftime('%s', {}) AS INTEGER) * 1000000)"

# New deals per period over the ``audit_at`` range of the twelve periods; ``+a.entity`` keeps
# SQLite off the (entity, entity_id) index, which would walk every fact change ever made.
CHART_POINTS = f"""
    SELECT min(({_MICROSECONDS.format("a.at")} - :first) / :length, :last), count(*),
        total({DEAL_VALUE_SQL})
    FROM audit a JOIN facts f ON f.id = a.entity_id
    WHERE +a.entity = 'fact' AND a.action = 'add' AND a.undoes IS NULL
        AND a.at >= :since AND a.at <= :until AND f.deleted_at IS NULL
        AND f.kind IN ({_KINDS})
    GROUP BY 1
"""


def chart_points(db: Database, *, end: datetime, length: timedelta) -> list[ChartPoint]:
    """New deals and their value in each of the last twelve periods ending at ``end``.

    Periods are counted in whole microseconds in SQL, so a change at the very start of a period
    falls in that period, and twelve rows come back however many deals there were.
    """
    starts = [end - length * (CHART_PERIODS - i) for i in range(CHART_PERIODS)]
    counts = [0] * CHART_PERIODS
    values = [0.0] * CHART_PERIODS
    rows = db.execute(
        CHART_POINTS,
        {
            "first": _microseconds(starts[0]),
            "length": length // timedelta(microseconds=1),
            "last": CHART_PERIODS - 1,
            "since": isotime(starts[0]),
            "until": isotime(end),
        },
    )
    for index, deals, value in rows:
        counts[index] += deals
        values[index] += value
    return [ChartPoint(s, c, v) for s, c, v in zip(starts, counts, values, strict=True)]


def _microseconds(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


@dataclass(frozen=True)
class EditSpan:
    """A fact's state before its first change in a window and after its last, with the
    reasons given on the way (oldest first): what a correction line shows."""

    before: dict | None
    after: dict | None
    reasons: list[str]


def edit_spans(db: Database, after: int, until: int, fact_ids: list[int]) -> dict[int, EditSpan]:
    """Each of ``fact_ids``' changes in (after, until], as one before → after."""
    spans: dict[int, EditSpan] = {}
    if not fact_ids:
        return spans
    rows = db.execute(
        "SELECT entity_id, before, after, reason FROM audit WHERE entity = 'fact' "
        "AND entity_id IN (SELECT value FROM json_each(?)) AND id > ? AND id <= ? ORDER BY id",
        [json.dumps(fact_ids), after, until],
    )
    for fact_id, before, after_json, reason in rows:
        span = spans.get(fact_id)
        first = span.before if span else (json.loads(before) if before else None)
        reasons = [*(span.reasons if span else []), *([reason] if reason else [])]
        spans[fact_id] = EditSpan(first, json.loads(after_json) if after_json else None, reasons)
    return spans
