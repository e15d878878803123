"""The ``dealbrief`` command line: each command is a few lines over the domain functions.

Other modules add their own commands with ``cli.add_command(...)``; importing this module has
no side effects. Every :class:`DealbriefError` becomes one line on stderr and exit status 1.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlite_utils import Database

from . import changes, names, queries, render, vocab
from .changes import Actor, FactIn, FigureIn
from .curated import load_curated
from .errors import BadInput, DealbriefError, NotFound
from .model import FIGURE_ROLES, MILESTONE_ROLES, Fact
from .money import parse_amount
from .store import is_initialised, open_db, resolve_path
from .text import MAX_NAME, clean, parse_id, slugify

EXIT_USER_ERROR = 1
EXIT_DATABASE_ERROR = 3
TERM_OPTIONS = ("upfront", "milestones", *MILESTONE_ROLES, "total", "equity")
UNDISCLOSED = "undisclosed"
_ID = re.compile(r"^#?(\d{1,12})$")


class DealbriefGroup(click.Group):
    """A click group that turns domain errors into one rendered line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DealbriefError as err:
            fail(err)
        except sqlite3.Error as err:
            fail(DealbriefError(str(err), code="database"), status=EXIT_DATABASE_ERROR)


def fail(err: DealbriefError, *, status: int = EXIT_USER_ERROR) -> None:
    click.echo(render.to_text(render.render_error(err, flavour="text")).strip(), err=True)
    sys.exit(status)


def echo(pages: list[render.Page]) -> None:
    click.echo(render.to_text(pages).rstrip())


