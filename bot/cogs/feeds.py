"""/feed: subscribe a server to news feeds, and the scheduler job that polls them.

Admins only, like /ingest. Every ``SWEEP_SECONDS`` (and once the bot is ready) the job polls
the due feeds of the servers on this process's shards (``briefs.feeds.poll``: the fetch on the
event loop, the extraction in the worker process, the database in its threads), then posts one
message per server to its review channel listing the new proposals, with a button that opens
them in the usual review buttons (``bot.review_views``). The post is claimed in the database
before it is sent and carries a nonce made from the claim, so a restart never posts it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import UTC
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from discord import app_commands
from discord.ext import commands

from briefs.errors import Forbidden
from briefs.feeds import posts, store
from briefs.feeds.poll import Poller, PollReport
from briefs.feeds.settings import FeedSettings
from briefs.feeds.store import INTERVALS, MAX_BACKFILL, Failure
from briefs.ingest.orgs import KnownNames
from briefs.ingest.proposal import Proposal
from briefs.ingest.read import Document
from briefs.ingest.review import read_and_extract
from briefs.render import render_template
from briefs.store import utcnow

from .. import feed_answers
from ..actors import actor_of
from ..embeds import to_embeds
from ..format import group_messages
from ..leases import renewing
from ..permissions import require_admin
from ..review_views import ReviewView, embeds_of, review_screen
from ..schedule import Clock
from ..views import NONE, in_time, report_error, respond
from ..words import word
from .digest import shard_owner

log = logging.getLogger("dealbrief.bot.feeds")

SWEEP_SECONDS = 60
READY_POLL_SECONDS = 0.5
JOB_ID = "feeds-poll"
# A claimed review post's lease is renewed this often while it is being sent.
HEARTBEAT_SECONDS = posts.LEASE.total_seconds() / 4
REVIEW_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
Interval = app_commands.Range[int, INTERVALS[0], INTERVALS[1]]
Backfill = app_commands.Range[int, 0, MAX_BACKFILL]
FeedNumber = app_commands.Range[int, 1, 2**53]


class ReviewFromFeed(
    discord.ui.DynamicItem[discord.ui.Button], template=r"feeds:review:(?P<first>\d+)"
):
    """The button on a feed's review post: opens the review buttons, for the admin who pressed
    it only, at the post's first proposal still waiting. It works after a restart too, since
    its custom id carries where to start."""

    def __init__(self, first: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=word("feed.review"),
                style=discord.ButtonStyle.primary,
                custom_id=f"feeds:review:{first}",
            )
        )
        self.first = first

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> ReviewFromFeed:
        return cls(int(match["first"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Errors are answered here: the View discord.py makes for a dynamic item only logs."""
        try:
            await self._open(interaction)
        except Exception as err:
            await report_error(interaction, err)

    async def _open(self, interaction: discord.Interaction) -> None:
        await require_admin(interaction)
        bot = interaction.client
        screen = bot.db_call(review_screen, self.first - 1)  # type: ignore[attr-defined]
        pages, queued = await in_time(interaction, screen, ephemeral=True)
        view = ReviewView(bot, interaction.user.id, queued) if queued else None  # type: ignore[arg-type]
        await respond(interaction, embeds_of(pages), view=view, ephemeral=True)


def check_review_channel(channel: Any) -> None:
    """Refuse, before subscribing, a review channel the bot could not post its message in."""
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None:
        return
    allowed = channel.permissions_for(guild.me)
    missing = [name for name in REVIEW_PERMISSIONS if not getattr(allowed, name)]
    if missing:
        raise Forbidden(
            f"cannot post in #{channel.name}",
            code="feed_channel_refused",
            channel=channel.name,
            missing=missing,
        )


