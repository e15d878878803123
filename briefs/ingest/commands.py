"""Shell commands ``dealbrief ingest`` and ``dealbrief review``, a few lines over review.py.

``ingest --json`` prints one JSON object per proposal and still stores the documents and their
proposals; add ``--dry-run`` to read and extract without touching the database (known company
names are then taken from the database only if it already exists).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress
from sqlite_utils import Database

from .. import render
from ..actions.facts import FactForm
from ..actions.review import NewCompany, approve, parse_corrections, reject
from ..changes import Actor
from ..cli_options import fact_options
from ..errors import BadInput, DealbriefError
from ..store import open_db
from ..text import parse_id
from .extract import extract
from .orgs import KnownNames
from .proposal import Proposal
from .read import SUPPORTED_SUFFIXES, Document, read_document
from .review import count_pending, get_proposal, ingest_document, pending

PROGRESS_FROM = 5  # files; fewer finish before a bar would be worth drawing
JSON_KEYS = (
    "kind",
    "licensor",
    "licensee",
    "asset",
    "upfront_usd",
    "milestones_usd",
    "total_usd",
    "currency",
    "date",
    "evidence",
    "confidence",
    "source",
)


@dataclass
class FileLine:
    name: str
    proposals: int = 0
    source_id: int | None = None
    duplicate: bool = False
    error: str | None = None


@dataclass
class IngestReport:
    stored: bool
    lines: list[FileLine] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(1 for line in self.lines if line.error is None)

    @property
    def failed(self) -> int:
        return sum(1 for line in self.lines if line.error is not None)

    @property
    def duplicates(self) -> int:
        return sum(1 for line in self.lines if line.duplicate)

    @property
    def proposals(self) -> int:
        return sum(line.proposals for line in self.lines)


def proposal_json(proposal: Proposal, source: str) -> dict[str, Any]:
    """The flat JSON line for one proposal (keys in JSON_KEYS, amounts in US dollars)."""

    def usd(role: str) -> float | None:
        figure = proposal.figure(role)
        return figure.value_usd if figure is not None else None

    money = [
        f for f in proposal.figures if f.value is not None and f.unit not in ("count", "percent")
    ]
    return {
        "kind": proposal.kind,
        "licensor": proposal.licensor.name if proposal.licensor else None,
        "licensee": proposal.licensee.name if proposal.licensee else None,
        "asset": proposal.asset,
        "upfront_usd": usd("upfront"),
        "milestones_usd": usd("milestones"),
        "total_usd": usd("total"),
        "currency": money[0].unit if money else None,
        "date": proposal.period,
        "evidence": proposal.evidence,
        "confidence": proposal.confidence,
        "source": source,
    }


def document_paths(paths: tuple[Path, ...]) -> Iterator[Path]:
    """Files as given; folders give their readable files, sorted, recursively."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            yield path


def _error_line(err: DealbriefError) -> str:
    return render.to_text(render.render_error(err, flavour="text")).strip()


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per proposal on stdout.")
@click.option("--dry-run", is_flag=True, help="Read and extract only; store nothing.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], as_json: bool, dry_run: bool) -> None:
    """Read .txt, .md and .html documents (or folders of them) and queue what they state."""
    db_path: Path = ctx.find_root().obj["db_path"]
    db = None if dry_run and not db_path.exists() else open_db(db_path, migrate=not dry_run)
    known = KnownNames.from_db(db) if db is not None else KnownNames()
    files = list(document_paths(paths))
    report = IngestReport(stored=not dry_run)
    actor = Actor.shell()
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=len(files) < PROGRESS_FROM) as bar:
        task = bar.add_task("Reading", total=len(files))
        for path in files:
            line, proposals = _ingest_one(db, path, known, actor, dry_run)
            report.lines.append(line)
            if as_json:
                for proposal in proposals:
                    click.echo(json.dumps(proposal_json(proposal, str(path)), ensure_ascii=False))
            bar.advance(task)
    if db is not None and not dry_run:
        db.close()
    summary = render.to_text(render.render_template("ingest_report.j2", "text", report=report))
    click.echo(summary.rstrip(), err=as_json)
    if report.failed and not report.read:
        sys.exit(1)


