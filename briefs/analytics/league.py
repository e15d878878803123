"""League tables: who licenses out most, who licenses in most, and which way deals flow.

Each row counts deals, sums the disclosed upfronts and deal values (the one rule of
``model.DEAL_VALUE_SQL``), and counts the deals whose terms were not disclosed at all, so a
short sum beside many deals reads as "undisclosed", not as "small".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import vocab
from ..errors import BadInput
from ..model import DEAL_VALUE_SQL
from .scope import UPFRONT_SQL, DealScope, deal_conditions

if TYPE_CHECKING:
    from ..store import Reader

RANKINGS = ("licensors", "licensees", "flows")
DEFAULT_LIMIT = 10
MAX_LIMIT = 50

# What a row is grouped by, over ``facts f`` with the licensor ``lc`` and licensee ``le``
# companies joined for flows: the party's id, or "source region→target region".
_GROUP = {
    "licensors": "f.licensor_id",
    "licensees": "f.licensee_id",
    "flows": f"{vocab.region_sql('lc.country')} || '>' || {vocab.region_sql('le.country')}",
}
_JOIN = {
    "licensors": "",
    "licensees": "",
    "flows": " JOIN companies lc ON lc.id = f.licensor_id JOIN companies le ON le.id = f.licensee_id",
}


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    name: str
    deals: int
    upfront_deals: int  # deals that disclose an upfront
    upfront_usd: float
    valued_deals: int  # deals with a disclosed value (stated total, else upfront + milestones)
    value_usd: float
    undisclosed: int  # deals with no disclosed term at all


@dataclass(frozen=True)
class League:
    by: str
    scope: DealScope
    rows: list[LeagueRow]


def league(db: Reader, by: str, scope: DealScope, limit: int = DEFAULT_LIMIT) -> League:
    """The ``limit`` most active licensors, licensees or flows in ``scope``.

    Ranked by deals, then by disclosed value, then by name; deals whose party (or, for flows,
    either party's region) is unknown are left out, since they cannot be credited to anyone.
    """
    if by not in RANKINGS:
        raise BadInput(f"cannot rank by {by!r}", code="bad_ranking", value=by[:20])
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit out of range", code="bad_page", limit=limit, offset=0)
    where, params = deal_conditions(scope)
    if by != "flows":
        where, params = _contenders(db, by, where, params, limit)
    named = "(SELECT name FROM companies WHERE id = party)" if by != "flows" else "party"
    rows = db.execute(
        f"""
        WITH deal AS (
            SELECT {_GROUP[by]} AS party, {UPFRONT_SQL} AS upfront, {DEAL_VALUE_SQL} AS value
            FROM facts f{_JOIN[by]} WHERE {where}
        )
        SELECT {named} AS name, count(*) AS deals, count(upfront), total(upfront),
            count(value), total(value) AS value_sum, count(*) - count(value)
        FROM deal WHERE party IS NOT NULL GROUP BY party
        ORDER BY deals DESC, value_sum DESC, name COLLATE NOCASE LIMIT :limit
        """,
        {**params, "limit": -1 if by == "flows" else limit},
    ).fetchall()
    if by == "flows":  # a handful of region pairs: named and ordered here
        rows = sorted(
            ((_flow_label(row[0]), *row[1:]) for row in rows),
            key=lambda row: (-row[1], -row[5], row[0].casefold()),
        )
    return League(
        by=by,
        scope=scope,
        rows=[LeagueRow(rank, *row) for rank, row in enumerate(rows[:limit], start=1)],
    )


def _contenders(db: Reader, by: str, where: str, params: dict, limit: int) -> tuple[str, dict]:
    """``where`` narrowed to the parties that can make the table: those with at least as many
    deals as the ``limit``-th most active (ties are broken by value, so all of them stay).

    Counting deals reads no figures, so the terms are summed only for the contenders' deals:
    a table over every deal costs a count, not a look at each deal's figures.
    """
    column = _GROUP[by]
    # "+": group in a temporary tree rather than walk the party's own index in order, which
    # would visit every deal's row; the covering index of m015 then serves the whole count.
    counts = db.execute(
        f"SELECT count(*) AS deals FROM facts f WHERE {where} AND {column} IS NOT NULL "
        f"GROUP BY +{column} ORDER BY deals DESC LIMIT 1 OFFSET :last",
        {**params, "last": limit - 1},
    ).fetchone()
    if counts is None:  # fewer parties than places: every one of them is in
        return where, params
    return (
        f"{where} AND {column} IN (SELECT {column} FROM facts f WHERE {where} "
        f"GROUP BY +{column} HAVING count(*) >= :fewest)",
        {**params, "fewest": counts[0]},
    )


def _flow_label(pair: str) -> str:
    """ "Greater China → US" for the stored pair of region keys."""
    source, target = pair.split(">")
    label = vocab.VOCAB.regions.label
    return f"{label(source)} {vocab.ARROW} {label(target)}"
