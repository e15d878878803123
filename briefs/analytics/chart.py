"""The benchmark chart: every disclosed upfront, total and upfront share as a dot, with a box
over the middle half and the median labelled where there are enough deals.

Drawn like the stats chart (``briefs.charts``: Agg, fonts with CJK fallbacks, words from
``templates/charts/``); the bot draws it off the event loop.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.figure import Figure

from ..charts import MARGINS, VALUE_COLOUR, drawable, fonts
from ..money import format_usd
from ..render import BRAND_COLOUR, environment
from .benchmark import MIN_DEALS, Benchmark, TermSummary

TEMPLATE = "charts/benchmark.j2"
DOT_SPREAD = 0.25  # how far dots of one term spread sideways, in box widths


def _word(key: str, **context: Any) -> str:
    page = environment("text").get_template(TEMPLATE).render(key=key, **context)
    return drawable(page.strip())


def benchmark_chart(result: Benchmark) -> bytes:
    """Amounts (upfront, total) on a log scale in US$ million beside the upfront share in %."""
    text = {"fontfamily": fonts()[0] or None, "parse_math": False}
    figure = Figure(figsize=(8, 5), dpi=100)
    figure.subplots_adjust(**{**MARGINS, "wspace": 0.3, "bottom": 0.16})
    figure.suptitle(_word("title", scope=result.scope), **text)
    figure.text(0.5, 0.02, _word("counts"), ha="center", fontsize="small", **text)
    amounts, shares = figure.subplots(1, 2, width_ratios=[2, 1])
    if not any(term.n for term in result.terms):
        figure.delaxes(shares)
        amounts.text(0.5, 0.5, _word("empty"), ha="center", va="center", **text)
        amounts.set_axis_off()
    else:
        _draw(amounts, [result.term("upfront"), result.term("total")], 1e-6, text)
        amounts.set_ylabel(_word("usd"), **text)
        if any(term.n for term in (result.term("upfront"), result.term("total"))):
            amounts.set_yscale("log")
        _draw(shares, [result.term("share")], 100.0, text)
        shares.set_ylabel(_word("percent"), **text)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _draw(axes: Any, terms: list[TermSummary], scale: float, text: dict) -> None:
    """One column per term: its dots, and its box and labelled median when there are enough."""
    colours = [f"#{BRAND_COLOUR:06X}", VALUE_COLOUR]
    for at, term in enumerate(terms):
        values = [v * scale for v in term.values]
        count = max(len(values) - 1, 1)
        spread = [at + DOT_SPREAD * (2 * i / count - 1) for i in range(len(values))]
        axes.scatter(spread, values, s=14, alpha=0.6, color=colours[at % 2], zorder=3)
        if term.enough:
            axes.boxplot(
                [values], positions=[at], widths=0.6, whis=(0, 100), showfliers=False,
                medianprops={"color": "black"},
            )  # fmt: skip
            shown = f"{term.median * 100:.0f}%" if term.term == "share" else format_usd(term.median)
            axes.annotate(
                _word("median", value=shown), (at + 0.32, term.median * scale),
                va="center", fontsize="small", **text,
            )  # fmt: skip
        elif term.n:
            axes.annotate(
                _word("too_few", min_deals=MIN_DEALS), (at, max(values)),
                xytext=(0, 8), textcoords="offset points", ha="center", fontsize="small", **text,
            )  # fmt: skip
    axes.set_xticks(range(len(terms)), [_word(t.term, n=t.n) for t in terms], **text)
    axes.set_xlim(-0.6, len(terms) + 0.1)  # room for the median label
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
