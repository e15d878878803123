"""Review decisions at the use-case layer: the fact add form, new companies, corrections."""

from __future__ import annotations

import pytest

from briefs import changes
from briefs.actions.facts import FactForm
from briefs.actions.review import NewCompany, approve, parse_corrections
from briefs.changes import Actor
from briefs.errors import BadInput, NotFound
from briefs.ingest.read import Document
from briefs.ingest.review import get_proposal, ingest_document
from briefs.queries import get_fact

ACTOR = Actor("reviewer")
TEXT = (
    "Helio deal\n\nNovexa Therapeutics licensed the HX-2 antibody from Helio Biotech for an "
    "upfront payment of $40 million on May 6, 2024.\n"
)


def queue(db, text: str = TEXT) -> int:
    doc = Document(title=text.split("\n")[0], text=text, content_hash=str(hash(text)))
    [proposal_id] = ingest_document(db, doc, ACTOR).proposals
    return proposal_id


def test_approve_makes_the_licensor_the_subject(db):
    fact = get_fact(db, approve(db, queue(db), ACTOR).fact_id)
    assert fact.licensor.name == fact.subject.name == "Helio Biotech"
    assert fact.licensee.name == fact.counterparty.name == "Novexa Therapeutics"


def test_approve_takes_every_field_fact_add_takes(db):
    other = changes.add_company(db, "Quill Partners", ACTOR)
    form = FactForm(
        royalty="tiered up to 12%",
        sector="oncology",
        status="signed",
        stage="Phase 2",
        territory="Japan",
        equity="$5m",
        summary="Helio licensed HX-2 to Novexa.",
    )
    fact = get_fact(db, approve(db, queue(db), ACTOR, form).fact_id)
    assert (fact.royalty, fact.sector, fact.status, fact.stage, fact.territory) == (
        "tiered up to 12%",
        "oncology",
        "signed",
        "phase_2",
        "Japan",
    )
    assert fact.figure("upfront").value == 40e6 and fact.figure("equity").value == 5e6
    assert fact.summary == "Helio licensed HX-2 to Novexa."
    assert other not in (fact.subject.id, fact.counterparty.id)


def test_a_company_named_for_the_first_time_is_created_while_approving(db):
    changes.add_company(db, "Novexa Pharma", ACTOR)
    proposal_id = queue(db)
    lookalike = FactForm(licensee="Novexa Therapeutic")
    with pytest.raises(NotFound) as asked:
        approve(db, proposal_id, ACTOR, lookalike)
    assert asked.value.suggestions
    created = [NewCompany("Novexa Therapeutic", "Japan")]
    fact = get_fact(db, approve(db, proposal_id, ACTOR, lookalike, created).fact_id)
    assert fact.licensee.name == "Novexa Therapeutic"
    country = db.execute(
        "SELECT country FROM companies WHERE id = ?", [fact.licensee.id]
    ).fetchone()
    assert country == ("Japan",)


def test_a_refused_approval_creates_no_company(db):
    proposal_id = queue(db)
    with pytest.raises(BadInput):
        approve(db, proposal_id, ACTOR, FactForm(upfront="lots"), [NewCompany("Quill Works")])
    assert (
        db.execute("SELECT count(*) FROM companies WHERE name = 'Quill Works'").fetchone()[0] == 0
    )
    assert get_proposal(db, proposal_id).status == "proposed"


def test_corrections_typed_as_text():
    form, created = parse_corrections(
        "upfront=$50m; Total: undisclosed\nRoyalty = tiered; new company=Acme Bio (China);"
    )
    assert form == FactForm(upfront="$50m", total="undisclosed", royalty="tiered")
    assert created == [NewCompany("Acme Bio", "China")]
    assert parse_corrections("new_company=Acme")[1] == [NewCompany("Acme")]
    for typed, code in (("upfront $5m", "bad_terms"), ("colour=red", "bad_edit")):
        with pytest.raises(BadInput) as refused:
            parse_corrections(typed)
        assert refused.value.code == code
    with pytest.raises(BadInput):
        parse_corrections("source=3")
