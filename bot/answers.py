"""What each command answers, as pages: shared by the Discord cogs and the text console.

Each function takes the open database first, so the bot can run it in a worker thread with
``bot.db_call(fn, ...)`` and the console can call it directly. Errors are DealbriefErrors;
an unknown company raises NotFound with suggestions for the caller to offer.

Both callers take slash commands (the console mirrors them), so every hint in an answer names
the slash command (``/source id:3``), whatever the flavour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlite_utils import Database

from briefs import changes, names, queries, render
from briefs.changes import Actor, FactIn, FigureIn
from briefs.errors import BadInput
from briefs.ingest.commands import FileLine, IngestReport
from briefs.ingest.read import read_bytes
from briefs.ingest.review import ingest_document
from briefs.model import FACT_KINDS, AuditEntry
from briefs.money import parse_amount
from briefs.render import Page
from briefs.text import MAX_FIELD, MAX_LONG_FIELD, MAX_NAME, MAX_QUERY, clean

COMMAND_STYLE = "slash"
SEARCH_PAGE_SIZE = 8
SEARCH_MAX_SCREENS = 5
UNDISCLOSED = "undisclosed"
AMOUNT_ROLES = ("upfront", "milestones", "total")

# Screens are what a pager shows one at a time: each a list of pages (one Discord message).
Screens = list[list[Page]]


def screens_of(pages: Sequence[Page]) -> Screens:
    return render.group_messages(pages)


def deal(db: Database, company: str, flavour: str = "discord") -> Screens:
    """A company's brief; raises NotFound("unknown_company") with suggestions on a miss."""
    resolution = names.resolve_company(db, company)
    return brief_of(db, resolution.company.id, flavour)


def brief_of(db: Database, company_id: int, flavour: str = "discord") -> Screens:
    brief = queries.company_brief(db, company_id)
    return screens_of(render.render_brief(brief, flavour=flavour, commands=COMMAND_STYLE))


def search(db: Database, query: str, flavour: str = "discord") -> Screens:
    """Full-text search, one screen per page of results (a few pages at most)."""
    query = clean(query, field="query", max_len=MAX_QUERY)
    screens: Screens = []
    for number in range(SEARCH_MAX_SCREENS):
        result = queries.search(db, query, limit=SEARCH_PAGE_SIZE, offset=number * SEARCH_PAGE_SIZE)
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


@dataclass(frozen=True)
class FactOptions:
    """A fact's short fields as typed (command options); amounts still as text."""

    kind: str | None = None
    subject: str | None = None
    counterparty: str | None = None
    period: str | None = None
    source: int | None = None
    asset: str | None = None
    territory: str | None = None
    upfront: str | None = None
    milestones: str | None = None
    total: str | None = None


def parse_figure(role: str, typed: str) -> FigureIn:
    """ "$50m" or "undisclosed" as a figure of ``role``; the amount parser refuses the rest."""
    text = clean(typed, field=role, max_len=60)
    if text.casefold() == UNDISCLOSED:
        return FigureIn(role=role, disclosed=False)
    money = parse_amount(text)
    return FigureIn(role=role, value=money.amount, unit=money.currency)


def _company_id(db: Database, typed: str | None) -> int | None:
    return names.resolve_company(db, typed).company.id if typed else None


def _short(value: str | None, name: str) -> str | None:
    return clean(value, field=name, max_len=MAX_NAME, required=False) or None if value else None


def _long(value: str | None, name: str, limit: int) -> str | None:
    return clean(value, field=name, max_len=limit, required=False, multiline=True) or None


def _changes_from(db: Database, options: FactOptions) -> dict:
    """The fields the options set (those left empty are not changed)."""
    fields: dict = {}
    if options.kind:
        fields["kind"] = options.kind
    if options.subject:
        fields["subject_id"] = _company_id(db, options.subject)
    if options.counterparty:
        fields["counterparty_id"] = _company_id(db, options.counterparty)
    if options.period:
        fields["period"] = clean(options.period, field="period", max_len=20)
    if options.source is not None:
        fields["source_id"] = options.source
    for name in ("asset", "territory"):
        value = _short(getattr(options, name), name)
        if value:
            fields[name] = value
    return fields


def _figures_from(options: FactOptions) -> list[FigureIn]:
    return [
        parse_figure(role, getattr(options, role))
        for role in AMOUNT_ROLES
        if getattr(options, role)
    ]


def check_fact_options(db: Database, options: FactOptions) -> None:
    """Refuse bad options before the form opens, so nobody types a summary in vain."""
    if options.kind and options.kind not in FACT_KINDS:
        raise BadInput("not a kind of fact", code="bad_kind", value=options.kind[:MAX_NAME])
    _changes_from(db, options)
    _figures_from(options)


