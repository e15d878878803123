"""``dealbrief digest``: the weekly digest as plain text, for a shell or a cron job.

Registered on the ``dealbrief`` group by ``briefs.cli``. It prints what a server's digest would hold for a window chosen by time (``--since 7d``,
``--since 2025-01-01``) or by audit id (``--since-audit N``); it records nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from .digest import audit_id_before, chart_png, load_digest, render_digest
from .errors import BadInput
from .queries import latest_audit_id
from .render import to_text
from .store import open_db, utcnow

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
@click.pass_context
def digest_command(
    ctx: click.Context, since: str | None, since_audit: int | None, chart: Path | None
) -> None:
    """Print the digest of changes since a time or a change id (default: the last 7 days)."""
    if since is not None and since_audit is not None:
        raise BadInput("give --since or --since-audit, not both", code="bad_since", value="")
    now = utcnow()
    start = parse_since(since or "7d", now) if since_audit is None else None
    db = open_db(ctx.find_root().obj["db_path"])
    try:
        if since_audit is not None:
            after = since_audit
            start = audit_time(db, since_audit) or now - timedelta(days=7)
        else:
            after = audit_id_before(db, start)
        digest = load_digest(db, after, latest_audit_id(db), start=start, end=now)
    finally:
        db.close()
    click.echo(to_text(render_digest(digest, flavour="text")).rstrip())
    if chart is not None:
        chart.write_bytes(chart_png(digest))
