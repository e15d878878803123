"""Per-server digest settings: where and when a server's digest posts, checked as typed.

The database is the truth about digests: a scheduler reads the settings here and asks
``briefs.digest.schedule`` whether anything is due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from ..errors import BadInput, Conflict
from ..store import isotime, writing

if TYPE_CHECKING:
    from sqlite_utils import Database

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY, DEFAULT_TIME, DEFAULT_TIMEZONE = 0, "09:00", "UTC"

COMMON_TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Australia/Sydney",
)

# Room to spare over the longest IANA name; also the /digest schedule option's max_length.
MAX_TIMEZONE = 64

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class DigestSettings:
    guild_id: int
    channel_id: int | None = None
    weekday: int = DEFAULT_WEEKDAY
    time: str = DEFAULT_TIME
    timezone: str = DEFAULT_TIMEZONE
    enabled: bool = False
    mention_role_id: int | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    # The trail as it stood when the digest was first switched on (migration m007); a first
    # digest lists nothing at or before it. None: switched on before m007, or never.
    switched_on_audit_id: int | None = None
    switched_on_at: str | None = None

    @property
    def active(self) -> bool:
        """Scheduled: switched on and given a channel."""
        return self.enabled and self.channel_id is not None

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday].capitalize()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# --- Validation -------------------------------------------------------------------------------


def parse_weekday(value: str | int) -> int:
    """'monday', 'Mon' or 0..6 -> 0..6 (Monday is 0); raise BadInput."""
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    text = str(value).strip().lower()
    matches = [i for i, name in enumerate(WEEKDAYS) if len(text) >= 3 and name.startswith(text)]
    if len(matches) != 1:
        raise BadInput(f"{text[:20]!r} is not a weekday", code="bad_weekday", value=text[:20])
    return matches[0]


def parse_time(value: str) -> str:
    """'9:00' or '09:00' -> '09:00' (24-hour clock); raise BadInput."""
    match = _TIME.match((value or "").strip())
    if not match:
        raise BadInput(f"{value[:20]!r} is not a time", code="bad_time", value=(value or "")[:20])
    return f"{int(match[1]):02d}:{match[2]}"


def parse_timezone(value: str) -> str:
    """An IANA zone name such as 'Europe/London'; raise BadInput with close suggestions.

    zoneinfo reads the name as a path under the zone database, so a region alone ("Europe")
    opens a folder and a very long name overflows the file system's limit: both are OSErrors,
    refused here like any other unknown zone.
    """
    name = (value or "").strip()
    try:
        if name and "\x00" not in name and len(name) <= MAX_TIMEZONE:
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise BadInput(
        f"{name[:40]!r} is not a time zone",
        code="bad_timezone",
        value=name[:40],
        suggestions=_close_zones(name[:MAX_TIMEZONE]),
    )


def suggest_timezones(typed: str, *, limit: int = 25) -> list[str]:
    """Zones for autocomplete: common ones first when nothing is typed, else name matches."""
    text = (typed or "").strip().lower().replace(" ", "_")
    if not text:
        return list(COMMON_TIMEZONES[:limit])
    common = [z for z in COMMON_TIMEZONES if text in z.lower()]
    others = sorted(z for z in _all_zones() if text in z.lower() and z not in common)
    return (common + others)[:limit]


def _close_zones(typed: str) -> list[str]:
    """Zone names within a typo or two of what was typed, for "did you mean"."""
    found = process.extract(
        typed, sorted(_all_zones()), scorer=fuzz.WRatio, limit=3, score_cutoff=80
    )
    return [name for name, _, _ in found]


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# --- Settings ---------------------------------------------------------------------------------


def get_settings(db: Database, guild_id: int) -> DigestSettings:
    """The server's settings, or the defaults (off, Monday 09:00 UTC) if it has none."""
    rows = select_rows(db, "SELECT * FROM digest_settings WHERE guild_id = ?", [int(guild_id)])
    return _settings(rows[0]) if rows else DigestSettings(guild_id=int(guild_id))


def active_settings(db: Database) -> list[DigestSettings]:
    """Every server whose digest is switched on and has a channel."""
    sql = "SELECT * FROM digest_settings WHERE enabled = 1 AND channel_id IS NOT NULL ORDER BY guild_id"
    return [_settings(row) for row in select_rows(db, sql)]


