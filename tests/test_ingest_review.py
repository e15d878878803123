"""The review queue: store once, propose, approve into audited facts, reject, spot duplicates."""

from __future__ import annotations

import pytest

from briefs import changes
from briefs.actions.facts import FactForm
from briefs.actions.review import approve, parse_corrections, reject
from briefs.changes import Actor, FactIn
from briefs.errors import BadInput, Conflict, NotFound
from briefs.ingest.read import read_bytes
from briefs.ingest.review import get_proposal, ingest_document, pending

ACTOR = Actor("reviewer", id="42")
ARTICLE = (
    "Novexa licenses HX-2\n"
    "Pharma Ledger Published: 2024-05-06 08:00:00\n\n"
    "Novexa Therapeutics licensed the antibody HX-2 from Helio Biotech on Monday.\n"
    "Novexa will pay $40 million upfront and up to $310 million in milestones.\n"
)


def doc(text: str = ARTICLE):
    return read_bytes(text.encode(), "novexa.txt")


def test_ingest_stores_the_document_once_and_queues_proposals(db) -> None:
    first = ingest_document(db, doc(), ACTOR)
    assert not first.duplicate_document and len(first.proposals) == 1
    source = db.execute("SELECT kind, title, published, text FROM sources").fetchone()
    assert source[:3] == ("document", "Novexa licenses HX-2", "2024-05-06")
    again = ingest_document(db, doc(ARTICLE.replace("\n", "\r\n")), ACTOR)
    assert again.duplicate_document and again.proposals == []
    assert again.source_id == first.source_id
    assert db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 1


def test_pending_and_get(db) -> None:
    result = ingest_document(db, doc(), ACTOR)
    [queued] = pending(db)
    assert queued.id == result.proposals[0] and queued.status == "proposed"
    assert queued.proposal.licensee.name == "Novexa Therapeutics"
    assert get_proposal(db, queued.id).proposal.figure("upfront").value == 40e6
    with pytest.raises(NotFound):
        get_proposal(db, 999)


def test_approve_creates_companies_and_an_audited_ingest_fact(db) -> None:
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    fact_id = approve(db, proposal_id, ACTOR).fact_id
    fact = db.execute(
        "SELECT f.kind, f.origin, f.period, lo.name, le.name, f.summary FROM facts f "
        "JOIN companies lo ON lo.id = f.licensor_id JOIN companies le ON le.id = f.licensee_id "
        "WHERE f.id = ?",
        [fact_id],
    ).fetchone()
    assert fact[:5] == ("licence", "ingest", "2024-05-06", "Helio Biotech", "Novexa Therapeutics")
    assert "Novexa Therapeutics" in fact[5] and "Helio Biotech" in fact[5]
    figures = dict(db.execute("SELECT role, value FROM figures WHERE fact_id = ?", [fact_id]))
    assert figures == {"upfront": 40e6, "milestones": 310e6}
    audited = db.execute(
        "SELECT actor FROM audit WHERE entity = 'fact' AND entity_id = ?", [fact_id]
    ).fetchone()
    assert audited == ("reviewer",)
    queued = get_proposal(db, proposal_id)
    assert (queued.status, queued.fact_id, queued.decided_by) == ("approved", fact_id, "reviewer")
    with pytest.raises(Conflict):
        approve(db, proposal_id, ACTOR)


def test_approve_with_edits_and_known_companies(db) -> None:
    helio = changes.add_company(db, "Helio Biotech", ACTOR)
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    fact_id = approve(
        db, proposal_id, ACTOR, FactForm(upfront="$45m", asset="HX-2 antibody")
    ).fact_id
    row = db.execute("SELECT licensor_id, asset FROM facts WHERE id = ?", [fact_id]).fetchone()
    assert row == (helio, "HX-2 antibody")
    upfront = db.execute(
        "SELECT value FROM figures WHERE fact_id = ? AND role = 'upfront'", [fact_id]
    ).fetchone()
    assert upfront == (45e6,)
    assert db.execute("SELECT count(*) FROM companies").fetchone()[0] == 2


