"""The real bot as a subprocess, killed with SIGKILL in the middle of a poll (while the
loopback server holds an article), then started again: every item is taken exactly once and
the review post goes out once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from pathlib import Path

import pytest
from aiohttp import web
from feed_server import article_html, rss, rss_item, serving

from briefs.changes import Actor
from briefs.feeds import store
from briefs.store import open_db, utcnow


@pytest.fixture
def feed_server():
    yield from serving()


def start_bot(db_path: Path, tmp_path: Path, standin) -> asyncio.Future:
    config = tmp_path / "dealbrief.toml"
    config.write_text("[bot]\nload_curated = false\n", encoding="utf-8")
    environ = {
        **os.environ,
        "DISCORD_TOKEN": standin.token,
        "DISCORD_API_BASE": standin.api_base,
        "DEALBRIEF_COGS": "bot.cogs.feeds",
        "DEALBRIEF_ALLOW_PRIVATE_URLS": "1",
        "DEALBRIEF_FEED_HOST_SPACING": "0",
    }
    argv = ["-c", "from bot.entry import cli; cli()", "--db", str(db_path), "bot"]
    return asyncio.create_subprocess_exec(
        sys.executable,
        *argv,
        "--config",
        str(config),
        env=environ,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_a_poll_killed_midway_takes_each_item_once_and_posts_once(
    tmp_path, standin, feed_server
):
    db_path = tmp_path / "kb.db"
    deals = standin.guild.channel("deals")
    db = open_db(db_path)
    store.add_feed(
        db,
        feed_server.url("/feed"),
        Actor("test"),
        guild_id=standin.guild.id,
        backfill=3,
        now=utcnow(),
    )
    store.set_review_channel(db, standin.guild.id, deals.id)
    feed_server.serve("/feed", rss([rss_item(n, feed_server) for n in range(3)]))
    for n in (0, 2):
        feed_server.serve(f"/a/{n}", article_html(n), "text/html")
    held, release = threading.Event(), asyncio.Event()

    async def held_once(request):
        if not release.is_set():
            held.set()
            await release.wait()
        return web.Response(text=article_html(1), content_type="text/html")

    feed_server.route("/a/1", held_once)

    first = await start_bot(db_path, tmp_path, standin)
    try:
        assert await asyncio.to_thread(held.wait, 60), "the bot never asked for the second article"
        taken = db.execute("SELECT count(*) FROM feed_items WHERE status = 'taken'").fetchone()[0]
        assert taken == 1  # the first article is in, the second is being read
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    feed_server.loop.call_soon_threadsafe(release.set)
    assert standin.channel_messages(deals) == []

    second = await start_bot(db_path, tmp_path, standin)
    try:
        await standin.wait_for_message(deals, timeout=60)
        await asyncio.sleep(1)  # room for a wrong second post to show up
    finally:
        second.terminate()
        await second.wait()

    posted = standin.channel_messages(deals)
    assert len(posted) == 1
    rows = db.execute("SELECT title FROM sources ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["Item 0", "Item 1", "Item 2"]
    assert db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 3
    items = db.execute("SELECT status, post_id FROM feed_items ORDER BY id").fetchall()
    assert items == [("taken", 1)] * 3
    db.close()
