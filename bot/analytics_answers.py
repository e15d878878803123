"""What /top, /benchmark, /similar and /export answer: shared by their cog and the console.

Each function takes the open database first, so the bot runs it with ``bot.db_call`` and the
console calls it directly; the rules are ``briefs.analytics`` and ``briefs.export``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefs.analytics.benchmark import Benchmark, benchmark
from briefs.analytics.league import league
from briefs.analytics.render import render_benchmark, render_similar, render_top
from briefs.analytics.scope import parse_scope
from briefs.analytics.similar import similar
from briefs.errors import BadInput
from briefs.export import FORMATS, export_text
from briefs.render import Page, render_template
from briefs.search_filters import parse_filters
from briefs.text import clean

from .answers import COMMAND_STYLE, Screens, screens_of

if TYPE_CHECKING:
    from sqlite_utils import Database

EXPORTED_TEMPLATE = "analytics/exported.j2"
# Discord refuses an attachment above its upload limit (10 MiB for a bot in any server).
UPLOAD_LIMIT = 10 * 1024 * 1024


def top(
    db: Database,
    by: str | None,
    period: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    flavour: str = "discord",
) -> Screens:
    scope = parse_scope(period=period, sector=sector, kind=kind)
    return screens_of(render_top(league(db, by or "licensors", scope), flavour=flavour))


def terms(
    db: Database,
    sector: str | None = None,
    stage: str | None = None,
    flow: str | None = None,
    period: str | None = None,
) -> Benchmark:
    return benchmark(db, parse_scope(sector=sector, stage=stage, flow=flow, period=period))


def terms_pages(result: Benchmark, flavour: str = "discord") -> Screens:
    return screens_of(render_benchmark(result, flavour=flavour))


def comparables(db: Database, fact_id: int, flavour: str = "discord") -> Screens:
    result = similar(db, fact_id)
    return screens_of(render_similar(result, flavour=flavour, commands=COMMAND_STYLE))


def export(
    db: Database, fmt: str | None, flavour: str = "discord", **filters: str | None
) -> tuple[bytes, list[Page]]:
    """The export file's bytes (UTF-8) and the page that goes with it; ``filters`` as in
    :func:`briefs.search_filters.parse_filters`."""
    chosen = clean(fmt or "csv", field="format", max_len=10).casefold()
    if chosen not in FORMATS:
        raise BadInput(f"{chosen!r} is not a format", code="bad_format", value=chosen)
    narrowed = parse_filters(db, **filters)
    body, count = export_text(db, chosen, narrowed)
    data = body.encode("utf-8")
    if len(data) > UPLOAD_LIMIT:
        raise BadInput(
            "export too large to attach", code="export_too_large", count=count, size=len(data)
        )
    pages = render_template(EXPORTED_TEMPLATE, flavour, count=count, fmt=chosen, filters=narrowed)
    return data, pages
