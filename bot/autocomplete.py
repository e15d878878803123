"""Company-name autocomplete shared by every option that names a company.

The choice shows the name and sends the company id as text; ``resolve_company`` accepts an id,
so a picked choice always resolves to exactly that company.
"""

from __future__ import annotations

import discord
from discord import app_commands

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
