import sqlite3

import old_schema
import pytest

from briefs.curated import load_curated
from briefs.migrations import migrations
from briefs.store import LATEST_MIGRATION, is_initialised, open_db, open_lookup


def test_open_db_uses_wal_and_foreign_keys(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_apply_once_and_reopen_keeps_data(db_path):
    first = open_db(db_path)
    first["companies"].insert({"slug": "x", "name": "X", "created_at": "t", "updated_at": "t"})
    first.close()
    again = open_db(db_path)
    assert again["companies"].count == 1
    assert not migrations.pending(again)
    assert migrations.applied(again)[0].name == "m001_core"


def test_alias_trigram_index_follows_aliases(db):
    db["companies"].insert(
        {"id": 1, "slug": "a", "name": "A", "created_at": "t", "updated_at": "t"}
    )
    db["aliases"].insert({"company_id": 1, "alias": "Junshi", "norm": "junshi"})
    hits = db.execute(
        "SELECT rowid FROM aliases_trigram WHERE aliases_trigram MATCH 'unsh'"
    ).fetchall()
    assert hits == [(1,)]


def test_the_latest_migration_named_in_store_is_the_last_registered(db_path):
    """A lookup trusts a database that has LATEST_MIGRATION; a new migration must move it."""
    empty = open_db(db_path, migrate=False)
    assert migrations.pending(empty)[-1].name == LATEST_MIGRATION
    empty.close()


def test_a_lookup_reads_a_current_database_through_plain_sqlite3_read_only(db):
    lookup = open_lookup(db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert isinstance(lookup, sqlite3.Connection)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        lookup.execute("DELETE FROM facts")
    lookup.close()


def test_a_lookup_of_a_database_behind_the_schema_upgrades_it_first(db_path):
    old_schema.old_database(db_path, "m002_digest", load_curated)
    lookup = open_lookup(db_path)
    assert not isinstance(lookup, sqlite3.Connection)  # the write side's Database, to migrate
    assert not migrations.pending(lookup)
    assert is_initialised(lookup)
    lookup.close()
