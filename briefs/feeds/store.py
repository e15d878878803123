"""Subscriptions and what each feed has taken: the rules of subscribing, falling due, choosing
the items to take, and recording each poll's result.

Feeds belong to a server (``guild_id``; 0 for the command line and the console). A feed is
due when its ``next_poll_at`` has passed; a failing feed waits longer after each failure, and
after a day of failures its server is told once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..changes import Actor
from ..errors import BadInput, Conflict, NotFound
from ..ingest.proposal import Proposal
from ..ingest.read import Document
from ..ingest.review import ingest_document
from ..store import isotime, writing
from ..text import parse_id
from .parse import FeedItem
from .urls import check_url

if TYPE_CHECKING:
    from sqlite_utils import Database

SHELL = 0  # the guild id of feeds added from the command line or the console
DEFAULT_INTERVAL = 60  # minutes
INTERVALS = (5, 24 * 60)  # shortest and longest interval, minutes
MAX_BACKFILL = 50
MAX_BACKOFF = timedelta(hours=6)
NOTICE_AFTER = timedelta(days=1)
MAX_ITEM_ATTEMPTS = 3  # an article that fails this many polls in a row is given up
SEEN_BATCH = 500  # keys per query, well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class Feed:
    id: int
    guild_id: int
    url: str
    added_url: str
    title: str | None
    interval_minutes: int
    backfill: int
    paused: bool
    baselined: bool
    etag: str | None
    last_modified: str | None
    added_at: str
    next_poll_at: str
    last_poll_at: str | None
    last_success_at: str | None
    last_error: str | None
    failing_since: str | None
    failures: int
    items_taken: int = 0

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class Selection:
    """The items a poll takes (oldest first), and whether more wait for the next poll."""

    take: list[FeedItem]
    backlog: bool


@dataclass
class Failure:
    """A failed poll; ``notice`` is True once per failing spell, after a day of failures."""

    feed: Feed
    code: str
    notice: bool = False
    channel_id: int | None = None


# --- Subscribing -----------------------------------------------------------------------------


def check_interval(minutes: int | None) -> int:
    if minutes is None:
        return DEFAULT_INTERVAL
    low, high = INTERVALS
    if not low <= minutes <= high:
        raise BadInput(
            f"the interval must be {low} to {high} minutes",
            code="bad_interval",
            value=str(minutes),
            low=low,
            high=high,
        )
    return minutes


def check_backfill(count: int | str | None) -> int:
    """A count of items as given (the console passes the typed text)."""
    if count is None:
        return 0
    if isinstance(count, str):
        if not count.strip().isdigit():
            raise BadInput(
                "backfill is a number", code="bad_backfill", value=count[:20], high=MAX_BACKFILL
            )
        count = int(count)
    if not 0 <= count <= MAX_BACKFILL:
        raise BadInput(
            f"backfill must be 0 to {MAX_BACKFILL}",
            code="bad_backfill",
            value=str(count),
            high=MAX_BACKFILL,
        )
    return count


def add_feed(
    db: Database,
    url: str,
    actor: Actor,
    *,
    guild_id: int = SHELL,
    interval: int | None = None,
    backfill: int | str | None = None,
    now: datetime,
) -> Feed:
    """Subscribe; the first poll (due at once) takes only what is published after ``now``,
    plus the ``backfill`` newest items already there."""
    url = check_url(url)
    minutes, count = check_interval(interval), check_backfill(backfill)
    with writing(db):
        if db.execute(
            "SELECT 1 FROM feeds WHERE guild_id = ? AND (url = ? OR added_url = ?)",
            [guild_id, url, url],
        ).fetchone():
            raise Conflict(f"{url} is already a feed here", code="feed_exists", value=url)
        cursor = db.execute(
            "INSERT INTO feeds (guild_id, url, added_url, interval_minutes, backfill, added_at, "
            "added_by, next_poll_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [guild_id, url, url, minutes, count, isotime(now), actor.name, isotime(now)],
        )
    return get_feed(db, guild_id, cursor.lastrowid)


def get_feed(db: Database, guild_id: int, feed_id: int | str) -> Feed:
    number = parse_id(feed_id, "feed") if isinstance(feed_id, str) else feed_id
    found = _select(db, "f.id = ? AND f.guild_id = ?", [number, guild_id])
    if not found:
        raise NotFound(f"no feed {number}", code="feed_not_found", id=number)
    return found[0]


def list_feeds(db: Database, guild_id: int) -> list[Feed]:
    return _select(db, "f.guild_id = ? ORDER BY f.id", [guild_id])


def set_paused(
    db: Database, guild_id: int, feed_id: int | str, paused: bool, now: datetime
) -> Feed:
    """Pause, or resume (due at once, so nothing waits a whole interval)."""
    feed = get_feed(db, guild_id, feed_id)
    with writing(db):
        db.execute(
            "UPDATE feeds SET paused = ?, next_poll_at = CASE WHEN ? THEN next_poll_at ELSE ? END "
            "WHERE id = ?",
            [int(paused), int(paused), isotime(now), feed.id],
        )
    return get_feed(db, guild_id, feed.id)


def remove_feed(db: Database, guild_id: int, feed_id: int | str) -> Feed:
    """Unsubscribe; the sources and proposals it brought stay."""
    feed = get_feed(db, guild_id, feed_id)
    with writing(db):
        db.execute("DELETE FROM feed_seen WHERE feed_id = ?", [feed.id])
        db.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
    return feed


def set_review_channel(db: Database, guild_id: int, channel_id: int) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO feed_channels (guild_id, channel_id) VALUES (?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id",
            [guild_id, channel_id],
        )


def review_channel(db: Database, guild_id: int) -> int | None:
    row = db.execute(
        "SELECT channel_id FROM feed_channels WHERE guild_id = ?", [guild_id]
    ).fetchone()
    return row[0] if row else None


# --- Polling ---------------------------------------------------------------------------------


def due_feeds(db: Database, now: datetime, owns: Callable[[int], bool] | None = None) -> list[Feed]:
    """Active feeds whose next poll has come, of the servers ``owns`` accepts."""
    feeds = _select(
        db, "f.paused = 0 AND f.next_poll_at <= ? ORDER BY f.next_poll_at", [isotime(now)]
    )
    return [f for f in feeds if owns is None or owns(f.guild_id)]


def select_items(
    db: Database, feed: Feed, items: Sequence[FeedItem], now: datetime, limit: int
) -> Selection:
    """The unseen items to take this poll, oldest first and at most ``limit``.

    On a subscription's first poll, items published before it was added (and undated ones)
    are passed over, all but the ``backfill`` newest; they are remembered as seen, so a later
    poll never takes them either.
    """
    fresh = _unseen(db, feed.id, items)
    passed: list[FeedItem] = []
    if not feed.baselined:
        added = datetime.fromisoformat(feed.added_at)
        newest_first = sorted(fresh, key=_published_key, reverse=True)
        kept = {id(i) for i in newest_first[: feed.backfill]}
        passed = [
            i for i in fresh if id(i) not in kept and (i.published is None or i.published <= added)
        ]
        fresh = [i for i in fresh if all(i is not p for p in passed)]
        with writing(db):
            for item in passed:
                _remember(db, feed.id, item, None)
            db.execute("UPDATE feeds SET baselined = 1 WHERE id = ?", [feed.id])
    ordered = sorted(fresh, key=_published_key)
    return Selection(ordered[:limit], len(ordered) > limit)


def is_seen(db: Database, feed_id: int, item: FeedItem) -> bool:
    marks = ",".join("?" * len(item.identities))
    sql = f"SELECT 1 FROM feed_seen WHERE feed_id = ? AND key IN ({marks})"
    return db.execute(sql, [feed_id, *item.identities]).fetchone() is not None


def take_item(
    db: Database,
    feed: Feed,
    item: FeedItem,
    doc: Document,
    proposals: list[Proposal] | None,
    now: datetime,
) -> int | None:
    """Store the article once and queue its proposals, and remember the item, in one
    transaction: a crash leaves both undone, and a second poller finds the item seen.
    Returns the feed item's id, or None if someone else took it first."""
    actor = Actor(f"feed:{feed.id}", guild_id=str(feed.guild_id) if feed.guild_id else None)
    with writing(db):
        if is_seen(db, feed.id, item):
            return None
        result = ingest_document(db, doc, actor, proposals=proposals)
        item_id = _item_row(
            db, feed, item, "taken", now, source_id=result.source_id, proposals=result.proposals
        )
        _remember(db, feed.id, item, item_id)
    return item_id


