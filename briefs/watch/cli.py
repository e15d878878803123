"""``dealbrief watch add|list|resume|remove``: watches managed from a shell, by an admin.

Registered on the ``dealbrief`` group by ``briefs.cli``. The shell user is an admin of this
machine's knowledge base, so a watch may go to any user's direct messages (``--user``) or a
channel (``--channel`` with its ``--guild``); the rules are those of :mod:`.watches`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from ..changes import Actor
from ..errors import BadInput, NotFound
from ..render import render_did_you_mean, to_text
from ..store import open_db
from ..text import parse_id
from .content import render_answer
from .watches import (
    Requester,
    Watch,
    WatchForm,
    add_watch,
    list_watches,
    parse_snowflake,
    remove_watch,
    resume_watch,
)


def _shell() -> Requester:
    return Requester(label=Actor.shell().name, is_admin=True)


def _db(ctx: click.Context):
    return open_db(ctx.find_root().obj["db_path"])


def _echo(what: str, **context: object) -> None:
    click.echo(to_text(render_answer(what, "text", cli=True, **context)).rstrip())


@click.group("watch")
def watch_group() -> None:
    """Alerts on Discord when a fact about a followed company, sector or word arrives."""


@watch_group.command("add")
@click.option("--company", help="Facts naming this company.")
@click.option("--sector", help="Facts in this sector or beneath it.")
@click.option("--keyword", help="Facts whose text holds these words.")
@click.option("--min-upfront", "min_upfront", help="Deals with at least this upfront: $50m.")
@click.option("--user", "user_id", help="Send by direct message to this Discord user id.")
@click.option("--channel", "channel_id", help="Post in this Discord channel id…")
@click.option("--guild", "guild_id", help="…of this server id.")
@click.pass_context
def watch_add(
    ctx: click.Context,
    company: str | None,
    sector: str | None,
    keyword: str | None,
    min_upfront: str | None,
    user_id: str | None,
    channel_id: str | None,
    guild_id: str | None,
) -> None:
    """Add a watch; give --user, or --channel with --guild."""
    user, channel, guild = (
        parse_snowflake(v, name) if v is not None else None
        for v, name in ((user_id, "user"), (channel_id, "channel"), (guild_id, "guild"))
    )
    if (user is None) == (channel is None) or (channel is not None and guild is None):
        raise BadInput("give --user, or --channel with --guild", code="watch_needs_target")
    form = WatchForm(company, sector, keyword, min_upfront)
    db = _db(ctx)
    try:
        watch = add_watch(db, _shell(), form, channel_id=channel, user_id=user, guild_id=guild)
    except NotFound as err:
        if err.code != "unknown_company" or not err.suggestions:
            raise
        pages = render_did_you_mean(company or "", err.suggestions, flavour="text")
        click.echo(to_text(pages).strip(), err=True)
        sys.exit(1)
    finally:
        db.close()
    _echo("added", watch=watch)


@watch_group.command("list")
@click.pass_context
def watch_list(ctx: click.Context) -> None:
    """Every watch, with where it goes and whether it is paused."""
    db = _db(ctx)
    try:
        watches = list_watches(db, _shell())
    finally:
        db.close()
    _echo("list", watches=watches)


@watch_group.command("resume")
@click.argument("watch_id")
@click.pass_context
def watch_resume(ctx: click.Context, watch_id: str) -> None:
    """Resume a watch paused after failed deliveries, once their cause is mended."""
    _change(ctx, resume_watch, watch_id, "resumed")


@watch_group.command("remove")
@click.argument("watch_id")
@click.pass_context
def watch_remove(ctx: click.Context, watch_id: str) -> None:
    """Remove a watch by its number."""
    _change(ctx, remove_watch, watch_id, "removed")


def _change(ctx: click.Context, action: Callable[..., Watch], watch_id: str, what: str) -> None:
    """Apply ``action`` to one watch by its typed number, and say ``what`` happened."""
    db = _db(ctx)
    try:
        watch = action(db, _shell(), parse_id(watch_id, "watch"))
    finally:
        db.close()
    _echo(what, watch=watch)
