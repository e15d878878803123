"""The fact use cases, once for every front end: parsing, parties, figure merging, add and edit."""

from __future__ import annotations

import pytest
from cog_world import seed_deal

from briefs.actions import companies, facts
from briefs.actions.facts import FactForm, merge_figures, parse_term, placed_parties
from briefs.changes import Actor, FigureIn
from briefs.errors import BadInput, Conflict, NotFound
from briefs.queries import get_fact

ADMIN = Actor("test:admin")


def test_an_amount_or_undisclosed_becomes_a_figure():
    assert parse_term("upfront", "undisclosed") == FigureIn("upfront", disclosed=False)
    assert parse_term("total", " Undisclosed ").disclosed is False
    assert parse_term("upfront", "$50m") == FigureIn("upfront", value=50e6, unit="USD", precision=1)
    with pytest.raises(BadInput):
        parse_term("upfront", "lots")


def test_the_licensor_is_the_subject_and_the_licensee_the_counterparty():
    assert placed_parties({"licensor": 1, "licensee": 2}) == {
        "subject_id": 1,
        "counterparty_id": 2,
        "licensor_id": 1,
        "licensee_id": 2,
    }
    assert placed_parties({"licensee": 2})["subject_id"] == 2
    named = placed_parties({"subject": 3, "counterparty": 4, "licensor": 4, "licensee": 3})
    assert (named["subject_id"], named["counterparty_id"]) == (3, 4)


def test_an_edit_replaces_the_roles_given_and_keeps_the_others():
    current = [FigureIn("milestones", 1e9), FigureIn("upfront", 50e6), FigureIn("sales", 3.0)]
    merged = merge_figures(current, {"upfront": FigureIn("upfront", 75e6), "milestones": None})
    assert [(f.role, f.value) for f in merged] == [("upfront", 75e6), ("sales", 3.0)]


def test_add_resolves_names_and_stores_both_parties(db):
    world = seed_deal(db)
    form = FactForm(
        kind="licence",
        summary="Northgate licensed a device to Riverbend.",
        licensor="Northgate",
        licensee="riverbend",
        source=str(world["source"]),
        royalty="tiered",
        status="signed",
        equity="undisclosed",
    )
    fact = get_fact(db, facts.add(db, form, ADMIN))
    assert (fact.licensor.id, fact.licensee.id) == (world["northgate"], world["riverbend"])
    assert (fact.subject.id, fact.counterparty.id) == (world["northgate"], world["riverbend"])
    assert (fact.royalty, fact.status, fact.figure("equity").disclosed) == (
        "tiered",
        "signed",
        False,
    )


def test_add_creates_a_new_source_with_the_fact_or_nothing(db):
    world = seed_deal(db)
    form = FactForm(kind="approval", summary="Approved.", subject="Northgate", source_title="Memo")
    fact = get_fact(db, facts.add(db, form, ADMIN))
    assert fact.source.title == "Memo" and fact.subject.id == world["northgate"]
    sources = db.execute("SELECT count(*) FROM sources").fetchone()[0]
    bad = FactForm(kind="approval", summary="", subject="Northgate", source_title="Other memo")
    with pytest.raises(BadInput):
        facts.add(db, bad, ADMIN)
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == sources


def test_an_edit_changes_only_what_it_names(db):
    world = seed_deal(db)
    facts.edit(db, world["deal"], FactForm(upfront="$75m", territory="Canada", sector=""), ADMIN)
    fact = get_fact(db, world["deal"])
    assert fact.figure("upfront").value == 75e6 and fact.figure("milestones").value == 1e9
    assert fact.territory == "Canada" and fact.licensor.id == world["riverbend"]
    with pytest.raises(BadInput) as nothing:
        facts.edit(db, world["deal"], FactForm(), ADMIN)
    assert nothing.value.code == "no_change"


def test_check_refuses_early_what_the_store_would_refuse(db):
    world = seed_deal(db)
    for form, code in [
        (FactForm(kind="rumour"), "bad_kind"),
        (FactForm(status="maybe"), "bad_status"),
        (FactForm(total="lots"), None),
        (FactForm(source="999"), "unknown_source"),
    ]:
        with pytest.raises((BadInput, NotFound)) as refused:
            facts.check(db, form)
        assert code is None or refused.value.code == code
    with pytest.raises(NotFound):
        facts.check(db, FactForm(licensor="Zzyzx Nonesuch"))
    facts.check(db, FactForm(kind="licence", licensee="Northgate", source=str(world["source"])))


def test_check_new_refuses_a_repeated_deal_unless_separate(db):
    world = seed_deal(db)
    form = FactForm(
        kind="licence", licensor="Riverbend", licensee="Northgate", period="2025", source="t-1"
    )
    with pytest.raises(Conflict) as refused:
        facts.check_new(db, form)
    assert refused.value.code == "looks_like_fact"
    assert refused.value.params["id"] == world["deal"]
    facts.check_new(db, form, separate=True)
    facts.check_new(db, FactForm(kind="licence", licensor="Northgate", licensee="Riverbend"))
    assert db["facts"].count == 1


def test_history_names_a_company_as_people_write_it_and_made_since_lists_a_commands_changes(db):
    world = seed_deal(db)
    since = db.execute("SELECT max(id) FROM audit").fetchone()[0]
    companies.add(db, "Eastlake Labs", ADMIN, aliases=["ELL"])
    made = facts.made_since(db, ADMIN, since)
    assert [(e.entity, e.action) for e in made] == [("company", "add"), ("alias", "add")]
    assert {e.entity_id for e in facts.history(db, company="riverbend")} >= {world["deal"]}
