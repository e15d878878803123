"""A loopback stand-in for Discord's REST API and gateway, for testing the real bot.

Start it, point an unmodified discord.py bot at ``standin.api_base`` (REST) and
``standin.gateway_url`` (gateway), then play the user and assert on what the bot sent.
See README.md here for the helper API and ``tests/bot_fixtures.py`` for ready fixtures.
"""

from .gateway import GatewayFrame
from .interactions import EPHEMERAL, InteractionHandle, Reply, message_text
from .models import (
    MANAGE_GUILD,
    ChannelSpec,
    GuildSpec,
    RoleSpec,
    UploadedFile,
    UserSpec,
    two_servers,
)
from .server import Hold, RateLimitRule, RecordedRequest, StandIn

__all__ = [
    "EPHEMERAL",
    "MANAGE_GUILD",
    "ChannelSpec",
    "GatewayFrame",
    "GuildSpec",
    "Hold",
    "InteractionHandle",
    "RateLimitRule",
    "RecordedRequest",
    "Reply",
    "RoleSpec",
    "StandIn",
    "UploadedFile",
    "UserSpec",
    "message_text",
    "two_servers",
]
