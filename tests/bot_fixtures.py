"""Fixtures that run the real bot against the loopback Discord (``discord_standin``).

- ``standin``: a started :class:`StandIn` (one guild "Deal Desk" with channels general,
  deals and digest; ``standin.admin`` has Manage Server, ``standin.member`` does not).
- ``start_bot``: an async factory ``await start_bot(cogs=..., extensions=..., **config)``
  that builds the real DealBot on the test's database (``db_path``), connects it to the
  stand-in and returns once it has identified and synced its commands. Every bot it
  started is closed at teardown.
- ``running_bot``: ``(bot, standin)`` for a bot with no cogs: the runtime alone.
- ``gate``: a :class:`Gate` that holds the database answers a test wraps in it, with the bot
  deferring slow answers after 50 ms: what the bot does while the database is slow.

The bot does not wait for ``on_ready`` (discord.py fires it ~2 s after the last
GUILD_CREATE): interactions are handled as soon as READY is in, so tests start at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from discord.ext import commands
from discord_standin import StandIn

from bot import views as bot_views
from bot.app import DealBot, ShardedDealBot, create_bot
from bot.config import BotConfig

StartBot = Callable[..., Awaitable[DealBot | ShardedDealBot]]


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as running:
        yield running


async def _started(bot: DealBot | ShardedDealBot, task: asyncio.Task, standin: StandIn) -> None:
    """Wait for identify + command sync, or fail with the bot's own error if it stops first."""
    scope = bot.config.guild_ids[-1] if bot.config.guild_ids else None

    async def connected() -> None:
        await standin.wait_for_commands(scope, timeout=15)
        await standin.wait_for_ready(timeout=15)

    waiter = asyncio.ensure_future(connected())
    done, _ = await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()  # raises what stopped the bot
        raise AssertionError("the bot stopped before it was connected")
    waiter.result()


@pytest.fixture
async def start_bot(standin: StandIn, db_path: Path) -> AsyncIterator[StartBot]:
    """``await start_bot(cogs=[...], extensions=[...], guild_sync=False, **config_fields)``.

    ``cogs``: Cog instances, or callables ``bot -> Cog``, added before the sync.
    ``extensions``: module names with ``async def setup(bot)`` (default none; None loads
    every module in bot.cogs). ``guild_sync=True`` syncs to the stand-in's guild instead of
    globally. Other keyword arguments override BotConfig fields.
    """
    running: list[tuple[DealBot | ShardedDealBot, asyncio.Task]] = []

    async def start(
        *,
        cogs: Iterable[commands.Cog | Callable[[Any], commands.Cog]] = (),
        extensions: list[str] | None = (),
        guild_sync: bool = False,
        **overrides: Any,
    ) -> DealBot | ShardedDealBot:
        settings: dict[str, Any] = {
            "token": standin.token,
            "db_path": db_path,
            "api_base": standin.api_base,
            "guild_ids": [standin.guild.id] if guild_sync else [],
            "cogs": list(extensions) if extensions is not None else None,
            "load_curated": False,
        }
        bot = create_bot(BotConfig(**(settings | overrides)))
        for cog in cogs:
            await bot.add_cog(cog if isinstance(cog, commands.Cog) else cog(bot))
        task = asyncio.create_task(bot.start(bot.config.token), name="dealbot")
        running.append((bot, task))
        await _started(bot, task, standin)
        return bot

    yield start
    for bot, task in reversed(running):
        await bot.close()
        await asyncio.wait_for(task, timeout=10)


@pytest.fixture
async def running_bot(
    start_bot: StartBot, standin: StandIn
) -> tuple[DealBot | ShardedDealBot, StandIn]:
    return await start_bot(), standin


class Gate:
    """Holds database answers until the test opens it: a slow database, on demand.

    ``monkeypatch.setattr(answers, "search", gate.hold(answers.search))`` makes the bot's
    search wait in its database thread, so a test can see what the bot does meanwhile.
    """

    def __init__(self) -> None:
        self._open = threading.Event()

    def hold(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            if not self._open.wait(timeout=10):
                raise TimeoutError("the test never opened the gate")
            return func(*args, **kwargs)

        return held

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def gate(start_bot: StartBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """A closed Gate, and the bot deferring after 50 ms instead of 1.5 s. Opened at teardown,
    before the bot closes (it depends on ``start_bot``), so no database thread stays held."""
    held = Gate()
    monkeypatch.setattr(bot_views, "DEFER_AFTER", 0.05)
    yield held
    held.open()
