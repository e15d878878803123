"""/top, /benchmark and /similar for everyone; /export for admins.

The figures come from the database through ``bot.db_call``; the benchmark chart is drawn and
the pages rendered in worker threads, as /stats does, so the event loop never waits on them.
"""

from __future__ import annotations

import asyncio
import io
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from briefs.analytics.chart import benchmark_chart
from briefs.analytics.league import RANKINGS
from briefs.export import FORMATS
from briefs.model import DEAL_KINDS, FACT_KINDS
from briefs.text import MAX_NAME

from .. import analytics_answers as answers
from ..autocomplete import company_choices, flow_choices, sector_choices
from ..embeds import to_embeds
from ..options import FactId
from ..permissions import require_admin
from ..views import in_time, respond, send_screens
from ..words import word
from .facts import KIND_CHOICES
from .lookup import PERIOD_LIMIT

CHART_FILE = "benchmark.png"
Text = app_commands.Range[str, 1, MAX_NAME]
Period = app_commands.Range[str, 1, PERIOD_LIMIT]
DEAL_KIND_CHOICES = [app_commands.Choice(name=FACT_KINDS[k], value=k) for k in DEAL_KINDS]
EXPORT_FILTERS = ("company", "kind", "sector", "since", "until", "flow")


class Analytics(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="top", description=word("cmd.top"))
    @app_commands.describe(
        by=word("cmd.top.by"),
        period=word("cmd.stats.period"),
        sector=word("cmd.stats.sector"),
        kind=word("cmd.top.kind"),
    )
    @app_commands.choices(
        by=[app_commands.Choice(name=word(f"top.{r}"), value=r) for r in RANKINGS],
        kind=DEAL_KIND_CHOICES,
    )
    @app_commands.autocomplete(sector=sector_choices)
    async def top(
        self,
        interaction: discord.Interaction,
        by: str | None = None,
        period: Period | None = None,
        sector: Text | None = None,
        kind: str | None = None,
    ) -> None:
        ranked = partial(answers.top, by=by, period=period, sector=sector, kind=kind)
        await send_screens(interaction, await in_time(interaction, self.bot.db_call(ranked)))

    @app_commands.command(name="benchmark", description=word("cmd.benchmark"))
    @app_commands.describe(
        sector=word("cmd.stats.sector"),
        stage=word("cmd.benchmark.stage"),
        flow=word("cmd.stats.flow"),
        period=word("cmd.stats.period"),
    )
    @app_commands.autocomplete(sector=sector_choices, flow=flow_choices)
    async def benchmark(
        self,
        interaction: discord.Interaction,
        sector: Text | None = None,
        stage: Text | None = None,
        flow: Text | None = None,
        period: Period | None = None,
    ) -> None:
        work = self._benchmark(sector, stage, flow, period)
        screens, chart = await in_time(interaction, work)
        await send_screens(interaction, screens, file=chart)

    async def _benchmark(
        self, sector: str | None, stage: str | None, flow: str | None, period: str | None
    ) -> tuple[answers.Screens, discord.File]:
        """The terms from the database, then the chart and the pages in worker threads."""
        result = await self.bot.db_call(answers.terms, sector, stage, flow, period)
        png, screens = await asyncio.gather(
            asyncio.to_thread(benchmark_chart, result),
            asyncio.to_thread(answers.terms_pages, result),
        )
        screens[0][0].image = f"attachment://{CHART_FILE}"
        return screens, discord.File(io.BytesIO(png), filename=CHART_FILE)

    @app_commands.command(name="similar", description=word("cmd.similar"))
    @app_commands.describe(fact=word("opt.fact_id"))
    async def similar(self, interaction: discord.Interaction, fact: FactId) -> None:
        found = self.bot.db_call(answers.comparables, fact)
        await send_screens(interaction, await in_time(interaction, found))

    @app_commands.command(name="export", description=word("cmd.export"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        format=word("cmd.export.format"),
        **{name: word(f"cmd.search.{name}") for name in EXPORT_FILTERS},
    )
    @app_commands.choices(
        format=[app_commands.Choice(name=f, value=f) for f in FORMATS], kind=KIND_CHOICES
    )
    @app_commands.autocomplete(company=company_choices, sector=sector_choices, flow=flow_choices)
    async def export(
        self,
        interaction: discord.Interaction,
        format: str | None = None,
        company: Text | None = None,
        kind: str | None = None,
        sector: Text | None = None,
        since: Period | None = None,
        until: Period | None = None,
        flow: Text | None = None,
    ) -> None:
        await require_admin(interaction)
        filters = {"company": company, "kind": kind, "sector": sector, "since": since}
        made = partial(answers.export, fmt=format, **filters, until=until, flow=flow)
        body, pages = await in_time(interaction, self.bot.db_call(made), ephemeral=True)
        name = f"dealbrief-facts.{format or 'csv'}"
        attached = discord.File(io.BytesIO(body), filename=name)
        await respond(interaction, to_embeds(pages), file=attached, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Analytics(bot))