class FeedsCog(commands.Cog):
    feed = app_commands.Group(
        name="feed",
        description=word("grp.feed"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(
        self,
        bot: commands.Bot,
        *,
        clock: Clock = utcnow,
        settings: FeedSettings | None = None,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.bot = bot
        self.clock = clock
        self.heartbeat = heartbeat
        self.poller = Poller(
            bot.db_call,  # type: ignore[attr-defined]
            settings or FeedSettings.from_env(),
            clock=clock,
            extract=self._extract,
        )
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.owns = shard_owner(bot)
        self._cycle_lock = asyncio.Lock()
        self._first: asyncio.Task | None = None

    async def _extract(
        self, data: bytes, filename: str, known: KnownNames
    ) -> tuple[Document, list[Proposal]]:
        """Reading and extraction hold the GIL for a while: a worker process, not the loop."""
        settings = self.bot.config.ingest  # type: ignore[attr-defined]
        doc, extraction = await self.bot.run_in_worker(  # type: ignore[attr-defined]
            read_and_extract, data, filename, known, settings
        )
        return doc, extraction.proposals

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReviewFromFeed)
        self.scheduler.start()
        self.scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=SWEEP_SECONDS, timezone=UTC),
            id=JOB_ID,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        self._first = asyncio.create_task(self._when_ready(), name="feeds-first-poll")

    async def cog_unload(self) -> None:
        if self._first is not None:
            self._first.cancel()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.bot.remove_dynamic_items(ReviewFromFeed)

    async def _when_ready(self) -> None:
        """Poll at once on start (what was missed while down), once channels are known."""
        while not self.bot.is_ready():
            await asyncio.sleep(READY_POLL_SECONDS)
        await self._tick()

    async def _tick(self) -> None:
        """The scheduler's job; it never raises (APScheduler would only log it)."""
        try:
            await self.cycle()
        except Exception:
            log.exception("feed poll failed")

    async def cycle(self) -> PollReport:
        """Poll the due feeds, then tell each server: failing feeds once, new proposals in one
        message. One cycle at a time in this process."""
        async with self._cycle_lock:
            report = await self.poller.poll_due(self.owns)
            for failure in report.notices:
                await self._notice(failure)
            for guild_id in await self.bot.db_call(posts.waiting_guilds):  # type: ignore[attr-defined]
                if self.owns(guild_id):
                    await self.post_review(guild_id)
            return report

    # --- Posting --------------------------------------------------------------------------

    async def _channel(self, guild_id: int, channel_id: int) -> discord.abc.Messageable | None:
        """The server's review channel, never one of another server's."""
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden):
                return None
        if getattr(channel, "guild", None) is None or channel.guild.id != guild_id:  # type: ignore[union-attr]
            return None
        return channel  # type: ignore[return-value]

    async def post_review(self, guild_id: int) -> int | None:
        """Claim, send, record the server's review post; the message id, or None."""
        post = await self.bot.db_call(posts.claim_post, guild_id, self.clock())  # type: ignore[attr-defined]
        if post is None:
            return None
        channel = await self._channel(guild_id, post.channel_id)
        if channel is None:
            await self.bot.db_call(posts.release, post, "channel_missing")  # type: ignore[attr-defined]
            return None
        queued = await self.bot.db_call(posts.proposals_of, post)  # type: ignore[attr-defined]
        pages = render_template("feeds.j2", what="review", items=queued)
        view = discord.ui.View(timeout=None)
        view.add_item(ReviewFromFeed(min(post.proposal_ids)))
        try:
            async with self._holding(post):
                message = await channel.send(
                    embeds=to_embeds(group_messages(pages)[0]),
                    view=view,
                    nonce=post.nonce,
                    allowed_mentions=NONE,
                )
        except (discord.NotFound, discord.Forbidden) as err:
            await self.bot.db_call(posts.release, post, type(err).__name__)  # type: ignore[attr-defined]
            return None
        except discord.HTTPException:
            log.warning("review post for guild %s not sent; retried after its lease", guild_id)
            return None
        await self.bot.db_call(posts.mark_posted, post, message.id, self.clock())  # type: ignore[attr-defined]
        return message.id

    def _holding(self, post: posts.ReviewPost) -> contextlib.AbstractAsyncContextManager[None]:
        """Renew the post's lease every ``heartbeat`` seconds while Discord makes it wait."""

        async def renew() -> bool:
            return await self.bot.db_call(posts.renew, post, self.clock())  # type: ignore[attr-defined]

        return renewing(renew, self.heartbeat, f"feeds review post {post.id}")

    async def _notice(self, failure: Failure) -> None:
        if failure.channel_id is None:
            return
        channel = await self._channel(failure.feed.guild_id, failure.channel_id)
        if channel is None:
            return
        pages = render_template("feeds.j2", what="notice", feed=failure.feed)
        try:
            await channel.send(embeds=to_embeds(pages[:1]), allowed_mentions=NONE)
        except discord.HTTPException:
            log.warning("failing-feed notice for guild %s not sent", failure.feed.guild_id)

    # --- Commands -------------------------------------------------------------------------

    async def _answer(self, interaction: discord.Interaction, work) -> None:  # type: ignore[no-untyped-def]
        pages = await in_time(interaction, work, ephemeral=True)
        await respond(interaction, to_embeds(group_messages(pages)[0]), ephemeral=True)

    @feed.command(name="add", description=word("cmd.feed.add"))
    @app_commands.describe(
        url=word("opt.feed.url"),
        review_channel=word("opt.feed.review_channel"),
        interval=word("opt.feed.interval"),
        backfill=word("opt.feed.backfill"),
    )
    async def add(
        self,
        interaction: discord.Interaction,
        url: str,
        review_channel: discord.TextChannel | None = None,
        interval: Interval | None = None,
        backfill: Backfill | None = None,
    ) -> None:
        await require_admin(interaction)
        channel = review_channel or interaction.channel
        guild_id = interaction.guild_id or 0
        has_one = await self.bot.db_call(store.review_channel, guild_id)  # type: ignore[attr-defined]
        chosen = channel if review_channel is not None or has_one is None else None
        if chosen is not None:
            check_review_channel(chosen)
        work = self.bot.db_call(  # type: ignore[attr-defined]
            feed_answers.add,
            guild_id,
            actor_of(interaction),
            url,
            interval,
            backfill,
            chosen.id if chosen is not None else None,
            f"#{chosen.name}" if chosen is not None else None,
            self.clock(),
        )
        await self._answer(interaction, work)

    @feed.command(name="list", description=word("cmd.feed.list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        await require_admin(interaction)
        await self._answer(
            interaction, self.bot.db_call(feed_answers.listing, interaction.guild_id)
        )  # type: ignore[attr-defined]

    @feed.command(name="status", description=word("cmd.feed.status"))
    @app_commands.describe(feed=word("opt.feed.number"))
    async def status(
        self, interaction: discord.Interaction, feed: FeedNumber | None = None
    ) -> None:
        await require_admin(interaction)
        work = self.bot.db_call(feed_answers.status, interaction.guild_id, feed)  # type: ignore[attr-defined]
        await self._answer(interaction, work)

    @feed.command(name="pause", description=word("cmd.feed.pause"))
    @app_commands.describe(feed=word("opt.feed.number"))
    async def pause(self, interaction: discord.Interaction, feed: FeedNumber) -> None:
        await self._pause(interaction, feed, True)

    @feed.command(name="resume", description=word("cmd.feed.resume"))
    @app_commands.describe(feed=word("opt.feed.number"))
    async def resume(self, interaction: discord.Interaction, feed: FeedNumber) -> None:
        await self._pause(interaction, feed, False)

    async def _pause(self, interaction: discord.Interaction, feed: int, paused: bool) -> None:
        await require_admin(interaction)
        work = self.bot.db_call(
            feed_answers.pause, interaction.guild_id, feed, paused, self.clock()
        )  # type: ignore[attr-defined]
        await self._answer(interaction, work)

    @feed.command(name="remove", description=word("cmd.feed.remove"))
    @app_commands.describe(feed=word("opt.feed.number"))
    async def remove(self, interaction: discord.Interaction, feed: FeedNumber) -> None:
        await require_admin(interaction)
        work = self.bot.db_call(feed_answers.remove, interaction.guild_id, feed)  # type: ignore[attr-defined]
        await self._answer(interaction, work)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(FeedsCog(bot))
