"""/feed through the real bot and the loopback Discord, with feeds and articles from the
loopback web server: admin-only commands, one review post per poll with its button, and
approving a proposal from it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from cog_world import button
from discord_standin import MANAGE_GUILD
from discord_standin.interactions import CHANNEL_MESSAGE
from discord_standin.models import EMBED_LINKS
from feed_server import Clock, rss, rss_item, serve_articles, serving

from bot.cogs.feeds import JOB_ID, FeedsCog
from bot.words import word
from briefs.feeds.settings import FeedSettings

SETTINGS = FeedSettings(allow_private_urls=True, host_spacing=0, retry_base=0.01)


@pytest.fixture
def feed_server():
    yield from serving()


@pytest.fixture
async def world(start_bot, standin, feed_server):
    clock = Clock()
    cogs = []

    def make(bot):
        cogs.append(FeedsCog(bot, clock=clock, settings=SETTINGS))
        return cogs[0]

    await start_bot(cogs=[make])
    return cogs[0], clock


async def slash(standin, name, options=None, user=None) -> str:
    """The admin's private answer, as plain words (Discord's escapes and bold taken out)."""
    reply = await (await standin.slash(name, options or {}, user=user or standin.admin)).answer()
    assert reply.ephemeral and reply.data["allowed_mentions"] == {"parse": []}
    return plain(reply.text)


def plain(text: str) -> str:
    return text.replace("\\", "").replace("**", "").replace("\u200b", "")


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


async def test_feed_commands_are_for_admins_only(world, standin, db):
    command = next(c for c in standin.commands[None] if c["name"] == "feed")
    assert int(command["default_member_permissions"]) == MANAGE_GUILD
    for name, options in (("feed add", {"url": "https://example.org/rss"}), ("feed list", {})):
        reply = await (await standin.slash(name, options, user=standin.member)).response()
        assert reply.type == CHANNEL_MESSAGE and reply.ephemeral
        assert "Manage Server" in reply.text
    assert count(db, "feeds") == 0


async def test_add_list_status_pause_resume_remove(world, standin, feed_server, db):
    feed_server.serve("/feed", rss([]))
    deals = standin.guild.channel("deals")
    added = await slash(
        standin,
        "feed add",
        {"url": feed_server.url("/feed"), "review_channel": deals, "interval": 30},
    )
    assert "Feed #1 added" in added and "#deals" in added
    assert "every 30 min" in (await slash(standin, "feed list"))
    assert "paused" in await slash(standin, "feed pause", {"feed": 1})
    assert "Paused" in (await slash(standin, "feed status", {"feed": 1}))
    assert "resumed" in (await slash(standin, "feed resume", {"feed": 1}))
    again = await slash(standin, "feed add", {"url": feed_server.url("/feed")})
    assert "already a feed here" in again
    missing = await slash(standin, "feed pause", {"feed": 9})
    assert "no feed #9" in missing
    assert "removed" in (await slash(standin, "feed remove", {"feed": 1}))
    assert count(db, "feeds") == 0


async def test_one_review_post_per_poll_and_approving_from_it(world, standin, feed_server, db):
    cog, clock = world
    assert cog.scheduler.get_job(JOB_ID) is not None
    serve_articles(feed_server, range(4))
    feed_server.serve("/feed", rss([rss_item(n, feed_server) for n in range(3)]), etag='"a"')
    deals = standin.guild.channel("deals")
    await slash(
        standin,
        "feed add",
        {"url": feed_server.url("/feed"), "review_channel": deals, "backfill": 3},
    )

    await cog.cycle()
    posted = standin.channel_messages(deals)
    assert len(posted) == 1, posted
    message = posted[0]
    text = " ".join(e.get("description", "") + e.get("title", "") for e in message["embeds"])
    assert "3 proposals to review" in text and "Item 0" in text and "Item 2" in text
    sent = standin.find_requests("POST /channels/{id}/messages")
    assert [r.json["allowed_mentions"] for r in sent] == [{"parse": []}]
    assert sent[0].json["nonce"]

    clock.now += timedelta(hours=2)
    await cog.cycle()  # 304: nothing new, nothing posted
    assert len(standin.channel_messages(deals)) == 1

    refused = await standin.click(
        message, button(message, word("feed.review"))["custom_id"], user=standin.member
    )
    assert "Manage Server" in (await refused.response()).text

    opened = await standin.click(
        message, button(message, word("feed.review"))["custom_id"], user=standin.admin
    )
    review = await opened.response()
    assert review.ephemeral and "Lumen Therapeutics" in review.text
    approved = await standin.click(
        review, button(review, word("review.approve"))["custom_id"], user=standin.admin
    )
    assert "approved as fact" in (await approved.response()).text
    assert count(db, "facts") == 1
    assert (
        db.execute("SELECT status FROM proposals ORDER BY id LIMIT 1").fetchone()[0] == "approved"
    )


async def test_a_failing_feed_gives_one_notice_after_a_day(world, standin, feed_server, db):
    cog, clock = world
    deals = standin.guild.channel("deals")
    await slash(standin, "feed add", {"url": feed_server.url("/gone"), "review_channel": deals})
    for _ in range(10):
        await cog.cycle()
        clock.now += timedelta(hours=5)
    notices = standin.channel_messages(deals)
    assert len(notices) == 1
    assert "failing since" in notices[0]["embeds"][0]["description"]
    status = await slash(standin, "feed status")
    assert "Last error: the feed is gone (404)" in status and "Next poll" in status


async def test_a_review_channel_the_bot_cannot_post_in_is_refused(start_bot, standin, db):
    standin.guild.everyone_permissions &= ~EMBED_LINKS
    await start_bot(cogs=[lambda bot: FeedsCog(bot, settings=SETTINGS)])
    deals = standin.guild.channel("deals")
    refused = await slash(
        standin, "feed add", {"url": "https://example.org/rss", "review_channel": deals}
    )
    assert "cannot post new proposals in #deals" in refused and "Embed Links" in refused
    assert count(db, "feeds") == 0 and count(db, "feed_channels") == 0


async def test_a_review_post_keeps_its_claim_while_discord_makes_it_wait(
    world, standin, feed_server, db
):
    cog, clock = world
    cog.heartbeat = 0.05
    serve_articles(feed_server, range(1))
    feed_server.serve("/feed", rss([rss_item(0, feed_server)]), etag='"a"')
    deals = standin.guild.channel("deals")
    await slash(
        standin,
        "feed add",
        {"url": feed_server.url("/feed"), "review_channel": deals, "backfill": 1},
    )
    hold = standin.hold("POST /channels/{id}/messages")
    cycle = asyncio.create_task(cog.cycle())
    await standin.wait_held(hold)
    claimed = lease_until(db)
    clock.now += timedelta(seconds=90)  # past the lease as first claimed: the sender renews it
    async with asyncio.timeout(10):
        while lease_until(db) <= claimed:  # the database tells no one: look again
            await asyncio.sleep(0.05)
    hold.release()
    await cycle
    assert len(standin.channel_messages(deals)) == 1
    assert db.execute("SELECT status FROM feed_posts").fetchall() == [("posted",)]


def lease_until(db) -> str:
    [(until,)] = db.execute("SELECT lease_until FROM feed_posts").fetchall()
    return until
