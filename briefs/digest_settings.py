"""Per-server digest settings, the post ledger, and when each server's digest falls due.

The database is the truth about digests: a scheduler only asks this module "is anything due?"
and claims a post here before sending it. A claim is an INSERT guarded by
UNIQUE(guild_id, period_key), so however many triggers race, one wins; the nonce stored with the
claim lets a retry after a crash be recognised by Discord as the same message. A claim is a
lease: its sender renews it while it sends (:func:`renew_lease`), and no one else takes the post
over until the lease has run out, however long Discord makes the sender wait.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from .errors import BadInput, Conflict
from .store import isotime, writing

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY, DEFAULT_TIME, DEFAULT_TIMEZONE = 0, "09:00", "UTC"

# A missed digest is still worth posting on start if it is less than this late.
CATCH_UP_LIMIT = timedelta(days=1)
# How long a claim holds before another process may take the post over (retrying it with its
# nonce). Longer than a whole send may take (bot.schedule.POST_TIMEOUT_SECONDS), and renewed by
# the sender while it sends, so only a sender that died loses its claim.
CLAIM_LEASE = timedelta(minutes=3)
# A post that failed for a passing reason (see is_transient) is tried again this long after.
RETRY_FAILED_AFTER = timedelta(minutes=10)
TRANSIENT_ERRORS = frozenset({"connection", "timeout"})
# The first digest of a server covers this much history.
FIRST_PERIOD = timedelta(days=7)

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


@dataclass(frozen=True)
class PostRecord:
    id: int
    guild_id: int
    period_key: str
    status: str
    nonce: str
    message_ids: tuple[int, ...]
    first_audit_id: int
    last_audit_id: int
    period_start: str | None
    period_end: str | None
    claimed_at: str
    posted_at: str | None
    error: str | None
    lease_until: str | None = None


@dataclass(frozen=True)
class Claim:
    """The result of trying to claim a period: ``won`` means this caller must send it."""

    won: bool
    record: PostRecord


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
    rows = _rows(db, "SELECT * FROM digest_settings WHERE guild_id = ?", [int(guild_id)])
    return _settings(rows[0]) if rows else DigestSettings(guild_id=int(guild_id))


def active_settings(db: Database) -> list[DigestSettings]:
    """Every server whose digest is switched on and has a channel."""
    sql = "SELECT * FROM digest_settings WHERE enabled = 1 AND channel_id IS NOT NULL ORDER BY guild_id"
    return [_settings(row) for row in _rows(db, sql)]


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


def _rows(db: Database, sql: str, params: list | None = None) -> list[dict]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- When a digest is due ---------------------------------------------------------------------


def last_fire(settings: DigestSettings, now: datetime) -> datetime:
    """The latest scheduled instant at or before ``now``, in the server's zone.

    Computed on the local calendar (weekday and wall-clock time), then converted, so a fire
    stays at 09:00 local on both sides of a daylight-saving change.
    """
    local = now.astimezone(settings.zone)
    hour, minute = map(int, settings.time.split(":"))
    days_back = (local.weekday() - settings.weekday) % 7
    for back in (days_back, days_back + 7):
        day = local.date() - timedelta(days=back)
        fire = _wall_clock(day, time(hour, minute), settings.zone)
        if fire <= now:
            return fire
    raise AssertionError("a weekly fire time always exists within two weeks")


def next_fire(settings: DigestSettings, now: datetime) -> datetime:
    """The first scheduled instant strictly after ``now``."""
    return last_fire(settings, now + timedelta(days=7, seconds=1))


def _wall_clock(day, at: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as an aware instant; a time skipped by DST moves forward."""
    moment = datetime.combine(day, at, tzinfo=zone)
    round_trip = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    return moment if round_trip.replace(tzinfo=None) == moment.replace(tzinfo=None) else round_trip


def period_key(settings: DigestSettings, moment: datetime) -> str:
    """The ISO week (in the server's zone) that ``moment`` falls in: one digest per week."""
    year, week, _ = moment.astimezone(settings.zone).isocalendar()
    return f"{year}-W{week:02d}"


def make_nonce(guild_id: int, key: str) -> str:
    """A deterministic nonce base for a server's period: 20 characters, room for a page number.

    Discord limits a nonce to 25 characters; each message of a digest gets ``{base}.{n}``.
    """
    digest = hashlib.sha256(f"{guild_id}:{key}".encode()).hexdigest()
    return f"d{digest[:19]}"


