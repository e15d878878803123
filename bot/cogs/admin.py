"""Server settings: /admin role names the role (besides Manage Server) that may use /fact and
/company. Only members with Manage Server may change it, checked again on every call.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from briefs.admin_roles import set_admin_role
from briefs.render import render_template

from ..actors import actor_label
from ..embeds import to_embeds
from ..permissions import require_manage_guild
from ..views import in_time, respond
from ..words import word

ROLE_SET_TEMPLATE = "bot/admin_role.j2"


class Admin(commands.Cog):
    admin = app_commands.Group(
        name="admin",
        description=word("grp.admin"),
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @admin.command(name="role", description=word("cmd.admin.role"))
    @app_commands.describe(role=word("opt.role"))
    async def role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        await require_manage_guild(interaction)
        role_id = role.id if role else None
        stored = self.bot.db_call(
            set_admin_role, interaction.guild_id, role_id, actor_label(interaction)
        )
        await in_time(interaction, stored, ephemeral=True)
        pages = render_template(ROLE_SET_TEMPLATE, role=role.name if role else None)
        await respond(interaction, to_embeds(pages), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Admin(bot))