def test_bad_edit_changes_nothing(db) -> None:
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    for typed in ("upfront=lots", "colour=red", "period=soon"):
        with pytest.raises(BadInput):
            approve(db, proposal_id, ACTOR, *parse_corrections(typed))
    assert db.execute("SELECT count(*) FROM companies").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
    assert get_proposal(db, proposal_id).status == "proposed"


def test_direction_unknown_needs_roles_before_approval(db) -> None:
    text = "Tarn deal\n\nAshby Energy signed a licensing agreement with Tarn Battery.\n"
    [proposal_id] = ingest_document(db, doc(text), ACTOR).proposals
    with pytest.raises(BadInput) as caught:
        approve(db, proposal_id, ACTOR)
    assert caught.value.code == "roles_missing"
    assert db.execute("SELECT count(*) FROM companies").fetchone()[0] == 0
    approval = approve(
        db, proposal_id, ACTOR, FactForm(licensor="Tarn Battery", licensee="Ashby Energy")
    )
    assert approval.fact_id > 0 and not approval.as_source


def test_reject_keeps_the_reason(db) -> None:
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    reject(db, proposal_id, ACTOR, reason="wrong article")
    queued = get_proposal(db, proposal_id)
    assert (queued.status, queued.reason) == ("rejected", "wrong article")
    assert pending(db) == []
    with pytest.raises(Conflict):
        reject(db, proposal_id, ACTOR)


def test_duplicate_of_an_existing_fact_is_flagged(db) -> None:
    helio = changes.add_company(db, "Helio Biotech", ACTOR)
    novexa = changes.add_company(db, "Novexa Therapeutics", ACTOR)
    source = changes.add_source(db, key="earlier", title="Earlier report", actor=ACTOR)
    existing = changes.add_fact(
        db,
        FactIn(
            kind="licence",
            summary="Novexa took HX-2 from Helio",
            source_id=source,
            subject_id=novexa,
            counterparty_id=helio,
            licensor_id=helio,
            licensee_id=novexa,
            asset="HX-2 antibody",
        ),
        ACTOR,
    )
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    assert get_proposal(db, proposal_id).duplicate_of == existing


def test_a_different_asset_is_not_a_duplicate(db) -> None:
    helio = changes.add_company(db, "Helio Biotech", ACTOR)
    novexa = changes.add_company(db, "Novexa Therapeutics", ACTOR)
    source = changes.add_source(db, key="earlier", title="Earlier report", actor=ACTOR)
    changes.add_fact(
        db,
        FactIn(
            kind="licence",
            summary="Novexa took a vaccine from Helio",
            source_id=source,
            subject_id=novexa,
            counterparty_id=helio,
            licensor_id=helio,
            licensee_id=novexa,
            asset="influenza vaccine platform",
        ),
        ACTOR,
    )
    [proposal_id] = ingest_document(db, doc(), ACTOR).proposals
    assert get_proposal(db, proposal_id).duplicate_of is None


def test_same_asset_elsewhere_is_not_a_duplicate(db) -> None:
    renwick = changes.add_company(db, "Renwick Pharmaceutical", ACTOR)
    source = changes.add_source(db, key="earlier", title="Earlier report", actor=ACTOR)
    fact = FactIn(
        kind="approval",
        summary="RW-3 approved",
        source_id=source,
        subject_id=renwick,
        asset="RW-3",
        territory="United States",
    )
    us = changes.add_fact(db, fact, ACTOR)
    text = "RW-3\n\nRenwick Pharmaceutical's RW-3 was approved by the U.S. FDA in May 2024.\n"
    [same] = ingest_document(db, doc(text), ACTOR).proposals
    assert get_proposal(db, same).duplicate_of == us
    text = "RW-3 in Europe\n\nRenwick Pharmaceutical's RW-3 was approved by the EMA in June 2024.\n"
    [other] = ingest_document(db, doc(text), ACTOR).proposals
    assert get_proposal(db, other).duplicate_of is None
