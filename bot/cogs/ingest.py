"""Admin commands that feed the review queue: /ingest (a file or pasted text) and /review.

Like the other admin commands, Discord shows them only to members with Manage Server and every
call is checked again (:func:`require_admin`). A file is refused by its name and size before a
byte is downloaded; reading and extracting (and asking the model, when ``[ingest]`` configures one) run in a
worker process, storing in a database thread. Nothing here
becomes a fact until an admin approves it in /review.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands
from discord.ext import commands

from briefs.errors import BadInput
from briefs.ingest.orgs import KnownNames
from briefs.ingest.read import check_file
from briefs.ingest.review import read_and_extract

from .. import answers
from ..actors import actor_of
from ..embeds import to_embeds
from ..permissions import require_admin
from ..review_views import ReviewView, embeds_of, review_screen
from ..views import MODAL_TEXT_LIMIT, NONE, VIEW_TIMEOUT, CheckedModal, in_time, respond
from ..words import word

log = logging.getLogger(__name__)
TITLE_LIMIT = 300  # the reader keeps this much of a title
PASTED_NAME = "pasted.txt"  # read as plain text: the first line is the title


class Ingest(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def _ingest(
        self, interaction: discord.Interaction, data: bytes, filename: str, label: str | None
    ) -> None:
        """Read and extract in a worker process, then store in a database thread, after a
        deferral: a long document may take longer than the three seconds Discord waits for a
        first answer, and extracting it on the loop would stall every other command."""
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        known = await self.bot.db_call(KnownNames.from_db)
        settings = self.bot.config.ingest
        document, extraction = await self.bot.run_in_worker(
            read_and_extract, data, filename, known, settings
        )
        if extraction.fallback:
            log.warning(
                "model extraction fell back to the rules for %s: %s", filename, extraction.fallback
            )
        pages = await self.bot.db_call(
            answers.store_upload, document, extraction, actor_of(interaction), label or filename
        )
        await interaction.edit_original_response(
            embeds=to_embeds(pages[:10]), allowed_mentions=NONE
        )

    @app_commands.command(name="ingest", description=word("cmd.ingest"))
    @app_commands.describe(attachment=word("opt.attachment"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def ingest(
        self, interaction: discord.Interaction, attachment: discord.Attachment | None = None
    ) -> None:
        await require_admin(interaction)
        if attachment is None:
            await interaction.response.send_modal(PasteModal(self._pasted))
            return
        check_file(attachment.filename, attachment.size)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await attachment.read()
        except discord.HTTPException as err:
            raise BadInput(
                f"{attachment.filename} could not be downloaded",
                code="unreadable_file",
                file=attachment.filename,
            ) from err
        await self._ingest(interaction, data, attachment.filename, None)

    async def _pasted(self, interaction: discord.Interaction, title: str, text: str) -> None:
        await require_admin(interaction)
        await self._ingest(
            interaction, answers.pasted_bytes(title, text), PASTED_NAME, title.strip()
        )

    @app_commands.command(name="review", description=word("cmd.review"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def review(self, interaction: discord.Interaction) -> None:
        await require_admin(interaction)
        screen = self.bot.db_call(review_screen, 0)
        pages, queued = await in_time(interaction, screen, ephemeral=True)
        view = ReviewView(self.bot, interaction.user.id, queued) if queued else None
        await respond(interaction, embeds_of(pages), view=view, ephemeral=True)


class PasteModal(CheckedModal):
    """A title and the article text, for articles that are not at hand as a file."""

    def __init__(
        self, on_submit: Callable[[discord.Interaction, str, str], Awaitable[None]]
    ) -> None:
        super().__init__(title=word("modal.paste"), timeout=VIEW_TIMEOUT)
        self._submit = on_submit
        self.article_title = discord.ui.TextInput(label=word("paste.title"), max_length=TITLE_LIMIT)
        self.text = discord.ui.TextInput(
            label=word("paste.text"), style=discord.TextStyle.paragraph, max_length=MODAL_TEXT_LIMIT
        )
        self.add_item(self.article_title)
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await self._submit(interaction, self.article_title.value, self.text.value)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Ingest(bot))
