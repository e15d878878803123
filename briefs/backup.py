"""Copies of the knowledge base taken while it is in use, and putting one back.

A copy is made with SQLite's online backup API in one step, that is inside one read
transaction: it holds exactly what was committed when it started, whatever other processes
write meanwhile (WAL lets them). It is written beside its destination under a temporary
name, checked (``PRAGMA integrity_check``, then opened read-only and its facts counted) and
only then given its name, so a half-written or damaged copy never carries the name of a backup.

A restore checks the copy the same way first, refuses while a bot holds the database
(``briefs/db_lock.py``), keeps the current file (with its WAL) under a timestamped name and
puts the copy in place with an atomic rename.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .db_lock import DatabaseLock
from .errors import BadInput, DealbriefError
from .store import open_read_only

# The files SQLite keeps beside a database in WAL mode; they belong to it.
COMPANIONS = ("-wal", "-shm")


@dataclass(frozen=True)
class Copy:
    """A checked copy: where it is, how many live facts it holds, its size in bytes."""

    path: Path
    facts: int
    size: int


@dataclass(frozen=True)
class Restored:
    """A restore done: the copy now in place, and where the replaced database was kept."""

    copy: Copy
    kept: Path | None


def backup(db_path: Path, target: Path, *, force: bool = False) -> Copy:
    """Copy the database at ``db_path`` to ``target``; an existing ``target`` only if ``force``."""
    if target.exists() and not force:
        raise BadInput(f"{target} exists", code="backup_exists", file=str(target))
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    source = open_read_only(Path(db_path), check_schema=False)
    try:
        _copy(source.conn, partial, named=target)
    finally:
        source.close()
    try:
        checked = check_copy(partial)
        _give_name(partial, target, force=force)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(target, checked.facts, checked.size)


def _copy(source: sqlite3.Connection, path: Path, *, named: Path) -> None:
    """The whole database in one backup step, as a single file (no WAL beside it), at
    ``path``: the temporary name of what people know as ``named``."""
    try:
        destination = sqlite3.connect(path)
    except sqlite3.Error as err:
        raise _unwritable(named, err) from err
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        destination.close()


def _give_name(partial: Path, target: Path, *, force: bool) -> None:
    """Rename the checked copy; without ``force``, never over a file that appeared meanwhile."""
    try:
        if force:
            os.replace(partial, target)
        else:
            os.link(partial, target)  # fails if ``target`` exists, unlike a rename
    except FileExistsError:
        raise BadInput(f"{target} exists", code="backup_exists", file=str(target)) from None
    except OSError as err:
        raise _unwritable(target, err) from err


def check_copy(path: Path) -> Copy:
    """``PRAGMA integrity_check``, then the live facts counted on a read-only connection;
    anything else than a sound dealbrief database is refused as ``bad_backup``."""
    if not path.is_file():
        raise BadInput(f"no file {path}", code="no_backup_file", file=str(path))
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise _bad_backup(path, problems[0])
            (facts,) = conn.execute(
                "SELECT count(*) FROM facts WHERE deleted_at IS NULL"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise _bad_backup(path, str(err)) from err
    return Copy(path, facts, path.stat().st_size)


def restore(db_path: Path, copy_path: Path, *, now: datetime | None = None) -> Restored:
    """Put the copy at ``copy_path`` in place of the database at ``db_path``."""
    db_path = Path(db_path)
    checked = check_copy(copy_path)
    with DatabaseLock(db_path).exclusive():
        incoming = db_path.with_name(f".{db_path.name}.restoring-{os.getpid()}")
        source = sqlite3.connect(f"{copy_path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            _copy(source, incoming, named=db_path)
        finally:
            source.close()
        try:
            kept = _keep(db_path, now or datetime.now(UTC))
            os.replace(incoming, db_path)
        finally:
            incoming.unlink(missing_ok=True)
    return Restored(Copy(db_path, checked.facts, db_path.stat().st_size), kept)


def _keep(db_path: Path, now: datetime) -> Path | None:
    """Rename the database and its WAL files to ``NAME.before-restore-STAMP``: the WAL may
    hold its latest changes, and a WAL left beside the restored file would be applied to it."""
    if not db_path.exists():
        return None
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    number = 1
    while kept.exists():
        number += 1
        kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}-{number}")
    for suffix in COMPANIONS:
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists():
            companion.rename(kept.with_name(kept.name + suffix))
    db_path.rename(kept)
    return kept


def _bad_backup(path: Path, reason: str) -> DealbriefError:
    return BadInput(f"{path}: {reason}", code="bad_backup", file=str(path), reason=reason)


def _unwritable(path: Path, err: Exception) -> DealbriefError:
    reason = getattr(err, "strerror", None) or str(err)
    return BadInput(str(err), code="unwritable_file", file=str(path), reason=reason)
