"""What each /feed command answers, as pages: shared by the cog and the console, both of which
only translate options. The rules are ``briefs.feeds.store``'s."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from briefs.changes import Actor
from briefs.feeds import store
from briefs.render import Page, render_template

if TYPE_CHECKING:
    from sqlite_utils import Database

TEMPLATE = "feeds.j2"


def add(
    db: Database,
    guild_id: int,
    actor: Actor,
    url: str,
    interval: int | None,
    backfill: int | None,
    channel_id: int | None,
    channel_label: str | None,
    now: datetime,
    flavour: str = "discord",
) -> list[Page]:
    """Subscribe; a review channel given (or the server's first) becomes the server's one."""
    feed = store.add_feed(
        db, url, actor, guild_id=guild_id, interval=interval, backfill=backfill, now=now
    )
    if channel_id is not None:
        store.set_review_channel(db, guild_id, channel_id)
    return render_template(TEMPLATE, flavour, what="added", feed=feed, channel=channel_label)


def listing(db: Database, guild_id: int, flavour: str = "discord") -> list[Page]:
    return render_template(TEMPLATE, flavour, what="list", feeds=store.list_feeds(db, guild_id))


def status(
    db: Database, guild_id: int, feed_id: int | None, flavour: str = "discord"
) -> list[Page]:
    feeds = (
        [store.get_feed(db, guild_id, feed_id)]
        if feed_id is not None
        else store.list_feeds(db, guild_id)
    )
    return render_template(TEMPLATE, flavour, what="status", feeds=feeds)


def pause(
    db: Database, guild_id: int, feed_id: int, paused: bool, now: datetime, flavour: str = "discord"
) -> list[Page]:
    feed = store.set_paused(db, guild_id, feed_id, paused, now)
    return render_template(TEMPLATE, flavour, what="paused" if paused else "resumed", feed=feed)


def remove(db: Database, guild_id: int, feed_id: int, flavour: str = "discord") -> list[Page]:
    feed = store.remove_feed(db, guild_id, feed_id)
    return render_template(TEMPLATE, flavour, what="removed", feed=feed)
