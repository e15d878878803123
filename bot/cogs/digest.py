"""/digest: where and when the weekly digest posts, and what it would say now.

Every command is for server managers: hidden from others by ``default_permissions`` and
checked again here. Settings live in the database (``briefs.digest.settings``); after each
change the scheduler rebuilds that server's job. The scheduler itself starts once, when this
cog loads during ``setup_hook``, never on (re)connect.
"""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from briefs.digest import content as dg
from briefs.digest import ledger
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.render import Page, render_template
from briefs.store import utcnow

from ..actors import actor_label
from ..embeds import embed_messages
from ..permissions import require_manage_guild
from ..schedule import Clock, DigestScheduler, DiscordSender, missing_permissions, shard_filter
from ..views import NONE
from ..words import word

log = logging.getLogger("dealbrief.bot.digest")

ADMIN_TEMPLATE = "digest_admin.j2"
READY_POLL_SECONDS = 0.5


WEEKDAY_CHOICES = [
    app_commands.Choice(name=name.capitalize(), value=index)
    for index, name in enumerate(ds.WEEKDAYS)
]


def shard_owner(bot: commands.Bot):
    """Guild filter read at call time: an auto-sharded bot learns its shard count on connect."""

    def owns(guild_id: int) -> bool:
        return shard_filter(bot.shard_count, getattr(bot, "shard_ids", None))(guild_id)

    return owns


