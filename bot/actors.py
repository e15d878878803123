"""Who a Discord change is recorded under: the member, by name and id, in their server.

Every interface records its changes under an actor (``briefs.changes.Actor``); the cogs, the
review buttons and the settings commands all name the member the same way through this module.
"""

from __future__ import annotations

import discord

from briefs.changes import Actor


def actor_of(interaction: discord.Interaction) -> Actor:
    """The member and server a change is recorded under; no server for a direct message
    (``str(None)`` would record a server called "None")."""
    user = interaction.user
    guild_id = None if interaction.guild_id is None else str(interaction.guild_id)
    return Actor(name=f"discord:{user.name}", id=str(user.id), guild_id=guild_id)


def actor_label(interaction: discord.Interaction) -> str:
    """The member as one line, for settings rows that keep who changed them last."""
    return f"discord:{interaction.user.name} ({interaction.user.id})"
