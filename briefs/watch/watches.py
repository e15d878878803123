"""The watch use cases: add, list and remove a watch, and who may do which.

A watch holds up to four criteria (company, sector, keyword, least upfront), all of which a
fact must meet, and a target: a member's direct messages, or a channel (admins only). Every
front end (the /watch cog, the console, ``dealbrief watch``) passes what was typed here as a
:class:`WatchForm`, so the checks and refusals are the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import names, vocab
from ..errors import BadInput, Forbidden, NotFound
from ..money import parse_amount, to_usd
from ..store import isotime, writing
from ..text import MAX_NAME, clean

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_KEYWORD = 100
MAX_WATCHES_PER_OWNER = 50
# A closed DM or a deleted channel this many times in a row pauses the watch.
FAILURES_TO_PAUSE = 3
TARGET_KINDS = ("dm", "channel")
_WORD = re.compile(r"\w")
MAX_SNOWFLAKE = 2**63


@dataclass(frozen=True)
class WatchForm:
    """A watch's criteria as typed; empty text means "not given"."""

    company: str | None = None
    sector: str | None = None
    keyword: str | None = None
    min_upfront: str | None = None


@dataclass(frozen=True)
class Requester:
    """Who asks: a Discord member (``user_id``, ``guild_id``) or the shell (no user id).

    ``is_admin`` comes from the front end's own check (Manage Server or the admin role on
    Discord; the shell user on this machine)."""

    label: str
    user_id: int | None = None
    guild_id: int | None = None
    is_admin: bool = False


@dataclass(frozen=True)
class Target:
    kind: str  # "dm" (a user id) or "channel" (a channel id)
    id: int


@dataclass(frozen=True)
class Watch:
    id: int
    owner_id: int | None
    owner: str
    guild_id: int | None
    target: Target
    company_id: int | None
    company: str | None
    sector: str | None
    keyword: str | None
    min_upfront_usd: float | None
    min_upfront: str | None
    after_audit_id: int
    created_at: str
    failures: int
    paused_at: str | None
    last_error: str | None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def sector_label(self) -> str | None:
        return vocab.VOCAB.sectors.label(self.sector)


@dataclass(frozen=True)
class Criteria:
    """Checked criteria, ready to store: ids, vocabulary keys, a folded keyword, dollars."""

    company_id: int | None = None
    sector: str | None = None
    keyword: str | None = None
    min_upfront_usd: float | None = None
    min_upfront: str | None = None


def check_criteria(db: Database, form: WatchForm) -> Criteria:
    """Each criterion given, checked by the project's own rules; at least one is required.

    An unknown company raises NotFound("unknown_company") with suggestions (did you mean)."""
    given = {k: (v or "").strip() for k, v in vars(form).items()}
    if not any(given.values()):
        raise BadInput("a watch needs a criterion", code="watch_needs_criterion")
    company_id = None
    if given["company"]:
        company_id = names.resolve_company(db, given["company"]).company.id
    sector = vocab.parse_sector(given["sector"]).key if given["sector"] else None
    keyword = _keyword(given["keyword"]) if given["keyword"] else None
    usd = amount = None
    if given["min_upfront"]:
        amount = clean(given["min_upfront"], field="min_upfront", max_len=MAX_NAME)
        money = parse_amount(amount)
        usd, _ = to_usd(money, None)
    return Criteria(company_id, sector, keyword, usd, amount)


def _keyword(typed: str) -> str:
    keyword = clean(typed, field="keyword", max_len=MAX_KEYWORD)
    if not _WORD.search(keyword):
        raise BadInput("the keyword has no letters", code="empty_query", field="keyword")
    return keyword


def parse_snowflake(typed: str | int, field: str) -> int:
    """A Discord id (user, channel, server) as typed: digits, within SQLite's integers."""
    text = str(typed).strip()
    if not text.isdigit() or not 0 < int(text) < MAX_SNOWFLAKE:
        raise BadInput(
            f"{text[:30]!r} is not a Discord id",
            code="bad_discord_id",
            field=field,
            value=text[:30],
        )
    return int(text)


def check_target(
    requester: Requester, channel_id: int | None, user_id: int | None = None
) -> Target:
    """Direct messages to the requester, unless a channel (or another user) is named, which
    only an admin may do: a member cannot send alerts where others read them."""
    if channel_id is not None or (user_id is not None and user_id != requester.user_id):
        if not requester.is_admin:
            raise Forbidden("only admins send watches elsewhere", code="watch_channel_admin_only")
        if channel_id is not None:
            return Target("channel", int(channel_id))
        return Target("dm", int(user_id))  # type: ignore[arg-type]
    if requester.user_id is None:
        raise BadInput("name a user or a channel", code="watch_needs_target")
    return Target("dm", int(requester.user_id))


def add_watch(
    db: Database,
    requester: Requester,
    form: WatchForm,
    *,
    channel_id: int | None = None,
    user_id: int | None = None,
    guild_id: int | None = None,
) -> Watch:
    """Check and store a watch; it sees only changes made after it was added."""
    target = check_target(requester, channel_id, user_id)
    criteria = check_criteria(db, form)
    owner_id = (
        requester.user_id
        if requester.user_id is not None
        else (target.id if target.kind == "dm" else None)
    )
    with writing(db):
        if owner_id is not None and _count_owned(db, owner_id) >= MAX_WATCHES_PER_OWNER:
            raise BadInput("too many watches", code="too_many_watches", limit=MAX_WATCHES_PER_OWNER)
        latest = db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
        cursor = db.execute(
            "INSERT INTO watches (owner_id, owner, guild_id, target_kind, target_id, company_id, "
            "sector, keyword, min_upfront_usd, min_upfront, after_audit_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                owner_id,
                requester.label,
                guild_id if guild_id is not None else requester.guild_id,
                target.kind,
                target.id,
                criteria.company_id,
                criteria.sector,
                criteria.keyword,
                criteria.min_upfront_usd,
                criteria.min_upfront,
                latest,
                isotime(),
            ],
        )
        bump_version(db)
    return get_watch(db, cursor.lastrowid)


