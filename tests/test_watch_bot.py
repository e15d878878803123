"""/watch through the real bot and the loopback Discord: DMs, channel posts, batching,
closed DMs recorded and pausing, admin-only channel watches, and lists of your own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cog_world import SEEDER, seed_deal
from discord_standin.models import EMBED_LINKS
from test_watch_processes import told

from bot.cogs.watch import WatchCog
from briefs.changes import FactIn, add_company, add_fact
from briefs.watch.watches import FAILURES_TO_PAUSE, Requester, WatchForm, add_watch, get_watch

WINDOW = timedelta(seconds=20)


class Clock:
    """The injected clock: it moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, span: timedelta) -> datetime:
        self.now += span
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def watch_bot(start_bot, standin, db, clock):
    """The bot with the watch cog on a seeded database; the poll job is slow, the test
    drives deliveries with ``cog.delivery.run_once()``."""
    world = seed_deal(db)
    cog: list[WatchCog] = []

    def make(bot):
        cog.append(WatchCog(bot, clock=clock, poll_seconds=3600, batch_window=WINDOW))
        return cog[0]

    await start_bot(cogs=[make])
    return cog[0], world


async def deliver(cog: WatchCog, clock: Clock) -> list:
    """One poll that matches what is new, then one past the batching window that sends it."""
    await cog.delivery.run_once(clock.advance(timedelta(seconds=1)))
    return await cog.delivery.run_once(clock.advance(WINDOW))


def approval(db, world, summary: str) -> int:
    fact = FactIn(
        kind="approval", summary=summary, source_id=world["source"], subject_id=world["northgate"]
    )
    return add_fact(db, fact, SEEDER)


async def test_a_member_adds_a_watch_and_is_told_by_direct_message(watch_bot, standin, db, clock):
    cog, world = watch_bot
    reply = await (await standin.slash("watch add", {"company": "Northgate"})).answer()
    assert reply.ephemeral and "direct message" in reply.text
    fact_id = approval(db, world, "Northgate won approval for @everyone zorbamab.")
    assert await deliver(cog, clock) != []
    [message] = standin.dm_messages(standin.member)
    assert f"**#{fact_id}**" in told(message)
    request = standin.find_requests("POST /channels/{id}/messages")[-1]
    assert request.json["allowed_mentions"] == {"parse": []}
    assert "@\u200beveryone" in told(message)  # escaped, never a ping


async def test_facts_within_the_window_go_out_as_one_message(watch_bot, standin, db, clock):
    cog, world = watch_bot
    await (await standin.slash("watch add", {"company": "Northgate"})).answer()
    first = approval(db, world, "Northgate won approval for zorbamab.")
    await cog.delivery.run_once(clock.advance(timedelta(seconds=1)))
    second = approval(db, world, "Northgate won a second approval for zorbamab.")
    await cog.delivery.run_once(clock.advance(timedelta(seconds=10)))
    assert standin.dm_messages(standin.member) == []
    await cog.delivery.run_once(clock.advance(WINDOW))
    [message] = standin.dm_messages(standin.member)
    text = told(message)
    assert f"**#{first}**" in text and f"**#{second}**" in text


async def test_an_admin_sends_a_watch_to_a_channel(watch_bot, standin, db, clock):
    cog, world = watch_bot
    deals = standin.guild.channel("deals")
    options = {"keyword": "zorbamab", "channel": deals}
    reply = await (await standin.slash("watch add", options, user=standin.admin)).answer()
    assert "watch #1 added" in reply.text.lower()
    fact_id = approval(db, world, "Northgate won approval for zorbamab.")
    await deliver(cog, clock)
    [message] = standin.channel_messages(deals)
    assert f"**#{fact_id}**" in told(message)
    assert standin.dm_messages(standin.admin) == []


async def test_a_channel_the_bot_cannot_post_in_is_refused(start_bot, standin, db):
    standin.guild.everyone_permissions &= ~EMBED_LINKS  # as the bot joins the server
    await start_bot(cogs=[lambda bot: WatchCog(bot, poll_seconds=3600)])
    options = {"keyword": "zorbamab", "channel": standin.guild.channel("deals")}
    reply = await (await standin.slash("watch add", options, user=standin.admin)).answer()
    assert "missing Embed Links" in reply.text
    assert db.execute("SELECT count(*) FROM watches").fetchone()[0] == 0


async def test_a_member_cannot_send_a_watch_to_a_channel(watch_bot, standin, db):
    options = {"keyword": "zorbamab", "channel": standin.guild.channel("deals")}
    reply = await (await standin.slash("watch add", options)).answer()
    assert reply.ephemeral and "only admins" in reply.text.lower()
    assert db.execute("SELECT count(*) FROM watches").fetchone()[0] == 0


