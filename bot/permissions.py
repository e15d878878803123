"""Who may use the admin commands: members with Manage Server, or the server's admin role.

Discord hides the admin commands from other members (``default_permissions``), but a server can
override that and a client can send anything, so every admin command checks again here, from
the permissions and roles that arrive with the interaction.
"""

from __future__ import annotations

import discord

from briefs.admin_roles import get_admin_role
from briefs.errors import Forbidden


def has_manage_guild(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator) in this server, from the interaction's member payload."""
    perms = interaction.permissions
    return interaction.guild_id is not None and (perms.manage_guild or perms.administrator)


def member_role_ids(interaction: discord.Interaction) -> set[int]:
    user = interaction.user
    return {role.id for role in user.roles} if isinstance(user, discord.Member) else set()


async def require_manage_guild(interaction: discord.Interaction) -> None:
    """Refuse (politely, through the error handler) anyone without Manage Server."""
    if not has_manage_guild(interaction):
        raise Forbidden("Manage Server is required", code="not_server_manager")


async def require_admin(interaction: discord.Interaction) -> None:
    """Refuse anyone who has neither Manage Server nor this server's admin role."""
    if has_manage_guild(interaction):
        return
    if interaction.guild_id is not None:
        bot = interaction.client
        role_id = await bot.db_call(get_admin_role, interaction.guild_id)  # type: ignore[attr-defined]
        if role_id is not None and role_id in member_role_ids(interaction):
            return
    raise Forbidden("admin commands need Manage Server or the admin role", code="not_admin")