def page_nonce(base: str, index: int) -> str:
    return f"{base}.{index}"


def effective_since(settings: DigestSettings) -> datetime | None:
    """Scheduled instants before the last settings change do not count as missed."""
    return datetime.fromisoformat(settings.updated_at) if settings.updated_at else None


@dataclass(frozen=True)
class Due:
    """A server whose digest should be acted on now: 'post', 'skip' (too late), 'retry' (a
    stale claim or a passing failure) or 'expire' (a stale claim over a day late)."""

    settings: DigestSettings
    key: str
    fire: datetime
    action: str


def due(db: Database, settings: DigestSettings, now: datetime) -> Due | None:
    """What to do about a server's digest at ``now``, judged from its settings and the ledger.

    Only the latest scheduled instant counts: an older missed one is past saving anyway. A fire
    before the settings last changed is not "missed" (the schedule did not exist yet), but a
    period already in the ledger is finished whatever the settings did since: a claim left by a
    dead sender must not wait forever because an admin changed the mention role meanwhile.
    """
    if not settings.active:
        return None
    fire = last_fire(settings, now)
    key = period_key(settings, fire)
    late = now - fire >= CATCH_UP_LIMIT
    record = get_post(db, settings.guild_id, key)
    if record is not None:
        return _unfinished(settings, record, fire, now, late)
    since = effective_since(settings)
    if since is not None and fire < since:
        return None
    return Due(settings, key, fire, "skip" if late else "post")


def is_transient(error: str | None) -> bool:
    """A failure that may pass by itself (Discord's 5xx, a dropped connection), unlike a
    deleted channel or a missing permission, which wait for an admin."""
    return bool(error) and (error.startswith("discord_error:5") or error in TRANSIENT_ERRORS)


def _unfinished(
    settings: DigestSettings, record: PostRecord, fire: datetime, now: datetime, late: bool
) -> Due | None:
    """A claim whose lease ran out (its sender died) or a passing failure is tried again while
    the period is less than a day late, like a missed one; an expired claim past that is given up."""
    if record.status == "claimed":
        free_from = datetime.fromisoformat(record.lease_until or record.claimed_at)
    elif record.status == "failed" and is_transient(record.error) and not late:
        free_from = datetime.fromisoformat(record.claimed_at) + RETRY_FAILED_AFTER
    else:
        return None
    if free_from > now:
        return None
    return Due(settings, record.period_key, fire, "expire" if late else "retry")


# --- The post ledger --------------------------------------------------------------------------


def get_post(db: Database, guild_id: int, key: str) -> PostRecord | None:
    rows = _rows(
        db, "SELECT * FROM digest_posts WHERE guild_id = ? AND period_key = ?", [int(guild_id), key]
    )
    return _record(rows[0]) if rows else None


def last_posted(db: Database, guild_id: int) -> PostRecord | None:
    """The most recent digest actually posted: its last audit id starts the next digest."""
    rows = _rows(
        db,
        "SELECT * FROM digest_posts WHERE guild_id = ? AND status = 'posted' "
        "ORDER BY last_audit_id DESC, id DESC LIMIT 1",
        [int(guild_id)],
    )
    return _record(rows[0]) if rows else None


def posts_before(db: Database, guild_id: int, record: PostRecord) -> PostRecord | None:
    """The posted digest before ``record``: the 'previous period' its totals compare with."""
    rows = _rows(
        db,
        "SELECT * FROM digest_posts WHERE guild_id = ? AND status = 'posted' AND id != ? "
        "AND last_audit_id < ? ORDER BY last_audit_id DESC, id DESC LIMIT 1",
        [int(guild_id), record.id, record.first_audit_id],
    )
    return _record(rows[0]) if rows else None


def history(db: Database, guild_id: int, *, limit: int = 10) -> list[PostRecord]:
    sql = "SELECT * FROM digest_posts WHERE guild_id = ? ORDER BY id DESC LIMIT ?"
    return [_record(row) for row in _rows(db, sql, [int(guild_id), limit])]


