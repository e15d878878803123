"""The ``dealbrief`` command line: each command is a few lines over the domain functions.

Commands that live in modules of their own are named in :data:`COMMANDS` and imported only
when they run, so a lookup does not wait for the bot, the charts or the HTML reader (see
``briefs/lazy_group.py``); importing this module has no side effects. Every
:class:`DealbriefError` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import names, queries, render, vocab
from .errors import BadInput, DealbriefError, NotFound
from .export import FORMATS, export_text
from .lazy_group import LazyGroup
from .search_filters import parse_filters
from .store import database_problem, is_initialised, open_db, open_lookup, resolve_path

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .store import Reader

# Either kind of database handle: the check below hands back the kind it was given.
DB = TypeVar("DB", "Database", "sqlite3.Connection")

EXIT_USER_ERROR = 1
EXIT_DATABASE_ERROR = 3

# The commands kept in modules of their own: name -> "module:attribute" of the click command.
# Each is imported only when it runs (or --help lists it). A new command is one line here.
COMMANDS = {
    "init": "briefs.cli_facts:init",
    "fact": "briefs.cli_facts:fact",
    "company": "briefs.cli_facts:company",
    "backup": "briefs.backup_cli:backup_command",
    "restore": "briefs.backup_cli:restore_command",
    "bot": "bot.entry:bot_command",
    "digest": "briefs.digest.cli:digest_command",
    "ingest": "briefs.ingest.commands:ingest",
    "review": "briefs.ingest.commands:review",
    "web": "briefs.web.cli:web_command",
    "top": "briefs.analytics.cli:top_command",
    "benchmark": "briefs.analytics.cli:benchmark_command",
    "similar": "briefs.analytics.cli:similar_command",
    "watch": "briefs.watch.cli:watch_group",
    "feed": "briefs.feeds.cli:feed_command",
}


class DealbriefGroup(LazyGroup):
    """A click group that turns domain errors into one rendered line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DealbriefError as err:
            fail(err, status=EXIT_DATABASE_ERROR if err.code == "database" else EXIT_USER_ERROR)
        except sqlite3.Error as err:
            path = (ctx.obj or {}).get("db_path") or resolve_path()
            fail(database_problem(err, path), status=EXIT_DATABASE_ERROR)


def fail(err: DealbriefError, *, status: int = EXIT_USER_ERROR) -> None:
    click.echo(render.to_text(render.render_error(err, flavour="text")).strip(), err=True)
    sys.exit(status)


def echo(pages: list[render.Page]) -> None:
    click.echo(render.to_text(pages).rstrip())


@click.group(
    cls=DealbriefGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="dealbrief")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="Database file (default: $DEALBRIEF_DB, else ./dealbrief.db).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Sourced briefs on technology-transfer deals."""
    ctx.obj = {"db_path": resolve_path(db_path)}


def ready_db(ctx: click.Context) -> Database:
    """The database, refusing one that was never initialised (and never creating a file)."""
    path: Path = ctx.find_root().obj["db_path"]
    return _refuse_empty(path, open_db(path) if path.exists() else None)


def lookup_db(ctx: click.Context) -> Reader:
    """The database for a command that only reads: the quick read-only connection."""
    path: Path = ctx.find_root().obj["db_path"]
    return _refuse_empty(path, open_lookup(path) if path.exists() else None)


def _refuse_empty(path: Path, db: DB | None) -> DB:
    if db is None or not is_initialised(db):
        raise DealbriefError(f"no facts in {path}", code="no_facts", path=str(path))
    return db


# --- Reading ----------------------------------------------------------------------------------

SECTORS = ", ".join(e.label for e in vocab.VOCAB.sectors)
FLOW_HELP = (
    "Only deals from the licensor's region to the licensee's, e.g. \"China → US\" or "
    "china-west; regions: " + ", ".join(e.label for e in vocab.VOCAB.flow_sides) + "."
)


