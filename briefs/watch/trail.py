"""The cursor over the audit trail: each fact change, once, to the watches it meets.

One transaction reads the changes after the cursor, stores a delivery for every watch each
one meets and moves the cursor past them; so whichever process (bot, second bot) gets there
first does the work, and a crash before the commit leaves it all to do again. Only a fact
added (by hand or approved in review) or corrected counts; the curated data's own load is
not news, and neither is a removal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ..changes import CURATED_ACTOR
from ..queries import latest_audit_id
from ..store import isotime, writing
from .matcher import FactView, Rule, WatchIndex
from .watches import Target

if TYPE_CHECKING:
    from sqlite_utils import Database

CHANGES = {"add": "added", "edit": "corrected"}
# Changes read per transaction: a bulk import is worked through in several short writes.
STEP = 500


@dataclass
class MatcherCache:
    """The index of live watches, rebuilt only when a watch was added, removed or paused (the
    version in ``watch_state`` moves), by any process."""

    version: int = -1
    index: WatchIndex = field(default_factory=lambda: WatchIndex(()))
    targets: dict[int, Target] = field(default_factory=dict)

    def current(self, db: Database) -> WatchIndex:
        version = state(db, "version")
        if version != self.version:
            rows = db.execute(
                "SELECT id, after_audit_id, company_id, sector, keyword, min_upfront_usd, "
                "target_kind, target_id FROM watches "
                "WHERE removed_at IS NULL AND paused_at IS NULL"
            ).fetchall()
            self.index = WatchIndex(Rule(*row[:6]) for row in rows)
            self.targets = {row[0]: Target(row[6], row[7]) for row in rows}
            self.version = version
        return self.index


def state(db: Database, name: str) -> int:
    return db.execute("SELECT value FROM watch_state WHERE name = ?", [name]).fetchone()[0]


def advance(db: Database, cache: MatcherCache, now: datetime, *, step: int = STEP) -> int:
    """Match the changes after the cursor (up to ``step`` of them); return how many changes
    were read, so a caller catches up by calling again while it gets ``step``."""
    if state(db, "cursor") >= latest_audit_id(db):
        return 0  # nothing new: no need for the write lock
    with writing(db):
        cursor = state(db, "cursor")
        rows = db.execute(
            "SELECT id, entity, action, entity_id, actor, after FROM audit WHERE id > ? "
            "ORDER BY id LIMIT ?",
            [cursor, step],
        ).fetchall()
        if not rows:
            return 0
        index = cache.current(db)
        for audit_id, entity, action, fact_id, actor, after in rows:
            if entity != "fact" or action not in CHANGES or actor == CURATED_ACTOR or not after:
                continue
            snapshot = json.loads(after)
            if snapshot.get("deleted_at") is not None:
                continue
            for watch_id in index.match(FactView.of(audit_id, snapshot)):
                target = cache.targets[watch_id]
                db.execute(
                    "INSERT OR IGNORE INTO watch_deliveries (watch_id, audit_id, fact_id, change, "
                    "target_kind, target_id, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        watch_id,
                        audit_id,
                        fact_id,
                        CHANGES[action],
                        target.kind,
                        target.id,
                        isotime(now),
                    ],
                )
        db.execute("UPDATE watch_state SET value = ? WHERE name = 'cursor'", [rows[-1][0]])
    return len(rows)
