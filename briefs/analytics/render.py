"""Analytic answers as pages (every front end) and as terminal table rows (the CLI)."""

from __future__ import annotations

from ..render import Page, render_template, tab_rows
from .benchmark import MIN_DEALS, Benchmark
from .league import League
from .similar import Similar


def render_top(league: League, *, flavour: str = "discord") -> list[Page]:
    return render_template("analytics/top.j2", flavour, league=league)


def top_table(league: League) -> tuple[list[str], list[list[str]]]:
    """A league table as a header and rows of plain-text cells, for a terminal table."""
    return tab_rows("analytics/top_table.j2", league=league)


def render_benchmark(result: Benchmark, *, flavour: str = "discord") -> list[Page]:
    return render_template("analytics/benchmark.j2", flavour, result=result, min_deals=MIN_DEALS)


def render_similar(
    result: Similar, *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    return render_template("analytics/similar.j2", flavour, commands=commands, result=result)
