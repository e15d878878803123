"""Comparables: the stored deals most like one deal, each with why it matched.

A candidate scores for the same sector (less for a sibling under the same parent), the same
or a neighbouring stage, the same kind, the same flow (licensor's region to licensee's), a
shared territory, and an announcement close in time to the deal's. SQL scores the sector,
stage, kind and date of the candidates and sorts them; flow and territory are added here.
Candidates are read from the deal's own sector first (through an index), then the sectors
beside it, then the rest, and only while an unread one could still make the list.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .. import vocab
from ..errors import BadInput
from ..model import Fact
from ..queries import fetch_facts, get_fact

if TYPE_CHECKING:
    from ..store import Reader

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
WEIGHTS = {
    "sector": 3.0,
    "parent_sector": 1.5,
    "stage": 2.0,
    "near_stage": 1.0,
    "kind": 1.0,
    "flow": 2.0,
    "territory": 1.0,
    "recency": 1.0,
}
RECENCY_DAYS = 5 * 365  # a deal this far apart in time gets nothing for recency
BATCH = 200
_LATE = ("flow", "territory")  # the parts Python adds to SQL's score
_TIER = "/* tier */"  # where each tier's condition goes in the scoring query
STAGES = vocab.VOCAB.stages.keys


@dataclass(frozen=True)
class Reason:
    """Why a deal matched: ``what`` is a key of ``WEIGHTS``, ``detail`` what they share."""

    what: str
    detail: str


@dataclass(frozen=True)
class Match:
    fact: Fact
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Similar:
    fact: Fact
    matches: list[Match]


# A candidate as scored: (score, announced, fact id, reasons).
_Scored = tuple[float, str, int, tuple[Reason, ...]]


@dataclass(frozen=True)
class _Deal:
    """The columns a deal is compared on."""

    id: int
    kind: str
    sector: str | None
    stage: str | None
    period_start: str | None
    places: frozenset[str]
    flow: str | None


_COLUMNS = """
    f.id, f.kind, f.sector, f.stage, f.period_start, f.territory_in,
    (SELECT country FROM companies WHERE id = f.licensor_id),
    (SELECT country FROM companies WHERE id = f.licensee_id)
"""


def similar(db: Reader, fact_id: int, limit: int = DEFAULT_LIMIT) -> Similar:
    """The ``limit`` deals most like fact ``fact_id``, best first (newer first on a tie)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit out of range", code="bad_page", limit=limit, offset=0)
    fact = get_fact(db, fact_id)
    if not fact.is_deal:
        raise BadInput("not a deal", code="not_a_deal", fact_id=fact_id, kind=fact.kind)
    target = _deal(
        db.execute(f"SELECT {_COLUMNS} FROM facts f WHERE f.id = ?", [fact_id]).fetchone()
    )
    sql, params = _scored_sql(target)
    best: list[_Scored] = []
    for tier, ceiling in _tiers(target):
        best = _read(db, target, sql.replace(_TIER, tier), params, best, limit)
        if len(best) == limit and best[-1][0] > ceiling:
            break
    facts = {f.id: f for f in fetch_facts(db, [m[2] for m in best])}
    return Similar(fact, [Match(facts[i], round(s, 2), r) for s, _, i, r in best if i in facts])


def _read(
    db: Reader, target: _Deal, sql: str, params: dict, best: list[_Scored], limit: int
) -> list[_Scored]:
    """``best`` with the candidates of one tier merged in, read best first in batches from one
    sorted cursor until no unread one can score above the list's last (SQL's score plus flow
    and territory)."""
    cursor = db.execute(sql, params)
    while rows := cursor.fetchmany(BATCH):
        scored = {fact_id: (recency, score) for fact_id, recency, score in rows}
        compared = db.execute(
            f"SELECT {_COLUMNS} FROM facts f WHERE f.id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(scored))],
        )
        for row in compared:
            deal = _deal(row)
            reasons = _reasons(target, deal)
            score = sum(WEIGHTS[r.what] for r in reasons if r.what != "recency")
            best.append((score + scored[deal.id][0], deal.period_start or "", deal.id, reasons))
        best.sort(key=lambda m: (-m[0], _newest(m[1]), -m[2]))
        del best[limit:]
        if len(best) == limit and best[-1][0] > rows[-1][2] + _reachable(target, _LATE):
            break
    cursor.close()
    return best


def _tiers(target: _Deal) -> list[tuple[str, float]]:
    """Where candidates are read from, in turn, and the best score any later one can reach:
    the deal's own sector (an index finds it), the sectors beside it, then every other deal.
    Most lists are full of same-sector deals that no later tier can beat."""
    rest = _reachable(target, ("stage", "kind", "flow", "territory", "recency"))
    parent = _parent(target.sector)
    if parent is None:
        return [("1", -math.inf)]
    family = [key for key in vocab.VOCAB.sectors.within(parent) if key != target.sector]
    quoted = [f"'{key}'" for key in family]
    listed = ", ".join([*quoted, f"'{target.sector}'"])
    tiers = [("f.sector = :sector", rest + (WEIGHTS["parent_sector"] if family else 0.0))]
    if family:
        tiers.append((f"f.sector IN ({', '.join(quoted)})", rest))
    tiers.append((f"(f.sector IS NULL OR f.sector NOT IN ({listed}))", -math.inf))
    return tiers


