"""/help, the console and README's command table agree with the commands that exist: a command
or option missing from one of them fails here."""

from __future__ import annotations

import re
from pathlib import Path

import click

from bot.cogs.facts import LONG_TEXT
from bot.console import COMMANDS, DISCORD_ONLY
from bot.help import command_list
from briefs.cli import cli

ROOT = Path(__file__).resolve().parent.parent


async def test_help_lists_every_registered_command(db, standin, start_bot):
    await start_bot(extensions=None)
    registered = {c["name"] for c in standin.commands[None]}
    listed = {typed.split()[0].lstrip("/") for typed, _ in command_list()}
    assert registered, "the bot registered no commands"
    assert registered == listed


async def test_the_console_takes_exactly_the_options_of_each_discord_command(
    db, standin, start_bot
):
    await start_bot(extensions=None)
    registered: dict[str, set[str]] = {}
    for command in standin.commands[None]:
        subcommands = [o for o in command.get("options", []) if o["type"] == 1]
        for sub in subcommands or [command]:
            name = command["name"] if sub is command else f"{command['name']} {sub['name']}"
            registered[name] = {o["name"] for o in sub.get("options", [])}
    for name in ("fact add", "fact edit"):  # the long text that Discord asks in a form
        registered[name] |= set(LONG_TEXT)
    for name, spec in COMMANDS.items():
        assert set(spec.options) == registered.pop(name), name
    assert {name.split()[0] for name in registered} <= set(DISCORD_ONLY)


def _cli_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command by its full name, those a lazy group imports on demand included."""
    found: dict[str, click.Command] = {}
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group) and command.commands:
            found |= _cli_commands(command, f"{prefix}{name} ")
        if not isinstance(command, click.Group) or command.invoke_without_command:
            found[prefix + name] = command
    return found


def test_readme_lists_every_cli_command_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `dealbrief ([a-z]+(?: [a-z]+)?)", readme, re.MULTILINE)
    commands = _cli_commands(cli)
    assert set(table) == set(commands)


def test_readme_names_every_option_of_fact_add_and_review_approve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    add = _cli_commands(cli)["fact add"]
    approve = _cli_commands(cli)["review approve"]
    for command in (add, approve):
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag != "--help":
                    assert re.search(f"`{flag}[` ]", readme), flag
