"""The ``dealbrief`` command line: each command is a few lines over the domain functions.

Commands that live in modules of their own are named in :data:`COMMANDS` and imported only
when they run, so a lookup does not wait for the bot, the charts or the HTML reader (see
``briefs/lazy_group.py``); importing this module has no side effects. Every
:class:`DealbriefError` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from . import names, queries, render, vocab
from .errors import BadInput, DealbriefError, NotFound
from .lazy_group import LazyGroup
from .model import FIGURE_ROLES, Fact
from .search_filters import parse_filters
from .store import database_problem, is_initialised, open_db, resolve_path

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
    db = open_db(path) if path.exists() else None
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
    db = ready_db(ctx)
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
    db = ready_db(ctx)
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
    db = ready_db(ctx)
    result = queries.stats(db, granularity=granularity, period=period, sector=sector, flow=flow)
    header, rows = render.stats_table(result)
    if rows:
        from rich.console import Console  # here: only the commands that draw pay for rich
        from rich.table import Table
        from rich.text import Text

        table = Table(*header)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: no rich markup from data
        Console(soft_wrap=True).print(table)
    echo(render.render_stats(result, flavour="text", with_rows=not rows))


@cli.command()
@click.pass_context
def sources(ctx: click.Context) -> None:
    """Every source, with how many facts cite it."""
    echo(render.render_sources(queries.list_sources(ready_db(ctx)), flavour="text"))


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
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Every fact with its parties, source and figures."""
    db = ready_db(ctx)
    facts = list(all_facts(db))
    body = facts_csv(facts) if fmt == "csv" else facts_json(facts)
    if output is None:
        click.echo(body, nl=False)
        return
    try:
        Path(output).write_text(body, encoding="utf-8")
    except OSError as err:
        raise BadInput(
            str(err), code="unwritable_file", file=output, reason=err.strerror or str(err)
        ) from err
    click.echo(render.notice("exported", count=len(facts), path=output), err=True)


def all_facts(db: Database, batch: int = 500) -> Iterator[Fact]:
    """Every live fact in id order, hydrated a batch at a time."""
    last = 0
    while True:
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM facts WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                [last, batch],
            )
        ]
        if not ids:
            return
        yield from queries.fetch_facts(db, ids)
        last = ids[-1]


def facts_json(facts: list[Fact]) -> str:
    return json.dumps([fact_json(f) for f in facts], ensure_ascii=False, indent=2) + "\n"


def fact_json(fact: Fact) -> dict[str, Any]:
    """The fact's fields, with every source reporting it in ``sources`` (the first one first,
    each with what it says); ``source`` stays the first, as before."""
    data = dataclasses.asdict(fact)
    further = data.pop("more_sources")
    data["sources"] = [
        {**data["source"], "evidence": fact.evidence},
        *({**c["source"], "evidence": c["evidence"]} for c in further),
    ]
    return data


FACT_COLUMNS = (
    "id", "key", "kind", "summary", "asset", "sector", "territory", "stage", "royalty", "period",
    "period_start", "period_end", "status", "evidence", "note", "origin", "revision",
    "created_at", "updated_at",
)  # fmt: skip
PARTY_COLUMNS = ("subject", "counterparty", "licensor", "licensee")
SOURCE_COLUMNS = ("id", "key", "title", "outlet", "published", "url")
FIGURE_COLUMNS = ("disclosed", "value", "unit", "usd", "approx")


def csv_header() -> list[str]:
    return [
        *FACT_COLUMNS,
        *PARTY_COLUMNS,
        *(f"source_{c}" for c in SOURCE_COLUMNS),
        "source_count",
        "sources",
        *(f"{role}_{c}" for role in FIGURE_ROLES for c in FIGURE_COLUMNS),
    ]


def csv_row(fact: Fact) -> dict[str, Any]:
    """One flat row; a role given twice keeps its values joined by "; ", and so do the keys of
    every source reporting the fact (``sources``; ``source_*`` describe the first)."""
    row: dict[str, Any] = {c: getattr(fact, c) for c in FACT_COLUMNS}
    row.update({p: getattr(fact, p).name if getattr(fact, p) else None for p in PARTY_COLUMNS})
    row.update({f"source_{c}": getattr(fact.source, c) for c in SOURCE_COLUMNS})
    row["source_count"] = len(fact.sources)
    row["sources"] = "; ".join(source.key for source in fact.sources)
    for figure in fact.figures:
        values = {
            "disclosed": int(figure.disclosed),
            "value": figure.value,
            "unit": figure.unit,
            "usd": figure.value_usd,
            "approx": figure.approx,
        }
        for column, value in values.items():
            name = f"{figure.role}_{column}"
            row[name] = value if row.get(name) is None else f"{row[name]}; {value}"
    return {name: defuse(value) for name, value in row.items()}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def defuse(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Text that already starts with one gets another, so a reader that drops exactly one leading
    apostrophe always gets the stored text back.
    """
    if isinstance(value, str) and value[:1] in (*FORMULA_STARTS, "'"):
        return "'" + value
    return value


def facts_csv(facts: list[Fact]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_header(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_row(f) for f in facts)
    return buffer.getvalue()
