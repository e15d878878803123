"""Commands for everyone: /deal, /search, /stats, /source, /sources, /help.

Each command asks ``bot.db_call`` (a worker thread) for its answer and sends it; errors are
left to the bot's one error handler. The stats chart is drawn in a worker thread too.
"""

from __future__ import annotations

import asyncio
import io
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from briefs.charts import stats_chart
from briefs.errors import NotFound
from briefs.render import render_did_you_mean
from briefs.text import MAX_NAME, MAX_QUERY

from .. import answers
from ..autocomplete import company_choices, flow_choices, sector_choices
from ..embeds import to_embeds
from ..help import command_list
from ..options import SourceId
from ..views import DidYouMeanView, in_time, replace_with_screens, respond, send_screens
from ..words import word
from .facts import KIND_CHOICES

CHART_FILE = "stats.png"
PERIOD_LIMIT = 20
# Offered as choices; typed as plain text so that a value Discord did not offer reaches the
# domain's own check (and its polite refusal) instead of failing in discord.py's converter.
GRANULARITIES = ("year", "half", "quarter", "month")
SEARCH_OPTIONS = ("query", "company", "kind", "sector", "since", "until", "flow")


class Lookup(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="deal", description=word("cmd.deal"))
    @app_commands.describe(company=word("cmd.deal.company"))
    @app_commands.autocomplete(company=company_choices)
    async def deal(
        self, interaction: discord.Interaction, company: app_commands.Range[str, 1, MAX_NAME]
    ) -> None:
        try:
            screens = await in_time(interaction, self.bot.db_call(answers.deal, company))
        except NotFound as err:
            if err.code != "unknown_company" or not err.suggestions:
                raise
            await self._did_you_mean(interaction, err)
            return
        await send_screens(interaction, screens)

    async def _did_you_mean(self, interaction: discord.Interaction, err: NotFound) -> None:
        """Offer the likely companies as buttons; pressing one opens its brief in place."""
        pages = render_did_you_mean(err.params.get("query", ""), err.suggestions)
        candidates = [(c.company.id, c.company.name) for c in err.suggestions]
        view = DidYouMeanView(interaction.user.id, candidates, self._open_brief)
        await respond(interaction, to_embeds(pages), view=view)

    async def _open_brief(self, interaction: discord.Interaction, company_id: int) -> None:
        brief = self.bot.db_call(answers.brief_of, company_id)
        await replace_with_screens(interaction, await in_time(interaction, brief, in_place=True))

    @app_commands.command(name="search", description=word("cmd.search"))
    @app_commands.describe(**{name: word(f"cmd.search.{name}") for name in SEARCH_OPTIONS})
    @app_commands.autocomplete(company=company_choices, sector=sector_choices, flow=flow_choices)
    @app_commands.choices(kind=KIND_CHOICES)
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, MAX_QUERY] | None = None,
        company: app_commands.Range[str, 1, MAX_NAME] | None = None,
        kind: str | None = None,
        sector: app_commands.Range[str, 1, MAX_NAME] | None = None,
        since: app_commands.Range[str, 1, PERIOD_LIMIT] | None = None,
        until: app_commands.Range[str, 1, PERIOD_LIMIT] | None = None,
        flow: app_commands.Range[str, 1, MAX_NAME] | None = None,
    ) -> None:
        filters = {"company": company, "kind": kind, "sector": sector, "since": since}
        found = partial(answers.search, **filters, until=until, flow=flow)
        screens = await in_time(interaction, self.bot.db_call(found, query or ""))
        await send_screens(interaction, screens)

    @app_commands.command(name="stats", description=word("cmd.stats"))
    @app_commands.describe(
        period=word("cmd.stats.period"),
        sector=word("cmd.stats.sector"),
        by=word("cmd.stats.by"),
        flow=word("cmd.stats.flow"),
    )
    @app_commands.choices(
        by=[app_commands.Choice(name=word(f"by.{g}"), value=g) for g in GRANULARITIES]
    )
    # Sectors and flows are offered as you type (there may be more than Discord's 25 choices);
    # anything else typed reaches the vocabulary's polite refusal with the closest entries.
    @app_commands.autocomplete(sector=sector_choices, flow=flow_choices)
    async def stats(
        self,
        interaction: discord.Interaction,
        period: app_commands.Range[str, 1, PERIOD_LIMIT] | None = None,
        sector: app_commands.Range[str, 1, MAX_NAME] | None = None,
        by: str | None = None,
        flow: app_commands.Range[str, 1, MAX_NAME] | None = None,
    ) -> None:
        stats = self._stats(period, sector, by or "year", flow)
        screens, chart = await in_time(interaction, stats)
        await send_screens(interaction, screens, file=chart)

    async def _stats(
        self, period: str | None, sector: str | None, by: str, flow: str | None
    ) -> tuple[answers.Screens, discord.File]:
        """The figures from the database, then the chart and the pages in worker threads."""
        result = await self.bot.db_call(answers.stats, period, sector, by, flow)
        png, screens = await asyncio.gather(
            asyncio.to_thread(stats_chart, result), asyncio.to_thread(answers.stats_pages, result)
        )
        screens[0][0].image = f"attachment://{CHART_FILE}"
        return screens, discord.File(io.BytesIO(png), filename=CHART_FILE)

    @app_commands.command(name="source", description=word("cmd.source"))
    @app_commands.describe(id=word("cmd.source.id"))
    async def source(self, interaction: discord.Interaction, id: SourceId) -> None:
        screens = await in_time(interaction, self.bot.db_call(answers.source, id))
        await send_screens(interaction, screens)

    @app_commands.command(name="sources", description=word("cmd.sources"))
    async def sources(self, interaction: discord.Interaction) -> None:
        await send_screens(
            interaction, await in_time(interaction, self.bot.db_call(answers.sources))
        )

    @app_commands.command(name="help", description=word("cmd.help"))
    async def help(self, interaction: discord.Interaction) -> None:
        screens = answers.help_screens(command_list())
        await send_screens(interaction, screens, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Lookup(bot))
