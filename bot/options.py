"""Option types the cogs share, checked by the domain's rules when a command arrives.

Discord clients keep to an option's declared range, but discord.py does not check it again, so
a value sent by another client would reach SQLite unchecked.
"""

from __future__ import annotations

import discord
from discord import app_commands

from briefs.text import MAX_ID, check_id


class IdTransformer(app_commands.Transformer):
    """A record number: declared to Discord as 1..MAX_ID, and checked by ``check_id``.

    ``field`` names the kind of record in the refusal ("fact", "source", "change").
    """

    def __init__(self, field: str) -> None:
        self.field = field

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.integer

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return MAX_ID

    async def transform(self, interaction: discord.Interaction, value: int) -> int:
        return check_id(value, self.field)


FactId = app_commands.Transform[int, IdTransformer("fact")]
SourceId = app_commands.Transform[int, IdTransformer("source")]
ChangeId = app_commands.Transform[int, IdTransformer("change")]
