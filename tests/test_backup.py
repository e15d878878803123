"""``dealbrief backup`` and ``dealbrief restore`` on real files, with a real second process
writing and the real bot holding the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.app import create_bot
from bot.config import BotConfig
from briefs import backup
from briefs.changes import Actor, add_source
from briefs.cli import cli
from briefs.curated import load_curated
from briefs.db_lock import DatabaseLock
from briefs.errors import DealbriefError
from briefs.store import open_db, writing

# A second process that adds sources w1, w2, ... and prints each number once it is committed.
WRITER = """
import sys
from briefs.changes import Actor, add_source
from briefs.store import open_db, writing
db = open_db(sys.argv[1])
for number in range(1, int(sys.argv[2]) + 1):
    with writing(db):
        add_source(db, key=f"w{number}", title=f"written {number}", actor=Actor.shell())
    print(number, flush=True)
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output.strip()


def keys(path: Path) -> set[str]:
    db = open_db(path, read_only=True)
    try:
        return {row[0] for row in db.execute("SELECT key FROM sources")}
    finally:
        db.close()


@pytest.fixture
def curated(db, db_path: Path) -> Path:
    load_curated(db, actor=Actor.curated())
    return db_path


def test_a_backup_during_writes_of_another_process_holds_every_change_committed_before(
    curated, tmp_path
):
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(curated), "400"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        committed = 0
        while committed < 20:  # the writer is well under way
            committed = int(writer.stdout.readline())
        status, output = run("--db", str(curated), "backup", str(tmp_path / "copy.db"))
        assert writer.poll() is None, "the writer had finished before the backup started"
    finally:
        rest = writer.communicate(timeout=120)[0]
    assert writer.returncode == 0
    assert status == 0, output
    copied = keys(tmp_path / "copy.db")
    assert {f"w{n}" for n in range(1, committed + 1)} <= copied
    assert len(rest.split()) > 0  # it went on writing after the backup
    assert "integrity checked" in output and str(tmp_path / "copy.db") in output


def test_a_backup_counts_the_facts_of_the_copy(curated, db, tmp_path):
    live = db.execute("SELECT count(*) FROM facts WHERE deleted_at IS NULL").fetchone()[0]
    copy = backup.backup(curated, tmp_path / "copy.db")
    assert copy.facts == live > 0
    assert not list(tmp_path.glob(".copy.db.partial*"))
    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file


def test_a_backup_never_replaces_a_file_without_force(curated, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    status, output = run("--db", str(curated), "backup", str(target))
    assert status == 1
    assert output == f"{target} already exists: choose another name, or add --force to replace it."
    assert target.read_text() == "keep me"
    status, output = run("--db", str(curated), "backup", "--force", str(target))
    assert status == 0, output
    assert backup.check_copy(target).facts > 0


def test_a_backup_into_a_missing_folder_is_one_line(curated, tmp_path):
    status, output = run("--db", str(curated), "backup", str(tmp_path / "no" / "copy.db"))
    assert status == 1
    assert output.startswith(str(tmp_path / "no" / "copy.db") + " cannot be written")


def test_restore_puts_the_backup_in_place_and_keeps_the_old_file_with_its_latest_changes(
    curated, db, tmp_path
):
    copy = tmp_path / "copy.db"
    backup.backup(curated, copy)
    with writing(db):
        add_source(db, key="after-backup", title="after the backup", actor=Actor.shell())
    assert (curated.parent / (curated.name + "-wal")).exists()  # the change sits in the WAL
    db.close()
    status, output = run("--db", str(curated), "restore", str(copy))
    assert status == 0, output
    assert "after-backup" not in keys(curated)
    (kept,) = curated.parent.glob(curated.name + ".before-restore-*[0-9Z]")
    assert "after-backup" in keys(kept)
    assert output.startswith(f"Restored {curated} from {copy}: ")
    assert output.endswith(f"the replaced database is kept as {kept}.")


def test_restore_refuses_a_file_that_is_not_a_sound_backup_and_changes_nothing(curated, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    before = curated.read_bytes()
    status, output = run("--db", str(curated), "restore", str(junk))
    assert status == 1
    assert (
        output
        == f"{junk} is not a sound dealbrief backup (file is not a database); nothing was changed."
    )
    assert curated.read_bytes() == before
    assert not list(curated.parent.glob("*.before-restore-*"))


def test_restore_refuses_a_damaged_copy(curated, tmp_path):
    copy = tmp_path / "copy.db"
    backup.backup(curated, copy)
    data = bytearray(copy.read_bytes())
    page = 4096
    data[3 * page : 3 * page + 200] = b"\xff" * 200  # a b-tree page overwritten
    copy.write_bytes(bytes(data))
    with pytest.raises(DealbriefError) as refused:
        backup.restore(curated, copy)
    assert refused.value.code == "bad_backup"


async def test_restore_is_refused_while_the_bot_runs_and_works_once_it_stopped(
    curated, tmp_path, start_bot
):
    copy = tmp_path / "copy.db"
    backup.backup(curated, copy)
    bot = await start_bot()
    status, output = run("--db", str(curated), "restore", str(copy))
    assert status == 1
    assert (
        output == f"A bot is running on {curated}: stop it before restoring; nothing was changed."
    )
    assert not list(curated.parent.glob("*.before-restore-*"))
    await bot.close()
    status, output = run("--db", str(curated), "restore", str(copy))
    assert status == 0, output


async def test_the_bot_does_not_start_while_a_restore_holds_the_database(curated, standin):
    config = BotConfig(
        token=standin.token, db_path=curated, api_base=standin.api_base, cogs=[], load_curated=False
    )
    bot = create_bot(config)
    try:
        with DatabaseLock(curated).exclusive(), pytest.raises(DealbriefError) as refused:
            await bot.start(standin.token)
    finally:
        await bot.close()
    assert refused.value.code == "restore_running"
    assert standin.gateway.connection_count == 0


def test_a_restore_is_refused_while_another_process_runs_the_console(curated, tmp_path):
    """The console (``dealbrief bot`` without a token) holds the database like the bot."""
    copy = tmp_path / "copy.db"
    backup.backup(curated, copy)
    console = subprocess.Popen(
        [sys.executable, "-m", "dealbrief", "--db", str(curated), "bot"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in __import__("os").environ.items() if k != "DISCORD_TOKEN"},
    )
    try:
        assert console.stdout is not None
        console.stdout.readline()  # the console said it is open, so it holds the lock
        status, output = run("--db", str(curated), "restore", str(copy))
    finally:
        console.communicate("quit\n", timeout=60)
    assert status == 1
    assert output.startswith("A bot is running on ")