@click.group(cls=DealbriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


# --- Setting up ---------------------------------------------------------------------------------


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the database and load the curated data (safe to run again)."""
    db = open_db(ctx.obj["db_path"])
    with Console(stderr=True).status(render.notice("loading")):
        report = load_curated(db, actor=Actor.curated())
    echo(render.render_load_report(report, flavour="text"))


# --- Reading ----------------------------------------------------------------------------------


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
@click.argument("query")
@click.option("--limit", default=10, show_default=True, help="Results per page (1-100).")
@click.option("--offset", default=0, show_default=True, help="Results to skip.")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, offset: int) -> None:
    """Full-text search over facts and source documents."""
    db = ready_db(ctx)
    result = queries.search(db, query, limit=limit, offset=offset)
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
@click.option(
    "--sector",
    help="Only deals in this sector or beneath it: "
    + ", ".join(e.label for e in vocab.VOCAB.sectors)
    + ".",
)
@click.option(
    "--flow",
    help="Only deals from the licensor's region to the licensee's, e.g. \"China → US\" or "
    "china-west; regions: " + ", ".join(e.label for e in vocab.VOCAB.flow_sides) + ".",
)
@click.pass_context
def stats(
    ctx: click.Context, period: str | None, granularity: str, sector: str | None, flow: str | None
) -> None:
    """Deals counted and summed by period, beside the figures articles report."""
    db = ready_db(ctx)
    result = queries.stats(db, granularity=granularity, period=period, sector=sector, flow=flow)
    header, rows = render.stats_table(result)
    if rows:
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
    db = ready_db(ctx)
    echo(render.render_source(queries.get_source(db, find_source(db, source)), flavour="text"))


def find_source(db: Database, value: str) -> int:
    """A source by its number or its key."""
    text = clean(value, field="source", max_len=MAX_NAME)
    match = _ID.match(text)
    row = db.execute(
        "SELECT id FROM sources WHERE id = ? OR key = ?",
        [int(match.group(1)) if match else None, text],
    ).fetchone()
    if row is None:
        raise NotFound(f"no source {text!r}", code="unknown_source", source_id=text)
    return row[0]


# --- Changing facts -------------------------------------------------------------------------------


@cli.group()
def fact() -> None:
    """Show, add, edit, remove and undo facts."""


@fact.command("show")
@click.argument("fact_id")
@click.pass_context
def fact_show(ctx: click.Context, fact_id: str) -> None:
    """One fact in full."""
    db = ready_db(ctx)
    echo(render.render_fact(queries.get_fact(db, parse_id(fact_id, "fact")), flavour="text"))


def fact_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``fact add`` and ``fact edit`` share: every field a fact has."""
    options = [
        click.option("--kind", help=", ".join(vocab.VOCAB.kinds.keys) + "."),
        click.option("--summary", help="What happened, in one sentence of your own."),
        click.option("--subject", help="The company the fact is about."),
        click.option("--counterparty", help="The other party."),
        click.option("--licensor", help="Who grants the licence."),
        click.option("--licensee", help="Who receives it."),
        click.option("--asset"),
        click.option("--sector", help=", ".join(e.label for e in vocab.VOCAB.sectors) + "."),
        click.option("--territory", help='e.g. "Worldwide excluding Greater China", "US".'),
        click.option("--stage", help=", ".join(e.label for e in vocab.VOCAB.stages) + "."),
        click.option("--royalty", help="Royalty terms as stated."),
        click.option("--period", help="2025, 2025-H1, 2025-Q3, 2025-07 or 2025-07-14."),
        click.option("--status", help="reported, announced, signed, completed…"),
        click.option("--source", "source_ref", help="Source number or key."),
        click.option("--evidence", help="Where in the source this is said."),
        click.option("--note"),
        *[
            click.option(
                f"--{role.replace('_', '-')}", help='e.g. "$50m", "3.5bn yuan" or "undisclosed".'
            )
            for role in TERM_OPTIONS
        ],
    ]
    for option in reversed(options):
        command = option(command)
    return command


@fact.command("add")
@fact_options
@click.option("--source-title", help="Create the source: its title.")
@click.option("--source-outlet", help="…its outlet.")
@click.option("--source-date", help="…its publication date (2025-07-14).")
@click.option("--source-url", help="…its address.")
@click.pass_context
def fact_add(ctx: click.Context, **options: Any) -> None:
    """Record a fact; companies are named as people write them."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = queries.latest_audit_id(db)
    parties = resolve_parties(db, options)
    figures = [fig for role in TERM_OPTIONS if (fig := parse_term(role, options[role]))]
    with db.atomic():
        source_id = source_for(db, options, actor)
        fact_in = FactIn(
            kind=options["kind"] or "",
            summary=options["summary"] or "",
            source_id=source_id,
            **parties,
            **{name: options[name] for name in TEXT_FIELDS},
            status=options["status"] or "reported",
            figures=figures,
        )
        changes.add_fact(db, fact_in, actor)
    confirm(db, actor, since)


PARTY_ROLES = ("subject", "counterparty", "licensor", "licensee")
TEXT_FIELDS = ("asset", "sector", "territory", "stage", "royalty", "period", "evidence", "note")


def resolve_parties(db: Database, options: dict[str, Any]) -> dict[str, int | None]:
    """Company ids for the parties named; a licensor or licensee is also subject/counterparty."""
    ids = {
        role: names.resolve_company(db, options[role]).company.id
        for role in PARTY_ROLES
        if options.get(role) is not None
    }
    subject = ids.get("subject") or ids.get("licensor") or ids.get("licensee")
    counterparty = ids.get("counterparty")
    if counterparty is None:
        counterparty = next(
            (ids[r] for r in ("licensee", "licensor") if ids.get(r) not in (None, subject)), None
        )
    return {
        "subject_id": subject,
        "counterparty_id": counterparty,
        "licensor_id": ids.get("licensor"),
        "licensee_id": ids.get("licensee"),
    }


def parse_term(role: str, value: str | None) -> FigureIn | None:
    """A deal term from what was typed: an amount, or "undisclosed" for a term kept secret."""
    if value is None:
        return None
    typed = clean(value, field=role, max_len=60)
    if typed.casefold() == UNDISCLOSED:
        return FigureIn(role=role, disclosed=False)
    money = parse_amount(typed)
    return FigureIn(role=role, value=money.amount, unit=money.currency)


def source_for(db: Database, options: dict[str, Any], actor: Actor) -> int:
    """The source named with --source, or one created from --source-title and friends."""
    if options["source_ref"] is not None:
        return find_source(db, options["source_ref"])
    if options["source_title"] is None:
        raise BadInput("a fact needs a source", code="empty", field="source")
    title = clean(options["source_title"], field="source title", max_len=MAX_NAME)
    published = options["source_date"]
    key = "-".join(p for p in ("admin", slugify(title)[:60], published and slugify(published)) if p)
    return changes.add_source(
        db,
        key=key,
        title=title,
        actor=actor,
        outlet=options["source_outlet"],
        published=published,
        url=options["source_url"],
    )


@fact.command("edit")
@click.argument("fact_id")
@fact_options
@click.option("--reason", help="Why, for the history.")
@click.pass_context
def fact_edit(ctx: click.Context, fact_id: str, reason: str | None, **options: Any) -> None:
    """Change some fields of a fact; give "" to clear a field."""
    db = ready_db(ctx)
    actor = Actor.shell()
    number = parse_id(fact_id, "fact")
    since = queries.latest_audit_id(db)
    edits: dict[str, Any] = {
        name: options[name]
        for name in ("kind", "summary", "status", *TEXT_FIELDS)
        if options[name] is not None
    }
    edits.update(
        {
            f"{role}_id": names.resolve_company(db, options[role]).company.id
            for role in PARTY_ROLES
            if options[role] is not None
        }
    )
    if options["source_ref"] is not None:
        edits["source_id"] = find_source(db, options["source_ref"])
    terms = {role: parse_term(role, options[role]) for role in TERM_OPTIONS if options[role]}
    if terms:
        current = queries.get_fact(db, number)
        kept = [as_input(f) for f in current.figures if f.role not in terms]
        edits["figures"] = sorted(
            [*kept, *terms.values()], key=lambda f: FIGURE_ROLES.index(f.role)
        )
    if not edits:
        raise BadInput("nothing to change", code="no_change", id=number)
    changes.edit_fact(db, number, actor, reason=reason, **edits)
    confirm(db, actor, since)


def as_input(figure: Any) -> FigureIn:
    return FigureIn(**{f.name: getattr(figure, f.name) for f in dataclasses.fields(FigureIn)})


@fact.command("remove")
@click.argument("fact_id")
@click.option("--reason", help="Why, for the history.")
@click.pass_context
def fact_remove(ctx: click.Context, fact_id: str, reason: str | None) -> None:
    """Remove a fact from every answer (undo brings it back)."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = queries.latest_audit_id(db)
    changes.remove_fact(db, parse_id(fact_id, "fact"), actor, reason=reason)
    confirm(db, actor, since)


@fact.command("undo")
@click.argument("audit_id", required=False)
@click.pass_context
def fact_undo(ctx: click.Context, audit_id: str | None) -> None:
    """Undo a change by its number, or else your latest change."""
    db = ready_db(ctx)
    number = parse_id(audit_id, "change") if audit_id is not None else None
    entry = changes.undo(db, Actor.shell(), number)
    echo(render.render_change(entry, fact_of(db, entry), flavour="text"))


@fact.command("history")
@click.option("--fact", "fact_id", help="Only changes to this fact.")
@click.option("--company", help="Only changes about this company.")
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def fact_history(ctx: click.Context, fact_id: str | None, company: str | None, limit: int) -> None:
    """Recent changes, newest first."""
    db = ready_db(ctx)
    entries = changes.history(
        db,
        fact_id=parse_id(fact_id, "fact") if fact_id is not None else None,
        company_id=names.resolve_company(db, company).company.id if company is not None else None,
        limit=limit,
    )
    echo(render.render_history(entries, flavour="text"))


def fact_of(db: Database, entry: Any) -> Fact | None:
    """The fact a change touched, when it is a fact that is still shown."""
    if entry.entity != "fact" or entry.entity_id is None:
        return None
    found = queries.fetch_facts(db, [entry.entity_id])
    return found[0] if found else None


def confirm(db: Database, actor: Actor, since: int) -> None:
    """Print each change this command made, oldest first, with the number that undoes it."""
    made = [e for e in changes.history(db, actor=actor, limit=50) if e.id > since]
    for entry in reversed(made):
        echo(render.render_change(entry, fact_of(db, entry), flavour="text"))


# --- Companies ------------------------------------------------------------------------------------


@cli.group()
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
    since = queries.latest_audit_id(db)
    with db.atomic():
        company_id = changes.add_company(
            db, name, actor, country=country, sector=sector, description=description
        )
        for alias in aliases:
            changes.add_alias(db, company_id, alias, actor)
    confirm(db, actor, since)


@company.command("alias")
@click.argument("company_name", metavar="COMPANY")
@click.argument("alias")
@click.option("--kind", default="name", show_default=True, help="short, legal, ticker, chinese…")
@click.option("--source", "source_ref", help="Source (number or key) that uses this spelling.")
@click.pass_context
def company_alias(
    ctx: click.Context, company_name: str, alias: str, kind: str, source_ref: str | None
) -> None:
    """Teach another name for a company."""
    db = ready_db(ctx)
    actor = Actor.shell()
    since = queries.latest_audit_id(db)
    company_id = names.resolve_company(db, company_name).company.id
    source_id = find_source(db, source_ref) if source_ref is not None else None
    changes.add_alias(db, company_id, alias, actor, kind=kind, source_id=source_id)
    confirm(db, actor, since)


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
    return json.dumps([dataclasses.asdict(f) for f in facts], ensure_ascii=False, indent=2) + "\n"


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
        *(f"{role}_{c}" for role in FIGURE_ROLES for c in FIGURE_COLUMNS),
    ]


def csv_row(fact: Fact) -> dict[str, Any]:
    """One flat row; a role given twice keeps its values joined by "; "."""
    row: dict[str, Any] = {c: getattr(fact, c) for c in FACT_COLUMNS}
    row.update({p: getattr(fact, p).name if getattr(fact, p) else None for p in PARTY_COLUMNS})
    row.update({f"source_{c}": getattr(fact.source, c) for c in SOURCE_COLUMNS})
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


# --- Ingestion: documents in, proposals to review ----------------------------------------------

from .ingest.commands import ingest, review  # noqa: E402  (registered after the core commands)

cli.add_command(ingest)
cli.add_command(review)

# --- The weekly digest as text --------------------------------------------------------------

from .digest_cli import digest_command  # noqa: E402

cli.add_command(digest_command)
