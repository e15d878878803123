"""/help must name every command the bot registers, so a new cog cannot go unlisted."""

from __future__ import annotations

from bot.help import command_list


async def test_help_lists_every_registered_command(db, standin, start_bot):
    await start_bot(extensions=None)
    registered = {c["name"] for c in standin.commands[None]}
    listed = {typed.split()[0].lstrip("/") for typed, _ in command_list()}
    assert registered, "the bot registered no commands"
    assert registered == listed
