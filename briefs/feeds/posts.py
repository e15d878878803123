"""The review post: one message per server per poll, listing what the feeds proposed.

Posting is claim, send, record, as for the digest. The claim is one transaction that creates
the post row and attaches every taken item not yet announced, so two pollers never list the
same proposals; the nonce is made from the post's id and sent with the message, which Discord
deduplicates. A claim is a lease: a sender that died is replaced, after the lease, by one that
sends the same post with the same nonce, so a crash between sending and recording does not
post twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..claims import renew_claim
from ..ingest.review import QueuedProposal, get_proposal
from ..nonces import stable_nonce
from ..store import isotime, writing
from .store import review_channel

if TYPE_CHECKING:
    from sqlite_utils import Database

LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class ReviewPost:
    id: int
    guild_id: int
    channel_id: int
    nonce: str
    proposal_ids: tuple[int, ...]
    claimed_at: str  # whose claim this is: a sender that took it over claimed it afresh


def make_nonce(guild_id: int, post_id: int) -> str:
    """Deterministic and at most 25 characters, Discord's limit for a nonce."""
    return stable_nonce("f", f"feeds:{guild_id}:{post_id}")


def waiting_guilds(db: Database) -> list[int]:
    """Servers with something to announce: taken items not yet in a post, or a post claimed."""
    rows = db.execute(
        "SELECT DISTINCT guild_id FROM feed_items WHERE guild_id != 0 AND status = 'taken' "
        "AND post_id IS NULL AND proposal_ids != '[]' "
        "UNION SELECT guild_id FROM feed_posts WHERE status = 'claimed'"
    )
    return [row[0] for row in rows]


def claim_post(db: Database, guild_id: int, now: datetime) -> ReviewPost | None:
    """The post this caller must send now, or None (nothing new, no review channel yet, or
    another sender holds a live claim)."""
    with writing(db):
        row = db.execute(
            "SELECT id, lease_until FROM feed_posts WHERE guild_id = ? AND status = 'claimed' "
            "ORDER BY id LIMIT 1",
            [guild_id],
        ).fetchone()
        if row is not None:
            if row[1] > isotime(now):
                return None
            db.execute(
                "UPDATE feed_posts SET claimed_at = ?, lease_until = ? WHERE id = ?",
                [isotime(now), isotime(now + LEASE), row[0]],
            )
            return _post(db, row[0])
        channel_id = review_channel(db, guild_id)
        items = [
            r[0]
            for r in db.execute(
                "SELECT id FROM feed_items WHERE guild_id = ? AND status = 'taken' "
                "AND post_id IS NULL AND proposal_ids != '[]' ORDER BY id",
                [guild_id],
            )
        ]
        if channel_id is None or not items:
            return None
        post_id = db.execute(
            "INSERT INTO feed_posts (guild_id, channel_id, status, nonce, claimed_at, lease_until) "
            "VALUES (?, ?, 'claimed', '', ?, ?)",
            [guild_id, channel_id, isotime(now), isotime(now + LEASE)],
        ).lastrowid
        db.execute(
            "UPDATE feed_posts SET nonce = ? WHERE id = ?", [make_nonce(guild_id, post_id), post_id]
        )
        marks = ",".join("?" * len(items))
        db.execute(f"UPDATE feed_items SET post_id = ? WHERE id IN ({marks})", [post_id, *items])
    return _post(db, post_id)


def renew(db: Database, post: ReviewPost, now: datetime) -> bool:
    """Extend this sender's claim while Discord makes it wait; False once another sender has
    taken the post over (its lease had run out)."""
    return renew_claim(db, "feed_posts", post.id, post.claimed_at, now + LEASE)


def mark_posted(db: Database, post: ReviewPost, message_id: int, now: datetime) -> None:
    with writing(db):
        db.execute(
            "UPDATE feed_posts SET status = 'posted', message_id = ?, posted_at = ?, error = NULL "
            "WHERE id = ?",
            [message_id, isotime(now), post.id],
        )


def release(db: Database, post: ReviewPost, error: str) -> None:
    """Discord refused the post for good (channel gone, no permission): its items go back to
    wait for the next post, after the review channel is fixed."""
    with writing(db):
        db.execute(
            "UPDATE feed_posts SET status = 'failed', error = ? WHERE id = ?",
            [error[:500], post.id],
        )
        db.execute("UPDATE feed_items SET post_id = NULL WHERE post_id = ?", [post.id])


def proposals_of(db: Database, post: ReviewPost) -> list[QueuedProposal]:
    return [get_proposal(db, number) for number in post.proposal_ids]


def _post(db: Database, post_id: int) -> ReviewPost:
    row = db.execute(
        "SELECT id, guild_id, channel_id, nonce, claimed_at FROM feed_posts WHERE id = ?",
        [post_id],
    ).fetchone()
    proposals = [
        number
        for (ids,) in db.execute(
            "SELECT proposal_ids FROM feed_items WHERE post_id = ? ORDER BY id", [post_id]
        )
        for number in json.loads(ids)
    ]
    return ReviewPost(row[0], row[1], row[2], row[3], tuple(proposals), row[4])
