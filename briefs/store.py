"""Open the knowledge base: one place that sets pragmas and brings the schema up to date."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from .errors import DealbriefError
from .migrations import migrations

DEFAULT_DB = "dealbrief.db"
ENV_DB = "DEALBRIEF_DB"
# How long a writer waits for another's lock before SQLite says "database is locked".
BUSY_TIMEOUT_MS = 5000

# SQLite's primary result codes -> the problem named in templates/errors.j2 ("database").
PROBLEMS = {
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_CANTOPEN: "cannot_open",
}


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: an explicit one, else $DEALBRIEF_DB, else dealbrief.db here."""
    return Path(explicit or os.environ.get(ENV_DB) or DEFAULT_DB)


def open_db(
    path: str | os.PathLike[str], *, migrate: bool = True, read_only: bool | None = None
) -> Database:
    """Open (creating if needed) the database with WAL, foreign keys and a busy timeout.

    WAL lets the bot read while an admin's CLI writes; the busy timeout makes a writer wait for
    the other rather than fail at once. Setting WAL and migrating both write, so a database this
    process cannot write (``read_only`` None asks :func:`writable`) is opened read-only instead.
    """
    path = Path(path)
    if read_only is None:
        read_only = not writable(path)
    if read_only:
        return open_read_only(path, check_schema=migrate)
    db = Database(str(path))
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        migrations.apply(db)
    return db


def writable(path: Path) -> bool:
    """True when both the file and its folder can be written: SQLite writes beside the file
    (its -wal and -shm), so a writable file in a locked folder cannot take changes either."""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


def open_read_only(path: Path, *, check_schema: bool = True) -> Database:
    """A connection that serves lookups and refuses every write with SQLITE_READONLY.

    It sets no journal mode and applies no migration; a schema that is not current is refused
    (its queries would fail half-way), since only a writable copy can be upgraded.
    """
    conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    db.execute("PRAGMA foreign_keys = ON")
    if check_schema and migrations.pending(db):
        db.close()
        raise DealbriefError(
            f"database {path}: read-only and not migrated",
            code="database",
            problem="needs_migration",
            file=str(path),
        )
    return db


def read_only_uri(path: Path) -> str:
    """``mode=ro``, plus ``immutable=1`` only where no writer can ever appear.

    Reading a WAL database needs its -shm file: SQLite uses the one a writer left, or creates
    it if the folder allows. In a folder nobody can write, with no -wal, -shm or -journal
    beside the file, there is no writer now and none can start (it would have to create
    those files), so immutable lets SQLite read without them. Anywhere a writer might start
    later, immutable would read stale or half-checkpointed pages, so it is not used.
    """
    uri = f"{path.absolute().as_uri()}?mode=ro"
    companions = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))
    if nobody_can_write(path.parent) and not any(c.exists() for c in companions):
        uri += "&immutable=1"
    return uri


def nobody_can_write(folder: Path) -> bool:
    """No process can add a file to ``folder``: a read-only mount, a folder without write
    bits, or one even root cannot write (root ignores the bits, so only a read-only mount or
    an immutable attribute stops it, and those stop everyone)."""
    if os.statvfs(folder).f_flag & os.ST_RDONLY or not folder.stat().st_mode & 0o222:
        return True
    return os.geteuid() == 0 and not os.access(folder, os.W_OK)


def database_problem(
    err: sqlite3.Error, path: str | os.PathLike[str] | None = None
) -> DealbriefError:
    """A failure of the database itself (locked, corrupt, disk full, read-only) as an error
    people can act on; ``path`` names the file where the reader owns it (the command line)."""
    code = getattr(err, "sqlite_errorcode", None)
    problem = PROBLEMS.get(code & 0xFF) if isinstance(code, int) else None
    return DealbriefError(
        f"database {path or ''}: {err}",
        code="database",
        problem=problem,
        file=str(path) if path is not None else None,
        detail=str(err),
    )


def is_initialised(db: Database) -> bool:
    """True once curated facts or any admin fact exist: an empty schema is not 'ready'."""
    return db["facts"].exists() and db.execute("SELECT 1 FROM facts LIMIT 1").fetchone() is not None


def utcnow() -> datetime:
    return datetime.now(UTC)


def isotime(moment: datetime | None = None) -> str:
    """Timestamps are stored as UTC ISO 8601 with seconds, so they sort as text."""
    return (moment or utcnow()).astimezone(UTC).isoformat(timespec="seconds")