def add_fact(
    db: Database,
    actor: Actor,
    options: FactOptions,
    summary: str,
    evidence: str | None,
    note: str | None,
    flavour: str = "discord",
) -> Screens:
    """Store a new fact from options and the form; answer with the change and its undo id."""
    if options.source is None:
        raise BadInput("a source is required", code="empty", field="source")
    if not options.kind:
        raise BadInput("a kind is required", code="empty", field="kind")
    fields = _changes_from(db, options)
    fact = FactIn(
        summary=clean(summary, field="summary", max_len=MAX_FIELD, multiline=True),
        evidence=_long(evidence, "evidence", MAX_LONG_FIELD),
        note=_long(note, "note", MAX_FIELD),
        figures=_figures_from(options),
        **fields,
    )
    fact_id = changes.add_fact(db, fact, actor)
    entry = changes.history(db, fact_id=fact_id, limit=1)[0]
    return _change(db, entry, fact_id, flavour)


def edit_fact(
    db: Database,
    actor: Actor,
    fact_id: int,
    options: FactOptions,
    summary: str | None = None,
    evidence: str | None = None,
    note: str | None = None,
    reason: str | None = None,
    flavour: str = "discord",
) -> Screens:
    """Change the fields given; amounts given replace that role's figure, others are kept."""
    current = queries.get_fact(db, fact_id)
    fields = _changes_from(db, options)
    if summary is not None:
        fields["summary"] = clean(summary, field="summary", max_len=MAX_FIELD, multiline=True)
    if evidence is not None:
        fields["evidence"] = _long(evidence, "evidence", MAX_LONG_FIELD)
    if note is not None:
        fields["note"] = _long(note, "note", MAX_FIELD)
    new_figures = _figures_from(options)
    if new_figures:
        replaced = {f.role for f in new_figures}
        kept = [FigureIn(**asdict(f)) for f in current.figures if f.role not in replaced]
        fields["figures"] = kept + new_figures
    audit_id = changes.edit_fact(db, fact_id, actor, reason=reason, **fields)
    return _change(db, _entry(db, actor, audit_id), fact_id, flavour)


def current_text(db: Database, fact_id: int) -> tuple[str, str, str]:
    """A fact's summary, evidence and note, to prefill the correction form."""
    fact = queries.get_fact(db, fact_id)
    return fact.summary, fact.evidence or "", fact.note or ""


def remove_fact(
    db: Database, actor: Actor, fact_id: int, reason: str | None, flavour: str = "discord"
) -> Screens:
    audit_id = changes.remove_fact(db, fact_id, actor, reason=reason)
    return screens_of(
        render.render_change(_entry(db, actor, audit_id), flavour=flavour, commands=COMMAND_STYLE)
    )


def undo(db: Database, actor: Actor, change: int | None, flavour: str = "discord") -> Screens:
    entry = changes.undo(db, actor, audit_id=change)
    fact = _live_fact(db, entry.entity_id) if entry.entity == "fact" else None
    return screens_of(render.render_change(entry, fact, flavour=flavour, commands=COMMAND_STYLE))


def history(
    db: Database, fact: int | None, company: str | None, flavour: str = "discord"
) -> Screens:
    company_id = _company_id(db, company)
    entries = changes.history(db, fact_id=fact, company_id=company_id)
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
    company_id = changes.add_company(
        db, name, actor, country=country, sector=sector, description=description
    )
    entry = changes.history(db, company_id=company_id, limit=1)[0]
    return screens_of(render.render_change(entry, flavour=flavour, commands=COMMAND_STYLE))


def add_alias(
    db: Database, actor: Actor, company: str, alias: str, kind: str, flavour: str = "discord"
) -> Screens:
    company_id = names.resolve_company(db, company).company.id
    alias_id = changes.add_alias(db, company_id, alias, actor, kind=kind)
    entry = next(
        e
        for e in changes.history(db, company_id=company_id)
        if e.entity == "alias" and e.entity_id == alias_id
    )
    return screens_of(render.render_change(entry, flavour=flavour, commands=COMMAND_STYLE))


# --- Ingestion ---------------------------------------------------------------------------------


def ingest_upload(
    db: Database, data: bytes, filename: str, actor: Actor, label: str | None = None
) -> list[Page]:
    """Read, store and extract one document; the report says how many proposals now wait
    (none for a document already stored). ``label`` names it in the report."""
    document = read_bytes(data, filename)
    result = ingest_document(db, document, actor)
    line = FileLine(
        name=label or filename,
        proposals=len(result.proposals),
        source_id=result.source_id,
        duplicate=result.duplicate_document,
    )
    return render.render_template(
        "ingest_report.j2", report=IngestReport(stored=True, lines=[line])
    )


def pasted_bytes(title: str, text: str) -> bytes:
    """The pasted article as a plain-text document whose first line is its title."""
    return f"{title.strip()}\n\n{text.strip()}\n".encode()


def _entry(db: Database, actor: Actor, audit_id: int) -> AuditEntry:
    """The audit entry a change just wrote (changes return its id)."""
    return next(
        e for e in changes.history(db, actor=actor, limit=changes.HISTORY_MAX) if e.id == audit_id
    )


def _live_fact(db: Database, fact_id: int | None):
    if fact_id is None:
        return None
    fact = queries.get_fact(db, fact_id, include_deleted=True)
    return None if fact.deleted_at else fact


def _change(db: Database, entry: AuditEntry, fact_id: int, flavour: str) -> Screens:
    fact = queries.get_fact(db, fact_id)
    return screens_of(render.render_change(entry, fact, flavour=flavour, commands=COMMAND_STYLE))
