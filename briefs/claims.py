"""Claims held as leases: a digest post, a feeds review post, a batch of watch alerts.

Each ledger claims a row ('claimed', with ``claimed_at`` and ``lease_until``) before sending, so
that a sender that died is replaced once its lease runs out. The sender renews its lease while
Discord makes it wait; ``claimed_at`` tells its own claim from a later sender's takeover.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from .store import isotime, writing

if TYPE_CHECKING:
    from sqlite_utils import Database

# The ledgers' tables: a table name cannot be a query parameter, so only these are accepted.
LEDGERS = frozenset({"digest_posts", "feed_posts", "watch_batches"})


def renew_claim(
    db: Database, table: str, row_id: int, claimed_at: str, lease_until: datetime
) -> bool:
    """Extend this sender's claim to ``lease_until``; False once it is no longer this sender's
    (sent, failed, or taken over after its lease ran out)."""
    if table not in LEDGERS:
        raise ValueError(f"{table!r} is not a claim ledger")
    with writing(db):
        cursor = db.execute(
            f"UPDATE {table} SET lease_until = ? "
            "WHERE id = ? AND status = 'claimed' AND claimed_at = ?",
            [isotime(lease_until), row_id, claimed_at],
        )
    return cursor.rowcount == 1
