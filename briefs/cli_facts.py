"""The commands that change the knowledge base: ``init``, ``fact`` and ``company``.

A module of its own, named in ``briefs.cli.COMMANDS``, so that the write side (use cases,
option sets, the curated loader) is imported only by the commands that write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import render
from .actions import companies, facts
from .actions.facts import FactForm
from .changes import Actor
from .cli import echo, ready_db
from .cli_options import ALIAS_KIND, fact_options, source_options
from .curated import load_curated
from .queries import get_fact, latest_audit_id
from .store import open_db
from .text import parse_id
from .web.schema import refresh_labels

if TYPE_CHECKING:
    from sqlite_utils import Database

# --- Setting up ---------------------------------------------------------------------------------


@click.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the database and load the curated data (safe to run again)."""
    from rich.console import Console  # here: only the commands that draw pay for rich

    db = open_db(ctx.obj["db_path"])
    with Console(stderr=True).status(render.notice("loading")):
        report = load_curated(db, actor=Actor.curated())
        refresh_labels(db)
    echo(render.render_load_report(report, flavour="text"))


# --- Changing facts -------------------------------------------------------------------------------


@click.group()
def fact() -> None:
    """Show, add, edit, remove and undo facts."""


@fact.command("show")
@click.argument("fact_id")
@click.pass_context
def fact_show(ctx: click.Context, fact_id: str) -> None:
    """One fact in full."""
    db = ready_db(ctx)
    echo(render.render_fact(get_fact(db, parse_id(fact_id, "fact")), flavour="text"))


@fact.command("add")
@fact_options
@source_options
@click.option("--separate", is_flag=True, help="Record it even if it looks like a stored fact.")
@click.pass_context
def fact_add(ctx: click.Context, separate: bool, **options: Any) -> None:
    """Record a fact; companies are named as people write them."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = latest_audit_id(db)
    facts.add(db, FactForm.of(options), actor, separate=separate)
    confirm(db, actor, since)


@fact.command("source")
@click.argument("fact_id")
@source_options
@click.option("--evidence", help="What this source says about the fact.")
@click.option("--reason", help="Why, for the history.")
@click.pass_context
def fact_source(
    ctx: click.Context, fact_id: str, evidence: str | None, reason: str | None, **options: Any
) -> None:
    """Add another source reporting a stored fact (the fact stays one fact)."""
    db = ready_db(ctx)
    actor = Actor.shell()
    number = parse_id(fact_id, "fact")
    since = latest_audit_id(db)
    facts.cite(db, number, FactForm.of(options), actor, evidence=evidence, reason=reason)
    confirm(db, actor, since)


@fact.command("edit")
@click.argument("fact_id")
@fact_options
@click.option("--source", help="Source number or key.")
@click.option("--reason", help="Why, for the history.")
@click.pass_context
def fact_edit(ctx: click.Context, fact_id: str, reason: str | None, **options: Any) -> None:
    """Change some fields of a fact; give "" to clear a field."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = latest_audit_id(db)
    facts.edit(db, parse_id(fact_id, "fact"), FactForm.of(options), actor, reason)
    confirm(db, actor, since)


@fact.command("remove")
@click.argument("fact_id")
@click.option("--reason", help="Why, for the history.")
@click.pass_context
def fact_remove(ctx: click.Context, fact_id: str, reason: str | None) -> None:
    """Remove a fact from every answer (undo brings it back)."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = latest_audit_id(db)
    facts.remove(db, parse_id(fact_id, "fact"), actor, reason)
    confirm(db, actor, since)


@fact.command("undo")
@click.argument("audit_id", required=False)
@click.pass_context
def fact_undo(ctx: click.Context, audit_id: str | None) -> None:
    """Undo a change by its number, or else your latest change."""
    db = ready_db(ctx)
    number = parse_id(audit_id, "change") if audit_id is not None else None
    entry = facts.undo(db, Actor.shell(), number)
    echo(render.render_change(entry, facts.shown_fact(db, entry), flavour="text"))


@fact.command("history")
@click.option("--fact", "fact_id", help="Only changes to this fact.")
@click.option("--company", help="Only changes about this company.")
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def fact_history(ctx: click.Context, fact_id: str | None, company: str | None, limit: int) -> None:
    """Recent changes, newest first."""
    db = ready_db(ctx)
    number = parse_id(fact_id, "fact") if fact_id is not None else None
    entries = facts.history(db, fact_id=number, company=company, limit=limit)
    echo(render.render_history(entries, flavour="text"))


def confirm(db: Database, actor: Actor, since: int) -> None:
    """Print each change this command made, oldest first, with the number that undoes it."""
    for entry in facts.made_since(db, actor, since):
        echo(render.render_change(entry, facts.shown_fact(db, entry), flavour="text"))


# --- Companies ------------------------------------------------------------------------------------


@click.group()
def company() -> None:
    """Add companies and the names they go by."""


@company.command("add")
@click.argument("name")
@click.option("--country")
@click.option("--sector")
@click.option("--description")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.pass_context
def company_add(
    ctx: click.Context,
    name: str,
    country: str | None,
    sector: str | None,
    description: str | None,
    aliases: tuple[str, ...],
) -> None:
    """Add a company, with other names it goes by."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = latest_audit_id(db)
    companies.add(
        db, name, actor, country=country, sector=sector, description=description, aliases=aliases
    )
    confirm(db, actor, since)


@company.command("alias")
@click.argument("company_name", metavar="COMPANY")
@click.argument("alias")
@click.option("--kind", default="name", show_default=True, type=ALIAS_KIND)
@click.option("--source", "source_ref", help="Source (number or key) that uses this spelling.")
@click.pass_context
def company_alias(
    ctx: click.Context, company_name: str, alias: str, kind: str, source_ref: str | None
) -> None:
    """Teach another name for a company."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = latest_audit_id(db)
    companies.alias(db, company_name, alias, actor, kind=kind, source=source_ref)
    confirm(db, actor, since)