def skip_item(db: Database, feed: Feed, item: FeedItem, reason: str, now: datetime) -> None:
    """Give an item up for good (no link and no text, or its article failed too often)."""
    with writing(db):
        if is_seen(db, feed.id, item):
            return
        _remember(db, feed.id, item, _item_row(db, feed, item, "skipped", now, error=reason))


def item_failed(db: Database, feed: Feed, item: FeedItem, reason: str, now: datetime) -> bool:
    """Count a failed attempt at an item's article; True when it is now given up."""
    key = item.identities[0]
    with writing(db):
        row = db.execute(
            "SELECT id, attempts FROM feed_items WHERE feed_id = ? AND status = 'failing' "
            "AND item_key = ?",
            [feed.id, key],
        ).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO feed_items (feed_id, guild_id, status, item_key, title, link, "
                "attempts, error, taken_at) VALUES (?, ?, 'failing', ?, ?, ?, 1, ?, ?)",
                [feed.id, feed.guild_id, key, item.title, item.link, reason, isotime(now)],
            )
            return False
        if row[1] + 1 < MAX_ITEM_ATTEMPTS:
            db.execute(
                "UPDATE feed_items SET attempts = attempts + 1, error = ? WHERE id = ?",
                [reason, row[0]],
            )
            return False
        db.execute("DELETE FROM feed_items WHERE id = ?", [row[0]])
        skip_item(db, feed, item, reason, now)
    return True


