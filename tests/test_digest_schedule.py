"""The digest clock against the loopback Discord: on time across DST, exactly once through
restarts, races, crashes, 429s and deleted channels. Time is injected, never slept through."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from discord_standin import GuildSpec, RoleSpec, StandIn, two_servers

from bot.schedule import (
    DigestScheduler,
    DiscordSender,
    cron_trigger,
    make_nonce,
    page_nonce,
    shard_filter,
)
from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source
from briefs.digest import content as dg
from briefs.digest import ledger
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.store import isotime

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


@pytest.fixture
async def standin():
    async with StandIn(guilds=two_servers()) as running:
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
    claimed = dg.claim_period(
        db, settings, "2025-W13", end=fire, nonce=make_nonce(guild.id, "2025-W13"), now=fire
    )
    digest = dg.digest_for_post(db, claimed.record)
    sent = await DiscordSender(make_scheduler.bot).send(
        settings, dg.render_digest(digest), dg.chart_png(digest), claimed.record.nonce
    )
    scheduler = make_scheduler(Clock(fire))
    assert await scheduler.run_due(fire + ledger.CLAIM_LEASE - timedelta(seconds=1)) == []
    [retry] = await scheduler.run_due(fire + ledger.CLAIM_LEASE)
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
    assert [r.status for r in ledger.history(db, guild.id)] == ["skipped", "posted"]


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


def test_a_period_has_one_nonce_with_room_for_page_numbers():
    base = make_nonce(111, "2025-W13")
    assert base == make_nonce(111, "2025-W13") != make_nonce(111, "2025-W14")
    assert len(page_nonce(base, 99)) <= 25  # Discord's limit for a nonce


def test_cron_trigger_fires_at_the_right_utc_instants():
    settings = ds.DigestSettings(guild_id=1, channel_id=2, enabled=True, timezone="Europe/London")
    trigger = cron_trigger(settings)
    before = trigger.get_next_fire_time(None, utc(2025, 3, 25))
    after = trigger.get_next_fire_time(None, before + timedelta(seconds=1))
    assert before == utc(2025, 3, 31, 8) == timing.next_fire(settings, utc(2025, 3, 25))
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


def many_deals(db, count: int = 60) -> None:
    """A busy week: enough deals, each from its own long-titled report, that the digest takes
    several messages."""
    gamma = add_company(db, "Gamma Bio", ADMIN)
    for n in range(count):
        title = f"Busy week report {n} " + "on licensing " * 12
        source = add_source(db, key=f"busy-{n}", title=title, outlet="Wire", actor=ADMIN)
        fact = FactIn(
            kind="licence",
            summary=f"Deal number {n}",
            source_id=source,
            subject_id=gamma,
            licensor_id=gamma,
            licensee_undisclosed=True,
            sector="Oncology",
            figures=[FigureIn(role="total", value=(n + 1) * 1e6)],
        )
        add_fact(db, fact, ADMIN)


class ChannelDeletedAfterFirst(DiscordSender):
    """The real sender, but the channel disappears once the first message is out."""

    def __init__(self, client, standin: StandIn, guild: GuildSpec) -> None:
        super().__init__(client)
        self.standin, self.guild = standin, guild

    async def send(self, settings, pages, chart, nonce, *, sent=(), on_sent=None):
        async def then_delete(ids):
            await on_sent(ids)
            if len(ids) == 1:
                self.guild.channels.remove(self.guild.channel("digest"))

        return await super().send(settings, pages, chart, nonce, sent=sent, on_sent=then_delete)


async def test_a_digest_failing_at_its_second_message_resumes_without_repeating_the_first(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    enable(db, guild)
    many_deals(db)
    channel = guild.channel("digest")
    fire = utc(2025, 3, 24, 9)
    broken = DigestScheduler(
        make_scheduler.bot.db_call,
        ChannelDeletedAfterFirst(make_scheduler.bot, standin, guild),
        clock=Clock(fire),
    )
    [failed] = await broken.run_due(fire)
    assert failed.status == "failed" and failed.error == "channel_missing"
    assert len(failed.record.message_ids) == 1
    guild.channels.append(channel)
    # Hours later, past Discord's nonce memory: only the messages not yet sent go out.
    standin._nonces.clear()
    resumed = await make_scheduler(Clock(fire + timedelta(hours=3))).post_now(guild.id)
    assert resumed.status == "posted"
    posted = digests(standin, guild)
    assert len(posted) == len(resumed.record.message_ids) >= 3
    assert resumed.record.message_ids[0] == failed.record.message_ids[0]
    requests = standin.find_requests("POST /channels/{id}/messages")
    accepted = [r.json["nonce"] for r in requests if r.status == 200]
    assert len(accepted) == len(set(accepted)) == len(posted)


async def test_a_channel_of_another_server_is_never_posted_in(db, facts, standin, make_scheduler):
    mine, theirs = standin.guilds
    ds.set_channel(db, mine.id, theirs.channel("digest").id, actor="test", now=SET_UP)
    [outcome] = await make_scheduler(Clock(SET_UP)).run_due(utc(2025, 3, 24, 9))
    assert outcome.status == "failed" and outcome.error == "channel_missing"
    assert digests(standin, theirs) == []
    assert ds.get_settings(db, mine.id).last_error == "channel_missing"


async def test_a_deleted_mention_role_is_left_out_and_the_digest_still_posts(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    enable(db, guild)
    readers = guild.role("Readers")
    ds.set_mention_role(db, guild.id, readers.id, actor="test", now=SET_UP)
    guild.roles.remove(readers)
    await standin.dispatch(
        "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(readers.id)}, guild.id
    )
    scheduler = make_scheduler(Clock(SET_UP))
    for _ in range(100):
        if make_scheduler.bot.get_guild(guild.id).get_role(readers.id) is None:
            break
        await asyncio.sleep(0.05)
    [outcome] = await scheduler.run_due(utc(2025, 3, 24, 9))
    assert outcome.status == "posted"
    payload = standin.find_requests("POST /channels/{id}/messages")[-1].json
    assert not payload.get("content")
    assert payload["allowed_mentions"]["parse"] == [] and not payload["allowed_mentions"].get(
        "roles"
    )


async def test_a_stale_claim_from_yesterday_is_given_up_and_the_next_digest_covers_it(
    db, facts, standin, make_scheduler
):
    guild = standin.guilds[0]
    settings = enable(db, guild)
    fire = utc(2025, 3, 24, 9)
    dg.claim_period(
        db, settings, "2025-W13", end=fire, nonce=make_nonce(guild.id, "2025-W13"), now=fire
    )
    [given_up] = await make_scheduler(Clock(fire)).run_due(fire + timedelta(days=1, minutes=5))
    assert (given_up.status, given_up.error) == ("failed", "late")
    assert digests(standin, guild) == []
    [next_week] = await make_scheduler(Clock(fire)).run_due(fire + timedelta(days=7))
    assert next_week.status == "posted"
    assert "Alpha Bio licenses AB-1 to Beta Pharma" in str(digests(standin, guild)[0]["embeds"])


async def test_the_mention_command_refuses_everyone(db, standin, start_bot):
    from bot.cogs.digest import DigestCog

    mine = standin.guilds[0]
    await start_bot(cogs=[lambda bot: DigestCog(bot, clock=Clock(SET_UP))])
    admin = mine.members[0]
    everyone = RoleSpec("@everyone", 0, id=mine.id)
    handle = await standin.slash("digest mention", {"role": everyone}, user=admin, guild_id=mine.id)
    assert "not @everyone" in (await handle.answer(timeout=10)).text
    assert ds.get_settings(db, mine.id).mention_role_id is None


async def eventually(condition, timeout: float = 10.0) -> None:
    """Wait (polling) until ``condition()`` holds; fail after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_second_bot_never_takes_over_a_digest_waiting_out_a_long_429(
    db, facts, standin, start_bot
):
    """One bot's post waits out Discord's 429 while a second bot (another process in use, with
    its own connections) sweeps: 75 s pass on the shared clock, then more than a whole lease.
    The first bot's heartbeat keeps its claim, so the digest is posted once, by the first."""
    guild = standin.guilds[0]
    enable(db, guild)
    fire = utc(2025, 3, 24, 9)
    clock = Clock(fire)
    first_bot, second_bot = await start_bot(), await start_bot()
    first = DigestScheduler(
        first_bot.db_call, DiscordSender(first_bot), clock=clock, heartbeat=0.05
    )
    second = DigestScheduler(second_bot.db_call, DiscordSender(second_bot), clock=clock)
    since = standin.mark()
    rule = standin.rate_limit("POST /channels/{id}/messages", count=1, retry_after=5)
    sending = asyncio.create_task(first.run_due(fire))
    await eventually(lambda: rule.hits)

    clock.now = fire + timedelta(seconds=75)
    assert await second.run_due(clock.now) == []
    clock.now = fire + ledger.CLAIM_LEASE + timedelta(seconds=75)
    await eventually(
        lambda: ledger.get_post(db, guild.id, "2025-W13").lease_until > isotime(clock.now)
    )
    assert await second.run_due(clock.now) == []
    assert not sending.done()

    [outcome] = await sending
    assert outcome.status == "posted"
    accepted = [
        r
        for r in standin.find_requests("POST /channels/{id}/messages", since=since)
        if r.status == 200
    ]
    assert len(accepted) == len(outcome.record.message_ids) == len(digests(standin, guild)) == 1
    assert await second.run_due(clock.now) == []
