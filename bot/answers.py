"""What each command answers, as pages: shared by the Discord cogs and the text console.

Each function takes the open database first, so the bot can run it in a worker thread with
``bot.db_call(fn, ...)`` and the console can call it directly. Errors are DealbriefErrors;
an unknown company raises NotFound with suggestions for the caller to offer.

Both callers take slash commands (the console mirrors them), so every hint in an answer names
the slash command (``/source id:3``), whatever the flavour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefs import changes, names, queries, render
from briefs.actions import companies, facts
from briefs.actions.facts import FactForm
from briefs.changes import Actor
from briefs.ingest.commands import FileLine, IngestReport
from briefs.ingest.extractors import Extraction
from briefs.ingest.read import Document
from briefs.ingest.review import ingest_document
from briefs.model import AuditEntry
from briefs.render import Page
from briefs.search_filters import parse_filters
from briefs.text import MAX_QUERY, clean

from .format import group_messages

if TYPE_CHECKING:
    from sqlite_utils import Database

COMMAND_STYLE = "slash"
SEARCH_PAGE_SIZE = 8
SEARCH_MAX_SCREENS = 5

# Screens are what a pager shows one at a time: each a list of pages (one Discord message).
Screens = list[list[Page]]


def screens_of(pages: Sequence[Page]) -> Screens:
    return group_messages(pages)


def deal(db: Database, company: str, flavour: str = "discord") -> Screens:
    """A company's brief; raises NotFound("unknown_company") with suggestions on a miss."""
    resolution = names.resolve_company(db, company)
    return brief_of(db, resolution.company.id, flavour)


def brief_of(db: Database, company_id: int, flavour: str = "discord") -> Screens:
    brief = queries.company_brief(db, company_id)
    return screens_of(render.render_brief(brief, flavour=flavour, commands=COMMAND_STYLE))


def search(db: Database, query: str, flavour: str = "discord", **filters: str | None) -> Screens:
    """Full-text search, one screen per page of results (a few pages at most); ``filters`` are
    the typed options of :func:`briefs.search_filters.parse_filters`."""
    narrowed = parse_filters(db, **filters)
    query = clean(query, field="query", max_len=MAX_QUERY, required=not narrowed.active)
    screens: Screens = []
    for number in range(SEARCH_MAX_SCREENS):
        offset = number * SEARCH_PAGE_SIZE
        result = queries.search(db, query, limit=SEARCH_PAGE_SIZE, offset=offset, filters=narrowed)
        if number and not result.hits:
            break
        continues = number < SEARCH_MAX_SCREENS - 1
        pages = render.render_search(
            result, flavour=flavour, commands=COMMAND_STYLE, continues=continues
        )
        screens += screens_of(pages)
        if not result.has_more:
            break
    return screens


def stats(
    db: Database, period: str | None, sector: str | None, by: str = "year", flow: str | None = None
) -> queries.Stats:
    return queries.stats(
        db, granularity=by, period=period or None, sector=sector or None, flow=flow or None
    )


def stats_pages(stats: queries.Stats, flavour: str = "discord") -> Screens:
    return screens_of(render.render_stats(stats, flavour=flavour))


def source(db: Database, source_id: int, flavour: str = "discord") -> Screens:
    return screens_of(
        render.render_source(
            queries.get_source(db, source_id), flavour=flavour, commands=COMMAND_STYLE
        )
    )


def sources(db: Database, flavour: str = "discord") -> Screens:
    return screens_of(
        render.render_sources(queries.list_sources(db), flavour=flavour, commands=COMMAND_STYLE)
    )


def help_screens(commands: Sequence[tuple[str, str]], flavour: str = "discord") -> Screens:
    return screens_of(render.render_help(commands, flavour=flavour))


# --- Admin changes ----------------------------------------------------------------------------


def check_fact(db: Database, form: FactForm) -> None:
    """Refuse bad options before the form opens, so nobody types a summary in vain."""
    facts.check(db, form)


def check_new_fact(db: Database, form: FactForm, separate: bool = False) -> None:
    """Also refuse a repeat of a stored deal (unless ``separate``) before the form opens."""
    facts.check_new(db, form, separate=separate)


def add_fact(
    db: Database, actor: Actor, form: FactForm, flavour: str = "discord", separate: bool = False
) -> Screens:
    """Store a new fact from options and the form; answer with the change and its undo id.
    A deal that repeats a stored one is refused unless ``separate``."""
    fact_id = facts.add(db, form, actor, separate=separate)
    entry = changes.history(db, fact_id=fact_id, limit=1)[0]
    return _change(db, entry, flavour)


