"""The review queue: store a document once, queue what it seems to say, and let a person decide.

Nothing extracted becomes a fact by itself. ``approve`` turns a proposal into a fact through
``briefs.changes`` (origin "ingest", audited like any other change, so it shows in the next
digest), or, when it repeats a stored fact, into another source of that fact; ``reject`` keeps the proposal with the reason, so the same sentence is not re-proposed
blindly and the decision can be looked up later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from .. import changes, model, render
from ..changes import Actor, FactIn, FigureIn
from ..errors import BadInput, Conflict, NotFound
from ..money import parse_amount, to_usd
from ..names import resolve_company
from ..periods import parse_period
from ..repeats import Claim, repeated_fact
from ..store import isotime, writing
from ..text import MAX_FIELD, MAX_NAME, clean
from .extract import extract
from .orgs import KnownNames
from .proposal import Party, Proposal, ProposedFigure, proposal_from_payload
from .read import Document, read_bytes

STATUSES = ("proposed", "approved", "rejected")
EDITABLE = ("kind", "licensor", "licensee", "subject", "asset", "territory", "period", "summary")
TERM_EDITS = ("upfront", "milestones", "total", "equity")


@dataclass(frozen=True)
class IngestResult:
    source_id: int
    proposals: list[int]
    duplicate_document: bool


@dataclass(frozen=True)
class QueuedProposal:
    """A proposal as the queue holds it, with its decision so far."""

    id: int
    source_id: int
    source_title: str
    status: str
    proposal: Proposal
    created_at: str
    duplicate_of: int | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    fact_id: int | None = None


def read_and_extract(
    data: bytes, filename: str, known: KnownNames
) -> tuple[Document, list[Proposal]]:
    """Read a document and run the extraction rules: the slow part of an ingest, touching no
    database, so the bot can run it in a worker process while its event loop keeps going."""
    doc = read_bytes(data, filename)
    return doc, extract(doc.text, known=known, published=doc.published_date)


def ingest_document(
    db: Database,
    doc: Document,
    actor: Actor,
    *,
    known: KnownNames | None = None,
    proposals: list[Proposal] | None = None,
) -> IngestResult:
    """Store ``doc`` once (by content hash) and queue its proposals (extracted here unless
    given); a repeat adds nothing."""
    if (existing := _stored(db, doc)) is not None:
        return IngestResult(existing, [], True)
    if proposals is None:
        known = known or KnownNames.from_db(db)
        proposals = extract(doc.text, known=known, published=doc.published_date)
    with writing(db):
        if (existing := _stored(db, doc)) is not None:  # stored by another writer meanwhile
            return IngestResult(existing, [], True)
        source_id = changes.add_source(
            db,
            key=f"doc-{doc.content_hash[:16]}",
            title=doc.title,
            actor=actor,
            kind="document",
            outlet=_short(doc.outlet),
            author=_short(doc.author),
            published=_valid_period(doc.published),
            url=doc.url
            if doc.url and doc.url.lower().startswith(("http://", "https://"))
            else None,
            text=doc.text,
            content_hash=doc.content_hash,
        )
        ids = [_queue(db, source_id, p) for p in proposals]
    return IngestResult(source_id, ids, False)


def _stored(db: Database, doc: Document) -> int | None:
    row = db.execute("SELECT id FROM sources WHERE content_hash = ?", [doc.content_hash]).fetchone()
    return row[0] if row else None


def _short(value: str | None) -> str | None:
    return value[:MAX_NAME] if value else None


def _valid_period(value: str | None) -> str | None:
    """A publication date the store accepts, or None: metadata is a hint, never a refusal."""
    if not value:
        return None
    try:
        return parse_period(value[:10] if len(value) > 10 else value).text
    except BadInput:
        return None


def _queue(db: Database, source_id: int, proposal: Proposal) -> int:
    cursor = db.execute(
        "INSERT INTO proposals (source_id, kind, payload, evidence, confidence, why, "
        "duplicate_of, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source_id,
            proposal.kind,
            json.dumps(proposal.to_payload(), ensure_ascii=False),
            proposal.evidence,
            proposal.confidence,
            proposal.why,
            find_duplicate(db, proposal),
            isotime(),
        ],
    )
    return cursor.lastrowid


def find_duplicate(db: Database, proposal: Proposal) -> int | None:
    """The live fact this proposal repeats (``briefs.repeats`` holds the rule)."""

    def known(party: Party | None) -> int | None:
        return party.company_id if party is not None else None

    return repeated_fact(
        db,
        Claim(
            kind=proposal.kind,
            licensor_id=known(proposal.licensor),
            licensee_id=known(proposal.licensee),
            subject_id=known(proposal.subject),
            asset=proposal.asset,
            period=proposal.period,
            territory=proposal.territory,
        ),
    )


# --- Reading the queue -----------------------------------------------------------------------


def pending(db: Database, limit: int = 20, offset: int = 0) -> list[QueuedProposal]:
    """Proposals waiting for a decision, oldest first."""
    if not 1 <= limit <= 200:
        raise BadInput("the limit must be between 1 and 200", code="bad_limit", value=str(limit))
    return _select(db, "p.status = 'proposed' ORDER BY p.id LIMIT ? OFFSET ?", [limit, offset])


def next_pending(db: Database, after_id: int = 0) -> QueuedProposal | None:
    """The oldest proposal still waiting with an id above ``after_id``: a reviewer walking the
    queue (and skipping some) moves forward without seeing the same one twice."""
    found = _select(db, "p.status = 'proposed' AND p.id > ? ORDER BY p.id LIMIT 1", [after_id])
    return found[0] if found else None


def count_pending(db: Database) -> int:
    return db.execute("SELECT count(*) FROM proposals WHERE status = 'proposed'").fetchone()[0]


def get_proposal(db: Database, proposal_id: int) -> QueuedProposal:
    found = _select(db, "p.id = ?", [proposal_id])
    if not found:
        raise NotFound(
            f"no proposal with id {proposal_id}", code="proposal_not_found", id=proposal_id
        )
    return found[0]


def _select(db: Database, where: str, params: list[Any]) -> list[QueuedProposal]:
    rows = db.query(
        "SELECT p.*, s.title AS source_title FROM proposals p JOIN sources s ON s.id = p.source_id "
        f"WHERE {where}",
        params,
    )
    return [
        QueuedProposal(
            id=row["id"],
            source_id=row["source_id"],
            source_title=row["source_title"],
            status=row["status"],
            proposal=proposal_from_payload(json.loads(row["payload"])),
            created_at=row["created_at"],
            duplicate_of=row["duplicate_of"],
            decided_at=row["decided_at"],
            decided_by=row["decided_by"],
            reason=row["reason"],
            fact_id=row["fact_id"],
        )
        for row in rows
    ]


# --- Decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """What approving a proposal did: made a new fact, or added a source to a stored one."""

    proposal_id: int
    fact_id: int
    as_source: bool


def approve(
    db: Database,
    proposal_id: int,
    actor: Actor,
    edits: dict[str, Any] | None = None,
    *,
    as_new: bool = False,
) -> Approval:
    """Approve a proposal: a repeat of a stored fact becomes another source of that fact; news
    (or a repeat with ``as_new``, the reviewer's explicit choice) becomes a new fact.

    A deal reported twice stays one deal, so the default for a flagged proposal is to cite it.
    Corrections (``edits``) describe a fact to store, so they are refused for a proposal added
    as a source. Everything happens in one transaction: a refusal leaves nothing behind.
    """
    queued = _undecided(db, proposal_id)
    if queued.duplicate_of is not None and not as_new:
        if edits and any(v is not None for v in edits.values()):
            raise BadInput(
                "corrections apply to a new fact, not to another source of a stored one",
                code="edits_for_source",
                id=proposal_id,
                fact_id=queued.duplicate_of,
            )
        with writing(db):
            changes.add_fact_source(
                db, queued.duplicate_of, queued.source_id, actor, evidence=queued.proposal.evidence
            )
            _decide(db, proposal_id, "approved", actor, fact_id=queued.duplicate_of)
        return Approval(proposal_id, queued.duplicate_of, as_source=True)
    return Approval(proposal_id, _approve_as_fact(db, queued, actor, edits or {}), as_source=False)


def _approve_as_fact(
    db: Database, queued: QueuedProposal, actor: Actor, edits: dict[str, Any]
) -> int:
    """Make the proposal a fact (creating companies it names that are not yet known).

    ``edits`` may change kind, licensor, licensee, subject, asset, territory, period, summary
    and the terms upfront/milestones/total/equity ("$50m", "3.5 billion yuan", "undisclosed").
    """
    proposal, summary = _edited(queued.proposal, edits)
    with writing(db):
        parties = {
            role: _company_id(db, party, actor)
            for role, party in (
                ("licensor", proposal.licensor),
                ("licensee", proposal.licensee),
                ("subject", proposal.subject),
            )
            if party is not None
        }
        fact_id = changes.add_fact(db, _fact_in(queued, proposal, parties, summary), actor)
        _decide(db, queued.id, "approved", actor, fact_id=fact_id)
    return fact_id


def reject(db: Database, proposal_id: int, actor: Actor, reason: str | None = None) -> None:
    """Mark the proposal rejected, keeping it (and why) for the record."""
    _undecided(db, proposal_id)
    reason = clean(reason, field="reason", max_len=MAX_FIELD, required=False) or None
    with writing(db):
        _decide(db, proposal_id, "rejected", actor, reason=reason)


def _undecided(db: Database, proposal_id: int) -> QueuedProposal:
    queued = get_proposal(db, proposal_id)
    if queued.status != "proposed":
        raise Conflict(
            f"proposal {proposal_id} is already {queued.status}",
            code="proposal_decided",
            id=proposal_id,
            status=queued.status,
        )
    return queued


def _decide(
    db: Database,
    proposal_id: int,
    status: str,
    actor: Actor,
    *,
    fact_id: int | None = None,
    reason: str | None = None,
) -> None:
    db.execute(
        "UPDATE proposals SET status = ?, decided_at = ?, decided_by = ?, fact_id = ?, reason = ? "
        "WHERE id = ? AND status = 'proposed'",
        [status, isotime(), actor.name, fact_id, reason, proposal_id],
    )


def _edited(proposal: Proposal, edits: dict[str, Any]) -> tuple[Proposal, str | None]:
    """Apply a reviewer's corrections; unknown fields and bad values are refused up front."""
    unknown = set(edits) - set(EDITABLE) - set(TERM_EDITS)
    if unknown:
        name = sorted(unknown)[0]
        raise BadInput(f"{name} cannot be edited here", code="bad_edit", field=name, value=name)
    values = {k: v for k, v in edits.items() if v is not None}
    summary = values.pop("summary", None)
    if "kind" in values and values["kind"] not in model.FACT_KINDS:
        raise BadInput(
            f"{values['kind']!r} is not a kind of fact", code="bad_kind", value=values["kind"]
        )
    for role in ("licensor", "licensee", "subject"):
        if role in values:
            name = clean(str(values[role]), field=role, max_len=MAX_NAME)
            values[role] = Party(name, None)
    if "period" in values:
        values["period"] = parse_period(str(values["period"])).text
    figures = [f for f in proposal.figures if f.role not in values]
    period = values.get("period", proposal.period)
    year = int(period[:4]) if period else None
    for role in TERM_EDITS:
        if role in values:
            figures.append(_term(role, str(values.pop(role)), year))
    proposal = replace(proposal, **values, figures=tuple(figures))
    if (
        proposal.kind in model.DEAL_KINDS
        and proposal.parties
        and (proposal.licensor or proposal.licensee)
    ):
        named = {p.name for p in (proposal.licensor, proposal.licensee) if p}
        proposal = replace(proposal, parties=tuple(p for p in proposal.parties if p.name in named))
    return proposal, summary


def _term(role: str, text: str, year: int | None) -> ProposedFigure:
    if text.strip().lower() == "undisclosed":
        return ProposedFigure(role, None, "USD", disclosed=False)
    money = parse_amount(text)
    usd, basis = to_usd(money, year)
    return ProposedFigure(role, money.amount, money.currency, usd, basis)


def _company_id(db: Database, party: Party, actor: Actor) -> int:
    """The stored company for a party: its id, an exact alias, a confident match, or a new one."""
    if (
        party.company_id is not None
        and db.execute("SELECT 1 FROM companies WHERE id = ?", [party.company_id]).fetchone()
    ):
        return party.company_id
    exact = KnownNames.from_db(db).lookup(party.name)
    if exact is not None:
        return exact
    try:
        return resolve_company(db, party.name).company.id
    except NotFound as err:
        if err.suggestions:
            raise
    return changes.add_company(db, party.name, actor)


def _fact_in(
    queued: QueuedProposal, proposal: Proposal, parties: dict[str, int], summary: str | None
) -> FactIn:
    licensor, licensee = parties.get("licensor"), parties.get("licensee")
    subject = parties.get("subject")
    if proposal.kind in model.DEAL_KINDS:
        if licensor is None or licensee is None:
            raise BadInput(
                "say who licenses to whom before approving (--licensor and --licensee)",
                code="roles_missing",
            )
        subject, counterparty = licensee, licensor
    else:
        counterparty = None
    return FactIn(
        kind=proposal.kind,
        summary=summary or _summary(proposal),
        source_id=queued.source_id,
        subject_id=subject,
        counterparty_id=counterparty,
        licensor_id=licensor,
        licensee_id=licensee,
        asset=proposal.asset,
        territory=proposal.territory,
        period=proposal.period,
        evidence=proposal.evidence,
        origin="ingest",
        status="reported",
        figures=[
            FigureIn(
                role=f.role,
                value=f.value,
                unit=f.unit,
                disclosed=f.disclosed,
                value_usd=f.value_usd,
                usd_basis=f.usd_basis,
                approx=f.approx,
            )
            for f in proposal.figures
        ],
    )


def _summary(proposal: Proposal) -> str:
    """One line naming what was proposed, worded by templates/proposal_summary.j2."""
    template = render.environment("text").get_template("proposal_summary.j2")
    return " ".join(template.render(p=proposal).split())
