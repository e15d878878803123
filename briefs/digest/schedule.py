"""When each server's digest falls due: fire times in the server's time zone, period keys,
and what to do about a period that was missed, half-sent or failed.

A scheduler only asks :func:`due` "is anything due?", judged from the settings and the ledger,
and claims a post in ``briefs.digest.ledger`` before sending it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .ledger import PostRecord, get_post
from .settings import DigestSettings

if TYPE_CHECKING:
    from sqlite_utils import Database

# A missed digest is still worth posting on start if it is less than this late.
CATCH_UP_LIMIT = timedelta(days=1)
# A post that failed for a passing reason (see is_transient) is tried again this long after.
RETRY_FAILED_AFTER = timedelta(minutes=10)
TRANSIENT_ERRORS = frozenset({"connection", "timeout"})
# The first digest of a server covers this much history.
FIRST_PERIOD = timedelta(days=7)


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
