"""Autocomplete: company names for every option that names a company, and the vocabularies.

The choice shows the name and sends the company id as text; ``resolve_company`` accepts an id,
so a picked choice always resolves to exactly that company.
"""

from __future__ import annotations

import discord
from discord import app_commands

from briefs import vocab
from briefs.names import complete_companies
from briefs.text import MAX_NAME

CHOICE_LIMIT = 25  # Discord shows at most 25 choices
CHOICE_NAME_LIMIT = 100


async def company_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Choices for what has been typed so far (the most documented companies before any)."""
    bot = interaction.client
    candidates = await bot.db_call(complete_companies, current[:MAX_NAME], CHOICE_LIMIT)  # type: ignore[attr-defined]
    return [
        app_commands.Choice(name=c.company.name[:CHOICE_NAME_LIMIT], value=str(c.company.id))
        for c in candidates
    ]


async def sector_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Sectors of the vocabulary whose label holds what has been typed."""
    labels = vocab.complete(vocab.sector_choices(), current[:MAX_NAME], CHOICE_LIMIT)
    return [app_commands.Choice(name=label, value=label) for label in labels]


async def flow_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Flows between two regions ("Greater China → US") that hold what has been typed."""
    labels = vocab.complete(vocab.flow_choices(), current[:MAX_NAME], CHOICE_LIMIT)
    return [app_commands.Choice(name=label, value=label) for label in labels]
