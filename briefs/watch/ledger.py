"""The delivery ledger: batches of deliveries, each claimed before it is sent.

A target's deliveries wait :data:`BATCH_WINDOW` after the first of them, so the facts of a
busy minute go out as one message. Claiming puts them in a batch (one message, with a nonce
made from the batch, so a retry is recognised by Discord as the same message) in one write;
whoever claims first sends. A claim is a lease its sender renews while it sends; a sender that
died leaves a claim whose lease runs out, and the next process takes the same batch over with
the same nonce. Only then is the batch marked sent, or failed when the target refused it for
good (closed direct messages, a deleted channel), which counts towards pausing its watches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..claims import renew_claim
from ..nonces import stable_nonce
from ..store import isotime, writing
from .watches import Target, record_failure, record_success

if TYPE_CHECKING:
    from sqlite_utils import Database

# Facts for one target within this span of the first go out as one message; with the bot's
# poll every few seconds, an alert still leaves within a minute.
BATCH_WINDOW = timedelta(seconds=40)
# How long a claim holds without renewal: short, so a crashed sender's batch goes out soon;
# the sender renews it far more often while Discord makes it wait.
CLAIM_LEASE = timedelta(seconds=20)
NONCE_PREFIX = "w"


@dataclass(frozen=True)
class Item:
    """One fact of a batch: its latest change and the watches it met."""

    fact_id: int
    change: str
    watch_ids: tuple[int, ...]


@dataclass(frozen=True)
class Batch:
    id: int
    target: Target
    nonce: str
    claimed_at: str
    items: tuple[Item, ...]


def make_nonce(batch_id: int) -> str:
    """A batch's nonce: fixed for the batch, at most Discord's 25 characters."""
    return stable_nonce(NONCE_PREFIX, f"watch-batch:{batch_id}")


def claim_next(db: Database, now: datetime, *, window: timedelta = BATCH_WINDOW) -> Batch | None:
    """Claim the next batch to send: an abandoned claim first (its lease ran out), else the
    pending deliveries of a target whose oldest has waited ``window``. None: nothing due."""
    stamp, until = isotime(now), isotime(now + CLAIM_LEASE)
    with writing(db):
        row = db.execute(
            "SELECT id FROM watch_batches WHERE status = 'claimed' AND lease_until <= ? "
            "ORDER BY id LIMIT 1",
            [stamp],
        ).fetchone()
        if row is not None:
            db.execute(
                "UPDATE watch_batches SET claimed_at = ?, lease_until = ? WHERE id = ?",
                [stamp, until, row[0]],
            )
            return _batch(db, row[0])
        due = db.execute(
            "SELECT d.target_kind, d.target_id FROM watch_deliveries d "
            "JOIN watches w ON w.id = d.watch_id "
            "WHERE d.batch_id IS NULL AND w.removed_at IS NULL AND w.paused_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM watch_batches b WHERE b.status = 'claimed' "
            "    AND b.target_kind = d.target_kind AND b.target_id = d.target_id) "
            "GROUP BY d.target_kind, d.target_id HAVING min(d.matched_at) <= ? "
            "ORDER BY min(d.id) LIMIT 1",
            [isotime(now - window)],
        ).fetchone()
        if due is None:
            return None
        batch_id = db.execute(
            "INSERT INTO watch_batches (target_kind, target_id, status, nonce, claimed_at, "
            "lease_until) VALUES (?, ?, 'claimed', '', ?, ?)",
            [due[0], due[1], stamp, until],
        ).lastrowid
        db.execute(
            "UPDATE watch_batches SET nonce = ? WHERE id = ?", [make_nonce(batch_id), batch_id]
        )
        db.execute(
            "UPDATE watch_deliveries SET batch_id = ? WHERE batch_id IS NULL "
            "AND target_kind = ? AND target_id = ? AND watch_id IN "
            "(SELECT id FROM watches WHERE removed_at IS NULL AND paused_at IS NULL)",
            [batch_id, due[0], due[1]],
        )
        return _batch(db, batch_id)


def renew_lease(db: Database, batch: Batch, now: datetime) -> bool:
    """Extend this sender's claim; False if it is no longer this sender's."""
    return renew_claim(db, "watch_batches", batch.id, batch.claimed_at, now + CLAIM_LEASE)


def mark_sent(db: Database, batch: Batch, message_id: int | None, now: datetime) -> None:
    """The message is out (``None``: nothing was left to say, every fact since removed)."""
    with writing(db):
        done = db.execute(
            "UPDATE watch_batches SET status = 'sent', message_id = ?, sent_at = ?, error = NULL "
            "WHERE id = ? AND status = 'claimed'",
            [message_id, isotime(now), batch.id],
        )
        if done.rowcount and message_id is not None:
            record_success(db, batch.target)


def mark_failed(db: Database, batch: Batch, error: str, now: datetime) -> None:
    """The target refused the message for good: keep the reason, count it on its watches."""
    with writing(db):
        done = db.execute(
            "UPDATE watch_batches SET status = 'failed', error = ?, sent_at = ? "
            "WHERE id = ? AND status = 'claimed'",
            [error[:200], isotime(now), batch.id],
        )
        if done.rowcount:
            record_failure(db, batch.target, error)


def _batch(db: Database, batch_id: int) -> Batch:
    kind, target_id, nonce, claimed_at = db.execute(
        "SELECT target_kind, target_id, nonce, claimed_at FROM watch_batches WHERE id = ?",
        [batch_id],
    ).fetchone()
    items: dict[int, tuple[str, list[int]]] = {}
    for fact_id, change, watch_id in db.execute(
        "SELECT fact_id, change, watch_id FROM watch_deliveries WHERE batch_id = ? "
        "ORDER BY audit_id, watch_id",
        [batch_id],
    ):
        told, watch_ids = items.get(fact_id, (change, []))
        if watch_id not in watch_ids:
            watch_ids.append(watch_id)
        items[fact_id] = ("added" if "added" in (told, change) else change, watch_ids)
    return Batch(
        id=batch_id,
        target=Target(kind, target_id),
        nonce=nonce,
        claimed_at=claimed_at,
        items=tuple(Item(f, c, tuple(w)) for f, (c, w) in items.items()),
    )
