"""A database that fails (corrupt, locked, full) is told politely, through the loopback Discord,
and logged once in one line naming the file: no error id, no traceback."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from cog_world import seed

from briefs import store
from briefs.queries import get_fact
from briefs.render import render_error, to_text
from briefs.store import database_problem, open_db


def corrupt_table(db, table: str) -> None:
    """Overwrite the first page of ``table`` in the file itself: a real damaged database."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    with open(db.conn.execute("PRAGMA database_list").fetchone()[2], "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)


def quiet_warning(caplog, db_path) -> None:
    """One warning line naming the file, and nothing at ERROR."""
    records = [r for r in caplog.records if r.name.startswith("dealbrief")]
    assert not [r for r in records if r.levelno >= logging.ERROR]
    warnings = [r for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert str(db_path) in warnings[0].getMessage()


async def test_a_damaged_database_is_told_not_given_an_error_id(
    db, db_path, standin, start_bot, caplog
):
    seed(db)
    corrupt_table(db, "sources")
    await start_bot(extensions=["bot.cogs.lookup"])
    with caplog.at_level(logging.WARNING, logger="dealbrief"):
        reply = await (await standin.slash("sources")).answer()
    assert reply.ephemeral
    assert "The database is damaged" in reply.text and "error id" not in reply.text
    quiet_warning(caplog, db_path)


async def test_a_database_locked_past_the_busy_timeout_is_told(
    db, db_path, standin, start_bot, caplog, monkeypatch
):
    ids = seed(db)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 50)
    await start_bot(extensions=["bot.cogs.facts"])
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level(logging.WARNING, logger="dealbrief"):
            handle = await standin.slash("fact remove", {"id": ids["deal"]}, user=standin.admin)
            reply = await handle.answer()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert reply.ephemeral
    assert "The database is busy" in reply.text and "error id" not in reply.text
    quiet_warning(caplog, db_path)
    assert get_fact(db, ids["deal"]).deleted_at is None


def test_a_full_disk_names_the_problem_and_the_file(db_path):
    db = open_db(db_path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.Error) as caught:
        db["filler"].insert_all({"text": "x" * 2000} for _ in range(50))
    text = to_text(render_error(database_problem(caught.value, db_path), flavour="text"))
    assert f"The database {db_path} cannot grow" in text
