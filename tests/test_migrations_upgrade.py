"""An old user's database (schema m001 only, with data and history) moves forward intact."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from briefs import queries
from briefs.changes import Actor, edit_fact, remove_fact
from briefs.cli import cli
from briefs.curated import load_curated
from briefs.migrations import migrations, recount_company_facts
from briefs.store import open_db

ADMIN = Actor(name="discord:admin", id="7", guild_id="1")
OLD_TABLES = ("companies", "aliases", "sources", "facts", "figures", "audit")


def rows(db, table: str) -> list[tuple]:
    return db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def old_database(path: Path) -> dict[str, list[tuple]]:
    """A base at the first release: curated data, an admin's edit and removal; its rows.

    Today's code writes today's columns, so the data is made in a current base beside it and
    copied, column by column of the first release, into a base that has only ``m001_core``.
    """
    current = open_db(path.with_name("current.db"))
    load_curated(current)
    edit_fact(current, 1, ADMIN, stage="checked again", reason="re-read")
    remove_fact(current, 2, ADMIN, reason="duplicate")
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before="m002_digest")
    assert [m.name for m in migrations.applied(db)] == ["m001_core"]
    with db.atomic():
        for table in ("sources", "companies", "aliases", "facts", "figures", "audit"):
            columns = ", ".join(c.name for c in db[table].columns)
            marks = ", ".join("?" for _ in db[table].columns)
            for row in current.execute(f"SELECT {columns} FROM {table} ORDER BY rowid"):
                db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", row)
    current.close()
    kept = {table: rows(db, table) for table in OLD_TABLES}
    db.close()
    return kept


def old_columns(db, table: str, kept: list[tuple]) -> list[tuple]:
    """Today's rows cut to the first release's columns (later migrations add columns)."""
    width = len(kept[0]) if kept else 0
    return [row[:width] for row in rows(db, table)]


def test_every_later_migration_applies_and_keeps_the_data(db_path: Path):
    kept = old_database(db_path)
    db = open_db(db_path)
    assert not migrations.pending(db)
    assert {table: old_columns(db, table, kept[table]) for table in OLD_TABLES} == kept
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
