"""``dealbrief bot``: the Discord bot, or the local console without a token.

The bot command lives here, not in ``briefs/``, because ``briefs/`` never imports discord;
``briefs.cli`` names it in its table of commands, so the whole command line is one program
that imports discord only when this command runs. ``cli`` is that program, for callers that
import it from here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import click
import discord
from click.decorators import FC
from discord.http import Route

from briefs.cli import cli  # noqa: F401  (the program, for those who import it from here)
from briefs.db_lock import DatabaseLock
from briefs.errors import DealbriefError
from briefs.render import render_error, render_template, to_text

from .app import create_bot
from .config import LOG_FORMATS, BotConfig, load_config, parse_ids
from .console import run_console
from .logs import LOG_FORMATS_HELP, log_formatter

NO_TOKEN_TEMPLATE = "bot/no_token.j2"
LOGIN_REFUSED_TEMPLATE = "bot/login_refused.j2"
DISCORD_API_BASE = Route.BASE


def _ids(_ctx: click.Context, _param: click.Parameter, value: str | None) -> list[int] | None:
    try:
        return parse_ids(value, "shard ids") if value else None
    except DealbriefError as err:
        raise click.BadParameter(to_text(render_error(err, flavour="text")).strip()) from None


def _file_option(flag: str, name: str, help: str) -> Callable[[FC], FC]:
    """An optional file path option (a file, not a folder), passed on as a ``Path``."""
    return click.option(
        flag, name, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help
    )


@click.command("bot")
@_file_option(
    "--db", "db_path", "Database file (also accepted before the command: dealbrief --db FILE bot)."
)
@_file_option(
    "--config",
    "config_file",
    "TOML file with a [bot] table (default: ./dealbrief.toml if present).",
)
@click.option(
    "--guild", "guild_ids", type=int, multiple=True, help="Sync commands to this server only."
)
@click.option("--shard-count", type=int, default=None)
@click.option("--shard-ids", callback=_ids, default=None, help="Comma-separated, e.g. 0,1.")
@click.option("--log-level", default=None, help="DEBUG, INFO, WARNING...")
@click.option("--log-format", type=click.Choice(LOG_FORMATS), default=None, help=LOG_FORMATS_HELP)
@click.option(
    "--health-port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Serve /healthz and /readyz on 127.0.0.1 at this port (off by default).",
)
@click.pass_context
def bot_command(
    ctx: click.Context,
    db_path: Path | None,
    config_file: Path | None,
    guild_ids: tuple[int, ...],
    shard_count: int | None,
    shard_ids: list[int] | None,
    log_level: str | None,
    log_format: str | None,
    health_port: int | None,
) -> None:
    """Run the Discord bot (with DISCORD_TOKEN), else the local text console."""
    overrides = {
        "db_path": db_path or ctx.find_root().params.get("db_path"),
        "guild_ids": list(guild_ids) or None,
        "shard_count": shard_count,
        "shard_ids": shard_ids,
        "log_level": log_level,
        "log_format": log_format,
        "health_port": health_port,
    }
    try:
        config = load_config(overrides, config_file=config_file)
    except DealbriefError as err:
        raise click.ClickException(to_text(render_error(err, flavour="text")).strip()) from None
    if not config.token:
        with DatabaseLock(config.db_path).shared():
            click.echo(to_text(render_template(NO_TOKEN_TEMPLATE, "text")).strip())
            sys.exit(run_console(config.db_path, input=sys.stdin, output=sys.stdout))
    run_bot(config)


def run_bot(config: BotConfig) -> None:
    """Connect and serve until interrupted; discord.py sets up logging for the whole program.

    A refused token is the one start-up failure every operator meets: it is told in a line
    (and a non-zero exit status), not a traceback.
    """
    bot = create_bot(config)
    try:
        options: dict[str, Any] = {"log_level": getattr(logging, config.log_level)}
        formatter = log_formatter(config.log_format)
        if formatter is not None:
            options["log_formatter"] = formatter
        bot.run(config.token, root_logger=True, **options)
    except discord.LoginFailure:
        message = to_text(render_template(LOGIN_REFUSED_TEMPLATE, "text")).strip()
        raise click.ClickException(message) from None
    except aiohttp.ClientConnectionError as err:
        # No network, a wrong API base, Discord down: the operator needs where, not a traceback.
        where = config.api_base or DISCORD_API_BASE
        unreachable = DealbriefError(
            f"cannot reach Discord at {where}: {err}", code="discord_unreachable", value=where
        )
        raise click.ClickException(
            to_text(render_error(unreachable, flavour="text")).strip()
        ) from None