async def test_list_shows_only_your_own_watches_and_admins_the_channel_ones(watch_bot, standin):
    deals = standin.guild.channel("deals")
    await (await standin.slash("watch add", {"keyword": "bobword"})).answer()
    await (await standin.slash("watch add", {"keyword": "aliceword"}, user=standin.admin)).answer()
    options = {"keyword": "channelword", "channel": deals}
    await (await standin.slash("watch add", options, user=standin.admin)).answer()
    mine = (await (await standin.slash("watch list")).answer()).text
    assert "bobword" in mine and "aliceword" not in mine and "channelword" not in mine
    hers = (await (await standin.slash("watch list", user=standin.admin)).answer()).text
    assert "aliceword" in hers and "channelword" in hers and "bobword" not in hers
    refused = await (await standin.slash("watch remove", {"id": 2})).answer()
    assert "no watch #2" in refused.text.lower()


async def test_closed_direct_messages_are_recorded_and_pause_the_watch(
    watch_bot, standin, db, clock
):
    cog, world = watch_bot
    await (await standin.slash("watch add", {"company": "Northgate"})).answer()
    standin.close_dms(standin.member)
    for attempt in range(FAILURES_TO_PAUSE):
        approval(db, world, f"Northgate approval number {attempt} for zorbamab.")
        [outcome] = await deliver(cog, clock)
        assert outcome.status == "failed" and outcome.error == "dm_closed"
    assert get_watch(db, 1).paused
    listed = (await (await standin.slash("watch list")).answer()).text
    assert "paused" in listed and "direct messages to you are closed" in listed
    approval(db, world, "Northgate approval while paused.")
    assert await deliver(cog, clock) == []


async def test_a_paused_watch_resumes_with_the_facts_from_then_on(watch_bot, standin, db, clock):
    cog, world = watch_bot
    await (await standin.slash("watch add", {"company": "Northgate"})).answer()
    not_paused = await (await standin.slash("watch resume", {"id": 1})).answer()
    assert "not paused" in not_paused.text
    standin.close_dms(standin.member)
    for attempt in range(FAILURES_TO_PAUSE):
        approval(db, world, f"Northgate approval number {attempt} for zorbamab.")
        await deliver(cog, clock)
    approval(db, world, "Northgate approval while paused.")
    assert await deliver(cog, clock) == []
    assert "/watch resume id:1" in (await (await standin.slash("watch list")).answer()).text
    standin.open_dms(standin.member)
    reply = await (await standin.slash("watch resume", {"id": 1})).answer()
    assert reply.ephemeral and "resumed" in reply.text
    assert not get_watch(db, 1).paused and get_watch(db, 1).failures == 0
    fact_id = approval(db, world, "Northgate approval after resuming.")
    await deliver(cog, clock)
    [message] = standin.dm_messages(standin.member)
    assert f"**#{fact_id}**" in told(message) and "while paused" not in told(message)


async def test_a_deleted_channel_is_recorded(watch_bot, standin, db, clock):
    cog, world = watch_bot
    deals = standin.guild.channel("deals")
    admin = Requester("discord:alice", standin.admin.id, standin.guild.id, is_admin=True)
    add_watch(db, admin, WatchForm(keyword="zorbamab"), channel_id=deals.id)
    standin.delete_channel(deals)
    approval(db, world, "Northgate won approval for zorbamab.")
    [outcome] = await deliver(cog, clock)
    assert outcome.status == "failed" and get_watch(db, 1).last_error == "target_missing"


async def test_an_unknown_company_gets_did_you_mean(watch_bot, standin, db):
    add_company(db, "Riverbank Biotech", SEEDER, country="China")
    reply = await (await standin.slash("watch add", {"company": "Riverb"})).answer()
    assert "Did you mean" in reply.text and "Riverbank Biotech" in reply.text
    reply = await (await standin.slash("watch add", {"company": "Zzyzx Holdings"})).answer()
    assert "No company is called" in reply.text


async def test_company_autocomplete_offers_companies(watch_bot, standin):
    choices = await standin.autocomplete("watch add", "company", "north")
    assert any(c["name"] == "Northgate Pharma" for c in choices)


async def test_what_a_member_typed_is_escaped_everywhere_it_is_shown(watch_bot, standin, db, clock):
    cog, world = watch_bot
    typed = "@everyone *zorbamab*"
    added = await (await standin.slash("watch add", {"keyword": typed})).answer()
    listed = await (await standin.slash("watch list")).answer()
    approval(db, world, "Northgate won approval for @everyone *zorbamab* today.")
    await deliver(cog, clock)
    [alert] = standin.dm_messages(standin.member)
    for text in (added.text, listed.text, alert["embeds"][0]["description"]):
        assert "@everyone" not in text and "@\u200beveryone" in text, text
        assert "*zorbamab*" not in text and "\\*zorbamab\\*" in text, text
