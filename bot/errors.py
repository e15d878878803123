"""One place that answers a failed slash command, so no cog needs its own try/except.

- a DealbriefError (bad input, not found, forbidden...) is the user's to fix: its polite
  message from ``templates/errors.j2``, visible only to them;
- a Discord-side check (missing permission, guild only) gets a short refusal;
- an option value discord.py cannot convert (a channel of another server, a member who left)
  is the user's to fix too: the ``bad_option`` message, naming what kind of value it was;
- a failure of the database itself (locked, corrupt, full, read-only) is the operator's to
  fix: a message naming the problem, and one warning line in the log naming the file;
- an answer Discord no longer takes (rate limited past the interaction's deadline, or the
  interaction already gone) is nobody's to read: one warning line, nothing sent;
- anything else is our bug: it is logged with a short error id, and the user is told that id
  so an admin can find the traceback in the log.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3

import discord
from discord import app_commands

from briefs.errors import BadInput, DealbriefError
from briefs.render import Page, render_error, render_template
from briefs.store import database_problem

from .embeds import to_embeds

log = logging.getLogger("dealbrief.bot.errors")

UNEXPECTED_TEMPLATE = "bot/unexpected_error.j2"
REFUSED_TEMPLATE = "bot/permission_refused.j2"


# What a refused option held, in the words of ``bad_option`` in templates/errors.j2.
OPTION_KINDS = {
    discord.AppCommandOptionType.channel: "channel",
    discord.AppCommandOptionType.user: "member",
    discord.AppCommandOptionType.role: "role",
    discord.AppCommandOptionType.mentionable: "member or role",
    discord.AppCommandOptionType.attachment: "file",
}


def option_refusal(error: app_commands.TransformerError) -> BadInput:
    """A value discord.py could not turn into what the option takes, as the user's error.

    Discord offers only fitting values, but a client can send others (a channel picked in
    another server, a member who has since left); nothing of ours failed, so no error id.
    """
    kind = OPTION_KINDS.get(error.type, "value")
    return BadInput(f"{kind} option refused: {error}", code="bad_option", kind=kind)


def new_error_id() -> str:
    """8 hex characters: short enough to read out, unique enough to grep a log."""
    return secrets.token_hex(4)


def original_error(error: Exception) -> Exception:
    """The exception the command raised, unwrapped from discord.py's CommandInvokeError, or
    the domain's refusal of an option value, unwrapped from its TransformerError."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    if isinstance(error, app_commands.TransformerError) and isinstance(
        error.__cause__, DealbriefError
    ):
        return error.__cause__
    return error


def command_name(interaction: discord.Interaction) -> str:
    """What failed, for the log: the command, else the button or form (by its custom id)."""
    command = interaction.command
    if command is not None:
        return f"/{command.qualified_name}"
    custom_id = (interaction.data or {}).get("custom_id")
    kind = "form" if interaction.type == discord.InteractionType.modal_submit else "button"
    return f"{kind} {custom_id}" if custom_id else "?"


def error_pages(interaction: discord.Interaction, error: Exception) -> list[Page]:
    """The pages that answer ``error``; logs it (with a new id) when it is unexpected."""
    cause = original_error(error)
    if isinstance(cause, DealbriefError):
        return render_error(cause)
    if isinstance(cause, app_commands.TransformerError):
        return render_error(option_refusal(cause))
    if isinstance(cause, app_commands.MissingPermissions):
        missing = [name.replace("_", " ") for name in cause.missing_permissions]
        return render_template(REFUSED_TEMPLATE, missing=missing)
    if isinstance(cause, app_commands.CheckFailure):
        return render_template(REFUSED_TEMPLATE, missing=[])
    if isinstance(cause, sqlite3.Error):
        return render_error(database_trouble(interaction, cause))
    error_id = new_error_id()
    log.error(
        "error id %s: %s failed (user %s, guild %s)",
        error_id,
        command_name(interaction),
        interaction.user.id,
        interaction.guild_id,
        exc_info=cause,
        extra={"error_id": error_id},  # its own field in a JSON log
    )
    return render_template(UNEXPECTED_TEMPLATE, error_id=error_id)


def database_trouble(interaction: discord.Interaction, cause: sqlite3.Error) -> DealbriefError:
    """Log the database's failure once, in one line with its file; the user is told the
    problem without the path, which is the server's business."""
    path = getattr(interaction.client, "db_path", None)
    log.warning("%s failed: database %s: %s", command_name(interaction), path, cause)
    return database_problem(cause)


async def send_ephemeral(interaction: discord.Interaction, pages: list[Page]) -> None:
    """Answer only the user who asked: as the response, or as a followup if one was sent."""
    embeds = to_embeds(pages[:10])
    if interaction.response.is_done():
        await interaction.followup.send(embeds=embeds, ephemeral=True)
    else:
        await interaction.response.send_message(embeds=embeds, ephemeral=True)


# Discord's code for an interaction it no longer knows: its 3 s (or 15 min) window closed.
UNKNOWN_INTERACTION = 10062


def late_answer(error: Exception) -> str | None:
    """Why Discord did not take the answer in time, or None if that is not what failed."""
    cause = original_error(error)
    if not isinstance(cause, discord.HTTPException):
        return None
    if cause.status == 429:
        return "rate limited"
    if cause.code == UNKNOWN_INTERACTION:
        return "the interaction had expired"
    return None


async def tell_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer a failed command, button or form; never raises, since nobody would catch it."""
    reason = late_answer(error)
    if reason is not None:
        # Nothing can reach the user any more, and nothing of ours broke: no error id.
        log.warning(
            "answer to %s came too late: Discord's 3 s deadline passed (%s)",
            command_name(interaction),
            reason,
        )
        return
    pages = error_pages(interaction, error)
    try:
        await send_ephemeral(interaction, pages)
    except discord.HTTPException:
        # The interaction may have expired (3 s to answer, 15 min for followups); the log
        # entry above is then all that remains.
        log.warning("could not tell the user about a failed %s", command_name(interaction))


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """The tree's error handler (``tree.on_error``)."""
    await tell_error(interaction, error)