def set_channel(
    db: Database, guild_id: int, channel_id: int, *, actor: str, now: datetime | None = None
) -> DigestSettings:
    """Post digests in this channel; setting a channel switches the digest on.

    The last error is cleared: it almost always concerned the channel being replaced.
    """
    return _update(
        db,
        guild_id,
        actor,
        now,
        channel_id=int(channel_id),
        enabled=1,
        last_error=None,
        last_error_at=None,
    )


def set_schedule(
    db: Database,
    guild_id: int,
    *,
    weekday: str | int,
    time_of_day: str,
    timezone: str,
    actor: str,
    now: datetime | None = None,
) -> DigestSettings:
    """Change when the digest posts; every part is checked before anything is stored."""
    values = {
        "weekday": parse_weekday(weekday),
        "time": parse_time(time_of_day),
        "timezone": parse_timezone(timezone),
    }
    return _update(db, guild_id, actor, now, **values)


def set_enabled(
    db: Database, guild_id: int, enabled: bool, *, actor: str, now: datetime | None = None
) -> DigestSettings:
    """Switch the digest on or off; on needs a channel first."""
    if enabled and get_settings(db, guild_id).channel_id is None:
        raise Conflict("no digest channel is set", code="digest_no_channel")
    return _update(db, guild_id, actor, now, enabled=int(enabled))


def set_mention_role(
    db: Database,
    guild_id: int,
    role_id: int | None,
    *,
    actor: str,
    now: datetime | None = None,
) -> DigestSettings:
    """The one role a digest post may mention; None stops mentioning."""
    return _update(db, guild_id, actor, now, mention_role_id=role_id)


def record_error(db: Database, guild_id: int, error: str, *, now: datetime | None = None) -> None:
    """Remember why the last post failed, for /digest status; changes no other setting."""
    with writing(db):
        db.execute(
            "UPDATE digest_settings SET last_error = ?, last_error_at = ? WHERE guild_id = ?",
            [error[:500], isotime(now), int(guild_id)],
        )


def clear_error(db: Database, guild_id: int) -> None:
    with writing(db):
        db.execute(
            "UPDATE digest_settings SET last_error = NULL, last_error_at = NULL WHERE guild_id = ?",
            [int(guild_id)],
        )


# The newest audit row written at or before a moment: the trail as it stood then. In use the
# moment is now, so this is the newest change; a moment in the past (a clock a caller injects)
# leaves out what was written after it. A seek in the ``audit_at`` index (migration m005).
_AUDIT_ID_AT = "SELECT id FROM audit WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1"


def _update(
    db: Database, guild_id: int, actor: str, now: datetime | None, **values: object
) -> DigestSettings:
    stamp = isotime(now)
    with writing(db):
        was_active = get_settings(db, guild_id).active
        db.execute(
            "INSERT OR IGNORE INTO digest_settings (guild_id, updated_at, updated_by) VALUES (?, ?, ?)",
            [int(guild_id), stamp, actor],
        )
        assignments = ", ".join(f"{name} = ?" for name in values)
        db.execute(
            f"UPDATE digest_settings SET {assignments}, updated_at = ?, updated_by = ? WHERE guild_id = ?",
            [*values.values(), stamp, actor, int(guild_id)],
        )
        if not was_active:
            _mark_switched_on(db, guild_id, stamp)
    return get_settings(db, guild_id)


def _mark_switched_on(db: Database, guild_id: int, stamp: str) -> None:
    """Record where the trail stood the first time the digest became active, so its first
    digest does not present what the knowledge base already held as news. Kept once set: a
    digest switched off and on again before ever posting still starts from the first time."""
    row = db.execute(_AUDIT_ID_AT, [stamp]).fetchone()
    db.execute(
        "UPDATE digest_settings SET switched_on_audit_id = ?, switched_on_at = ? "
        "WHERE guild_id = ? AND switched_on_audit_id IS NULL "
        "AND enabled = 1 AND channel_id IS NOT NULL",
        [row[0] if row else 0, stamp, int(guild_id)],
    )


def _settings(row: dict) -> DigestSettings:
    return DigestSettings(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        weekday=row["weekday"],
        time=row["time"],
        timezone=row["timezone"],
        enabled=bool(row["enabled"]),
        mention_role_id=row["mention_role_id"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        switched_on_audit_id=row["switched_on_audit_id"],
        switched_on_at=row["switched_on_at"],
    )


def select_rows(db: Database, sql: str, params: list | None = None) -> list[dict]:
    """Rows as dicts by column name: the settings and the ledger read whole rows."""
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