def record_success(
    db: Database,
    feed: Feed,
    now: datetime,
    *,
    title: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    moved_to: str | None = None,
    backlog: bool = False,
) -> None:
    """A poll that worked. With a backlog, the validators are dropped so the next poll asks
    for the whole feed again instead of hearing "not modified" and missing what is left."""
    keep = not backlog
    with writing(db):
        db.execute(
            "UPDATE feeds SET url = coalesce(?, url), title = coalesce(?, title), etag = ?, "
            "last_modified = ?, last_poll_at = ?, last_success_at = ?, next_poll_at = ?, "
            "last_error = NULL, failing_since = NULL, failures = 0, failure_noticed = 0 "
            "WHERE id = ?",
            [
                moved_to,
                title,
                etag if keep else None,
                last_modified if keep else None,
                isotime(now),
                isotime(now),
                isotime(now + timedelta(minutes=feed.interval_minutes)),
                feed.id,
            ],
        )


def record_not_modified(db: Database, feed: Feed, now: datetime, moved_to: str | None) -> None:
    record_success(
        db, feed, now, etag=feed.etag, last_modified=feed.last_modified, moved_to=moved_to
    )


def record_failure(
    db: Database, feed: Feed, code: str, now: datetime, retry_after: float | None = None
) -> Failure:
    """A failed poll: retried after a doubling wait (or what the server asked); the first
    failure that finds the feed failing for a day claims the one notice to its server."""
    failures = feed.failures + 1
    wait = timedelta(minutes=feed.interval_minutes) * 2 ** min(failures - 1, 10)
    wait = min(wait, MAX_BACKOFF)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    with writing(db):
        db.execute(
            "UPDATE feeds SET last_poll_at = ?, last_error = ?, last_error_at = ?, "
            "failing_since = coalesce(failing_since, ?), failures = ?, next_poll_at = ? "
            "WHERE id = ?",
            [
                isotime(now),
                code,
                isotime(now),
                isotime(now),
                failures,
                isotime(now + wait),
                feed.id,
            ],
        )
        claimed = db.execute(
            "UPDATE feeds SET failure_noticed = 1 WHERE id = ? AND failure_noticed = 0 "
            "AND failing_since <= ?",
            [feed.id, isotime(now - NOTICE_AFTER)],
        ).rowcount
    updated = get_feed(db, feed.guild_id, feed.id)
    return Failure(updated, code, bool(claimed), review_channel(db, feed.guild_id))


