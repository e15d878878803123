"""Rendered pages as Discord embeds, grouped into messages Discord accepts."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from briefs.render import Page

from .format import group_messages


def page_to_embed(page: Page) -> discord.Embed:
    """One Page as one Embed; the renderer has already escaped and sized every part."""
    embed = discord.Embed(
        title=page.title or None,
        description=page.description or None,
        colour=page.colour,
        url=page.url,
    )
    for item in page.fields:
        embed.add_field(name=item.name, value=item.value, inline=item.inline)
    if page.footer:
        embed.set_footer(text=page.footer)
    if page.image:
        embed.set_image(url=page.image)
    return embed


def to_embeds(pages: Sequence[Page]) -> list[discord.Embed]:
    """Pages as embeds, one each, for a message the caller has already sized."""
    return [page_to_embed(page) for page in pages]


def embed_messages(pages: Sequence[Page]) -> list[list[discord.Embed]]:
    """Pages as messages of embeds: at most 10 embeds and 6000 characters per message."""
    return [to_embeds(message) for message in group_messages(pages)]
