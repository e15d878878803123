"""Watch alerts' clock and postman: poll the audit trail, claim batches, send them.

An APScheduler interval job runs :meth:`WatchDelivery.run_once` every few seconds, so a fact
added by any process (the CLI, another bot, review) is matched within one poll. Each batch is
claimed in the database before it is sent (``briefs.watch.ledger``), its lease renewed while
Discord makes the send wait, and sent with the batch's nonce, which Discord deduplicates; so
a crash, a restart or a second bot never sends it twice and never drops it. Tests call
``run_once(now)`` with an injected clock to travel past the batching window.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiohttp
import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from briefs.render import Page
from briefs.store import utcnow
from briefs.watch import ledger, trail
from briefs.watch.content import render_batch
from briefs.watch.watches import Target

from .app import ShuttingDown
from .embeds import embed_messages
from .leases import renewing

log = logging.getLogger("dealbrief.bot.watch")

Clock = Callable[[], datetime]
DbCall = Callable[..., Awaitable[Any]]

POLL_SECONDS = 3.0
# While a batch is being sent its lease is renewed this often (well within the lease).
HEARTBEAT_SECONDS = 5.0
# One send may not hold the queue longer than this; its claim is taken over after its lease.
SEND_TIMEOUT_SECONDS = 60.0
JOB_ID = "watch-poll"
# Discord's codes for a target that will not take messages: closed DMs, unknown channel/user.
DM_CLOSED = 50007
UNKNOWN_CHANNEL = 10003
UNKNOWN_USER = 10013


class Refused(Exception):
    """The target refused the message for good; ``code`` is stored on its watches."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Sender(Protocol):
    async def send(self, target: Target, pages: list[Page], nonce: str) -> int: ...


@dataclass(frozen=True)
class Outcome:
    """What became of one batch: sent, empty (nothing left to tell), failed or pending."""

    batch: ledger.Batch
    status: str
    error: str | None = None


class WatchDelivery:
    def __init__(
        self,
        db_call: DbCall,
        sender: Sender,
        *,
        clock: Clock = utcnow,
        poll_seconds: float = POLL_SECONDS,
        batch_window: timedelta = ledger.BATCH_WINDOW,
        heartbeat: float = HEARTBEAT_SECONDS,
        send_timeout: float = SEND_TIMEOUT_SECONDS,
    ) -> None:
        self.db_call = db_call
        self.sender = sender
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.batch_window = batch_window
        self.heartbeat = heartbeat
        self.send_timeout = send_timeout
        self.cache = trail.MatcherCache()
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._queue = asyncio.Lock()
        self._polling: asyncio.Task[None] | None = None

    async def _db(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await self.db_call(functools.partial(func, **kwargs), *args)

    def start(self) -> None:
        if self.scheduler.running:
            return
        self.scheduler.start()
        self.scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self.poll_seconds, timezone=UTC),
            id=JOB_ID,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._polling is not None:
            self._polling.cancel()

    async def _tick(self) -> None:
        """The interval job: start a poll unless the last one is still sending (a send that
        Discord makes wait must not pile polls up behind it), and return at once."""
        if self._polling is None or self._polling.done():
            self._polling = asyncio.create_task(self._poll(), name="watch-poll")

    async def _poll(self) -> None:
        """One poll; it never raises (nothing would see it but the log)."""
        try:
            await self.run_once()
        except ShuttingDown:
            return  # the bot is closing; the next start picks up where this left off
        except Exception:
            log.exception("watch delivery failed")

    async def run_once(self, now: datetime | None = None) -> list[Outcome]:
        """Match what is new in the audit trail, then send every batch that is due."""
        async with self._queue:
            now = now or self.clock()
            while await self._db(trail.advance, self.cache, now) == trail.STEP:
                pass
            outcomes = []
            while True:
                batch = await self._db(ledger.claim_next, now, window=self.batch_window)
                if batch is None:
                    return outcomes
                outcomes.append(await self._deliver(batch))

    async def _deliver(self, batch: ledger.Batch) -> Outcome:
        try:
            pages = await self.db_call(render_batch, batch)
            if not pages:
                await self.db_call(ledger.mark_sent, batch, None, self.clock())
                return Outcome(batch, "empty")
            async with self._holding(batch):
                sending = self.sender.send(batch.target, pages, batch.nonce)
                message_id = await asyncio.wait_for(sending, self.send_timeout)
        except Refused as err:
            log.warning("watch batch %s to %s refused: %s", batch.id, batch.target, err.code)
            await self.db_call(ledger.mark_failed, batch, err.code, self.clock())
            return Outcome(batch, "failed", err.code)
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as err:
            # Passing trouble: the claim's lease runs out and the batch is sent again, same nonce.
            log.warning("watch batch %s to %s not sent yet: %r", batch.id, batch.target, err)
            return Outcome(batch, "pending", type(err).__name__)
        await self.db_call(ledger.mark_sent, batch, message_id, self.clock())
        return Outcome(batch, "sent")

    def _holding(self, batch: ledger.Batch) -> contextlib.AbstractAsyncContextManager[None]:
        """Renew the batch's lease every ``heartbeat`` seconds while the block sends."""

        async def renew() -> bool:
            return await self.db_call(ledger.renew_lease, batch, self.clock())

        return renewing(renew, self.heartbeat, f"watch batch {batch.id}")


class DiscordWatchSender:
    """Sends a batch as one message: to a member's direct messages or to a channel."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def send(self, target: Target, pages: list[Page], nonce: str) -> int:
        embeds = embed_messages(pages)[0]
        try:
            channel = await self._channel(target)
            message = await channel.send(
                embeds=embeds, nonce=nonce, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.Forbidden as err:
            raise Refused("dm_closed" if err.code == DM_CLOSED else "forbidden") from None
        except discord.NotFound as err:
            if err.code in (UNKNOWN_CHANNEL, UNKNOWN_USER):
                raise Refused("target_missing") from None
            raise
        except discord.HTTPException as err:
            if err.status >= 500:
                raise  # Discord's own trouble: sent again once the claim's lease runs out
            raise Refused("discord_error") from None  # sent again, it would be refused again
        return message.id

    async def _channel(self, target: Target) -> discord.abc.Messageable:
        if target.kind == "dm":
            user = self.client.get_user(target.id) or await self.client.fetch_user(target.id)
            return user.dm_channel or await user.create_dm()
        channel = self.client.get_channel(target.id)
        return channel or await self.client.fetch_channel(target.id)  # type: ignore[return-value]
