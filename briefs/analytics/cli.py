"""``dealbrief top``, ``dealbrief benchmark`` and ``dealbrief similar``: options in, tables out."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BadInput
from ..render import notice
from ..text import parse_id
from .benchmark import benchmark
from .chart import benchmark_chart
from .league import DEFAULT_LIMIT, MAX_LIMIT, RANKINGS, league
from .render import render_benchmark, render_similar, render_top, top_table
from .scope import parse_scope
from .similar import DEFAULT_LIMIT as SIMILAR_LIMIT
from .similar import MAX_LIMIT as SIMILAR_MAX
from .similar import similar

PERIOD_HELP = "Deals announced in this period: 2025, 2025-H1, 2025-Q3 or 2025-07."
SECTOR_HELP = "Only deals in this sector or beneath it."
KIND_HELP = "Only this kind of deal: licence, option, newco..."
FLOW_HELP = "Only deals from the licensor's region to the licensee's, e.g. \"China → US\"."


def _core():
    """``briefs.cli``, imported when a command runs: it imports this module to register the
    commands, so importing it here first would find this module half made."""
    from .. import cli

    return cli


@click.command("top")
@click.option("--by", "by", type=click.Choice(RANKINGS), default="licensors", show_default=True)
@click.option("--period", help=PERIOD_HELP)
@click.option("--sector", help=SECTOR_HELP)
@click.option("--kind", help=KIND_HELP)
@click.option(
    "--limit", type=click.IntRange(1, MAX_LIMIT), default=DEFAULT_LIMIT, show_default=True
)
@click.pass_context
def top_command(
    ctx: click.Context,
    by: str,
    period: str | None,
    sector: str | None,
    kind: str | None,
    limit: int,
) -> None:
    """The most active licensors, licensees or flows: deals, upfronts, values, undisclosed."""
    core = _core()
    db = core.lookup_db(ctx)
    result = league(db, by, parse_scope(period=period, sector=sector, kind=kind), limit)
    core.print_table(*top_table(result))
    core.echo(render_top(result, flavour="text"))


@click.command("benchmark")
@click.option("--sector", help=SECTOR_HELP)
@click.option("--stage", help="Only deals signed at this stage: Phase 2, preclinical...")
@click.option("--flow", help=FLOW_HELP)
@click.option("--period", help=PERIOD_HELP)
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Write the PNG.")
@click.pass_context
def benchmark_command(ctx: click.Context, chart: Path | None, **typed: str | None) -> None:
    """Median and quartiles of upfronts, totals and upfront shares, with how many deals."""
    core = _core()
    db = core.lookup_db(ctx)
    result = benchmark(db, parse_scope(**typed))
    core.echo(render_benchmark(result, flavour="text"))
    if chart is not None:
        try:
            chart.write_bytes(benchmark_chart(result))
        except OSError as err:
            raise BadInput(
                str(err), code="unwritable_file", file=str(chart), reason=err.strerror or str(err)
            ) from err
        click.echo(notice("chart_written", path=str(chart)), err=True)


@click.command("similar")
@click.argument("fact_id")
@click.option(
    "--limit", type=click.IntRange(1, SIMILAR_MAX), default=SIMILAR_LIMIT, show_default=True
)
@click.pass_context
def similar_command(ctx: click.Context, fact_id: str, limit: int) -> None:
    """The stored deals most like one deal, each with why it matched."""
    core = _core()
    db = core.lookup_db(ctx)
    result = similar(db, parse_id(fact_id, "fact"), limit)
    core.echo(render_similar(result, flavour="text", commands="cli"))


COMMANDS = (top_command, benchmark_command, similar_command)
