import sqlite3

import pytest

from briefs.changes import (
    Actor,
    FactIn,
    FigureIn,
    add_alias,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    history,
    remove_fact,
    undo,
)
from briefs.errors import BadInput, Conflict, NotFound

ALICE = Actor(name="discord:alice", id="101", guild_id="9")
BOB = Actor(name="discord:bob", id="202", guild_id="9")
TABLES = ("companies", "aliases", "sources", "facts", "figures", "audit")


def counts(db):
    return {table: db[table].count for table in TABLES}


@pytest.fixture
def base(db):
    """A source and two companies, so that a deal can be written."""
    source = add_source(db, key="s1", title="A report", outlet="Wire", actor=ALICE)
    maker = add_company(db, "Acme Batteries", ALICE, country="UK")
    licensor = add_company(db, "Dragon Cells", ALICE, country="China")
    bystander = add_company(db, "Bystander Ltd", ALICE)
    return {"source": source, "maker": maker, "licensor": licensor, "bystander": bystander}


def deal(base, **overrides):
    values = {
        "kind": "licence",
        "summary": "Acme takes a licence to Dragon's cell design",
        "source_id": base["source"],
        "subject_id": base["maker"],
        "counterparty_id": base["licensor"],
        "licensor_id": base["licensor"],
        "licensee_id": base["maker"],
        "period": "2025-02",
        "figures": [FigureIn(role="upfront", disclosed=False)],
    }
    values.update(overrides)
    return FactIn(**values)


def fact_row(db, fact_id):
    return db.execute(
        "SELECT summary, revision, admin_edited, deleted_at FROM facts WHERE id = ?", [fact_id]
    ).fetchone()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "merger"}, "bad_kind"),
        ({"status": "rumoured"}, "bad_status"),
        ({"summary": "   "}, "empty"),
        ({"summary": "x" * 1001}, "too_long"),
        ({"summary": "bad\x00text"}, "control_chars"),
        ({"period": "last spring"}, "bad_period"),
        ({"figures": [FigureIn(role="bonus", value=1.0)]}, "bad_role"),
        ({"figures": [FigureIn(role="upfront", value=1.0, unit="doubloons")]}, "bad_unit"),
        ({"figures": [FigureIn(role="upfront", value=-5.0)]}, "bad_amount"),
        ({"figures": [FigureIn(role="upfront", value=float("inf"))]}, "bad_amount"),
        (
            {"figures": [FigureIn(role="upfront", value=5.0, disclosed=False)]},
            "undisclosed_with_value",
        ),
        ({"figures": [FigureIn(role="upfront")]}, "missing_value"),
        ({"figures": [FigureIn(role="upfront", value=5.0, unit="XYZ")]}, "unknown_currency"),
        ({"licensee_id": "bystander"}, "party_not_in_deal"),
    ],
)
def test_bad_fact_is_refused_and_changes_nothing(db, base, overrides, code):
    if overrides.get("licensee_id") == "bystander":
        overrides = {"licensee_id": base["bystander"]}
    before = counts(db)
    with pytest.raises(BadInput) as err:
        add_fact(db, deal(base, **overrides), ALICE)
    assert err.value.code == code
    assert counts(db) == before


def test_unknown_company_or_source_is_not_found_and_changes_nothing(db, base):
    before = counts(db)
    with pytest.raises(NotFound) as err:
        add_fact(db, deal(base, counterparty_id=999, licensor_id=None), ALICE)
    assert err.value.code == "company_not_found"
    with pytest.raises(NotFound) as err:
        add_fact(db, deal(base, source_id=999), ALICE)
    assert err.value.code == "source_not_found"
    assert counts(db) == before


def test_add_fact_stores_figures_periods_and_audit(db, base):
    figures = [
        FigureIn(role="upfront", disclosed=False),
        FigureIn(role="total", value=2.0e9, unit="CNY"),
    ]
    fact_id = add_fact(db, deal(base, figures=figures), ALICE)
    row = db.execute(
        "SELECT period, period_start, period_end, origin FROM facts WHERE id = ?", [fact_id]
    ).fetchone()
    assert row == ("2025-02", "2025-02-01", "2025-02-28", "admin")
    stored = {r["role"]: r for r in db.query("SELECT * FROM figures WHERE fact_id = ?", [fact_id])}
    assert stored["upfront"]["disclosed"] == 0 and stored["upfront"]["value"] is None
    assert stored["total"]["value_usd"] == pytest.approx(2.0e9 * 0.139)
    assert stored["total"]["usd_basis"] == "rate table CNY 2025"
    [entry] = history(db, fact_id=fact_id)
    assert (entry.action, entry.actor_id, entry.before) == ("add", "101", None)
    assert [f["role"] for f in entry.after["figures"]] == ["upfront", "total"]


