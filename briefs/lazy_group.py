"""A click group whose subcommands are imported only when they are run (or listed by --help).

Each command starts a fresh process, so every module a command imports is paid for on every
call: the bot's Discord client, the chart library or the HTML reader would slow a lookup that
needs none of them. A :class:`LazyGroup` knows its commands by name and ``"module:attribute"``
and imports a command's module when that command is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import click


class LazyGroup(click.Group):
    """``lazy_commands`` maps a command's name to the ``"module:attribute"`` of its click
    command; commands added with ``add_command`` work as in any group."""

    def __init__(self, *args: object, lazy_commands: Mapping[str, str] | None = None, **kw) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.lazy_commands: dict[str, str] = dict(lazy_commands or {})

    def add_lazy_command(self, name: str, target: str) -> None:
        """Register ``name`` as the click command at ``target`` ("package.module:attribute")."""
        module, _, attribute = target.partition(":")
        if not module or not attribute:
            raise ValueError(f"{target!r} is not 'module:attribute'")
        self.lazy_commands[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy_commands:
            command = self.load(cmd_name)
        return command

    def load(self, name: str) -> click.Command:
        """Import the command registered as ``name`` and keep it, so it is imported once."""
        module_name, _, attribute = self.lazy_commands[name].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[name]} is not a click command")
        self.commands[name] = command
        return command

    def all_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        """Every command by name, the lazy ones imported: for help and for checks."""
        found = {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}
        return {name: command for name, command in found.items() if command is not None}