def _count_owned(db: Database, owner_id: int) -> int:
    sql = "SELECT count(*) FROM watches WHERE owner_id = ? AND removed_at IS NULL"
    return db.execute(sql, [owner_id]).fetchone()[0]


def bump_version(db: Database) -> None:
    """Tell every process's matcher that the set of live watches changed (inside a write)."""
    db.execute("UPDATE watch_state SET value = value + 1 WHERE name = 'version'")


_SELECT = (
    "SELECT w.*, c.name AS company FROM watches w LEFT JOIN companies c ON c.id = w.company_id "
)


def get_watch(db: Database, watch_id: int) -> Watch:
    row = db.execute(_SELECT + "WHERE w.id = ? AND w.removed_at IS NULL", [watch_id]).fetchone()
    if row is None:
        raise NotFound(f"no watch {watch_id}", code="watch_not_found", id=watch_id)
    return _watch(dict(zip(_columns(db), row, strict=True)))


def list_watches(db: Database, requester: Requester) -> list[Watch]:
    """Your own watches; for an admin also the server's channel watches; for the shell (no
    user id) every watch."""
    if requester.user_id is None:
        where, params = "w.removed_at IS NULL", []
    else:
        where = "w.removed_at IS NULL AND (w.owner_id = ?"
        params: list[Any] = [requester.user_id]
        if requester.is_admin and requester.guild_id is not None:
            where += " OR (w.target_kind = 'channel' AND w.guild_id = ?)"
            params.append(requester.guild_id)
        where += ")"
    rows = db.execute(_SELECT + f"WHERE {where} ORDER BY w.id", params).fetchall()
    columns = _columns(db)
    return [_watch(dict(zip(columns, row, strict=True))) for row in rows]


def remove_watch(db: Database, requester: Requester, watch_id: int) -> Watch:
    """Remove one of your watches (an admin: also the server's channel watches)."""
    watch = _yours(db, requester, watch_id)
    with writing(db):
        db.execute("UPDATE watches SET removed_at = ? WHERE id = ?", [isotime(), watch_id])
        bump_version(db)
    return watch


def resume_watch(db: Database, requester: Requester, watch_id: int) -> Watch:
    """Resume a watch paused by failed deliveries, once their cause (closed direct messages, a
    deleted channel) is mended. It alerts on facts from now on: what arrived while it was
    paused was never matched to it."""
    watch = _yours(db, requester, watch_id)
    if not watch.paused:
        raise BadInput(f"watch {watch_id} is not paused", code="watch_not_paused", id=watch_id)
    with writing(db):
        latest = db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
        db.execute(
            "UPDATE watches SET paused_at = NULL, failures = 0, last_error = NULL, "
            "after_audit_id = max(after_audit_id, ?) WHERE id = ?",
            [latest, watch_id],
        )
        bump_version(db)
    return get_watch(db, watch_id)


def _yours(db: Database, requester: Requester, watch_id: int) -> Watch:
    """A watch this requester may change; someone else's is not even confirmed to exist."""
    watch = get_watch(db, watch_id)
    if watch.id not in {w.id for w in list_watches(db, requester)}:
        raise NotFound(f"no watch {watch_id}", code="watch_not_found", id=watch_id)
    return watch


def record_failure(db: Database, target: Target, error: str) -> None:
    """A send to this target was refused for good (closed DMs, a deleted channel): count it on
    its watches and pause them after :data:`FAILURES_TO_PAUSE` in a row (inside a write)."""
    db.execute(
        "UPDATE watches SET failures = failures + 1, last_error = ?, "
        "paused_at = CASE WHEN failures + 1 >= ? THEN coalesce(paused_at, ?) ELSE paused_at END "
        "WHERE target_kind = ? AND target_id = ? AND removed_at IS NULL",
        [error[:200], FAILURES_TO_PAUSE, isotime(), target.kind, target.id],
    )
    bump_version(db)


def record_success(db: Database, target: Target) -> None:
    """A message reached the target: its run of failures is over (inside a write)."""
    db.execute(
        "UPDATE watches SET failures = 0, last_error = NULL "
        "WHERE target_kind = ? AND target_id = ? AND failures > 0",
        [target.kind, target.id],
    )


def _columns(db: Database) -> list[str]:
    return [d[0] for d in db.execute(_SELECT + "LIMIT 0").description]


def _watch(row: dict[str, Any]) -> Watch:
    return Watch(
        id=row["id"],
        owner_id=row["owner_id"],
        owner=row["owner"],
        guild_id=row["guild_id"],
        target=Target(row["target_kind"], row["target_id"]),
        company_id=row["company_id"],
        company=row["company"],
        sector=row["sector"],
        keyword=row["keyword"],
        min_upfront_usd=row["min_upfront_usd"],
        min_upfront=row["min_upfront"],
        after_audit_id=row["after_audit_id"],
        created_at=row["created_at"],
        failures=row["failures"],
        paused_at=row["paused_at"],
        last_error=row["last_error"],
    )
