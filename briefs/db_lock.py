"""Who holds the database: a running bot, or a restore replacing the file.

A bot (or the console) holds a shared lock on ``NAME.lock`` beside the database for as long as
it runs; several bot processes, one per group of shards, share it. A restore takes the same
lock exclusively, so it is refused while any bot runs, and a bot cannot start while a restore
swaps the file. The operating system releases the lock when its process ends, however it
ends, so a crashed bot never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import DealbriefError


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """``flock`` on the lock file: ``shared()`` for a bot, ``exclusive()`` for a restore."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self._fd: int | None = None

    def shared(self) -> DatabaseLock:
        """Held while a bot runs; refused (``restore_running``) while a restore holds it.

        Where the lock file cannot be created (a read-only folder), nothing is locked: no
        restore can replace a file there either.
        """
        if not self._take(fcntl.LOCK_SH):
            raise DealbriefError(
                f"{self.db_path} is being restored", code="restore_running", file=str(self.db_path)
            )
        return self

    def exclusive(self) -> DatabaseLock:
        """Held while a restore swaps the file; refused (``bot_running``) while a bot runs."""
        if not self._take(fcntl.LOCK_EX, required=True):
            raise DealbriefError(
                f"a bot is running on {self.db_path}", code="bot_running", file=str(self.db_path)
            )
        return self

    def _take(self, kind: int, *, required: bool = False) -> bool:
        try:
            fd = os.open(lock_path(self.db_path), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            if required:
                raise
            return True
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
