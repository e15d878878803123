"""Open the knowledge base: one place that sets pragmas and brings the schema up to date."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DealbriefError

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlite_utils import Database

    # What the read side takes: the write side's sqlite-utils ``Database``, or the plain
    # ``sqlite3`` connection a lookup opens (both answer ``execute``).
    Reader: TypeAlias = Database | sqlite3.Connection

DEFAULT_DB = "dealbrief.db"
# The newest migration in briefs/migrations.py (a test keeps the two in step): a database that
# has it needs no upgrade, which a lookup can see without loading the migrations.
LATEST_MIGRATION = "m017_web_views"
# sqlite-utils plugins are not run on our connections: none is used, and finding them reads
# the metadata of every installed package, which would cost each command more than its work.
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
    from .sqlite_utils_lib import Database  # here: lookups read without sqlite-utils

    db = Database(str(path), execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    if migrate:
        _migrate(db)
    return db


def open_lookup(path: str | os.PathLike[str]) -> Reader:
    """A read-only plain ``sqlite3`` connection for a command that only reads.

    Lookups are the commands people type most, and sqlite-utils alone takes longer to import
    than a lookup takes to answer, so a current database is read without it. One whose schema
    is behind goes through :func:`open_db`, which upgrades it (or refuses, if it is read-only).
    """
    path = Path(path)
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        current = (
            conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
            ).fetchone()
            and conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'dealbrief' AND name = ?",
                (LATEST_MIGRATION,),
            ).fetchone()
        )
    except sqlite3.Error:
        conn.close()
        raise
    if current:
        return conn
    conn.close()
    return open_db(path)


def connection_of(db: Reader) -> sqlite3.Connection:
    """The ``sqlite3`` connection under either kind of :data:`Reader`."""
    return db if isinstance(db, sqlite3.Connection) else db.conn


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
    from .migrations import migrations  # here: migrations itself writes through writing()
    from .sqlite_utils_lib import Database

    conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
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


def _migrate(db: Database) -> None:
    """Apply pending migrations holding the write lock, so that processes opening a new or
    older database at once do not apply the same migration twice."""
    from .migrations import migrations  # here: migrations itself writes through writing()

    if not migrations.pending(db):
        return
    with writing(db):
        migrations.apply(db)


def check_writable(db: Database) -> None:
    """Raise the ``sqlite3`` error a write would meet now (a read-only file, a lock held past
    the busy timeout) without changing anything: a write transaction whose one write statement
    matches no row. Health checks ask this."""
    with writing(db):
        db.execute("DELETE FROM facts WHERE 0")


_savepoints = count()


@contextmanager
def writing(db: Database) -> Iterator[Database]:
    """The one way to write: a transaction begun with ``BEGIN IMMEDIATE``, committed at the
    end and rolled back on any error; nested, a savepoint of the outer one.

    A deferred ``BEGIN`` takes the write lock only at its first write. If it read first and
    another connection wrote meanwhile, SQLite cannot upgrade its snapshot and refuses at once
    (SQLITE_BUSY_SNAPSHOT) without waiting out the busy timeout. IMMEDIATE takes the write
    lock before the first read, so a writer waits its turn instead.
    """
    conn = connection_of(db)
    if conn.in_transaction:
        with _savepoint(conn):
            yield db
        return
    with _transaction(conn, "BEGIN IMMEDIATE"):
        yield db


@contextmanager
def reading(db: Reader) -> Iterator[Reader]:
    """One read snapshot for several queries (Python's sqlite3 otherwise lets each SELECT see
    what is committed when it runs); inside a transaction, that transaction's own state."""
    conn = connection_of(db)
    if conn.in_transaction:
        yield db
        return
    with _transaction(conn, "BEGIN"):
        yield db


@contextmanager
def _transaction(conn: sqlite3.Connection, begin: str) -> Iterator[None]:
    conn.execute(begin)
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    conn.commit()


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = f"dealbrief_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # A RAISE(ROLLBACK) trigger may have ended the whole transaction already.
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


def is_initialised(db: Reader) -> bool:
    """True once curated facts or any admin fact exist: an empty schema is not 'ready'."""
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'facts'")
    if has_table.fetchone() is None:
        return False
    return db.execute("SELECT 1 FROM facts LIMIT 1").fetchone() is not None


def utcnow() -> datetime:
    return datetime.now(UTC)


def isotime(moment: datetime | None = None) -> str:
    """Timestamps are stored as UTC ISO 8601 with seconds, so they sort as text."""
    return (moment or utcnow()).astimezone(UTC).isoformat(timespec="seconds")