def cite_fact(
    db: Database,
    actor: Actor,
    fact_id: int,
    source_id: int,
    evidence: str | None = None,
    reason: str | None = None,
    flavour: str = "discord",
) -> Screens:
    """Add another source reporting a stored fact; answer with the change and its undo id."""
    form = FactForm(source=str(source_id))
    audit_id = facts.cite(db, fact_id, form, actor, evidence=evidence, reason=reason)
    return _change(db, _entry(db, actor, audit_id), flavour)


def edit_fact(
    db: Database,
    actor: Actor,
    fact_id: int,
    form: FactForm,
    reason: str | None = None,
    flavour: str = "discord",
) -> Screens:
    """Change the fields given; amounts given replace that role's figure, others are kept."""
    audit_id = facts.edit(db, fact_id, form, actor, reason)
    return _change(db, _entry(db, actor, audit_id), flavour)


def current_text(db: Database, fact_id: int) -> tuple[str, str, str]:
    """A fact's summary, evidence and note, to prefill the correction form."""
    fact = queries.get_fact(db, fact_id)
    return fact.summary, fact.evidence or "", fact.note or ""


def remove_fact(
    db: Database, actor: Actor, fact_id: int, reason: str | None, flavour: str = "discord"
) -> Screens:
    audit_id = facts.remove(db, fact_id, actor, reason)
    return _change(db, _entry(db, actor, audit_id), flavour)


def undo(db: Database, actor: Actor, change: int | None, flavour: str = "discord") -> Screens:
    return _change(db, facts.undo(db, actor, change), flavour)


def history(
    db: Database, fact: int | None, company: str | None, flavour: str = "discord"
) -> Screens:
    entries = facts.history(db, fact_id=fact, company=company)
    return screens_of(render.render_history(entries, flavour=flavour, commands=COMMAND_STYLE))


def add_company(
    db: Database,
    actor: Actor,
    name: str,
    country: str | None,
    sector: str | None,
    description: str | None,
    flavour: str = "discord",
) -> Screens:
    company_id = companies.add(
        db, name, actor, country=country, sector=sector, description=description
    )
    entry = changes.history(db, company_id=company_id, limit=1)[0]
    return _change(db, entry, flavour)


def add_alias(
    db: Database, actor: Actor, company: str, alias: str, kind: str | None, flavour: str = "discord"
) -> Screens:
    alias_id = companies.alias(db, company, alias, actor, kind=kind)
    owner = db.execute("SELECT company_id FROM aliases WHERE id = ?", [alias_id]).fetchone()[0]
    entry = next(
        e
        for e in changes.history(db, company_id=owner, limit=changes.HISTORY_MAX)
        if e.entity == "alias" and e.entity_id == alias_id
    )
    return _change(db, entry, flavour)


# --- Ingestion ---------------------------------------------------------------------------------


def store_upload(
    db: Database,
    document: Document,
    extraction: Extraction,
    actor: Actor,
    label: str,
) -> list[Page]:
    """Store a document read and extracted (``review.read_and_extract``) and queue its
    proposals; the report says how many now wait (none for a document already stored), what
    of the model's reading was dropped and why the model was not used, if it was not.
    ``label`` names it in the report."""
    result = ingest_document(db, document, actor, proposals=extraction.proposals)
    line = FileLine(
        name=label,
        proposals=len(result.proposals),
        source_id=result.source_id,
        duplicate=result.duplicate_document,
        dropped=extraction.dropped,
        fallback=extraction.fallback,
    )
    return render.render_template(
        "ingest_report.j2", report=IngestReport(stored=True, lines=[line]), fallback_lines=True
    )


def pasted_bytes(title: str, text: str) -> bytes:
    """The pasted article as a plain-text document whose first line is its title."""
    return f"{title.strip()}\n\n{text.strip()}\n".encode()


def _entry(db: Database, actor: Actor, audit_id: int) -> AuditEntry:
    """The audit entry a change just wrote (changes return its id)."""
    return next(
        e for e in changes.history(db, actor=actor, limit=changes.HISTORY_MAX) if e.id == audit_id
    )


def _change(db: Database, entry: AuditEntry, flavour: str) -> Screens:
    """What a change prints: the change, its fact as it now stands, the number that undoes it."""
    fact = facts.shown_fact(db, entry)
    return screens_of(render.render_change(entry, fact, flavour=flavour, commands=COMMAND_STYLE))
