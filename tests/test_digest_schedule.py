"""The digest clock against the loopback Discord: on time across DST, exactly once through
restarts, races, crashes, 429s and deleted channels. Time is injected, never slept through."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from discord_standin import ChannelSpec, GuildSpec, RoleSpec, StandIn, UserSpec
from discord_standin.models import MANAGE_GUILD

from bot.schedule import DigestScheduler, DiscordSender, cron_trigger, shard_filter
from briefs import digest as dg
from briefs import digest_settings as ds
from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source

ADMIN = Actor("tester")
SET_UP = datetime(2025, 3, 22, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def world() -> list[GuildSpec]:
    """Two servers, each with a digest channel, an admin and a member."""
    guilds = []
    for name in ("Deal Desk", "Licensing Club"):
        admins = RoleSpec("Admins", MANAGE_GUILD)
        guilds.append(
            GuildSpec(
                name,
                channels=[ChannelSpec("general"), ChannelSpec("digest")],
                roles=[admins, RoleSpec("Readers")],
                members=[UserSpec("alice", roles=[admins.id]), UserSpec("bob")],
            )
        )
    return guilds


@pytest.fixture
async def standin():
    async with StandIn(guilds=world()) as running:
        yield running


@pytest.fixture
def facts(db):
    """One deal in the knowledge base, so a digest has something to say."""
    source = add_source(db, key="wire", title="Roundup", outlet="Wire", actor=ADMIN)
    alpha = add_company(db, "Alpha Bio", ADMIN)
    beta = add_company(db, "Beta Pharma", ADMIN)
    fact = FactIn(
        kind="licence",
        summary="Alpha licenses AB-1 to Beta",
        source_id=source,
        subject_id=alpha,
        counterparty_id=beta,
        licensor_id=alpha,
        licensee_id=beta,
        asset="AB-1",
        sector="Oncology",
        figures=[FigureIn(role="total", value=250e6)],
    )
    return add_fact(db, fact, ADMIN)


def enable(
    db,
    guild: GuildSpec,
    *,
    zone: str = "UTC",
    weekday: int = 0,
    at: str = "09:00",
    since: datetime = SET_UP,
):
    """Point the server's digest at its channel, as an admin would have done at ``since``."""
    ds.set_channel(db, guild.id, guild.channel("digest").id, actor="test", now=since)
    return ds.set_schedule(
        db, guild.id, weekday=weekday, time_of_day=at, timezone=zone, actor="test", now=since
    )


def digests(standin: StandIn, guild: GuildSpec) -> list[dict]:
    return standin.channel_messages(guild.channel("digest").id)


@pytest.fixture
async def make_scheduler(start_bot):
    """A scheduler posting through the real bot; each call is a fresh process's scheduler."""
    bot = await start_bot()

    def make(clock: Clock, **options) -> DigestScheduler:
        return DigestScheduler(bot.db_call, DiscordSender(bot), clock=clock, **options)

    make.bot = bot
    return make


async def test_posts_at_local_nine_across_the_london_dst_change(db, facts, standin, make_scheduler):
    guild = standin.guilds[0]
    enable(db, guild, zone="Europe/London")
    clock = Clock(utc(2025, 3, 24, 8, 59))
    scheduler = make_scheduler(clock)
    assert await scheduler.run_due(utc(2025, 3, 24, 8, 59)) == []
    [first] = await scheduler.run_due(utc(2025, 3, 24, 9, 0))
    assert first.status == "posted" and first.key == "2025-W13"
    # After the clocks go forward on 30 March, 09:00 London is 08:00 UTC.
    assert await scheduler.run_due(utc(2025, 3, 31, 7, 59)) == []
    [second] = await scheduler.run_due(utc(2025, 3, 31, 8, 0))
    assert second.status == "posted" and second.key == "2025-W14"
    posted = digests(standin, guild)
    assert len(posted) == 2
    assert "Alpha Bio licenses AB-1 to Beta Pharma" in str(posted[0]["embeds"])
    assert "quiet week" in str(posted[1]["embeds"])
    assert standin.files_of(posted[0])[0].content.startswith(b"\x89PNG")


