"""The weekly digest's clock: APScheduler fires, the database decides, the ledger prevents repeats.

APScheduler holds one CronTrigger job per server, in the server's time zone (so the trigger
handles daylight saving), plus a sweep every few minutes. Every job ends in
:meth:`DigestScheduler.run_due`, which asks the ledger what is due at ``clock()`` and posts it.
Tests call ``run_due(now)`` with any ``now`` to travel through weeks without waiting.

Posting is claim, send, record: the claim (a unique row per server and week) is written before
anything is sent, each message carries a nonce derived from server and week with
``enforce_nonce``, and only then is the row marked posted. A restart, a second trigger or a
second ``/digest now`` finds the claim. The claim is a lease that a heartbeat renews while the
send is in flight, however long Discord's 429s make it wait, so another process never takes
over a live send; a crash between send and record leaves a claim whose lease runs out, and the
sweep then retries it with the same nonces, which Discord answers with the messages it already
has. Each message's id is recorded as soon as it is sent, so a retry (after a crash,
a failure at the second of three messages, or hours later when Discord has forgotten the
nonces) sends only the messages not yet out. A claim or a passing failure (5xx, a dropped
connection) is retried while the period is less than a day late, then given up.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import aiohttp
import discord
from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from briefs.digest import content as dg
from briefs.digest import ledger
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.errors import Conflict
from briefs.nonces import stable_nonce
from briefs.render import Page
from briefs.store import utcnow

from .embeds import embed_messages
from .leases import renewing

log = logging.getLogger("dealbrief.bot.schedule")

Clock = Callable[[], datetime]
DbCall = Callable[..., Awaitable[Any]]

# A job that could not run on time (the loop was busy, the process paused) still runs if it
# is at most this late; a later one is left to the sweep, which applies the one-day rule.
MISFIRE_GRACE_SECONDS = 15 * 60
SWEEP_MINUTES = 2
# One server's post may not hold the queue longer than this; its claim is retried later.
POST_TIMEOUT_SECONDS = 120
# While a post is being sent its claim's lease is renewed this often (well within the lease).
HEARTBEAT_SECONDS = 30
SWEEP_JOB_ID = "digest-sweep"
REQUIRED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")


class PostError(Exception):
    """A digest could not be sent; ``code`` is stored as the server's last error."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Progress = Callable[[list[int]], Awaitable[None]]


class Sender(Protocol):
    async def send(
        self,
        settings: ds.DigestSettings,
        pages: list[Page],
        chart: bytes | None,
        nonce: str,
        *,
        sent: Sequence[int] = (),
        on_sent: Progress | None = None,
    ) -> list[int]: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one server's period: posted, already (someone else has it), failed,
    skipped (too late) or pending (the send timed out; the claim will be retried)."""

    guild_id: int
    key: str
    status: str
    record: ledger.PostRecord | None = None
    error: str | None = None


def job_id(guild_id: int) -> str:
    return f"digest:{guild_id}"


def cron_trigger(settings: ds.DigestSettings) -> CronTrigger:
    """Weekday and wall-clock time in the server's zone; APScheduler numbers Monday 0 as we do."""
    hour, minute = map(int, settings.time.split(":"))
    return CronTrigger(
        day_of_week=settings.weekday, hour=hour, minute=minute, timezone=settings.zone
    )


def shard_filter(shard_count: int | None, shard_ids: Iterable[int] | None) -> Callable[[int], bool]:
    """Which guilds this process schedules: those on its shards (Discord's sharding formula)."""
    if not shard_count or shard_count <= 1:
        return lambda guild_id: True
    mine = set(range(shard_count) if shard_ids is None else shard_ids)
    return lambda guild_id: (guild_id >> 22) % shard_count in mine


