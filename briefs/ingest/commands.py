"""Shell commands ``dealbrief ingest`` and ``dealbrief review``, a few lines over review.py.

``ingest --json`` prints one JSON object per proposal (with its review ``id`` and the fact it
repeats, ``duplicate_of``) and still stores the documents and their proposals; add ``--dry-run`` to read and extract without touching the database (known company
names are then taken from the database only if it already exists).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import Progress

from .. import render
from ..actions.facts import FactForm
from ..actions.review import Approval, NewCompany, approve, parse_corrections, reject
from ..changes import Actor
from ..cli_options import fact_options
from ..errors import BadInput, DealbriefError
from ..store import is_initialised, open_db
from ..text import parse_id
from .extractors import Extraction, extract_document
from .grounding import DroppedDeal
from .orgs import KnownNames
from .proposal import Proposal
from .read import SUPPORTED_SUFFIXES, Document, read_document
from .review import count_pending, find_duplicate, get_proposal, ingest_document, pending
from .settings import EXTRACTORS, ExtractorSettings, load_extractor_settings

if TYPE_CHECKING:
    from sqlite_utils import Database

PROGRESS_FROM = 5  # files; fewer finish before a bar would be worth drawing
JSON_KEYS = (
    "id",
    "duplicate_of",
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
    "origin",
)


@dataclass
class FileLine:
    name: str
    proposals: int = 0
    source_id: int | None = None
    duplicate: bool = False
    error: str | None = None
    dropped: list[DroppedDeal] = field(default_factory=list)  # the model's deals that failed
    fallback: str | None = None  # why the model was not used, when it was asked


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
        "origin": proposal.origin,
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
@click.option(
    "--extractor",
    type=click.Choice(EXTRACTORS),
    help="rules (the default) or model: also ask the model of the [ingest] settings.",
)
@click.option(
    "--base-url", help="The model's OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1."
)
@click.option("--model", help="The model's name at that endpoint.")
@click.option("--timeout", type=float, help="Seconds to wait for the model before using the rules.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_json: bool,
    dry_run: bool,
    **model_flags: str | float | None,
) -> None:
    """Read .txt, .md and .html documents (or folders of them) and queue what they state."""
    settings = load_extractor_settings(model_flags)
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
            line, found = _ingest_one(db, path, known, actor, dry_run, settings)
            report.lines.append(line)
            if line.fallback:
                click.echo(_fallback_line(line), err=True)
            if as_json:
                for item in found:
                    click.echo(json.dumps(item.json(str(path)), ensure_ascii=False))
            bar.advance(task)
    if db is not None and not dry_run:
        db.close()
    summary = render.to_text(render.render_template("ingest_report.j2", "text", report=report))
    click.echo(summary.rstrip(), err=as_json)
    if report.failed and not report.read:
        sys.exit(1)


@dataclass(frozen=True)
class Found:
    """A proposal read from a file: its number in the review queue (None in a dry run) and the
    stored fact it repeats, if any."""

    proposal: Proposal
    review_id: int | None
    duplicate_of: int | None

    def json(self, source: str) -> dict[str, Any]:
        return {
            "id": self.review_id,
            "duplicate_of": self.duplicate_of,
            **proposal_json(self.proposal, source),
        }


def _fallback_line(line: FileLine) -> str:
    pages = render.render_template(
        "model_fallback.j2", "text", reason=line.fallback, document=line.name
    )
    return render.to_text(pages).strip()


def _ingest_one(
    db: Database | None,
    path: Path,
    known: KnownNames,
    actor: Actor,
    dry_run: bool,
    settings: ExtractorSettings,
) -> tuple[FileLine, list[Found]]:
    """One file: a report line and its proposals; a bad file becomes an error line, not a stop."""
    line = FileLine(path.name)
    try:
        doc: Document = read_document(path)
        extraction: Extraction = extract_document(
            doc.text, known=known, published=doc.published_date, settings=settings
        )
        line.dropped, line.fallback = extraction.dropped, extraction.fallback
        proposals = extraction.proposals
        if not dry_run and db is not None:
            result = ingest_document(db, doc, actor, proposals=proposals)
            line.source_id, line.duplicate = result.source_id, result.duplicate_document
            queued = [get_proposal(db, number) for number in result.proposals]
            found = [Found(q.proposal, q.id, q.duplicate_of) for q in queued]
        else:
            facts_known = db is not None and is_initialised(db)
            found = [
                Found(p, None, find_duplicate(db, p) if facts_known else None) for p in proposals
            ]
        line.proposals = len(found)
        return line, found
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
    """Ask about each proposal: approve (as a source of the fact it repeats, or as a separate
    deal), edit (then approve as a new fact), reject, skip or quit."""
    actor = Actor.shell()
    for queued in items:
        click.echo(render.to_text(render.render_template("proposal.j2", "text", queued=queued)))
        repeats = queued.duplicate_of is not None
        choice = click.prompt(
            _prompt(queued.duplicate_of),
            type=click.Choice(
                ["a", "n", "e", "r", "s", "q"] if repeats else ["a", "e", "r", "s", "q"]
            ),
            default="s",
        )
        try:
            if choice in ("a", "n"):
                _done(approve(db, queued.id, actor, as_new=choice == "n"))
            elif choice == "e":
                typed = click.prompt(render.notice("review_corrections"), default="")
                form, created = parse_corrections(typed)
                _done(approve(db, queued.id, actor, form, created, as_new=True))
            elif choice == "r":
                reject(db, queued.id, actor, click.prompt("Reason", default="", show_default=False))
                _rejected(queued.id)
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


def _prompt(duplicate_of: int | None) -> str:
    return render.to_text(
        render.render_template("review_prompt.j2", "text", duplicate_of=duplicate_of)
    ).strip()


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
@click.option(
    "--separate",
    "--as-new",
    "as_new",
    is_flag=True,
    help="Record a separate deal even when it repeats a stored fact.",
)
@click.pass_context
def review_approve(
    ctx: click.Context,
    proposal_id: str,
    new_companies: tuple[str, ...],
    new_company_country: str | None,
    as_new: bool,
    **corrections: str | None,
) -> None:
    """Approve a proposal: one repeating a stored fact becomes another source of it, else a new
    fact, with corrections if given (--licensor, --upfront "$50m")."""
    db = open_db(ctx.find_root().obj["db_path"])
    number = parse_id(proposal_id, "proposal")
    created = [NewCompany(name, new_company_country) for name in new_companies]
    form = FactForm.of(corrections)
    _done(approve(db, number, Actor.shell(), form, created, as_new=as_new))


@review.command("reject")
@click.argument("proposal_id")
@click.option("--reason", help="Why, for the record.")
@click.pass_context
def review_reject(ctx: click.Context, proposal_id: str, reason: str | None) -> None:
    """Reject a proposal; it stays on record with the reason."""
    db = open_db(ctx.find_root().obj["db_path"])
    number = parse_id(proposal_id, "proposal")
    reject(db, number, Actor.shell(), reason)
    _rejected(number)


def _done(approval: Approval) -> None:
    pages = render.render_template(
        "review_done.j2",
        "text",
        proposal_id=approval.proposal_id,
        fact_id=approval.fact_id,
        as_source=approval.as_source,
        already_cited=approval.already_cited,
    )
    click.echo(render.to_text(pages).rstrip())


def _rejected(proposal_id: int) -> None:
    pages = render.render_template("review_done.j2", "text", proposal_id=proposal_id)
    click.echo(render.to_text(pages).rstrip())
