"""Charts as PNG bytes, drawn with matplotlib's Agg backend (no display, safe in any thread).

Drawing takes tens of milliseconds, so the bot calls these from a worker thread; the CLI and
the weekly digest call them directly. Words on the chart come from ``templates/charts/``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from .render import BRAND_COLOUR, environment

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STATS_TEMPLATE = "charts/stats.j2"
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


def stats_series(rows: Iterable[Any]) -> tuple[list[str], list[int], list[float]]:
    """Buckets in the order given, with deals counted and US dollars summed over kinds and sectors."""
    deals: dict[str, int] = {}
    usd: dict[str, float] = {}
    for row in rows:
        deals[row.bucket] = deals.get(row.bucket, 0) + row.deals
        usd[row.bucket] = usd.get(row.bucket, 0.0) + (row.usd_total or 0.0)
    buckets = list(deals)
    return buckets, [deals[b] for b in buckets], [usd[b] for b in buckets]


def stats_chart(stats: Any) -> bytes:
    """Deal count (top) and disclosed US dollar value (bottom) per period, as a PNG.

    ``stats`` is a ``queries.Stats``; an empty selection still gives a chart that says so,
    so a caller can always attach one image.
    """
    buckets, counts, usd = stats_series(stats.rows)
    # Words are drawn as written: "$" in a sector name is not the start of a formula.
    text = {"fontfamily": fonts()[0] or None, "parse_math": False}
    figure = Figure(figsize=(8, 5), dpi=100)
    figure.subplots_adjust(**MARGINS)
    top, bottom = figure.subplots(2, 1, sharex=True)
    figure.suptitle(
        _word("title", granularity=stats.granularity, period=stats.period, sector=stats.sector),
        **text,
    )
    if not buckets:
        top.text(
            0.5, 0.5, _word("empty"), ha="center", va="center", transform=top.transAxes, **text
        )
        bottom.set_visible(False)
        top.set_xticks([])
        top.set_yticks([])
    else:
        colour = f"#{BRAND_COLOUR:06X}"
        positions = range(len(buckets))
        top.bar(positions, counts, color=colour)
        top.set_ylabel(_word("deals"), **text)
        top.yaxis.get_major_locator().set_params(integer=True)
        bottom.bar(positions, [v / 1e6 for v in usd], color=VALUE_COLOUR)
        bottom.set_ylabel(_word("usd"), **text)
        labels = [drawable(bucket) for bucket in buckets]
        bottom.set_xticks(list(positions), labels, rotation=45 if len(buckets) > 8 else 0, **text)
        for axes in (top, bottom):
            axes.spines[["top", "right"]].set_visible(False)
            axes.grid(axis="y", alpha=0.3)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
