"""``dealbrief digest``: the weekly digest as plain text, for a shell or a cron job.

It prints what a server's digest would hold for a window chosen by time (``--since 7d``,
``--since 2025-01-01``) or by audit id (``--since-audit N``); it records nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from .digest import audit_id_before, chart_png, load_digest, render_digest
from .errors import BadInput, DealbriefError
from .queries import latest_audit_id
from .render import render_error, to_text
from .store import open_db, resolve_path, utcnow

_SPAN = re.compile(r"^(\d{1,4})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime:
    """'7d', '12h', '2w' back from ``now``, or a date 'YYYY-MM-DD' (midnight UTC)."""
    raw = (text or "").strip().lower()
    match = _SPAN.match(raw)
    if match:
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadInput(
            f"{raw[:20]!r} is not a span or date", code="bad_since", value=raw[:20]
        ) from None


def audit_time(db, audit_id: int) -> datetime | None:
    row = db.execute("SELECT at FROM audit WHERE id = ?", [audit_id]).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


@click.command("digest")
@click.option("--since", "since", default=None, help="Window start: 7d, 12h, 2w or YYYY-MM-DD.")
@click.option("--since-audit", "since_audit", type=int, default=None, help="After this change id.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Write the PNG.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None)
def digest_command(
    since: str | None, since_audit: int | None, chart: Path | None, db_path: str | None
) -> None:
    """Print the digest of changes since a time or a change id (default: the last 7 days)."""
    db = open_db(resolve_path(db_path))
    now = utcnow()
    try:
        if since is not None and since_audit is not None:
            raise BadInput("give --since or --since-audit, not both", code="bad_since", value="")
        if since_audit is not None:
            after = since_audit
            start = audit_time(db, since_audit) or now - timedelta(days=7)
        else:
            start = parse_since(since or "7d", now)
            after = audit_id_before(db, start)
        digest = load_digest(db, after, latest_audit_id(db), start=start, end=now)
    except DealbriefError as err:
        click.echo(to_text(render_error(err, flavour="text")), err=True, nl=False)
        raise SystemExit(2) from None
    finally:
        db.close()
    click.echo(to_text(render_digest(digest, flavour="text")), nl=False)
    if chart is not None:
        chart.write_bytes(chart_png(digest))