# --- Reading ---------------------------------------------------------------------------------


def _select(db: Database, where: str, params: list) -> list[Feed]:
    rows = db.query(
        "SELECT f.*, (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id "
        f"AND i.status = 'taken') AS items_taken FROM feeds f WHERE {where}",
        params,
    )
    return [
        Feed(
            id=r["id"],
            guild_id=r["guild_id"],
            url=r["url"],
            added_url=r["added_url"],
            title=r["title"],
            interval_minutes=r["interval_minutes"],
            backfill=r["backfill"],
            paused=bool(r["paused"]),
            baselined=bool(r["baselined"]),
            etag=r["etag"],
            last_modified=r["last_modified"],
            added_at=r["added_at"],
            next_poll_at=r["next_poll_at"],
            last_poll_at=r["last_poll_at"],
            last_success_at=r["last_success_at"],
            last_error=r["last_error"],
            failing_since=r["failing_since"],
            failures=r["failures"],
            items_taken=r["items_taken"],
        )
        for r in rows
    ]


def _unseen(db: Database, feed_id: int, items: Sequence[FeedItem]) -> list[FeedItem]:
    """Items none of whose keys was seen; a feed listing one item twice gives it once."""
    keys = _seen_keys(db, feed_id, [key for item in items for key in item.identities])
    fresh = []
    for item in items:
        mine = set(item.identities)
        if mine & keys:
            continue
        keys |= mine
        fresh.append(item)
    return fresh


def _seen_keys(db: Database, feed_id: int, keys: list[str]) -> set[str]:
    """Which of ``keys`` the feed has seen, a few hundred per query."""
    found: set[str] = set()
    for start in range(0, len(keys), SEEN_BATCH):
        chunk = keys[start : start + SEEN_BATCH]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT key FROM feed_seen WHERE feed_id = ? AND key IN ({marks})"
        found |= {row[0] for row in db.execute(sql, [feed_id, *chunk])}
    return found


def _published_key(item: FeedItem) -> str:
    return isotime(item.published) if item.published else ""


def _remember(db: Database, feed_id: int, item: FeedItem, item_id: int | None) -> None:
    for key in item.identities:
        db.execute(
            "INSERT OR IGNORE INTO feed_seen (feed_id, key, item_id) VALUES (?, ?, ?)",
            [feed_id, key, item_id],
        )


def _item_row(
    db: Database,
    feed: Feed,
    item: FeedItem,
    status: str,
    now: datetime,
    *,
    source_id: int | None = None,
    proposals: list[int] | None = None,
    error: str | None = None,
) -> int:
    db.execute(
        "DELETE FROM feed_items WHERE feed_id = ? AND status = 'failing' AND item_key = ?",
        [feed.id, item.identities[0]],
    )
    cursor = db.execute(
        "INSERT INTO feed_items (feed_id, guild_id, status, item_key, title, link, source_id, "
        "proposal_ids, error, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            feed.id,
            feed.guild_id,
            status,
            item.identities[0],
            item.title,
            item.link,
            source_id,
            json.dumps(proposals or []),
            error,
            isotime(now),
        ],
    )
    return cursor.lastrowid
