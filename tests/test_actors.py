"""Who a change made on Discord is recorded under, read from real interactions."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.actors import actor_of
from briefs.changes import Actor


class WhoAmI(commands.Cog):
    """A command that only records the actor its interaction names."""

    def __init__(self) -> None:
        self.seen: list[Actor] = []

    @app_commands.command(name="whoami", description="Who am I recorded as")
    async def whoami(self, interaction: discord.Interaction) -> None:
        self.seen.append(actor_of(interaction))
        await interaction.response.send_message("noted", ephemeral=True)


async def test_a_member_in_a_server_is_recorded_with_the_server(standin, start_bot):
    cog = WhoAmI()
    await start_bot(cogs=[cog])
    await (await standin.slash("whoami", user=standin.admin)).answer(timeout=10)
    assert cog.seen == [
        Actor(f"discord:{standin.admin.name}", str(standin.admin.id), str(standin.guild.id))
    ]


async def test_a_direct_message_has_no_server(standin, start_bot):
    cog = WhoAmI()
    await start_bot(cogs=[cog])
    await (await standin.slash("whoami", user=standin.member, guild_id=None)).answer(timeout=10)
    assert cog.seen == [Actor(f"discord:{standin.member.name}", str(standin.member.id), None)]
