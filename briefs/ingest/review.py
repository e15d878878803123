"""The review queue: store a document once, queue what it seems to say, and let a person decide.

Nothing extracted becomes a fact by itself. ``briefs.actions.review.approve`` turns a proposal
into a fact through ``briefs.changes`` (origin "ingest", audited like any other change, so it
shows in the next digest); ``reject`` keeps the proposal with the reason, so the same sentence is not re-proposed
blindly and the decision can be looked up later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlite_utils import Database

from .. import changes, model
from ..changes import Actor
from ..errors import BadInput, Conflict, NotFound
from ..periods import parse_period
from ..store import isotime
from ..text import MAX_FIELD, MAX_NAME, clean, normalize_name
from .extract import extract
from .orgs import KnownNames
from .proposal import Proposal, proposal_from_payload
from .read import Document

STATUSES = ("proposed", "approved", "rejected")
SIMILAR_ASSET = 75  # rapidfuzz token-set score at which two asset descriptions name the same thing


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


def ingest_document(
    db: Database, doc: Document, actor: Actor, *, known: KnownNames | None = None
) -> IngestResult:
    """Store ``doc`` once (by content hash) and queue its proposals; a repeat adds nothing."""
    existing = db.execute(
        "SELECT id FROM sources WHERE content_hash = ?", [doc.content_hash]
    ).fetchone()
    if existing is not None:
        return IngestResult(existing[0], [], True)
    known = known or KnownNames.from_db(db)
    proposals = extract(doc.text, known=known, published=doc.published_date)
    with db.atomic():
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
    """The live fact this proposal repeats: same kind and parties, and same asset or period."""
    if proposal.kind in model.DEAL_KINDS:
        if not (proposal.licensor and proposal.licensee):
            return None
        ids = (proposal.licensor.company_id, proposal.licensee.company_id)
        if None in ids:
            return None
        sql = "licensor_id = ? AND licensee_id = ?"
    else:
        if proposal.subject is None or proposal.subject.company_id is None:
            return None
        ids, sql = (proposal.subject.company_id,), "subject_id = ?"
    rows = db.execute(
        f"SELECT id, asset, period, territory FROM facts WHERE deleted_at IS NULL AND kind = ? "
        f"AND {sql} "
        "ORDER BY id",
        [proposal.kind, *ids],
    ).fetchall()
    for fact_id, asset, period, territory in rows:
        if _same_thing(proposal, asset, period, territory):
            return fact_id
    return None


def _same_thing(
    proposal: Proposal, asset: str | None, period: str | None, territory: str | None
) -> bool:
    """Same asset (or, lacking assets, same year) and no clash of territory."""
    if proposal.territory and territory and _place(proposal.territory) != _place(territory):
        return False
    if proposal.asset and asset:
        score = fuzz.token_set_ratio(proposal.asset, asset, processor=default_process)
        return score >= SIMILAR_ASSET
    if proposal.period and period:
        return proposal.period[:4] == period[:4]
    return True


_PLACE_NAMES = {
    "us": "united states",
    "u s": "united states",
    "usa": "united states",
    "uk": "united kingdom",
    "eu": "european union",
}


def _place(territory: str) -> str:
    folded = normalize_name(territory)
    return _PLACE_NAMES.get(folded, folded)


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
    with db.atomic():
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