class DigestCog(commands.Cog):
    digest = app_commands.Group(
        name="digest",
        description=word("grp.digest"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: commands.Bot, *, clock: Clock = utcnow) -> None:
        self.bot = bot
        self.clock = clock
        self.scheduler = DigestScheduler(
            bot.db_call,  # type: ignore[attr-defined]
            DiscordSender(bot),
            clock=clock,
            owns=shard_owner(bot),
        )
        self._catch_up: asyncio.Task | None = None

    async def cog_load(self) -> None:
        await self.scheduler.start(run_now=False)
        self._catch_up = asyncio.create_task(self._when_ready(), name="digest-catch-up")

    async def cog_unload(self) -> None:
        if self._catch_up is not None:
            self._catch_up.cancel()
        self.scheduler.shutdown()

    async def _when_ready(self) -> None:
        """Post what was missed while the bot was down, once guilds and channels are known."""
        while not self.bot.is_ready():
            await asyncio.sleep(READY_POLL_SECONDS)
        try:
            await self.scheduler.rebuild()
            await self.scheduler.run_due()
        except Exception:
            log.exception("digest catch-up failed")

    # --- Settings -------------------------------------------------------------------------

    @digest.command(name="channel", description=word("cmd.digest.channel"))
    @app_commands.describe(channel=word("opt.digest.channel"))
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await require_manage_guild(interaction)
        missing = missing_permissions(channel)
        if missing:
            await self._answer(interaction, "missing_permissions", channel=channel, missing=missing)
            return
        settings = await self.bot.db_call(
            _set_channel, interaction.guild_id, channel.id, actor_label(interaction), self.clock()
        )
        await self.scheduler.settings_changed(settings.guild_id)
        await self._answer(interaction, "channel_set", settings=settings, channel=channel)

    @digest.command(name="schedule", description=word("cmd.digest.schedule"))
    @app_commands.describe(
        weekday=word("opt.digest.weekday"),
        time=word("opt.digest.time"),
        timezone=word("opt.digest.timezone"),
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    async def schedule(
        self,
        interaction: discord.Interaction,
        weekday: app_commands.Choice[int],
        time: str,
        timezone: app_commands.Range[str, 1, ds.MAX_TIMEZONE] = ds.DEFAULT_TIMEZONE,
    ) -> None:
        await require_manage_guild(interaction)
        settings = await self.bot.db_call(
            _set_schedule,
            interaction.guild_id,
            weekday.value,
            time,
            timezone,
            actor_label(interaction),
            self.clock(),
        )
        await self.scheduler.settings_changed(settings.guild_id)
        await self._answer(interaction, "schedule_set", settings=settings)

    @schedule.autocomplete("timezone")
    async def timezone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in ds.suggest_timezones(current)]

    @digest.command(name="on", description=word("cmd.digest.on"))
    async def on(self, interaction: discord.Interaction) -> None:
        await self._switch(interaction, True)

    @digest.command(name="off", description=word("cmd.digest.off"))
    async def off(self, interaction: discord.Interaction) -> None:
        await self._switch(interaction, False)

    async def _switch(self, interaction: discord.Interaction, enabled: bool) -> None:
        await require_manage_guild(interaction)
        settings = await self.bot.db_call(
            _set_enabled, interaction.guild_id, enabled, actor_label(interaction), self.clock()
        )
        await self.scheduler.settings_changed(settings.guild_id)
        await self._answer(interaction, "on" if enabled else "off", settings=settings)

    @digest.command(name="mention", description=word("cmd.digest.mention"))
    @app_commands.describe(role=word("opt.digest.role"))
    async def mention(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        await require_manage_guild(interaction)
        if role is not None and role.is_default():
            await self._answer(interaction, "mention_refused", settings=None)
            return
        settings = await self.bot.db_call(
            _set_mention,
            interaction.guild_id,
            role.id if role else None,
            actor_label(interaction),
            self.clock(),
        )
        await self._answer(interaction, "mention", settings=settings)

    # --- Looking and posting --------------------------------------------------------------

    @digest.command(name="preview", description=word("cmd.digest.preview"))
    async def preview(self, interaction: discord.Interaction) -> None:
        await require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        pages, chart = await self.bot.db_call(_preview, interaction.guild_id, self.clock())
        await self._send_pages(interaction, pages, chart)

    @digest.command(name="now", description=word("cmd.digest.now"))
    async def now(self, interaction: discord.Interaction) -> None:
        await require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.scheduler.post_now(interaction.guild_id)
        await self._answer(interaction, outcome.status, record=outcome.record, error=outcome.error)

    @digest.command(name="history", description=word("cmd.digest.history"))
    async def history(self, interaction: discord.Interaction) -> None:
        await require_manage_guild(interaction)
        settings, records = await self.bot.db_call(_history, interaction.guild_id)
        await self._answer(interaction, "history", settings=settings, records=records)

    @digest.command(name="status", description=word("cmd.digest.status"))
    async def status(self, interaction: discord.Interaction) -> None:
        await require_manage_guild(interaction)
        settings, last = await self.bot.db_call(_status, interaction.guild_id)
        # The same instant the server's CronTrigger computes, from the injected clock.
        next_run = timing.next_fire(settings, self.clock()) if settings.active else None
        await self._answer(
            interaction,
            "status",
            settings=settings,
            last=last,
            next_run=next_run.isoformat() if next_run else None,
        )

    # --- Answering ------------------------------------------------------------------------

    async def _answer(self, interaction: discord.Interaction, what: str, **context: Any) -> None:
        settings = context.get("settings")
        channel = context.pop("channel", None)
        channel_id = channel.id if channel else getattr(settings, "channel_id", None)
        context.setdefault("record", None)
        pages = render_template(
            ADMIN_TEMPLATE,
            what=what,
            channel_id=channel_id,
            role=_role_name(interaction, settings),
            **context,
        )
        await self._send_pages(interaction, pages, None)

    async def _send_pages(
        self, interaction: discord.Interaction, pages: list[Page], chart: bytes | None
    ) -> None:
        """Ephemeral answer: the first message as the response (or the deferred response's
        edit), the rest as followups; the chart, if any, rides on the first message."""
        for index, embeds in enumerate(embed_messages(pages)):
            file = None
            if index == 0 and chart:
                file = discord.File(io.BytesIO(chart), dg.CHART_FILENAME)
            if index == 0 and not interaction.response.is_done():
                extra = {"file": file} if file else {}
                await interaction.response.send_message(
                    embeds=embeds, ephemeral=True, allowed_mentions=NONE, **extra
                )
            elif index == 0:
                extra = {"attachments": [file]} if file else {}
                await interaction.edit_original_response(
                    embeds=embeds, allowed_mentions=NONE, **extra
                )
            else:
                await interaction.followup.send(
                    embeds=embeds, ephemeral=True, allowed_mentions=NONE
                )


def _role_name(interaction: discord.Interaction, settings: ds.DigestSettings | None) -> str:
    role_id = getattr(settings, "mention_role_id", None)
    if not role_id:
        return ""
    role = interaction.guild.get_role(role_id) if interaction.guild else None
    return role.name if role else str(role_id)


# Database work for the commands, run in the bot's database threads.


def _set_channel(db, guild_id: int, channel_id: int, actor: str, now: datetime):
    return ds.set_channel(db, guild_id, channel_id, actor=actor, now=now)


def _set_schedule(
    db, guild_id: int, weekday: int, time: str, timezone: str, actor: str, now: datetime
):
    return ds.set_schedule(
        db, guild_id, weekday=weekday, time_of_day=time, timezone=timezone, actor=actor, now=now
    )


def _set_enabled(db, guild_id: int, enabled: bool, actor: str, now: datetime):
    return ds.set_enabled(db, guild_id, enabled, actor=actor, now=now)


def _set_mention(db, guild_id: int, role_id: int | None, actor: str, now: datetime):
    return ds.set_mention_role(db, guild_id, role_id, actor=actor, now=now)


def _preview(db, guild_id: int, now: datetime) -> tuple[list[Page], bytes | None]:
    settings = ds.get_settings(db, guild_id)
    digest = dg.preview(db, settings, now)
    pages = dg.render_digest(digest, last_error=settings.last_error, preview=True)
    return pages, dg.chart_png(digest) if digest.chart else None


def _history(db, guild_id: int):
    return ds.get_settings(db, guild_id), ledger.history(db, guild_id)


def _status(db, guild_id: int):
    return ds.get_settings(db, guild_id), ledger.last_posted(db, guild_id)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(DigestCog(bot))
