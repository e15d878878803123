"""company_fact_counts (migration m006): each company's live facts, kept exact by triggers.

Every test compares the table with a count made afresh from the facts table, written
differently from the migration's own fill (distinct fact ids per company).
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from old_schema import old_database

from briefs.changes import (
    Actor,
    FactIn,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    remove_fact,
    undo,
)
from briefs.curated import load_curated
from briefs.errors import DealbriefError
from briefs.migrations import recount_company_facts
from briefs.names import complete_companies
from briefs.store import open_db

ALICE = Actor(name="discord:alice", id="101", guild_id="9")
PARTIES = ("subject_id", "counterparty_id", "licensor_id", "licensee_id")


def stored(db) -> dict[int, int]:
    """The kept counts, leaving out rows that fell to zero (they stay in the table)."""
    rows = db.execute("SELECT company_id, facts FROM company_fact_counts").fetchall()
    assert all(n >= 0 for _, n in rows)
    return {cid: n for cid, n in rows if n}


def counted(db) -> dict[int, int]:
    """Each company's live facts, counted from scratch: distinct facts naming it in any role."""
    roles = " UNION ALL ".join(
        f"SELECT id, {role} AS company_id FROM facts WHERE deleted_at IS NULL" for role in PARTIES
    )
    rows = db.execute(
        f"SELECT company_id, count(DISTINCT id) FROM ({roles}) "
        "WHERE company_id IS NOT NULL GROUP BY company_id"
    ).fetchall()
    return dict(rows)


def world(db) -> dict[str, int]:
    return {
        "source": add_source(db, key="s1", title="A report", outlet="Wire", actor=ALICE),
        "maker": add_company(db, "Acme Batteries", ALICE),
        "licensor": add_company(db, "Dragon Cells", ALICE),
        "bystander": add_company(db, "Bystander Ltd", ALICE),
    }


def deal(ids: dict[str, int], licensee: str = "maker", licensor: str = "licensor") -> FactIn:
    """A licence whose licensee is its subject: two roles each for two companies."""
    return FactIn(
        kind="licence",
        summary="A licence to a cell design",
        source_id=ids["source"],
        subject_id=ids[licensee],
        counterparty_id=ids[licensor],
        licensor_id=ids[licensor],
        licensee_id=ids[licensee],
    )


def test_a_fact_counts_once_per_company_whatever_its_roles(db):
    ids = world(db)
    add_fact(db, deal(ids), ALICE)
    add_fact(db, FactIn("sales", "Sales rose", ids["source"], subject_id=ids["maker"]), ALICE)
    assert stored(db) == counted(db) == {ids["maker"]: 2, ids["licensor"]: 1}


def test_edit_remove_and_undo_keep_counts_exact(db):
    ids = world(db)
    fact = add_fact(db, deal(ids), ALICE)
    edit_fact(db, fact, ALICE, summary="A licence to a cell design, signed")
    assert stored(db) == {ids["maker"]: 1, ids["licensor"]: 1}
    edit_fact(db, fact, ALICE, counterparty_id=ids["bystander"], licensor_id=ids["bystander"])
    assert stored(db) == counted(db) == {ids["maker"]: 1, ids["bystander"]: 1}
    remove_fact(db, fact, ALICE)
    assert stored(db) == counted(db) == {}
    undo(db, ALICE)  # the removal
    assert stored(db) == counted(db) == {ids["maker"]: 1, ids["bystander"]: 1}
    undo(db, ALICE)  # the change of licensor
    assert stored(db) == counted(db) == {ids["maker"]: 1, ids["licensor"]: 1}
    undo(db, ALICE)  # the summary edit
    undo(db, ALICE)  # the fact itself
    assert stored(db) == counted(db) == {}


def test_a_deleted_row_leaves_the_count_of_a_live_fact_only(db):
    ids = world(db)
    live = add_fact(db, deal(ids), ALICE)
    removed = add_fact(db, deal(ids), ALICE)
    remove_fact(db, removed, ALICE)
    db.execute("DELETE FROM facts WHERE id IN (?, ?)", [live, removed])
    assert stored(db) == counted(db) == {}


def test_curated_load_is_counted_and_a_reload_changes_nothing(db):
    load_curated(db)
    first = stored(db)
    assert first and first == counted(db)
    load_curated(db)
    assert stored(db) == first


def test_migration_counts_the_facts_already_there(db_path: Path):
    def fill(db) -> dict[str, int]:
        ids = world(db)
        for _ in range(3):
            add_fact(db, deal(ids), ALICE)
        remove_fact(db, add_fact(db, deal(ids, "bystander"), ALICE), ALICE)
        add_fact(db, deal(ids, "bystander", "maker"), ALICE)
        return ids

    ids = old_database(db_path, "m006_company_fact_counts", fill)
    db = open_db(db_path)
    assert stored(db) == counted(db) == {ids["maker"]: 4, ids["licensor"]: 3, ids["bystander"]: 1}
    db.close()


def test_empty_prefix_ranks_by_facts_not_roles(db):
    """Two deals as subject and licensee (four roles) rank below three facts as subject."""
    ids = world(db)
    for _ in range(2):
        add_fact(db, deal(ids, "maker", "bystander"), ALICE)
    for _ in range(3):
        add_fact(
            db, FactIn("sales", "Sales rose", ids["source"], subject_id=ids["licensor"]), ALICE
        )
    top = complete_companies(db, "")
    # Acme and Bystander tie at two facts each and go by name.
    assert [c.company.id for c in top] == [ids["licensor"], ids["maker"], ids["bystander"]]
    assert len(complete_companies(db, "", limit=1)) == 1


# One step of a random history: (what, fact pick, subject, counterparty, roles).
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "edit", "remove", "undo"]),
        st.integers(0, 50),
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(0, 8),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(STEPS)
def test_counts_match_a_fresh_count_after_any_history(steps):
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "kb.db")
        try:
            ids = world(db)
            companies = [None, ids["maker"], ids["licensor"], ids["bystander"]]
            for what, pick, subject, partner, roles in steps:
                parties = _parties(companies[subject], companies[partner], roles)
                # A refused change (nothing to undo, changed since) must change nothing.
                with contextlib.suppress(DealbriefError):
                    _step(db, ids, what, pick, parties)
                assert stored(db) == counted(db)
            recount_company_facts(db)
            assert stored(db) == counted(db)
        finally:
            db.close()


def _parties(subject: int | None, partner: int | None, roles: int) -> dict[str, int | None]:
    """Licensor and licensee drawn from the subject and the counterparty, or left out."""
    choices = [None, subject, partner]
    return {
        "subject_id": subject,
        "counterparty_id": partner,
        "licensor_id": choices[roles % 3],
        "licensee_id": choices[roles // 3],
    }


def _step(db, ids: dict[str, int], what: str, pick: int, parties: dict) -> None:
    live = [row[0] for row in db.execute("SELECT id FROM facts WHERE deleted_at IS NULL")]
    if what == "add":
        add_fact(db, FactIn("licence", "A licence", ids["source"], **parties), ALICE)
    elif what == "undo":
        undo(db, ALICE)
    elif live and what == "edit":
        edit_fact(db, live[pick % len(live)], ALICE, **parties)
    elif live:
        remove_fact(db, live[pick % len(live)], ALICE)
