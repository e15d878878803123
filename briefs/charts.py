"""Charts as PNG bytes, drawn with matplotlib's Agg backend (no display, safe in any thread).

Drawing takes tens of milliseconds, so the bot calls these from a worker thread; the CLI and
the weekly digest call them directly. Words on the chart come from ``templates/charts/``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from .errors import BadInput
from .money import format_usd
from .periods import bucket, parse_period
from .render import BRAND_COLOUR, environment

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STATS_TEMPLATE = "charts/stats.j2"
CALENDAR = ("year", "half", "quarter", "month")  # granularities whose periods can be filled in
VALUE_COLOUR = "#C07A2C"
# Fixed margins, as fractions of the 800 x 500 figure, with room for six-digit tick labels,
# the axis titles and labels turned 45 degrees. Constrained layout found about the same ones
# by measuring every text, which took a third of the chart's time.
MARGINS = {"left": 0.11, "right": 0.98, "top": 0.92, "bottom": 0.12, "hspace": 0.12}


# Fonts tried in turn for each character: matplotlib's own, then common ones with Chinese,
# Japanese and Korean glyphs (sector names and filters may be written in them), where installed.
FONT_CHOICES = (
    "DejaVu Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Arial Unicode MS",
)
NO_GLYPH = "\u25a1"  # a white square, as a missing glyph is drawn, without a warning per glyph


@cache
def fonts() -> tuple[list[str], frozenset[int]]:
    """The installed fonts of FONT_CHOICES, and every character they can draw between them."""
    installed = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    families = [name for name in FONT_CHOICES if name in installed]
    drawable: set[int] = set()
    for name in families:
        drawable.update(FT2Font(installed[name]).get_charmap())
    return families, frozenset(drawable)


def drawable(text: str) -> str:
    """``text`` with characters no installed font has shown as boxes.

    matplotlib would draw the same boxes but warn once per character on every chart.
    """
    known = fonts()[1]
    return "".join(c if ord(c) in known or c.isspace() else NO_GLYPH for c in text)


def _word(key: str, **context: Any) -> str:
    text = environment("text").get_template(STATS_TEMPLATE).render(key=key, **context).strip()
    return drawable(text)


def stats_series(
    rows: Iterable[Any], granularity: str | None = None, span: str | None = None
) -> tuple[list[str], list[int], list[float]]:
    """Buckets in the order given, with deals counted and US dollars summed over kinds and sectors.

    Given a calendar ``granularity`` (year, half, quarter, month), every period from the first
    to the last (or across the ``span`` asked for) gets a slot, an empty one when it had no
    deals, so the axis runs evenly through time; undated deals stay last.
    """
    deals: dict[str, int] = {}
    usd: dict[str, float] = {}
    for row in rows:
        deals[row.bucket] = deals.get(row.bucket, 0) + row.deals
        usd[row.bucket] = usd.get(row.bucket, 0.0) + (row.usd_total or 0.0)
    buckets = list(deals)
    if granularity in CALENDAR:
        buckets = _every_period(buckets, granularity, span)
    return buckets, [deals.get(b, 0) for b in buckets], [usd.get(b, 0.0) for b in buckets]


def _every_period(buckets: list[str], granularity: str, span: str | None) -> list[str]:
    """The buckets with the periods between them (and across ``span``) filled in, in order."""
    dated = [b for b in buckets if _is_period(b, granularity)]
    if span and _is_period(span, None):
        dated += [
            bucket(parse_period(span).start, granularity),
            bucket(parse_period(span).end, granularity),
        ]
    if not dated:
        return buckets
    first = min(parse_period(b).start for b in dated)
    last = max(parse_period(b).start for b in dated)
    filled: list[str] = []
    day = first
    while day <= last:
        filled.append(bucket(day, granularity))
        day = parse_period(filled[-1]).end + timedelta(days=1)
    return filled + [b for b in buckets if b not in filled and not _is_period(b, granularity)]


def _is_period(text: str, granularity: str | None) -> bool:
    """Whether ``text`` names a period (of ``granularity``, when given)."""
    try:
        period = parse_period(text)
    except BadInput:
        return False
    return granularity is None or period.granularity == granularity


def stats_chart(stats: Any, counts: str = "announced") -> bytes:
    """Deal count (top) and disclosed US dollar value (bottom) per period, as a PNG.

    ``stats`` is a ``queries.Stats`` (or the digest's rows in its shape); ``counts`` says what
    a deal is counted by: ``announced`` (its announcement date, /stats) or ``added`` (when it
    entered the knowledge base, the digest). An empty selection still gives a chart that says
    so, so a caller can always attach one image.
    """
    figure = stats_figure(stats, counts)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def stats_figure(stats: Any, counts: str = "announced") -> Figure:
    """The figure :func:`stats_chart` draws, for whoever needs to read what is on it."""
    buckets, deals, usd = stats_series(stats.rows, stats.granularity, stats.period)
    # Words are drawn as written: "$" in a sector name is not the start of a formula.
    text = {"fontfamily": fonts()[0] or None, "parse_math": False}
    figure = Figure(figsize=(8, 5), dpi=100)
    figure.subplots_adjust(**{**MARGINS, "top": 0.86})  # room for the title and what it counts
    top, bottom = figure.subplots(2, 1, sharex=True)
    figure.suptitle(
        _word("title", granularity=stats.granularity, period=stats.period, sector=stats.sector),
        **text,
    )
    top.set_title(_word("counts", counts=counts), fontsize="small", **text)
    if not buckets:
        top.text(
            0.5, 0.5, _word("empty"), ha="center", va="center", transform=top.transAxes, **text
        )
        bottom.set_visible(False)
        top.set_xticks([])
        top.set_yticks([])
        return figure
    colour = f"#{BRAND_COLOUR:06X}"
    positions = range(len(buckets))
    bars = top.bar(positions, deals, color=colour)
    top.bar_label(bars, [str(n) if n else "" for n in deals], fontsize="small", **text)
    top.set_ylabel(_word("deals"), **text)
    top.yaxis.get_major_locator().set_params(integer=True)
    top.margins(y=0.15)  # room for the labels above the tallest bar
    bars = bottom.bar(positions, [v / 1e6 for v in usd], color=VALUE_COLOUR)
    bottom.bar_label(bars, [format_usd(v) if v else "" for v in usd], fontsize="small", **text)
    bottom.set_ylabel(_word("usd"), **text)
    bottom.margins(y=0.15)
    labels = [drawable(name) for name in buckets]
    bottom.set_xticks(list(positions), labels, rotation=45 if len(buckets) > 8 else 0, **text)
    for axes in (top, bottom):
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", alpha=0.3)
    return figure
