"""What the stand-in's Discord is made of: guilds, channels, users, and the JSON Discord sends.

Specs are plain dataclasses a test can build or tweak; the ``*_payload`` functions turn them
into the exact JSON shapes discord.py parses (it indexes several keys without ``.get``).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)

# Gateway intents the stand-in looks at when deciding what GUILD_CREATE holds.
GUILD_MEMBERS_INTENT = 1 << 1
GUILD_PRESENCES_INTENT = 1 << 8

TEXT_CHANNEL = 0
CATEGORY_CHANNEL = 4

_counter = itertools.count(1)


def snowflake() -> int:
    """A fresh, time-ordered id shaped like Discord's (discord.py derives created_at from it)."""
    millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | (next(_counter) & 0x3FFFFF)


def timestamp() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class UserSpec:
    """A person (or the bot) in the stand-in's world; ``roles`` are role ids in every guild."""

    name: str
    id: int = field(default_factory=snowflake)
    roles: list[int] = field(default_factory=list)
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class RoleSpec:
    name: str
    permissions: int = 0
    id: int = field(default_factory=snowflake)


@dataclass
class ChannelSpec:
    name: str
    type: int = TEXT_CHANNEL
    id: int = field(default_factory=snowflake)


@dataclass
class GuildSpec:
    """A server: ``roles`` excludes @everyone, whose id is the guild id (as on Discord)."""

    name: str
    id: int = field(default_factory=snowflake)
    channels: list[ChannelSpec] = field(default_factory=list)
    roles: list[RoleSpec] = field(default_factory=list)
    members: list[UserSpec] = field(default_factory=list)
    everyone_permissions: int = EVERYONE_PERMISSIONS

    def channel(self, name: str) -> ChannelSpec:
        """The channel called ``name`` (tests refer to channels by name)."""
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise LookupError(f"guild {self.name!r} has no channel {name!r}")

    def role(self, name: str) -> RoleSpec:
        for role in self.roles:
            if role.name == name:
                return role
        raise LookupError(f"guild {self.name!r} has no role {name!r}")

    def permissions_of(self, user: UserSpec) -> int:
        """Guild-level permissions: @everyone plus the user's roles; Administrator means all."""
        value = self.everyone_permissions
        for role in self.roles:
            if role.id in user.roles:
                value |= role.permissions
        if value & ADMINISTRATOR:
            return (1 << 53) - 1
        return value


def user_payload(user: UserSpec) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.name,
        "global_name": user.name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def member_payload(
    guild: GuildSpec, user: UserSpec, *, with_permissions: bool = False
) -> dict[str, Any]:
    """A guild member; interactions also carry the member's resolved permissions as a string."""
    roles = [str(role.id) for role in guild.roles if role.id in user.roles]
    payload: dict[str, Any] = {
        "user": user_payload(user),
        "roles": roles,
        "nick": None,
        "avatar": None,
        "joined_at": timestamp(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
    }
    if with_permissions:
        payload["permissions"] = str(guild.permissions_of(user))
    return payload


def role_payload(role: RoleSpec, position: int) -> dict[str, Any]:
    return {
        "id": str(role.id),
        "name": role.name,
        "color": 0,
        "hoist": False,
        "position": position,
        "permissions": str(role.permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def channel_payload(guild: GuildSpec, channel: ChannelSpec, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(guild.id),
        "name": channel.name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def guild_payload(guild: GuildSpec, bot_user: UserSpec, intents: int) -> dict[str, Any]:
    """GUILD_CREATE's body. Like Discord, other members are listed only with both the
    members and presences intents; the bot's own member is always there."""
    everyone = RoleSpec("@everyone", guild.everyone_permissions, id=guild.id)
    roles = [role_payload(everyone, 0)] + [
        role_payload(role, position) for position, role in enumerate(guild.roles, start=1)
    ]
    members = [member_payload(guild, bot_user)]
    if intents & GUILD_MEMBERS_INTENT and intents & GUILD_PRESENCES_INTENT:
        members += [member_payload(guild, user) for user in guild.members]
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "owner_id": str(guild.members[0].id if guild.members else bot_user.id),
        "unavailable": False,
        "member_count": len(guild.members) + 1,
        "large": False,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": roles,
        "channels": [
            channel_payload(guild, channel, position)
            for position, channel in enumerate(guild.channels)
        ],
        "threads": [],
        "members": members,
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "joined_at": timestamp(),
        "preferred_locale": "en-US",
        "premium_tier": 0,
        "system_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "afk_timeout": 300,
        "application_id": None,
    }


@dataclass
class UploadedFile:
    """A file the bot uploaded (``files[n]`` in a multipart body) or a test offers as input."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")


def two_servers() -> list[GuildSpec]:
    """Two servers, each with general and digest channels, an Admins role (Manage Server) held
    by alice, a Readers role, and bob, a plain member: for tests that span servers."""
    guilds = []
    for name in ("Deal Desk", "Licensing Club"):
        admins = RoleSpec("Admins", MANAGE_GUILD)
        guilds.append(
            GuildSpec(
                name,
                channels=[ChannelSpec("general"), ChannelSpec("digest")],
                roles=[admins, RoleSpec("Readers")],
                members=[UserSpec("alice", roles=[admins.id]), UserSpec("bob")],
            )
        )
    return guilds
