"""Shutting the database threads down: running work finishes or is interrupted, new work is
refused politely, and close() returns whatever is still running."""

from __future__ import annotations

import asyncio
import logging
import threading

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.app import DatabaseThreads, ShuttingDown
from briefs.render import render_error, to_text

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


async def wait_for(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, 5), "the database work never started"


async def test_a_query_still_running_is_interrupted_then_every_connection_closes(db, db_path):
    threads = DatabaseThreads(db_path, close_wait=0.2)
    started = threading.Event()
    connections = []

    def endless(conn_db):
        connections.append(conn_db)
        started.set()
        return conn_db.execute(FOREVER).fetchone()

    running = asyncio.ensure_future(threads.call(endless))
    await wait_for(started)
    await threads.close()
    with pytest.raises(ShuttingDown):
        await running
    with pytest.raises(ShuttingDown):
        await threads.call(lambda conn_db: 1)
    with pytest.raises(Exception, match="closed"):
        connections[0].execute("SELECT 1")


async def test_work_that_cannot_be_interrupted_is_left_to_finish_and_logged(db_path, db, caplog):
    threads = DatabaseThreads(db_path, close_wait=0.05)
    started, release = threading.Event(), threading.Event()

    def stubborn(conn_db):
        started.set()
        release.wait(5)
        return conn_db.execute("SELECT 7").fetchone()[0]

    running = asyncio.ensure_future(threads.call(stubborn))
    await wait_for(started)
    with caplog.at_level(logging.WARNING, logger="dealbrief.bot"):
        await threads.close()
    assert "still running" in caplog.text
    release.set()
    assert await running == 7


async def test_quick_work_finishes_before_the_connections_close(db_path, db):
    threads = DatabaseThreads(db_path)
    started, release = threading.Event(), threading.Event()

    def brief(conn_db):
        started.set()
        release.wait(5)
        return conn_db.execute("SELECT count(*) FROM facts").fetchone()[0]

    running = asyncio.ensure_future(threads.call(brief))
    await wait_for(started)
    closing = asyncio.ensure_future(threads.close())
    await asyncio.sleep(0.05)
    assert not closing.done() and threads.closing
    release.set()
    await closing
    assert await running == 0


class Slow(commands.Cog):
    """A command whose database work waits for the test."""

    def __init__(self, bot: commands.Bot, started: threading.Event, release: threading.Event):
        self.bot = bot
        self.started = started
        self.release = release

    def count(self, conn_db) -> int:
        self.started.set()
        self.release.wait(5)
        return conn_db.execute("SELECT count(*) FROM facts").fetchone()[0]

    @app_commands.command(name="count", description="Count the facts slowly")
    async def count_command(self, interaction: discord.Interaction) -> None:
        facts = await self.bot.db_call(self.count)
        await interaction.response.send_message(f"{facts} facts", ephemeral=True)


async def test_during_shutdown_running_commands_are_answered_and_new_ones_told_to_wait(
    standin, start_bot
):
    started, release = threading.Event(), threading.Event()
    bot = await start_bot(cogs=[lambda bot: Slow(bot, started, release)])
    first = await standin.slash("count")
    await wait_for(started)
    closing = asyncio.ensure_future(bot.close())
    while not bot.database.closing:
        await asyncio.sleep(0.01)

    refused = await (await standin.slash("count")).answer(timeout=10)
    assert refused.ephemeral
    assert refused.text == to_text(render_error(ShuttingDown("closing"), flavour="text")).strip()
    assert "restarting" in refused.text and "error id" not in refused.text

    release.set()
    assert (await first.answer(timeout=10)).text == "0 facts"
    await closing