async def test_autumn_change_and_new_york(db, facts, standin, make_scheduler):
    london, new_york = standin.guilds
    enable(db, london, zone="Europe/London", since=utc(2025, 10, 18))
    enable(db, new_york, zone="America/New_York", weekday=2, at="17:30", since=utc(2025, 10, 18))
    scheduler = make_scheduler(Clock(utc(2025, 10, 18)))

    async def posted(guild: GuildSpec, now: datetime) -> list[str]:
        return [o.status for o in await scheduler.run_due(now, guild_ids={guild.id})]

    # London leaves summer time on 26 October: 09:00 is 08:00 UTC before and 09:00 UTC after.
    assert await posted(london, utc(2025, 10, 20, 8)) == ["posted"]
    assert await posted(london, utc(2025, 10, 27, 8, 59)) == []
    assert await posted(london, utc(2025, 10, 27, 9)) == ["posted"]
    # New York leaves daylight time on 2 November: Wednesday 17:30 is 21:30 then 22:30 UTC.
    assert await posted(new_york, utc(2025, 10, 22, 21, 30)) == ["posted"]
    assert await posted(new_york, utc(2025, 10, 29, 21, 29)) == []
    assert await posted(new_york, utc(2025, 10, 29, 21, 30)) == ["posted"]
    assert await posted(new_york, utc(2025, 11, 5, 22, 29)) == []
    assert await posted(new_york, utc(2025, 11, 5, 22, 30)) == ["posted"]
    assert len(digests(standin, london)) == 2
    assert len(digests(standin, new_york)) == 3


async def test_restart_before_and_after_the_fire_time_posts_once(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    enable(db, guild)
    fire = utc(2025, 3, 24, 9)
    assert await make_scheduler(Clock(fire)).run_due(fire - timedelta(minutes=1)) == []
    # "Restart": a new scheduler over the same database, at and after the fire time.
    [posted] = await make_scheduler(Clock(fire)).run_due(fire)
    assert posted.status == "posted"
    assert await make_scheduler(Clock(fire)).run_due(fire + timedelta(minutes=5)) == []
    assert await make_scheduler(Clock(fire)).run_due(fire + timedelta(hours=3)) == []
    assert len(digests(standin, guild)) == len(posted.record.message_ids) == 1


async def test_crash_between_send_and_record_is_healed_by_the_nonce(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    settings = enable(db, guild)
    fire = utc(2025, 3, 24, 9)
    # The process that died: it claimed and sent, but never marked the post as posted.
    claimed = dg.claim_period(db, settings, "2025-W13", end=fire, now=fire)
    digest = dg.digest_for_post(db, claimed.record)
    sent = await DiscordSender(make_scheduler.bot).send(
        settings, dg.render_digest(digest), dg.chart_png(digest), claimed.record.nonce
    )
    scheduler = make_scheduler(Clock(fire))
    assert await scheduler.run_due(fire + timedelta(seconds=30)) == []
    [retry] = await scheduler.run_due(fire + timedelta(seconds=61))
    assert retry.status == "posted"
    assert list(retry.record.message_ids) == sent
    assert len(digests(standin, guild)) == len(sent)


async def test_racing_triggers_post_once(db, facts, standin, make_scheduler):
    guild = standin.guilds[0]
    settings = enable(db, guild)
    fire = utc(2025, 3, 24, 9)
    first, second = make_scheduler(Clock(fire)), make_scheduler(Clock(fire))
    both = await asyncio.gather(
        first.post(settings, "2025-W13", end=fire, now=fire),
        second.post(settings, "2025-W13", end=fire, now=fire),
    )
    assert sorted(o.status for o in both) == ["already", "posted"]
    assert await first.run_due(fire) == await second.run_due(fire) == []
    assert len(digests(standin, guild)) == 1


async def test_a_day_late_catch_up_posts_a_week_late_one_does_not(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    enable(db, guild)
    [late] = await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 3, 25, 8, 30))
    assert late.status == "posted"
    [skipped] = await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 4, 8, 12))
    assert skipped.status == "skipped" and skipped.key == "2025-W15"
    assert len(digests(standin, guild)) == 1
    assert [r.status for r in ds.history(db, guild.id)] == ["skipped", "posted"]