class DigestScheduler:
    """Owns the APScheduler instance and the post queue for every server this process serves."""

    def __init__(
        self,
        db_call: DbCall,
        sender: Sender,
        *,
        clock: Clock = utcnow,
        owns: Callable[[int], bool] = lambda guild_id: True,
        post_timeout: float = POST_TIMEOUT_SECONDS,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.db_call = db_call
        self.sender = sender
        self.clock = clock
        self.owns = owns
        self.post_timeout = post_timeout
        self.heartbeat = heartbeat
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._queue = asyncio.Lock()

    async def _db(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``func(db, *args, **kwargs)`` in a database thread."""
        return await self.db_call(functools.partial(func, **kwargs), *args)

    # --- The clock ----------------------------------------------------------------------------

    async def start(self, *, run_now: bool = True) -> None:
        """Start once (from setup_hook): build the jobs, then post anything missed while down
        (``run_now=False`` leaves that to the caller, e.g. once the gateway is ready)."""
        if self.scheduler.running:
            return
        self.scheduler.start()
        await self.rebuild()
        self.scheduler.add_job(
            self._sweep,
            IntervalTrigger(minutes=SWEEP_MINUTES, timezone=UTC),
            id=SWEEP_JOB_ID,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
        if run_now:
            await self.run_due()

    @property
    def running(self) -> bool:
        return self.scheduler.running

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def rebuild(self) -> None:
        """Make the jobs match the settings: one per active server on our shards."""
        active = [s for s in await self.db_call(ds.active_settings) if self.owns(s.guild_id)]
        wanted = {job_id(s.guild_id) for s in active}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:") and job.id not in wanted:
                job.remove()
        for settings in active:
            self.schedule(settings)

    async def settings_changed(self, guild_id: int) -> None:
        """Called after /digest channel, schedule, on or off: re-add or drop the server's job."""
        settings = await self.db_call(ds.get_settings, guild_id)
        if settings.active and self.owns(guild_id):
            self.schedule(settings)
        elif self.scheduler.get_job(job_id(guild_id)):
            self.scheduler.remove_job(job_id(guild_id))

    def schedule(self, settings: ds.DigestSettings) -> Job:
        return self.scheduler.add_job(
            self._fire,
            cron_trigger(settings),
            args=[settings.guild_id],
            id=job_id(settings.guild_id),
            name=f"digest for {settings.guild_id}",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )

    async def _fire(self, guild_id: int) -> None:
        """A server's weekly job. It never raises: a job that raised would only be logged by
        APScheduler, and the server's error would not reach /digest status."""
        try:
            await self.run_due(guild_ids={guild_id})
        except Exception:
            log.exception("digest job for guild %s failed", guild_id)

    async def _sweep(self) -> None:
        try:
            await self.run_due()
        except Exception:
            log.exception("digest sweep failed")

    # --- Deciding and posting -----------------------------------------------------------------

    async def run_due(
        self, now: datetime | None = None, *, guild_ids: set[int] | None = None
    ) -> list[Outcome]:
        """Post (or skip) every due digest at ``now``, one server after another."""
        now = now or self.clock()
        outcomes = []
        for settings in await self.db_call(ds.active_settings):
            if not self.owns(settings.guild_id):
                continue
            if guild_ids is not None and settings.guild_id not in guild_ids:
                continue
            outcome = await self._run_one(settings, now)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    async def _run_one(self, settings: ds.DigestSettings, now: datetime) -> Outcome | None:
        try:
            due = await self.db_call(timing.due, settings, now)
            if due is None:
                return None
            if due.action == "skip":
                await self.db_call(_skip, settings.guild_id, due.key, now)
                log.warning(
                    "digest %s for guild %s skipped: over a day late", due.key, settings.guild_id
                )
                return Outcome(settings.guild_id, due.key, "skipped")
            if due.action == "expire":
                return await self._expire(settings, due, now)
            retry = due.action == "retry"
            return await self.post(settings, due.key, end=due.fire, now=now, retry_failed=retry)
        except Exception as err:
            log.exception("digest for guild %s failed", settings.guild_id)
            await self._db(ds.record_error, settings.guild_id, "unexpected", now=now)
            return Outcome(settings.guild_id, "", "failed", error=type(err).__name__)

    async def _expire(self, settings: ds.DigestSettings, due: timing.Due, now: datetime) -> Outcome:
        """A claim whose sender died over a day ago: not posted this late (the next digest
        covers its changes, since only posted digests move the window on)."""
        record = await self.db_call(ledger.get_post, settings.guild_id, due.key)
        failed = await self.db_call(_failed, record, "late", now)
        log.warning("digest %s for guild %s given up: over a day late", due.key, settings.guild_id)
        return Outcome(settings.guild_id, due.key, "failed", failed, "late")

    async def post_now(self, guild_id: int) -> Outcome:
        """/digest now: post the current period unless it already is (a failed one is retried)."""
        now = self.clock()
        settings = await self.db_call(ds.get_settings, guild_id)
        if settings.channel_id is None:
            raise Conflict("no digest channel is set", code="digest_no_channel")
        key = timing.period_key(settings, now)
        return await self.post(settings, key, end=now, now=now, retry_failed=True)

    async def post(
        self,
        settings: ds.DigestSettings,
        key: str,
        *,
        end: datetime,
        now: datetime,
        retry_failed: bool = False,
    ) -> Outcome:
        """Claim, send, record; servers queue behind one another here."""
        async with self._queue:
            claimed = await self._db(
                dg.claim_period,
                settings,
                key,
                end=end,
                nonce=make_nonce(settings.guild_id, key),
                now=now,
                retry_failed=retry_failed,
            )
            if not claimed.won:
                return Outcome(settings.guild_id, key, "already", claimed.record)
            record = claimed.record

            async def progress(ids: list[int]) -> None:
                await self.db_call(_progress, record, ids)

            try:
                pages, chart = await self.db_call(_content, record)
                sending = self.sender.send(
                    settings, pages, chart, record.nonce, sent=record.message_ids, on_sent=progress
                )
                async with self._holding(record):
                    ids = await asyncio.wait_for(sending, self.post_timeout)
            except PostError as err:
                failed = await self.db_call(_failed, record, err.code, self.clock())
                return Outcome(settings.guild_id, key, "failed", failed, err.code)
            except TimeoutError:
                log.warning("digest %s for guild %s timed out; will retry", key, settings.guild_id)
                await self._db(ds.record_error, settings.guild_id, "timeout", now=self.clock())
                return Outcome(settings.guild_id, key, "pending", record, "timeout")
            except Exception:
                # Our own bug: record it rather than retry it every sweep.
                log.exception("digest %s for guild %s failed", key, settings.guild_id)
                failed = await self.db_call(_failed, record, "unexpected", self.clock())
                return Outcome(settings.guild_id, key, "failed", failed, "unexpected")
            posted = await self.db_call(_posted, record, ids, self.clock())
            log.info("digest %s posted for guild %s", key, settings.guild_id)
            return Outcome(settings.guild_id, key, "posted", posted)

    def _holding(self, record: ledger.PostRecord) -> contextlib.AbstractAsyncContextManager[None]:
        """Renew the claim's lease every ``heartbeat`` seconds while the block sends."""

        async def renew() -> bool:
            return await self.db_call(_renew, record, self.clock())

        return renewing(renew, self.heartbeat, f"digest {record.period_key}")


def _renew(db, record: ledger.PostRecord, now: datetime) -> bool:
    return ledger.renew_lease(db, record, now=now)


def make_nonce(guild_id: int, key: str) -> str:
    """A deterministic nonce base for a server's period: 20 characters, room for a page number.

    Discord limits a nonce to 25 characters; each message of a digest gets ``{base}.{n}``.
    """
    return stable_nonce("d", f"{guild_id}:{key}", digits=19)


def page_nonce(base: str, index: int) -> str:
    return f"{base}.{index}"


def _content(db, record: ledger.PostRecord) -> tuple[list[Page], bytes | None]:
    """Build, render and draw a claimed digest (in a worker thread: it is the slow part)."""
    digest = dg.digest_for_post(db, record)
    return dg.render_digest(digest), dg.chart_png(digest) if digest.chart else None


def _skip(db, guild_id: int, key: str, now: datetime) -> None:
    ledger.mark_skipped(db, guild_id, key, "late", nonce=make_nonce(guild_id, key), now=now)


def _progress(db, record: ledger.PostRecord, ids: list[int]) -> None:
    ledger.record_progress(db, record, ids)


def _failed(db, record: ledger.PostRecord, code: str, now: datetime) -> ledger.PostRecord:
    return ledger.mark_failed(db, record, code, now=now)


def _posted(db, record: ledger.PostRecord, ids: list[int], now: datetime) -> ledger.PostRecord:
    return ledger.mark_posted(db, record, ids, now=now)


# --- Sending on Discord -----------------------------------------------------------------------


def missing_permissions(channel: discord.abc.GuildChannel) -> list[str]:
    """What the bot lacks in ``channel`` to post a digest, in Discord's permission names."""
    perms = channel.permissions_for(channel.guild.me)
    return [name for name in REQUIRED_PERMISSIONS if not getattr(perms, name)]


class DiscordSender:
    """Posts a digest's messages to the server's channel through discord.py."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def channel(self, settings: ds.DigestSettings) -> discord.abc.Messageable:
        """The server's digest channel, refused when it is gone or belongs to another server
        (a stored id is only a number: it must never post into someone else's server)."""
        channel = self.client.get_channel(settings.channel_id)
        if channel is None:
            try:
                channel = await self.client.fetch_channel(settings.channel_id)
            except discord.NotFound:
                raise PostError("channel_missing") from None
            except discord.Forbidden:
                raise PostError("missing_permissions:view_channel") from None
        if getattr(channel, "guild", None) is None or channel.guild.id != settings.guild_id:
            raise PostError("channel_missing")
        return channel

    async def send(
        self,
        settings: ds.DigestSettings,
        pages: list[Page],
        chart: bytes | None,
        nonce: str,
        *,
        sent: Sequence[int] = (),
        on_sent: Progress | None = None,
    ) -> list[int]:
        """Send the messages not yet ``sent`` (a retry resumes), reporting each as it goes."""
        channel = await self.channel(settings)
        if isinstance(channel, discord.abc.GuildChannel) and channel.guild.me is not None:
            missing = missing_permissions(channel)
            if missing:
                raise PostError("missing_permissions:" + ",".join(missing))
        ids = list(sent)
        for index, embeds in enumerate(embed_messages(pages)):
            if index < len(ids):
                continue
            extra: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
            if index == 0:
                role = _mention_role(channel, settings)
                extra.update(content=_mention(role), allowed_mentions=_allowed(role))
                if chart:
                    extra["file"] = discord.File(io.BytesIO(chart), dg.CHART_FILENAME)
            message = await _send_one(channel, embeds, page_nonce(nonce, index), extra)
            ids.append(message.id)
            if on_sent is not None:
                await on_sent(ids)
        return ids


async def _send_one(
    channel: discord.abc.Messageable, embeds: list[discord.Embed], nonce: str, extra: dict
) -> discord.Message:
    """One message; Discord's refusals become the error codes /digest status explains."""
    try:
        return await channel.send(embeds=embeds, nonce=nonce, **extra)
    except discord.NotFound:
        raise PostError("channel_missing") from None
    except discord.Forbidden:
        raise PostError("missing_permissions:send_messages") from None
    except discord.HTTPException as err:
        raise PostError(f"discord_error:{err.status}") from None
    except (aiohttp.ClientError, OSError):
        raise PostError("connection") from None


def _mention_role(channel: Any, settings: ds.DigestSettings) -> int | None:
    """The chosen role, if it still exists: a deleted one is left out (and logged), and the
    digest posts without a mention rather than not at all."""
    role_id = settings.mention_role_id
    if not role_id or role_id == settings.guild_id:
        return None
    guild = getattr(channel, "guild", None)
    if guild is not None and guild.get_role(role_id) is None and guild.roles:
        log.warning("digest mention role %s of guild %s is gone", role_id, settings.guild_id)
        return None
    return role_id


def _mention(role_id: int | None) -> str | None:
    return f"<@&{role_id}>" if role_id else None


def _allowed(role_id: int | None) -> discord.AllowedMentions:
    """The only mention the bot ever makes: the role an admin chose, on the digest itself."""
    if not role_id:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, replied_user=False, roles=[discord.Object(role_id)]
    )
