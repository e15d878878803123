"""The error handler: an option value discord.py refuses is the user's to fix, told politely
and without an error id, through the loopback Discord."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import discord
import pytest
from discord import app_commands
from discord_standin import StandIn, two_servers

from bot.cogs.digest import DigestCog
from bot.errors import option_refusal
from briefs.digest import settings as ds
from briefs.render import render_error, to_text

NOW = datetime(2025, 3, 26, 10, tzinfo=UTC)


@pytest.fixture
async def standin():
    async with StandIn(guilds=two_servers()) as running:
        yield running


async def test_a_channel_of_another_server_is_refused_politely(standin, start_bot, db, caplog):
    await start_bot(cogs=[lambda bot: DigestCog(bot, clock=lambda: NOW)])
    here, there = standin.guilds
    handle = await standin.slash(
        "digest channel", {"channel": there.channel("digest")}, user=standin.admin
    )
    with caplog.at_level(logging.WARNING, logger="dealbrief"):
        reply = await handle.answer(timeout=10)
    assert reply.ephemeral
    assert "That channel cannot be used here: choose one of this server's channels" in reply.text
    assert "went wrong" not in reply.text and "error id" not in reply.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert ds.get_settings(db, here.id).channel_id is None
    assert ds.get_settings(db, there.id).channel_id is None


@pytest.mark.parametrize(
    ("option_type", "words"),
    [
        (discord.AppCommandOptionType.user, "That member cannot be used for this command"),
        (discord.AppCommandOptionType.role, "That role cannot be used for this command"),
        (discord.AppCommandOptionType.integer, "That value cannot be used for this command"),
    ],
)
def test_other_refused_options_name_what_they_held(option_type, words):
    transformer = app_commands.transformers.RangeTransformer(option_type, min=1, max=5)
    error = app_commands.TransformerError("x", option_type, transformer)
    text = to_text(render_error(option_refusal(error), flavour="text"))
    assert text.startswith(words)


async def test_an_answer_rate_limited_past_its_deadline_is_one_warning(standin, start_bot, caplog):
    await start_bot(extensions=["bot.cogs.lookup"])
    standin.rate_limit("POST /interactions/{id}/{token}/callback", count=5, retry_after=0.01)
    with caplog.at_level(logging.WARNING, logger="dealbrief"):
        handle = await standin.slash("sources")
        late = await wait_for_record(caplog, "came too late")
    assert late.levelno == logging.WARNING and late.exc_info is None
    assert late.getMessage() == (
        "answer to /sources came too late: Discord's 3 s deadline passed (rate limited)"
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [r for r in handle.replies if "error id" in r.text]


async def wait_for_record(caplog, words: str, timeout: float = 10.0) -> logging.LogRecord:
    """The first log record containing ``words``, polled: the bot logs it in its own time."""
    async with asyncio.timeout(timeout):
        while True:
            found = [r for r in caplog.records if words in r.getMessage()]
            if found:
                return found[0]
            await asyncio.sleep(0.02)