async def test_two_servers_keep_their_own_schedules(db, facts, standin, make_scheduler):
    monday, friday = standin.guilds
    enable(db, monday)
    enable(db, friday, weekday=4, at="16:00", zone="Asia/Tokyo")
    scheduler = make_scheduler(Clock(SET_UP))
    assert [o.guild_id for o in await scheduler.run_due(utc(2025, 3, 24, 9))] == [monday.id]
    assert [o.guild_id for o in await scheduler.run_due(utc(2025, 3, 28, 7))] == [friday.id]
    assert len(digests(standin, monday)) == len(digests(standin, friday)) == 1


async def test_deleted_channel_is_recorded_and_does_not_stop_others(
    db, facts, standin, make_scheduler
):
    gone, fine = standin.guilds
    enable(db, gone)
    enable(db, fine)
    gone.channels.remove(gone.channel("digest"))
    outcomes = await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 3, 24, 9))
    assert {o.guild_id: o.status for o in outcomes} == {gone.id: "failed", fine.id: "posted"}
    assert ds.get_settings(db, gone.id).last_error == "channel_missing"
    assert ds.get_settings(db, gone.id).active
    assert len(digests(standin, fine)) == 1


async def test_a_429_is_waited_out_and_the_digest_posts_once(db, facts, standin, make_scheduler):
    guild = standin.guilds[0]
    enable(db, guild)
    rule = standin.rate_limit("POST /channels/{id}/messages", count=1, retry_after=0.2)
    [outcome] = await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 3, 24, 9))
    assert outcome.status == "posted"
    assert len(rule.hits) == 1
    assert len(digests(standin, guild)) == 1


async def test_mention_goes_only_to_the_chosen_role(db, facts, standin, make_scheduler):
    guild = standin.guilds[0]
    enable(db, guild)
    readers = guild.role("Readers")
    ds.set_mention_role(db, guild.id, readers.id, actor="test", now=SET_UP)
    await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 3, 24, 9))
    request = standin.find_requests("POST /channels/{id}/messages")[-1]
    payload = request.json
    assert payload["content"] == f"<@&{readers.id}>"
    allowed = payload["allowed_mentions"]
    assert allowed["parse"] == [] and [str(r) for r in allowed["roles"]] == [str(readers.id)]
    assert payload["enforce_nonce"] is True and len(payload["nonce"]) <= 25


def test_cron_trigger_fires_at_the_right_utc_instants():
    settings = ds.DigestSettings(guild_id=1, channel_id=2, enabled=True, timezone="Europe/London")
    trigger = cron_trigger(settings)
    before = trigger.get_next_fire_time(None, utc(2025, 3, 25))
    after = trigger.get_next_fire_time(None, before + timedelta(seconds=1))
    assert before == utc(2025, 3, 31, 8) == ds.next_fire(settings, utc(2025, 3, 25))
    assert after == utc(2025, 4, 7, 8)
    autumn = trigger.get_next_fire_time(None, utc(2025, 10, 21))
    assert autumn == utc(2025, 10, 27, 9)
    new_york = cron_trigger(ds.DigestSettings(guild_id=1, timezone="America/New_York"))
    assert new_york.get_next_fire_time(None, utc(2025, 3, 4)) == utc(2025, 3, 10, 13)


def test_shard_filter_uses_discords_formula():
    owns = shard_filter(2, [1])
    assert owns(1 << 22) and not owns(2 << 22)
    assert shard_filter(None, None)(12345)


async def test_the_apscheduler_job_matches_the_settings(db, facts, standin, make_scheduler):
    guild, other = standin.guilds
    enable(db, guild, zone="Europe/London")
    enable(db, other)
    ds.set_enabled(db, other.id, False, actor="test", now=SET_UP)
    scheduler = make_scheduler(Clock(SET_UP))
    await scheduler.start(run_now=False)
    try:
        job = scheduler.scheduler.get_job(f"digest:{guild.id}")
        assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time == 900
        assert str(job.trigger.timezone) == "Europe/London"
        expected = job.trigger.get_next_fire_time(None, datetime.now(UTC))
        assert job.next_run_time == expected
        assert (
            job.next_run_time.astimezone(job.trigger.timezone).strftime("%a %H:%M") == "Mon 09:00"
        )
        assert scheduler.scheduler.get_job(f"digest:{other.id}") is None
        ds.set_enabled(db, guild.id, False, actor="test", now=SET_UP)
        await scheduler.settings_changed(guild.id)
        assert scheduler.scheduler.get_job(f"digest:{guild.id}") is None
    finally:
        scheduler.shutdown()
