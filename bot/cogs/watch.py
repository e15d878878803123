"""/watch add|list|resume|remove: alerts when a fact about a followed company, sector or word arrives.

A member's watch comes by direct message; an admin may send one to a channel. The rules are
``briefs.watch``'s; this cog translates options and answers privately. Delivery is
``bot.watch_delivery``, whose polling starts once when the cog loads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from briefs.errors import Forbidden, NotFound
from briefs.render import render_did_you_mean
from briefs.store import utcnow
from briefs.text import MAX_NAME
from briefs.watch.content import render_answer
from briefs.watch.watches import (
    MAX_KEYWORD,
    Requester,
    WatchForm,
    add_watch,
    list_watches,
    remove_watch,
    resume_watch,
)

from ..actors import actor_label
from ..autocomplete import company_choices, sector_choices
from ..embeds import to_embeds
from ..options import IdTransformer
from ..permissions import require_admin
from ..views import respond
from ..watch_delivery import POLL_SECONDS, Clock, DiscordWatchSender, WatchDelivery
from ..words import word

WatchId = app_commands.Transform[int, IdTransformer("watch")]
ADD_OPTIONS = ("company", "sector", "keyword", "min_upfront", "channel")
# What the bot needs in a channel to post alerts there.
CHANNEL_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


def check_channel(channel: discord.abc.GuildChannel) -> None:
    """Refuse a channel the bot cannot post alerts in, naming what it lacks."""
    perms = channel.permissions_for(channel.guild.me)
    missing = [name for name in CHANNEL_PERMISSIONS if not getattr(perms, name)]
    if missing:
        raise Forbidden(
            "cannot post in that channel", code="watch_channel_permissions", missing=missing
        )


async def requester_of(interaction: discord.Interaction) -> Requester:
    """The member, with whether they are an admin here (Manage Server or the admin role)."""
    try:
        await require_admin(interaction)
        is_admin = True
    except Forbidden:
        is_admin = False
    return Requester(actor_label(interaction), interaction.user.id, interaction.guild_id, is_admin)


class WatchCog(commands.Cog):
    watch = app_commands.Group(name="watch", description=word("grp.watch"), guild_only=True)

    def __init__(
        self,
        bot: commands.Bot,
        *,
        clock: Clock = utcnow,
        poll_seconds: float = POLL_SECONDS,
        batch_window: timedelta | None = None,
    ) -> None:
        self.bot = bot
        if batch_window is None:
            batch_window = timedelta(seconds=bot.config.watch_batch_seconds)  # type: ignore[attr-defined]
        self.delivery = WatchDelivery(
            bot.db_call,  # type: ignore[attr-defined]
            DiscordWatchSender(bot),
            clock=clock,
            poll_seconds=poll_seconds,
            batch_window=batch_window,
        )

    async def cog_load(self) -> None:
        self.delivery.start()

    async def cog_unload(self) -> None:
        self.delivery.shutdown()

    @watch.command(name="add", description=word("cmd.watch.add"))
    @app_commands.describe(**{name: word(f"opt.watch.{name}") for name in ADD_OPTIONS})
    @app_commands.autocomplete(company=company_choices, sector=sector_choices)
    async def add(
        self,
        interaction: discord.Interaction,
        company: app_commands.Range[str, 1, MAX_NAME] | None = None,
        sector: app_commands.Range[str, 1, MAX_NAME] | None = None,
        keyword: app_commands.Range[str, 1, MAX_KEYWORD] | None = None,
        min_upfront: app_commands.Range[str, 1, MAX_NAME] | None = None,
        channel: discord.TextChannel | None = None,
    ) -> None:
        requester = await requester_of(interaction)
        if channel is not None and requester.is_admin:
            check_channel(channel)
        form = WatchForm(company, sector, keyword, min_upfront)
        channel_id = channel.id if channel else None
        try:
            watch = await self.bot.db_call(_add, requester, form, channel_id)  # type: ignore[attr-defined]
        except NotFound as err:
            if err.code != "unknown_company" or not err.suggestions:
                raise
            pages = render_did_you_mean(company or "", err.suggestions)
            await respond(interaction, to_embeds(pages), ephemeral=True)
            return
        await self._answer(interaction, "added", watch=watch)

    @watch.command(name="list", description=word("cmd.watch.list"))
    async def list(self, interaction: discord.Interaction) -> None:
        requester = await requester_of(interaction)
        watches = await self.bot.db_call(list_watches, requester)  # type: ignore[attr-defined]
        await self._answer(interaction, "list", watches=watches)

    @watch.command(name="resume", description=word("cmd.watch.resume"))
    @app_commands.describe(id=word("opt.watch.id"))
    async def resume(self, interaction: discord.Interaction, id: WatchId) -> None:
        await self._change(interaction, resume_watch, id, "resumed")

    @watch.command(name="remove", description=word("cmd.watch.remove"))
    @app_commands.describe(id=word("opt.watch.id"))
    async def remove(self, interaction: discord.Interaction, id: WatchId) -> None:
        await self._change(interaction, remove_watch, id, "removed")

    async def _change(
        self, interaction: discord.Interaction, action: Callable, watch_id: int, what: str
    ) -> None:
        """Apply ``action`` (the requester's, in the database threads) to one watch."""
        requester = await requester_of(interaction)
        watch = await self.bot.db_call(action, requester, watch_id)  # type: ignore[attr-defined]
        await self._answer(interaction, what, watch=watch)

    async def _answer(self, interaction: discord.Interaction, what: str, **context: object) -> None:
        await respond(interaction, to_embeds(render_answer(what, **context)), ephemeral=True)


def _add(db, requester: Requester, form: WatchForm, channel_id: int | None):
    return add_watch(db, requester, form, channel_id=channel_id)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(WatchCog(bot))
