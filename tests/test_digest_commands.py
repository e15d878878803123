"""/digest commands through the loopback Discord, with the real bot and an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from discord_standin.models import ATTACH_FILES, EMBED_LINKS

from bot.cogs.digest import DigestCog
from briefs.changes import Actor, FactIn, add_company, add_fact, add_source
from briefs.digest import ledger
from briefs.digest import schedule as timing
from briefs.digest import settings as ds

NOW = datetime(2025, 3, 26, 10, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def bot(start_bot, clock):
    return await start_bot(cogs=[lambda bot: DigestCog(bot, clock=clock)])


@pytest.fixture
def approval(db) -> int:
    actor = Actor("tester")
    source = add_source(db, key="wire", title="Roundup", outlet="Wire", actor=actor)
    company = add_company(db, "Alpha Bio", actor)
    fact = FactIn(
        kind="approval", summary="AB-1 approved in Japan", source_id=source, subject_id=company
    )
    return add_fact(db, fact, actor)


async def answer(standin, command: str, options: dict | None = None, *, user=None):
    handle = await standin.slash(command, options, user=user or standin.admin)
    return await handle.answer(timeout=10)


async def test_channel_switches_the_digest_on(bot, standin, db):
    channel = standin.guild.channel("digest")
    reply = await answer(standin, "digest channel", {"channel": channel})
    assert reply.ephemeral
    assert f"<#{channel.id}>" in reply.text and "every Monday at 09:00 (UTC)" in reply.text
    settings = ds.get_settings(db, standin.guild.id)
    assert settings.active and settings.channel_id == channel.id
    cog = bot.get_cog("DigestCog")
    job = cog.scheduler.scheduler.get_job(f"digest:{standin.guild.id}")
    assert job.next_run_time.strftime("%a %H:%M") == "Mon 09:00"


async def test_channel_without_permissions_is_refused_politely(standin, start_bot, clock, db):
    standin.guild.everyone_permissions &= ~(ATTACH_FILES | EMBED_LINKS)
    await start_bot(cogs=[lambda bot: DigestCog(bot, clock=clock)])
    reply = await answer(standin, "digest channel", {"channel": standin.guild.channel("digest")})
    assert "Embed Links and Attach Files" in reply.text
    assert ds.get_settings(db, standin.guild.id).channel_id is None


async def test_members_without_manage_server_are_refused(bot, standin, db):
    reply = await answer(
        standin, "digest channel", {"channel": standin.guild.channel("digest")}, user=standin.member
    )
    assert reply.ephemeral
    assert ds.get_settings(db, standin.guild.id).channel_id is None


async def test_schedule_validates_the_time_zone_and_offers_zones(bot, standin, db):
    reply = await answer(
        standin, "digest schedule", {"weekday": 2, "time": "07:30", "timezone": "Europe/Londn"}
    )
    assert "Europe/Londn" in reply.text
    assert ds.get_settings(db, standin.guild.id).timezone == "UTC"
    choices = await standin.autocomplete(
        "digest schedule", "timezone", "new_y", {"weekday": 2, "time": "07:30"}
    )
    assert "America/New_York" in [c["value"] for c in choices]
    reply = await answer(
        standin, "digest schedule", {"weekday": 2, "time": "7:30", "timezone": "Europe/London"}
    )
    assert "every Wednesday at 07:30 (Europe/London)" in reply.text


@pytest.mark.parametrize("zone", ["Europe", "America", "Asia", "Etc", "x" * 256])
async def test_a_region_or_an_overlong_zone_is_not_a_time_zone(bot, standin, db, zone):
    reply = await answer(
        standin, "digest schedule", {"weekday": 2, "time": "07:30", "timezone": zone}
    )
    assert reply.ephemeral and "is not a time zone" in reply.text
    assert "error id" not in reply.text
    assert ds.get_settings(db, standin.guild.id).timezone == "UTC"


async def test_the_time_zone_option_declares_its_length(bot, standin):
    schedule = next(c for c in standin.commands[None] if c["name"] == "digest")["options"]
    zone = next(o for o in schedule if o["name"] == "schedule")["options"]
    assert next(o for o in zone if o["name"] == "timezone")["max_length"] == ds.MAX_TIMEZONE


async def test_now_twice_posts_once(bot, standin, db, approval):
    channel = standin.guild.channel("digest")
    await answer(standin, "digest channel", {"channel": channel})
    first = await answer(standin, "digest now")
    assert "is posted" in first.text
    second = await answer(standin, "digest now")
    assert "already posted" in second.text
    posted = standin.channel_messages(channel)
    assert len(posted) == 1
    assert "AB-1 approved in Japan" in str(posted[0]["embeds"])


async def test_status_history_and_preview_show_the_last_error(bot, standin, db, approval):
    channel = standin.guild.channel("digest")
    await answer(standin, "digest channel", {"channel": channel})
    standin.guild.channels.remove(channel)
    failed = await answer(standin, "digest now")
    assert "no longer exists" in failed.text
    status = await answer(standin, "digest status")
    next_fire = timing.next_fire(ds.get_settings(db, standin.guild.id), NOW)
    assert f"<t:{int(next_fire.timestamp())}:F>" in status.text
    assert f"<t:{int(next_fire.timestamp())}:R>" in status.text
    assert "no longer exists" in status.text
    history = await answer(standin, "digest history")
    assert "2025-W13" in history.text and "failed" in history.text
    preview = await answer(standin, "digest preview")
    assert "Preview" in preview.text and "AB-1 approved in Japan" in preview.text
    assert "no longer exists" in preview.text


async def test_off_and_on(bot, standin, db):
    reply = await answer(standin, "digest on")
    assert "/digest channel" in reply.text or "channel" in reply.text
    assert not ds.get_settings(db, standin.guild.id).active
    await answer(standin, "digest channel", {"channel": standin.guild.channel("digest")})
    await answer(standin, "digest off")
    assert not ds.get_settings(db, standin.guild.id).active
    await answer(standin, "digest on")
    assert ds.get_settings(db, standin.guild.id).active


async def test_a_restart_after_the_fire_time_catches_up_once(standin, start_bot, db, approval):
    """Down at Monday 09:00, back at 12:00: posted once; stopped mid-post and back once the
    claim's lease ran out: the claim is retried with the same nonces, still once."""
    guild = standin.guild
    channel = guild.channel("digest")
    ds.set_channel(db, guild.id, channel.id, actor="test", now=datetime(2025, 3, 20, tzinfo=UTC))
    late = Clock(datetime(2025, 3, 24, 12, tzinfo=UTC))
    first = await start_bot(cogs=[lambda bot: DigestCog(bot, clock=late)])
    await standin.wait_for_message(channel, timeout=15)
    await first.close()
    later = Clock(late.now + ledger.CLAIM_LEASE + timedelta(minutes=1))
    second = await start_bot(cogs=[lambda bot: DigestCog(bot, clock=later)])
    await second.get_cog("DigestCog")._catch_up
    assert len(standin.channel_messages(channel)) == 1
    assert [r.status for r in ledger.history(db, guild.id)] == ["posted"]
