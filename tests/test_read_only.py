"""A database this process cannot write still serves lookups, and refuses changes in one line.

Two ways to make it read-only, each test running under both:
- "locked": the file and its folder really cannot be written (chmod; as root, which ignores
  permissions, the immutable attribute, which stops root too), so :func:`writable` must see it;
- "forced": the detection answers no on a writable file, so SQLite's own read-only mode is
  what refuses the writes, whoever runs the tests.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from cog_world import seed

from bot.app import create_bot
from bot.config import BotConfig
from briefs import store
from briefs.changes import Actor
from briefs.cli import EXIT_DATABASE_ERROR, cli
from briefs.curated import load_curated
from briefs.errors import DealbriefError
from briefs.migrations import migrations
from briefs.store import nobody_can_write, open_db, writable

LOOKUPS = [
    ["deal", "junshi"],
    ["search", "antibody"],
    ["stats"],
    ["sources"],
    ["source", "1"],
    ["fact", "show", "1"],
    ["export"],
    ["digest"],
]


@contextmanager
def locked(folder: Path, files: list[Path]) -> Iterator[None]:
    """Make ``folder`` and ``files`` unwritable for this process, and writable again after."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [*files, folder]}
        for p in files:
            p.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    targets = [str(p) for p in [*files, folder]]
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", *targets], capture_output=True).returncode:
        pytest.skip("root ignores file permissions, and chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", *targets], check=True)


@pytest.fixture
def curated_path(db_path: Path) -> Path:
    db = open_db(db_path)
    load_curated(db, actor=Actor.curated())
    db.close()
    return db_path


@pytest.fixture
def seeded(db_path: Path) -> dict[str, int]:
    db = open_db(db_path)
    ids = seed(db)
    db.close()
    return ids


@pytest.fixture
def read_only(request, db_path: Path, monkeypatch) -> Iterator[str]:
    """ "locked" or "forced"; listed after the fixture that writes the database."""
    assert db_path.exists()
    if request.param == "forced":
        monkeypatch.setattr(store, "writable", lambda path: False)
        yield request.param
        return
    with locked(db_path.parent, [db_path]):
        yield request.param


BOTH = pytest.mark.parametrize("read_only", ["locked", "forced"], indirect=True)


def test_writable_sees_a_locked_file_and_folder(curated_path: Path):
    assert writable(curated_path) and not nobody_can_write(curated_path.parent)
    with locked(curated_path.parent, [curated_path]):
        assert not writable(curated_path)
        assert nobody_can_write(curated_path.parent)


@BOTH
def test_a_read_only_database_reads_and_refuses_writes(curated_path, read_only):
    db = open_db(curated_path)
    assert db["facts"].count > 0
    with pytest.raises(sqlite3.OperationalError) as caught:
        db["companies"].insert({"slug": "x", "name": "X", "created_at": "t", "updated_at": "t"})
    assert caught.value.sqlite_errorcode == sqlite3.SQLITE_READONLY
    db.close()


@BOTH
def test_the_command_line_serves_lookups_and_refuses_a_change_in_one_line(curated_path, read_only):
    for args in LOOKUPS:
        result = CliRunner().invoke(cli, ["--db", str(curated_path), *args])
        assert result.exit_code == 0, (args, result.output, result.stderr)
        assert result.stdout.strip(), args
    result = CliRunner().invoke(cli, ["--db", str(curated_path), "company", "add", "Acme Bio"])
    assert result.exit_code == EXIT_DATABASE_ERROR
    line = result.stderr.strip()
    assert "\n" not in line
    assert f"The database {curated_path} is read-only" in line
    db = open_db(curated_path, read_only=True)
    assert db.execute("SELECT count(*) FROM companies WHERE name = 'Acme Bio'").fetchone() == (0,)
    db.close()


def first_release_schema(path: Path) -> None:
    """A database left at the first migration: what an older install would hand over."""
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before="m002_digest")
    db.close()


def test_an_old_schema_opened_read_only_asks_to_be_upgraded_first(db_path: Path, monkeypatch):
    first_release_schema(db_path)
    with pytest.raises(DealbriefError) as caught:
        open_db(db_path, read_only=True)
    assert caught.value.params["problem"] == "needs_migration"
    monkeypatch.setattr(store, "writable", lambda path: False)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "deal", "junshi"])
    assert result.exit_code == EXIT_DATABASE_ERROR
    line = result.stderr.strip()
    assert "\n" not in line and str(db_path) in line and "needs upgrading first" in line
    assert [m.name for m in migrations.applied(open_db(db_path, migrate=False))] == ["m001_core"]


@BOTH
async def test_the_bot_answers_lookups_and_politely_refuses_changes(
    seeded, read_only, standin, start_bot
):
    await start_bot(extensions=["bot.cogs.lookup", "bot.cogs.facts"])
    brief = await (await standin.slash("deal", {"company": "Riverbend"})).response()
    assert not brief.ephemeral and "Northgate" in brief.text
    handle = await standin.slash("fact remove", {"id": seeded["deal"]}, user=standin.admin)
    refusal = await handle.answer()
    assert refusal.ephemeral
    assert "The database is read-only: it answers lookups but cannot be changed" in refusal.text
    assert "error id" not in refusal.text


async def test_the_bot_will_not_start_on_an_old_read_only_schema(db_path, monkeypatch, standin):
    first_release_schema(db_path)
    monkeypatch.setattr(store, "writable", lambda path: False)
    config = BotConfig(token=standin.token, db_path=db_path, api_base=standin.api_base, cogs=[])
    bot = create_bot(config)
    try:
        with pytest.raises(DealbriefError) as caught:
            await asyncio.wait_for(bot.start(config.token), timeout=30)  # not a hang
    finally:
        await bot.close()
    assert caught.value.params["problem"] == "needs_migration"
