"""Which role, per Discord server, may use the admin commands besides members with Manage Server.

Kept in the database (not a config file) so that a server's own admins can set it with
``/admin role`` and it survives restarts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .store import isotime, writing

if TYPE_CHECKING:
    from sqlite_utils import Database


def get_admin_role(db: Database, guild_id: int) -> int | None:
    """The admin role id set for ``guild_id``, or None when only Manage Server counts."""
    row = db.execute(
        "SELECT role_id FROM guild_admin_roles WHERE guild_id = ?", [guild_id]
    ).fetchone()
    return int(row[0]) if row else None


def set_admin_role(db: Database, guild_id: int, role_id: int | None, updated_by: str) -> None:
    """Set (or with None, clear) the admin role of ``guild_id``."""
    with writing(db):
        if role_id is None:
            db.execute("DELETE FROM guild_admin_roles WHERE guild_id = ?", [guild_id])
            return
        db.execute(
            """
            INSERT INTO guild_admin_roles (guild_id, role_id, updated_at, updated_by)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (guild_id) DO UPDATE SET
                role_id = excluded.role_id,
                updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            """,
            [guild_id, role_id, isotime(), updated_by],
        )
