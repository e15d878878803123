"""The review queue: store a document once, queue what it seems to say, and let a person decide.

Nothing extracted becomes a fact by itself. ``briefs.actions.review.approve`` turns a proposal
into a fact through ``briefs.changes`` (origin "ingest", audited like any other change, so it
shows in the next digest), or, when it repeats a stored fact, into another source of that fact;
``reject`` keeps the proposal with the reason, so the same sentence is not re-proposed
blindly and the decision can be looked up later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import changes
from ..changes import Actor
from ..errors import BadInput, Conflict, NotFound
from ..periods import parse_period
from ..repeats import Claim, repeated_fact
from ..store import isotime, writing
from ..text import MAX_FIELD, MAX_NAME, clean
from .extract import extract
from .extractors import RULES, Extraction, extract_document
from .orgs import KnownNames
from .proposal import Party, Proposal, proposal_from_payload
from .read import Document, read_bytes
from .settings import ExtractorSettings

if TYPE_CHECKING:
    from sqlite_utils import Database

STATUSES = ("proposed", "approved", "rejected")


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
    data: bytes, filename: str, known: KnownNames, settings: ExtractorSettings = RULES
) -> tuple[Document, Extraction]:
    """Read a document and extract its proposals (asking the model too if ``settings`` say so):
    the slow part of an ingest, touching no database, so the bot can run it in a worker
    process while its event loop keeps going."""
    doc = read_bytes(data, filename)
    extraction = extract_document(
        doc.text, known=known, published=doc.published_date, settings=settings
    )
    return doc, extraction


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


def reject(db: Database, proposal_id: int, actor: Actor, reason: str | None = None) -> None:
    """Mark the proposal rejected, keeping it (and why) for the record."""
    undecided(db, proposal_id)
    reason = clean(reason, field="reason", max_len=MAX_FIELD, required=False) or None
    with writing(db):
        decide(db, proposal_id, "rejected", actor, reason=reason)


def undecided(db: Database, proposal_id: int) -> QueuedProposal:
    queued = get_proposal(db, proposal_id)
    if queued.status != "proposed":
        raise Conflict(
            f"proposal {proposal_id} is already {queued.status}",
            code="proposal_decided",
            id=proposal_id,
            status=queued.status,
        )
    return queued


def decide(
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
