"""``dealbrief feed``: subscribe to feeds and poll them from a shell or a cron job.

Feeds added here belong to no Discord server (the console shares them); ``feed poll`` polls
every due one once and says what it took, which lands in the review queue like an upload.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ..changes import Actor
from ..render import render_template, to_text
from ..store import open_db, utcnow
from . import store
from .poll import Poller
from .settings import FeedSettings

if TYPE_CHECKING:
    from sqlite_utils import Database


def say(what: str, **context: Any) -> None:
    click.echo(
        to_text(render_template("feeds.j2", "text", commands="cli", what=what, **context)).rstrip()
    )


def _db(ctx: click.Context) -> Database:
    return open_db(ctx.find_root().obj["db_path"])


@click.group("feed")
def feed_command() -> None:
    """Subscribe to RSS, Atom and JSON feeds; their new articles are read into the review queue."""


@feed_command.command("add")
@click.argument("url")
@click.option(
    "--backfill", type=int, default=None, help="Also take the N newest items already there."
)
@click.option("--interval", type=int, default=None, help="Minutes between polls (default 60).")
@click.pass_context
def add(ctx: click.Context, url: str, backfill: int | None, interval: int | None) -> None:
    """Subscribe to a feed; it takes what is published from now on."""
    feed = store.add_feed(
        _db(ctx), url, Actor.shell(), interval=interval, backfill=backfill, now=utcnow()
    )
    say("added", feed=feed)


@feed_command.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """The feeds and how each is doing."""
    say("list", feeds=store.list_feeds(_db(ctx), store.SHELL))


@feed_command.command("status")
@click.argument("feed_id", required=False)
@click.pass_context
def status(ctx: click.Context, feed_id: str | None) -> None:
    """Last success, last error and next poll, of one feed or all."""
    db = _db(ctx)
    feeds = (
        [store.get_feed(db, store.SHELL, feed_id)] if feed_id else store.list_feeds(db, store.SHELL)
    )
    say("status", feeds=feeds)


def _change(name: str, action: Callable[[Database, str], store.Feed], doc: str) -> None:
    @feed_command.command(name, help=doc)
    @click.argument("feed_id")
    @click.pass_context
    def command(ctx: click.Context, feed_id: str) -> None:
        say(name + "d" if name.endswith("e") else name + "ed", feed=action(_db(ctx), feed_id))


_change(
    "pause",
    lambda db, f: store.set_paused(db, store.SHELL, f, True, utcnow()),
    "Stop polling a feed.",
)
_change(
    "resume",
    lambda db, f: store.set_paused(db, store.SHELL, f, False, utcnow()),
    "Poll a paused feed again.",
)
_change(
    "remove",
    lambda db, f: store.remove_feed(db, store.SHELL, f),
    "Unsubscribe (what it brought stays).",
)


@feed_command.command("poll")
@click.pass_context
def poll(ctx: click.Context) -> None:
    """Poll every due feed once (for cron and tests)."""
    db = _db(ctx)

    async def inline(func: Callable[..., Any], *args: Any) -> Any:
        return func(db, *args)

    poller = Poller(inline, FeedSettings.from_env(), clock=utcnow)
    report = asyncio.run(poller.poll_due(lambda guild_id: guild_id == store.SHELL))
    say("polled", report=report)
