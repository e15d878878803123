"""``dealbrief backup PATH`` and ``dealbrief restore PATH``, one line each, over backup.py."""

from __future__ import annotations

from pathlib import Path

import click

from .backup import backup, restore
from .render import notice

TEMPLATE = "backup.j2"


def say(what: str, **params: object) -> None:
    click.echo(notice(what, template=TEMPLATE, **params))


def db_path(ctx: click.Context) -> Path:
    return ctx.find_root().obj["db_path"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.pass_context
def backup_command(ctx: click.Context, path: Path, force: bool) -> None:
    """Copy the database to PATH while it is in use, and check the copy."""
    copy = backup(db_path(ctx), path, force=force)
    say("backed_up", copy=copy, db=db_path(ctx))


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def restore_command(ctx: click.Context, path: Path) -> None:
    """Put the backup at PATH in place of the database (refused while a bot runs on it)."""
    done = restore(db_path(ctx), path)
    say("restored", copy=done.copy, source=path, kept=done.kept)
