"""The post ledger: one row per server and period, so that each period posts once.

A claim is an INSERT guarded by UNIQUE(guild_id, period_key), so however many triggers race, one
wins; the nonce the sender gives with the claim (``bot.schedule.make_nonce``) is kept for every
retry, so that Discord recognises a retry after a crash as the same message. A claim is a lease: its sender renews it while it sends (:func:`renew_lease`), and
no one else takes the post over until the lease has run out, however long Discord makes the
sender wait.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..claims import renew_claim
from ..store import isotime, writing
from .settings import clear_error, record_error, select_rows

if TYPE_CHECKING:
    from sqlite_utils import Database

# How long a claim holds before another process may take the post over (retrying it with its
# nonce). Longer than a whole send may take (bot.schedule.POST_TIMEOUT_SECONDS), and renewed by
# the sender while it sends, so only a sender that died loses its claim.
CLAIM_LEASE = timedelta(minutes=3)


@dataclass(frozen=True)
class PostRecord:
    id: int
    guild_id: int
    period_key: str
    status: str
    nonce: str
    message_ids: tuple[int, ...]
    first_audit_id: int
    last_audit_id: int
    period_start: str | None
    period_end: str | None
    claimed_at: str
    posted_at: str | None
    error: str | None
    lease_until: str | None = None


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim a period: ``won`` means this caller must send it."""

    won: bool
    record: PostRecord


def get_post(db: Database, guild_id: int, key: str) -> PostRecord | None:
    rows = select_rows(
        db, "SELECT * FROM digest_posts WHERE guild_id = ? AND period_key = ?", [int(guild_id), key]
    )
    return _record(rows[0]) if rows else None


def last_posted(db: Database, guild_id: int) -> PostRecord | None:
    """The most recent digest actually posted: its last audit id starts the next digest."""
    rows = select_rows(
        db,
        "SELECT * FROM digest_posts WHERE guild_id = ? AND status = 'posted' "
        "ORDER BY last_audit_id DESC, id DESC LIMIT 1",
        [int(guild_id)],
    )
    return _record(rows[0]) if rows else None


def posts_before(db: Database, guild_id: int, record: PostRecord) -> PostRecord | None:
    """The posted digest before ``record``: the 'previous period' its totals compare with."""
    rows = select_rows(
        db,
        "SELECT * FROM digest_posts WHERE guild_id = ? AND status = 'posted' AND id != ? "
        "AND last_audit_id < ? ORDER BY last_audit_id DESC, id DESC LIMIT 1",
        [int(guild_id), record.id, record.first_audit_id],
    )
    return _record(rows[0]) if rows else None


def history(db: Database, guild_id: int, *, limit: int = 10) -> list[PostRecord]:
    sql = "SELECT * FROM digest_posts WHERE guild_id = ? ORDER BY id DESC LIMIT ?"
    return [_record(row) for row in select_rows(db, sql, [int(guild_id), limit])]


def claim(
    db: Database,
    guild_id: int,
    key: str,
    *,
    first_audit_id: int,
    last_audit_id: int,
    period_start: datetime,
    period_end: datetime,
    nonce: str,
    now: datetime,
    retry_failed: bool = False,
) -> Claim:
    """Claim a period before sending it. Exactly one caller wins each period.

    A new period is inserted as 'claimed', with a lease of :data:`CLAIM_LEASE`. An existing one
    is won again only if its lease ran out (its sender died) or, when ``retry_failed``, if it
    failed; the retry keeps the original nonce and audit range so that Discord deduplicates and
    the content is the same.
    """
    lease_until = isotime(now + CLAIM_LEASE)
    with writing(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO digest_posts (guild_id, period_key, status, nonce, "
            "first_audit_id, last_audit_id, period_start, period_end, claimed_at, lease_until) "
            "VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?)",
            [
                int(guild_id),
                key,
                nonce,
                first_audit_id,
                last_audit_id,
                isotime(period_start),
                isotime(period_end),
                isotime(now),
                lease_until,
            ],
        )
        if cursor.rowcount == 1:
            return Claim(True, _must_get(db, guild_id, key))
        retry = ["(status = 'claimed' AND lease_until <= ?)"]
        if retry_failed:
            retry.append("status = 'failed'")
        cursor = db.execute(
            f"UPDATE digest_posts SET status = 'claimed', claimed_at = ?, lease_until = ?, "
            f"error = NULL WHERE guild_id = ? AND period_key = ? AND ({' OR '.join(retry)})",
            [isotime(now), lease_until, int(guild_id), key, isotime(now)],
        )
        return Claim(cursor.rowcount == 1, _must_get(db, guild_id, key))


def renew_lease(db: Database, record: PostRecord, *, now: datetime) -> bool:
    """Extend a claim being sent to ``now`` + :data:`CLAIM_LEASE`; False if the claim is no
    longer this sender's (posted, failed, or taken over after its lease ran out)."""
    return renew_claim(db, "digest_posts", record.id, record.claimed_at, now + CLAIM_LEASE)


def mark_posted(
    db: Database, record: PostRecord, message_ids: list[int], *, now: datetime
) -> PostRecord:
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET status = 'posted', message_ids = ?, posted_at = ?, "
            "error = NULL WHERE id = ?",
            [json.dumps([int(m) for m in message_ids]), isotime(now), record.id],
        )
    clear_error(db, record.guild_id)
    return _must_get(db, record.guild_id, record.period_key)


def record_progress(db: Database, record: PostRecord, message_ids: list[int]) -> None:
    """The messages of a claimed period sent so far: a retry resumes after them instead of
    sending them again (their nonces may be past Discord's memory by then)."""
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET message_ids = ? WHERE id = ? AND status = 'claimed'",
            [json.dumps([int(m) for m in message_ids]), record.id],
        )


def mark_failed(db: Database, record: PostRecord, error: str, *, now: datetime) -> PostRecord:
    """The post did not go out: keep the reason on the row and as the server's last error."""
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET status = 'failed', error = ? WHERE id = ? AND status = 'claimed'",
            [error[:500], record.id],
        )
    record_error(db, record.guild_id, error, now=now)
    return _must_get(db, record.guild_id, record.period_key)


def mark_skipped(
    db: Database, guild_id: int, key: str, reason: str, *, nonce: str, now: datetime
) -> PostRecord | None:
    """Record a period that will not be posted (missed by too much); None if it had a row."""
    with writing(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO digest_posts (guild_id, period_key, status, nonce, claimed_at, "
            "error) VALUES (?, ?, 'skipped', ?, ?, ?)",
            [int(guild_id), key, nonce, isotime(now), reason[:500]],
        )
    return _must_get(db, guild_id, key) if cursor.rowcount == 1 else None


def _must_get(db: Database, guild_id: int, key: str) -> PostRecord:
    record = get_post(db, guild_id, key)
    if record is None:
        raise LookupError(f"digest post {guild_id}/{key} vanished")
    return record


def _record(data: dict) -> PostRecord:
    return PostRecord(
        id=data["id"],
        guild_id=data["guild_id"],
        period_key=data["period_key"],
        status=data["status"],
        nonce=data["nonce"],
        message_ids=tuple(json.loads(data["message_ids"] or "[]")),
        first_audit_id=data["first_audit_id"],
        last_audit_id=data["last_audit_id"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        claimed_at=data["claimed_at"],
        posted_at=data["posted_at"],
        error=data["error"],
        lease_until=data["lease_until"],
    )