def _ingest_one(
    db: Database | None, path: Path, known: KnownNames, actor: Actor, dry_run: bool
) -> tuple[FileLine, list[Proposal]]:
    """One file: a report line and its proposals; a bad file becomes an error line, not a stop."""
    line = FileLine(path.name)
    try:
        doc: Document = read_document(path)
        proposals = extract(doc.text, known=known, published=doc.published_date)
        if not dry_run and db is not None:
            result = ingest_document(db, doc, actor, known=known)
            line.source_id, line.duplicate = result.source_id, result.duplicate_document
            if result.duplicate_document:
                proposals = []
        line.proposals = len(proposals)
        return line, proposals
    except DealbriefError as err:
        line.error = _error_line(err)
    except OSError as err:
        line.error = _error_line(BadInput(str(err), code="unreadable_file", file=path.name))
    return line, []


@click.group("review", invoke_without_command=True)
@click.option("--limit", default=20, show_default=True, help="Proposals to list (1-200).")
@click.option("--no-input", is_flag=True, help="Only list, even at a terminal.")
@click.pass_context
def review(ctx: click.Context, limit: int, no_input: bool) -> None:
    """List proposals waiting for review; at a terminal, decide them one by one."""
    if ctx.invoked_subcommand is not None:
        return
    db = open_db(ctx.find_root().obj["db_path"])
    items = pending(db, limit=limit)
    text = render.render_template("review_list.j2", "text", items=items, total=count_pending(db))
    click.echo(render.to_text(text).rstrip())
    if items and not no_input and sys.stdin.isatty():
        _walk(db, items)


def _walk(db: Database, items: list[Any]) -> None:
    """Ask about each proposal: approve, edit (then approve), reject, skip or quit."""
    actor = Actor.shell()
    for queued in items:
        click.echo(render.to_text(render.render_template("proposal.j2", "text", queued=queued)))
        choice = click.prompt(
            "[a]pprove, [e]dit, [r]eject, [s]kip, [q]uit",
            type=click.Choice(["a", "e", "r", "s", "q"]),
            default="s",
        )
        try:
            if choice == "a":
                _done(queued.id, approve(db, queued.id, actor))
            elif choice == "e":
                typed = click.prompt(render.notice("review_corrections"), default="")
                form, created = parse_corrections(typed)
                _done(queued.id, approve(db, queued.id, actor, form, created))
            elif choice == "r":
                reject(db, queued.id, actor, click.prompt("Reason", default="", show_default=False))
                _done(queued.id, None)
            elif choice == "q":
                return
        except DealbriefError as err:
            click.echo(_error_line(err), err=True)


@review.command("show")
@click.argument("proposal_id")
@click.pass_context
def review_show(ctx: click.Context, proposal_id: str) -> None:
    """Show one proposal with its evidence."""
    db = open_db(ctx.find_root().obj["db_path"])
    queued = get_proposal(db, parse_id(proposal_id, "proposal"))
    click.echo(
        render.to_text(render.render_template("proposal.j2", "text", queued=queued)).rstrip()
    )


@review.command("approve")
@click.argument("proposal_id")
@fact_options
@click.option(
    "--new-company",
    "new_companies",
    multiple=True,
    help="Create this company while approving (repeatable), even if a known name is close.",
)
@click.option("--new-company-country", help="The country of the companies created.")
@click.pass_context
def review_approve(
    ctx: click.Context,
    proposal_id: str,
    new_companies: tuple[str, ...],
    new_company_country: str | None,
    **corrections: str | None,
) -> None:
    """Turn a proposal into a fact, with corrections if given (--licensor, --upfront "$50m")."""
    db = open_db(ctx.find_root().obj["db_path"])
    number = parse_id(proposal_id, "proposal")
    created = [NewCompany(name, new_company_country) for name in new_companies]
    _done(number, approve(db, number, Actor.shell(), FactForm.of(corrections), created))


@review.command("reject")
@click.argument("proposal_id")
@click.option("--reason", help="Why, for the record.")
@click.pass_context
def review_reject(ctx: click.Context, proposal_id: str, reason: str | None) -> None:
    """Reject a proposal; it stays on record with the reason."""
    db = open_db(ctx.find_root().obj["db_path"])
    number = parse_id(proposal_id, "proposal")
    reject(db, number, Actor.shell(), reason)
    _done(number, None)


def _done(proposal_id: int, fact_id: int | None) -> None:
    pages = render.render_template(
        "review_done.j2", "text", proposal_id=proposal_id, fact_id=fact_id
    )
    click.echo(render.to_text(pages).rstrip())
