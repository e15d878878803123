"""An old user's database (schema m001 only, with data and history) moves forward intact."""

from __future__ import annotations

import re
from pathlib import Path

import old_schema
from click.testing import CliRunner

from briefs import queries
from briefs.changes import Actor, edit_fact, remove_fact
from briefs.cli import cli
from briefs.curated import load_curated
from briefs.migrations import migrations, recount_company_facts
from briefs.store import open_db

ADMIN = Actor(name="discord:admin", id="7", guild_id="1")
OLD_TABLES = ("companies", "aliases", "sources", "facts", "figures", "audit")


def rows(db, table: str, columns: str = "*") -> list[tuple]:
    return db.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()


def first_release_data(db) -> None:
    load_curated(db)
    edit_fact(db, 1, ADMIN, stage="Phase 2", reason="re-read")
    remove_fact(db, 2, ADMIN, reason="duplicate")


def old_database(path: Path) -> dict[str, tuple[str, list[tuple]]]:
    """A base at the first release: curated data, an admin's edit and removal; its rows, read
    by the columns the first release had."""
    old_schema.old_database(path, "m002_digest", first_release_data)
    db = open_db(path, migrate=False)
    assert [m.name for m in migrations.applied(db)] == ["m001_core"]
    kept = {}
    for table in OLD_TABLES:
        columns = ", ".join(c.name for c in db[table].columns)
        kept[table] = (columns, rows(db, table, columns))
    db.close()
    return kept


def test_every_later_migration_applies_and_keeps_the_data(db_path: Path):
    kept = old_database(db_path)
    db = open_db(db_path)
    assert not migrations.pending(db)
    assert {table: (cols, rows(db, table, cols)) for table, (cols, _) in kept.items()} == kept
    stated = db.execute("SELECT value, precision FROM figures WHERE value > 0").fetchall()
    assert stated and all(precision is not None for _, precision in stated)
    counts = rows(db, "company_fact_counts")
    recount_company_facts(db)
    assert counts and rows(db, "company_fact_counts") == counts
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_the_old_history_can_still_be_undone_after_upgrading(db_path: Path):
    old_database(db_path)
    runner = CliRunner()
    removal = (
        open_db(db_path, migrate=False)
        .execute("SELECT id FROM audit WHERE action = 'remove'")
        .fetchone()[0]
    )
    result = runner.invoke(cli, ["--db", str(db_path), "fact", "undo", str(removal)])
    assert result.exit_code == 0, result.output
    db = open_db(db_path)
    assert db.execute("SELECT deleted_at FROM facts WHERE id = 2").fetchone() == (None,)
    counts = rows(db, "company_fact_counts")
    recount_company_facts(db)
    assert rows(db, "company_fact_counts") == counts
    db.close()


def test_the_search_index_is_rebuilt_with_notes_and_without_removed_facts(db_path: Path):
    old_database(db_path)
    db = open_db(db_path, migrate=False)
    noted, note = db.execute(
        "SELECT id, note FROM facts WHERE note IS NOT NULL AND deleted_at IS NULL LIMIT 1"
    ).fetchone()
    removed = db.execute("SELECT summary FROM facts WHERE id = 2").fetchone()[0]
    db.close()
    db = open_db(db_path)
    word = max(re.findall(r"[A-Za-z]{6,}", note), key=len)
    assert noted in {h.fact.id for h in queries.search(db, word, limit=100).hits if h.fact}
    words = " OR ".join(f'"{w}"' for w in re.findall(r"\w+", removed))
    matched = db.execute("SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?", [words]).fetchall()
    assert matched and (2,) not in matched  # the removed fact's words, but not the removed fact
    db.execute("INSERT INTO facts_fts(facts_fts, rank) VALUES ('integrity-check', 1)")
    db.close()


# --- m011_vocab: free text mapped onto the vocabularies. -----------------------------------------


def free_text_base(path: Path) -> None:
    """A base from before m011 whose facts and companies hold free text, as people typed it."""
    old_schema.old_database(path, "m011_vocab", load_curated)
    db = open_db(path, migrate=False)
    db.execute("UPDATE companies SET country = 'USA', sector = 'chips' WHERE slug = 'volklec'")
    db.execute("UPDATE companies SET country = 'Atlantis', sector = 'Ice' WHERE slug = 'cspc'")
    db.execute(
        "UPDATE facts SET sector = 'Memory chips', stage = 'Agreement signed', "
        "territory = 'worldwide excluding Greater China' WHERE key = ?",
        ["samsung-ymtc-hybrid-bonding-licence"],
    )
    db.execute(
        "UPDATE facts SET sector = 'Innovative drugs', stage = 'Phase II', territory = 'ex-China', "
        "deleted_at = '2025-01-01T00:00:00+00:00' WHERE key = ?",
        ["junshi-listing-star-2021"],
    )
    db.conn.commit()
    db.close()


def by_key(db, key: str) -> dict:
    return next(db.query("SELECT * FROM facts WHERE key = ?", [key]))


def test_m011_maps_free_text_onto_the_vocabularies_and_keeps_the_rest(db_path: Path):
    free_text_base(db_path)
    before = open_db(db_path, migrate=False)
    counts = {table: before[table].count for table in OLD_TABLES}
    before.close()
    db = open_db(db_path)
    assert {table: db[table].count for table in OLD_TABLES} == counts
    ymtc = by_key(db, "samsung-ymtc-hybrid-bonding-licence")
    assert (ymtc["sector"], ymtc["stage"]) == ("memory", None)
    assert ymtc["territory"] == "worldwide excluding Greater China"
    assert (ymtc["territory_in"], ymtc["territory_out"]) == ("worldwide", "greater_china")
    assert "Stage as first recorded: Agreement signed." in ymtc["note"]
    removed = by_key(db, "junshi-listing-star-2021")
    assert (removed["sector"], removed["stage"], removed["territory_out"]) == (
        "pharmaceuticals",
        "phase_2",
        "cn",
    )
    assert removed["deleted_at"] is not None
    volklec = next(db.query("SELECT * FROM companies WHERE slug = 'volklec'"))
    assert (volklec["country"], volklec["sector"]) == ("United States", "semiconductors")
    cspc = next(db.query("SELECT * FROM companies WHERE slug = 'cspc'"))
    assert (cspc["country"], cspc["sector"]) == (None, None)
    assert "Country as first recorded: Atlantis." in cspc["description"]
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_after_m011_the_parent_sector_counts_the_old_memory_deal(db_path: Path):
    free_text_base(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "stats", "--sector", "Semiconductors"])
    assert result.exit_code == 0, result.output
    assert "Memory" in result.output and "No deals" not in result.output