def claim(
    db: Database,
    guild_id: int,
    key: str,
    *,
    first_audit_id: int,
    last_audit_id: int,
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    retry_failed: bool = False,
) -> Claim:
    """Claim a period before sending it. Exactly one caller wins each period.

    A new period is inserted as 'claimed', with a lease of :data:`CLAIM_LEASE`. An existing one
    is won again only if its lease ran out (its sender died) or, when ``retry_failed``, if it
    failed; the retry keeps the original nonce and audit range so that Discord deduplicates and
    the content is the same.
    """
    nonce = make_nonce(guild_id, key)
    lease_until = isotime(now + CLAIM_LEASE)
    with writing(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO digest_posts (guild_id, period_key, status, nonce, "
            "first_audit_id, last_audit_id, period_start, period_end, claimed_at, lease_until) "
            "VALUES (?, ?, 'claimed', ?, ?, ?, ?, ?, ?, ?)",
            [
                int(guild_id),
                key,
                nonce,
                first_audit_id,
                last_audit_id,
                isotime(period_start),
                isotime(period_end),
                isotime(now),
                lease_until,
            ],
        )
        if cursor.rowcount == 1:
            return Claim(True, _must_get(db, guild_id, key))
        retry = ["(status = 'claimed' AND lease_until <= ?)"]
        if retry_failed:
            retry.append("status = 'failed'")
        cursor = db.execute(
            f"UPDATE digest_posts SET status = 'claimed', claimed_at = ?, lease_until = ?, "
            f"error = NULL WHERE guild_id = ? AND period_key = ? AND ({' OR '.join(retry)})",
            [isotime(now), lease_until, int(guild_id), key, isotime(now)],
        )
        return Claim(cursor.rowcount == 1, _must_get(db, guild_id, key))


def renew_lease(db: Database, record: PostRecord, *, now: datetime) -> bool:
    """Extend a claim being sent to ``now`` + :data:`CLAIM_LEASE`; False if the claim is no
    longer this sender's (posted, failed, or taken over after its lease ran out)."""
    with writing(db):
        cursor = db.execute(
            "UPDATE digest_posts SET lease_until = ? "
            "WHERE id = ? AND status = 'claimed' AND claimed_at = ?",
            [isotime(now + CLAIM_LEASE), record.id, record.claimed_at],
        )
    return cursor.rowcount == 1


def mark_posted(
    db: Database, record: PostRecord, message_ids: list[int], *, now: datetime
) -> PostRecord:
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET status = 'posted', message_ids = ?, posted_at = ?, "
            "error = NULL WHERE id = ?",
            [json.dumps([int(m) for m in message_ids]), isotime(now), record.id],
        )
    clear_error(db, record.guild_id)
    return _must_get(db, record.guild_id, record.period_key)


def record_progress(db: Database, record: PostRecord, message_ids: list[int]) -> None:
    """The messages of a claimed period sent so far: a retry resumes after them instead of
    sending them again (their nonces may be past Discord's memory by then)."""
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET message_ids = ? WHERE id = ? AND status = 'claimed'",
            [json.dumps([int(m) for m in message_ids]), record.id],
        )


def mark_failed(db: Database, record: PostRecord, error: str, *, now: datetime) -> PostRecord:
    """The post did not go out: keep the reason on the row and as the server's last error."""
    with writing(db):
        db.execute(
            "UPDATE digest_posts SET status = 'failed', error = ? WHERE id = ? AND status = 'claimed'",
            [error[:500], record.id],
        )
    record_error(db, record.guild_id, error, now=now)
    return _must_get(db, record.guild_id, record.period_key)


def mark_skipped(
    db: Database, guild_id: int, key: str, reason: str, *, now: datetime
) -> PostRecord | None:
    """Record a period that will not be posted (missed by too much); None if it had a row."""
    with writing(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO digest_posts (guild_id, period_key, status, nonce, claimed_at, "
            "error) VALUES (?, ?, 'skipped', ?, ?, ?)",
            [int(guild_id), key, make_nonce(guild_id, key), isotime(now), reason[:500]],
        )
    return _must_get(db, guild_id, key) if cursor.rowcount == 1 else None


def _must_get(db: Database, guild_id: int, key: str) -> PostRecord:
    record = get_post(db, guild_id, key)
    if record is None:
        raise LookupError(f"digest post {guild_id}/{key} vanished")
    return record


def _record(data: dict) -> PostRecord:
    return PostRecord(
        id=data["id"],
        guild_id=data["guild_id"],
        period_key=data["period_key"],
        status=data["status"],
        nonce=data["nonce"],
        message_ids=tuple(json.loads(data["message_ids"] or "[]")),
        first_audit_id=data["first_audit_id"],
        last_audit_id=data["last_audit_id"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        claimed_at=data["claimed_at"],
        posted_at=data["posted_at"],
        error=data["error"],
        lease_until=data["lease_until"],
    )
