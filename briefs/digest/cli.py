"""``dealbrief digest``: the weekly digest as plain text, for a shell or a cron job.

Registered on the ``dealbrief`` group by ``briefs.cli``. It prints what a server's digest would hold for a window chosen by time (``--since 7d``,
``--since 2025-01-01``) or by audit id (``--since-audit N``); it records nothing.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from ..errors import BadInput
from ..queries import latest_audit_id
from ..render import to_text
from ..store import open_db, utcnow
from .content import chart_png, load_digest, render_digest
from .query import audit_id_before

_SPAN = re.compile(r"^(\d{1,4})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime:
    """'7d', '12h', '2w' back from ``now``, or a date 'YYYY-MM-DD' (midnight UTC)."""
    raw = (text or "").strip().lower()
    if not raw:
        raise BadInput("--since is empty", code="empty", field="--since")
    match = _SPAN.match(raw)
    if match:
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        start = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadInput(
            f"{raw[:20]!r} is not a span or date", code="bad_since", value=raw[:20]
        ) from None
    if start > now:
        raise BadInput(f"{raw} is in the future", code="since_future", value=raw)
    return start


def check_since_audit(after: int, latest: int) -> int:
    """A change number the digest can start after: 0 (the very start) to the latest change."""
    if not 0 <= after <= latest:
        raise BadInput(
            f"no change #{after} to start after",
            code="bad_since_audit",
            value=str(after)[:20],
            latest=latest,
        )
    return after


def check_chart_path(chart: Path) -> None:
    """Refuse a chart file that cannot be written before the digest is printed, not after."""
    folder = chart.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise BadInput(
            f"cannot write {chart}",
            code="unwritable_file",
            file=str(chart),
            reason="its folder does not exist or cannot be written",
        )


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
    if chart is not None:
        check_chart_path(chart)
    start = parse_since("7d" if since is None else since, now) if since_audit is None else None
    db = open_db(ctx.find_root().obj["db_path"])
    try:
        if since_audit is not None:
            after = check_since_audit(since_audit, latest_audit_id(db))
            start = audit_time(db, since_audit) or now - timedelta(days=7)
        else:
            after = audit_id_before(db, start)
        digest = load_digest(db, after, latest_audit_id(db), start=start, end=now)
    finally:
        db.close()
    click.echo(to_text(render_digest(digest, flavour="text")).rstrip())
    if chart is not None:
        try:
            chart.write_bytes(chart_png(digest))
        except OSError as err:
            raise BadInput(
                str(err), code="unwritable_file", file=str(chart), reason=err.strerror or str(err)
            ) from err
