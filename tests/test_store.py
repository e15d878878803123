from briefs.migrations import migrations
from briefs.store import open_db


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