def _reachable(target: _Deal, what: tuple[str, ...]) -> float:
    """The most these parts of the score can add for ``target``: nothing for what it lacks (a
    deal without a stage matches no stage), which lets the reading stop sooner."""
    lacks = {
        "stage": target.stage is None,
        "flow": target.flow is None,
        "territory": not target.places,
        "recency": target.period_start is None,
    }
    return sum(WEIGHTS[w] for w in what if not lacks.get(w, False))


def _newest(day: str) -> str:
    """A sort key putting later dates first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in day)


def _deal(row: tuple) -> _Deal:
    places = frozenset(p for p in (row[5] or "").split(",") if p)
    return _Deal(row[0], row[1], row[2], row[3], row[4], places, vocab.flow_of(row[6], row[7]))


def _scored_sql(target: _Deal) -> tuple[str, dict]:
    """Candidates' ids with the recency SQL gave them and their SQL score, best first."""
    parent = _parent(target.sector)
    stage_at = STAGES.index(target.stage) if target.stage in STAGES else None
    stage_cases = " ".join(f"WHEN '{key}' THEN {i}" for i, key in enumerate(STAGES))
    recency = (
        f"max(0.0, 1.0 - abs(julianday(f.period_start) - julianday(:day)) / {RECENCY_DAYS}.0)"
        f" * {WEIGHTS['recency']}"
        if target.period_start
        else "0.0"
    )
    siblings = vocab.VOCAB.sectors.within(parent) if parent else ()
    sibling_list = ", ".join(f"'{key}'" for key in siblings) or "NULL"
    scored = f"""
        coalesce({recency}, 0.0)
        + (CASE WHEN f.sector = :sector THEN {WEIGHTS["sector"]}
            WHEN f.sector IN ({sibling_list}) THEN {WEIGHTS["parent_sector"]} ELSE 0 END)
        + (CASE WHEN f.stage = :stage THEN {WEIGHTS["stage"]}
            WHEN abs((CASE f.stage {stage_cases} END) - :stage_at) = 1
            THEN {WEIGHTS["near_stage"]} ELSE 0 END)
        + (CASE WHEN f.kind = :kind THEN {WEIGHTS["kind"]} ELSE 0 END)
    """
    kinds = ", ".join(f"'{key}'" for key in vocab.VOCAB.deal_kinds)
    # Only ids and scores are sorted; the columns compared in Python are read per batch.
    sql = f"""
        SELECT f.id, coalesce({recency}, 0.0) AS recency, {scored} AS score
        FROM facts f
        WHERE f.deleted_at IS NULL AND f.kind IN ({kinds}) AND f.id != :id AND {_TIER}
        ORDER BY score DESC, f.period_start DESC, f.id DESC
    """
    params = {
        "id": target.id,
        "day": target.period_start,
        "sector": target.sector,
        "stage": target.stage,
        "stage_at": stage_at,
        "kind": target.kind,
    }
    return sql, params


def _parent(sector: str | None) -> str | None:
    """The broader sector a sector sits under, or the sector itself when it is a parent."""
    if sector is None or sector not in vocab.VOCAB.sectors:
        return None
    entry = vocab.VOCAB.sectors.entries[sector]
    return entry.parent or sector


def _reasons(target: _Deal, deal: _Deal) -> tuple[Reason, ...]:
    """What ``deal`` shares with ``target``, in the order of ``WEIGHTS``."""
    found: list[Reason] = []
    sectors = vocab.VOCAB.sectors
    if target.sector and deal.sector == target.sector:
        found.append(Reason("sector", sectors.label(deal.sector) or deal.sector))
    elif target.sector and _parent(deal.sector) and _parent(deal.sector) == _parent(target.sector):
        parent = _parent(target.sector)
        found.append(Reason("parent_sector", sectors.label(parent) or parent))
    stages = vocab.VOCAB.stages
    if target.stage and deal.stage == target.stage:
        found.append(Reason("stage", stages.label(deal.stage) or deal.stage))
    elif _near(target.stage, deal.stage):
        found.append(Reason("near_stage", stages.label(deal.stage) or deal.stage))
    if deal.kind == target.kind:
        found.append(Reason("kind", vocab.VOCAB.kinds.label(deal.kind) or deal.kind))
    if target.flow and deal.flow == target.flow:
        found.append(Reason("flow", deal.flow))
    shared = sorted(target.places & deal.places)
    if shared:
        found.append(
            Reason("territory", ", ".join(vocab.VOCAB.places.label(p) or p for p in shared))
        )
    months = _months_apart(target.period_start, deal.period_start)
    if months is not None and months * 30.44 < RECENCY_DAYS:
        found.append(Reason("recency", str(months)))
    return tuple(found)


def _near(first: str | None, second: str | None) -> bool:
    """Neighbouring stages of one ladder (Phase 1 and Phase 2), not the same one."""
    if first not in STAGES or second not in STAGES:
        return False
    return abs(STAGES.index(first) - STAGES.index(second)) == 1


def _months_apart(first: str | None, second: str | None) -> int | None:
    if not first or not second:
        return None
    a, b = date.fromisoformat(first[:10]), date.fromisoformat(second[:10])
    return round(abs((a - b).days) / 30.44)