@cli.command()
@click.argument("company")
@click.pass_context
def deal(ctx: click.Context, company: str) -> None:
    """A company's brief: its names, deals and other facts, each with its source."""
    db = lookup_db(ctx)
    try:
        found = names.resolve_company(db, company)
    except NotFound as err:
        if err.code != "unknown_company" or not err.suggestions:
            raise
        pages = render.render_did_you_mean(company, err.suggestions, flavour="text")
        click.echo(render.to_text(pages).strip(), err=True)
        sys.exit(EXIT_USER_ERROR)
    echo(render.render_brief(queries.company_brief(db, found.company.id), flavour="text"))


@cli.command()
@click.argument("query", default="")
@click.option("--company", help="Only facts naming this company.")
@click.option("--kind", help="Only facts of this kind: licence, approval, sales...")
@click.option("--sector", help="Only facts in this sector or beneath it: " + SECTORS + ".")
@click.option("--since", help="Only facts dated in or after this period: 2024, 2025-H1, 2025-06.")
@click.option("--until", help="Only facts dated in or before this period.")
@click.option("--flow", help=FLOW_HELP)
@click.option("--limit", default=10, show_default=True, help="Results per page (1-100).")
@click.option("--offset", default=0, show_default=True, help="Results to skip.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, offset: int, **filters: str | None) -> None:
    """Full-text search over facts and source documents, in British or American spelling.

    With filters and no QUERY, the facts passing the filters are listed newest first.
    """
    db = lookup_db(ctx)
    narrowed = parse_filters(db, **filters)
    result = queries.search(db, query, limit=limit, offset=offset, filters=narrowed)
    echo(render.render_search(result, flavour="text", next_offset=offset + limit))


@cli.command()
@click.option("--period", help="2025, 2025-H1, 2025-Q3 or 2025-07.")
@click.option(
    "--by",
    "granularity",
    default="year",
    show_default=True,
    type=click.Choice(["year", "half", "quarter", "month"]),
)
@click.option("--sector", help="Only deals in this sector or beneath it: " + SECTORS + ".")
@click.option("--flow", help=FLOW_HELP)
@click.pass_context
def stats(
    ctx: click.Context, period: str | None, granularity: str, sector: str | None, flow: str | None
) -> None:
    """Deals counted and summed by period, beside the figures articles report."""
    db = lookup_db(ctx)
    result = queries.stats(db, granularity=granularity, period=period, sector=sector, flow=flow)
    rows = print_table(*render.stats_table(result))
    echo(render.render_stats(result, flavour="text", with_rows=not rows))


def print_table(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """Print rows of plain-text cells as a terminal table (nothing when there are none)."""
    if rows:
        from rich.console import Console  # here: only the commands that draw pay for rich
        from rich.table import Table
        from rich.text import Text

        table = Table(*header)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: no rich markup from data
        Console(soft_wrap=True).print(table)
    return rows


@cli.command()
@click.pass_context
def sources(ctx: click.Context) -> None:
    """Every source, with how many facts cite it."""
    echo(render.render_sources(queries.list_sources(lookup_db(ctx)), flavour="text"))


@cli.command()
@click.argument("source")
@click.pass_context
def source(ctx: click.Context, source: str) -> None:
    """One source (by number or key) and the facts that cite it."""
    from .actions.facts import find_source  # here: the write side, only for this command

    db = ready_db(ctx)
    echo(render.render_source(queries.get_source(db, find_source(db, source)), flavour="text"))


# --- Export ---------------------------------------------------------------------------------------


@cli.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Every fact with its parties, source and figures."""
    db = lookup_db(ctx)
    body, count = export_text(db, fmt)
    if output is None:
        click.echo(body, nl=False)
        return
    try:
        Path(output).write_text(body, encoding="utf-8")
    except OSError as err:
        raise BadInput(
            str(err), code="unwritable_file", file=output, reason=err.strerror or str(err)
        ) from err
    click.echo(render.notice("exported", count=count, path=output), err=True)