def test_line_breaks_in_short_fields_become_spaces(db, base):
    fact_id = add_fact(
        db, deal(base, summary="Acme licenses\nDragon's cells", asset="cell\r\ndesign"), ALICE
    )
    row = db.execute("SELECT summary, asset FROM facts WHERE id = ?", [fact_id]).fetchone()
    assert row == ("Acme licenses Dragon's cells", "cell design")


def test_stated_conversion_is_kept(db, base):
    figure = FigureIn(
        role="sales", value=3.5e9, unit="CNY", value_usd=540e6, usd_basis="as stated by source"
    )
    fact_id = add_fact(db, deal(base, kind="sales", figures=[figure]), ALICE)
    row = db.execute("SELECT value_usd, usd_basis FROM figures WHERE fact_id = ?", [fact_id])
    assert row.fetchone() == (540e6, "as stated by source")


def test_edit_remove_undo_round_trip(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    edit_id = edit_fact(db, fact_id, ALICE, summary="Acme licenses Dragon's cells", stage="pilot")
    assert fact_row(db, fact_id) == ("Acme licenses Dragon's cells", 2, 1, None)
    remove_id = remove_fact(db, fact_id, ALICE, reason="duplicate")
    assert fact_row(db, fact_id)[3] is not None

    undone = undo(db, ALICE)
    assert (undone.undoes, undone.action) == (remove_id, "undo")
    assert fact_row(db, fact_id)[3] is None
    undone = undo(db, ALICE)
    assert undone.undoes == edit_id
    summary, revision, _, _ = fact_row(db, fact_id)
    assert summary == "Acme takes a licence to Dragon's cell design"
    assert revision == 5  # every write moves the revision forward, undo included
    undo(db, ALICE)  # the fact's addition: soft delete
    assert fact_row(db, fact_id)[3] is not None


def test_edit_replaces_figures_and_refuses_unknown_fields(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    edit_fact(db, fact_id, ALICE, figures=[FigureIn(role="upfront", value=5e6)])
    rows = db.execute("SELECT role, value FROM figures WHERE fact_id = ?", [fact_id]).fetchall()
    assert rows == [("upfront", 5e6)]
    before = counts(db)
    with pytest.raises(BadInput) as err:
        edit_fact(db, fact_id, ALICE, colour="red")
    assert err.value.code == "unknown_field"
    with pytest.raises(BadInput) as err:
        edit_fact(db, fact_id, ALICE, period="2025-13")
    assert err.value.code == "bad_period"
    with pytest.raises(BadInput) as err:
        edit_fact(db, fact_id, ALICE, stage=None)
    assert err.value.code == "no_change"
    assert counts(db) == before


def test_undo_by_another_member_does_not_touch_yours(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    with pytest.raises(Conflict) as err:
        undo(db, BOB)
    assert err.value.code == "nothing_to_undo"
    same_name_other_server = Actor(name="discord:alice", id="101", guild_id="10")
    with pytest.raises(Conflict):
        undo(db, same_name_other_server)
    assert fact_row(db, fact_id)[3] is None


def test_undo_of_an_undone_change_refuses(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    edit_id = edit_fact(db, fact_id, ALICE, stage="pilot")
    entry = undo(db, ALICE, edit_id)
    with pytest.raises(Conflict) as err:
        undo(db, ALICE, edit_id)
    assert err.value.code == "already_undone"
    with pytest.raises(Conflict) as err:
        undo(db, ALICE, entry.id)
    assert err.value.code == "cannot_undo_undo"


def test_undo_refuses_when_someone_changed_it_since(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    alice_edit = edit_fact(db, fact_id, ALICE, stage="pilot")
    edit_fact(db, fact_id, BOB, stage="production")
    before = counts(db)
    with pytest.raises(Conflict) as err:
        undo(db, ALICE, alice_edit)
    assert err.value.code == "changed_since"
    assert counts(db) == before
    undo(db, BOB)
    undo(db, ALICE, alice_edit)  # once Bob's edit is undone, Alice's can be
    assert db.execute("SELECT stage FROM facts WHERE id = ?", [fact_id]).fetchone() == (None,)


def test_history_is_newest_first_and_filters(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    edit_fact(db, fact_id, BOB, stage="pilot")
    remove_fact(db, fact_id, ALICE)
    assert [e.action for e in history(db, fact_id=fact_id)] == ["remove", "edit", "add"]
    assert [e.action for e in history(db, fact_id=fact_id, actor=BOB)] == ["edit"]
    assert len(history(db, fact_id=fact_id, limit=2)) == 2
    company_actions = [(e.entity, e.action) for e in history(db, company_id=base["maker"])]
    assert company_actions[:3] == [("fact", "remove"), ("fact", "edit"), ("fact", "add")]
    assert company_actions[-1] == ("company", "add")


def test_failing_write_leaves_no_audit_row_and_no_fact(db, base):
    db.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    before = counts(db)
    with pytest.raises(sqlite3.IntegrityError):
        add_fact(db, deal(base), ALICE)
    assert counts(db) == before
    db.execute("DROP TRIGGER refuse_audit")
    db.execute(
        "CREATE TRIGGER refuse_fig BEFORE INSERT ON figures BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        add_fact(db, deal(base), ALICE)
    assert counts(db) == before


def test_company_and_alias_rules(db, base):
    with pytest.raises(Conflict) as err:
        add_company(db, "acme  batteries!", BOB)
    assert err.value.code == "company_exists"
    alias_id = add_alias(db, base["maker"], "Acme", ALICE, kind="short")
    assert add_alias(db, base["maker"], "ACME", ALICE) == alias_id  # same company: no-op
    before = counts(db)
    with pytest.raises(Conflict) as err:
        add_alias(db, base["licensor"], "acme", BOB)
    assert err.value.code == "alias_taken"
    with pytest.raises(BadInput) as err:
        add_alias(db, base["maker"], "Acme Cells", ALICE, kind="nickname")
    assert err.value.code == "bad_alias_kind"
    assert counts(db) == before
    norms = {
        r[0] for r in db.execute("SELECT norm FROM aliases WHERE company_id = ?", [base["maker"]])
    }
    assert norms == {"acme batteries", "acme"}
    undo(db, ALICE)  # the alias
    assert db["aliases"].count == before["aliases"] - 1


def test_undo_company_only_when_unreferenced(db, base):
    add_fact(db, deal(base), ALICE)
    company_add = history(db, company_id=base["licensor"])[-1]
    with pytest.raises(Conflict) as err:
        undo(db, ALICE, company_add.id)
    assert err.value.code == "company_in_use"
    lonely = add_company(db, "Lonely Labs", BOB)
    undo(db, BOB)
    assert db.execute("SELECT count(*) FROM companies WHERE id = ?", [lonely]).fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM aliases WHERE company_id = ?", [lonely]).fetchone() == (
        0,
    )


def test_add_source_is_get_or_create(db, base):
    audit_before = db["audit"].count
    again = add_source(db, key="s1", title="Other title", actor=BOB)
    assert again == base["source"] and db["audit"].count == audit_before
    with pytest.raises(BadInput) as err:
        add_source(db, key="s2", title="T", actor=BOB, url="javascript:alert(1)")
    assert err.value.code == "bad_url"


def test_shell_and_curated_actors():
    assert Actor.shell().name.startswith("shell:")
    assert Actor.curated().is_curated and not ALICE.is_curated


def test_undo_of_a_source_the_review_queue_cites_is_refused(db):
    from briefs.ingest.read import read_bytes
    from briefs.ingest.review import ingest_document

    text = "Novexa licenses HX-2\n\nNovexa Therapeutics licensed HX-2 from Helio Biotech.\n"
    ingest_document(db, read_bytes(text.encode(), "novexa.txt"), ALICE)
    before = counts(db)
    with pytest.raises(Conflict) as err:
        undo(db, ALICE)
    assert err.value.code == "source_in_use"
    assert counts(db) == before


def dump(db):
    return list(db.conn.iterdump())


class Interrupted(Exception):
    """Stands for a crash between a write and its audit row."""


WRITES = {
    "add_fact": lambda db, base: add_fact(db, deal(base), ALICE),
    "edit_fact": lambda db, base: edit_fact(db, base["fact"], ALICE, stage="pilot"),
    "remove_fact": lambda db, base: remove_fact(db, base["fact"], ALICE),
    "undo": lambda db, base: undo(db, ALICE),
    "add_company": lambda db, base: add_company(db, "New Co", ALICE),
    "add_alias": lambda db, base: add_alias(db, base["maker"], "Acme", ALICE),
    "add_source": lambda db, base: add_source(db, key="s9", title="Another", actor=ALICE),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_crash_before_the_audit_row_keeps_no_half_change(db, base, monkeypatch, write):
    base["fact"] = add_fact(db, deal(base), ALICE)
    before = dump(db)

    def crash(*args, **kwargs):
        raise Interrupted

    monkeypatch.setattr("briefs.changes._audit", crash)
    with pytest.raises(Interrupted):
        WRITES[write](db, base)
    assert not db.conn.in_transaction
    assert dump(db) == before


def test_interleaved_edits_undo_in_order_and_history_keeps_both(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    alice = edit_fact(db, fact_id, ALICE, stage="pilot")
    bob = edit_fact(db, fact_id, BOB, asset="cell design")
    with pytest.raises(Conflict):
        undo(db, ALICE)  # Alice's latest is under Bob's: refused, nothing lost
    assert undo(db, BOB).undoes == bob
    assert undo(db, ALICE).undoes == alice
    row = db.execute("SELECT stage, asset FROM facts WHERE id = ?", [fact_id]).fetchone()
    assert row == (None, None)
    undos = [e for e in history(db, fact_id=fact_id) if e.action == "undo"]
    assert [(e.actor_id, e.guild_id) for e in undos] == [("101", "9"), ("202", "9")]


# --- Licence parties, removed facts and what an edit changed. --------------------------------


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"licensor_id": "maker"}, "same_party"),  # the licensee is the maker too
        ({"licensor_id": None}, "licence_needs_party"),
        ({"licensee_id": None, "kind": "out_licence"}, "licence_needs_party"),
        ({"licensee_id": None, "kind": "patent_licence"}, "licence_needs_party"),
    ],
)
def test_a_licence_names_two_different_parties(db, base, overrides, code):
    overrides = {
        k: base[v] if isinstance(v, str) and k.endswith("_id") else v for k, v in overrides.items()
    }
    before = counts(db)
    with pytest.raises(BadInput) as err:
        add_fact(db, deal(base, **overrides), ALICE)
    assert err.value.code == code
    assert counts(db) == before


def test_an_undisclosed_party_is_recorded_and_a_named_one_replaces_it(db, base):
    fact_id = add_fact(db, deal(base, licensor_id=None, licensor_undisclosed=True), ALICE)
    assert db.execute(
        "SELECT licensor_id, licensor_undisclosed FROM facts WHERE id = ?", [fact_id]
    ).fetchone() == (None, 1)
    edit_fact(db, fact_id, ALICE, licensor_id=base["licensor"])
    assert db.execute(
        "SELECT licensor_id, licensor_undisclosed FROM facts WHERE id = ?", [fact_id]
    ).fetchone() == (base["licensor"], 0)
    # Other kinds of fact need no licence parties.
    add_fact(db, deal(base, kind="approval", licensor_id=None, licensee_id=None), ALICE)


def test_a_removed_fact_names_the_change_that_brings_it_back(db, base):
    from briefs.queries import get_fact

    fact_id = add_fact(db, deal(base), ALICE)
    removal = remove_fact(db, fact_id, ALICE, reason="duplicate")
    before = counts(db)
    for attempt in (
        lambda: edit_fact(db, fact_id, ALICE, summary="again"),
        lambda: get_fact(db, fact_id),
        lambda: remove_fact(db, fact_id, ALICE),
    ):
        with pytest.raises(Conflict) as err:
            attempt()
        assert err.value.code in ("fact_removed", "already_removed")
        assert err.value.params["change"] == removal
    assert counts(db) == before


def test_history_shows_each_changed_field_old_and_new(db, base):
    fact_id = add_fact(db, deal(base), ALICE)
    edit_fact(
        db,
        fact_id,
        ALICE,
        reason="the release gave the fee",
        licensee_id=None,
        licensee_undisclosed=True,
        figures=[FigureIn(role="upfront", value=1e8, unit="USD", precision=1)],
    )
    entry = history(db, fact_id=fact_id, limit=1)[0]
    changed = {c.field: (c.old, c.new) for c in entry.changes}
    assert set(changed) == {"licensee", "upfront"}
    assert changed["licensee"][0].text == "Acme Batteries"
    assert changed["licensee"][1].kind == "undisclosed"
    assert changed["upfront"][0].kind == "undisclosed"
    assert changed["upfront"][1].figure.value == 1e8
    assert entry.reason == "the release gave the fee"
