"""Interactions as a test drives them: the payloads Discord sends, and what the bot answered.

:func:`build_options` fills slash-command options from the command schema the bot registered,
so a test writes ``{"company": "Volklec"}`` and gets the right option types, resolved users,
roles, channels and attachments. An :class:`InteractionHandle` collects every reply the bot makes to
one interaction (the callback, then followups, edits of the original, deletions).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .models import ChannelSpec, GuildSpec, RoleSpec, UploadedFile, UserSpec, role_payload

if TYPE_CHECKING:
    from .server import StandIn

# Interaction types (Discord -> bot) and callback types (bot -> Discord).
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
EPHEMERAL = 1 << 6
LOADING = 1 << 7

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


@dataclass
class Reply:
    """One thing the bot did in answer to an interaction.

    ``kind`` is ``callback`` (the first answer, with its callback ``type``), ``followup``,
    ``edit`` (of the original response or a followup) or ``delete``. ``message`` is the
    stand-in's stored message after this reply, when there is one.
    """

    kind: str
    type: int | None
    data: dict[str, Any]
    files: list[UploadedFile] = field(default_factory=list)
    message: dict[str, Any] | None = None

    @property
    def content(self) -> str:
        return self.data.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.data.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.data.get("components") or []

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices (callback type 8)."""
        return self.data.get("choices") or []

    @property
    def custom_id(self) -> str | None:
        """A modal's custom id (callback type 9)."""
        return self.data.get("custom_id")

    @property
    def text(self) -> str:
        """Content plus every embed's title, description, fields and footer: handy for ``in``."""
        return message_text(self.data)

    def custom_ids(self) -> list[str]:
        """Every component custom id (buttons, selects, text inputs), in order."""
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]


def message_text(data: dict[str, Any]) -> str:
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for item in embed.get("fields") or []:
            parts += [item.get("name") or "", item.get("value") or ""]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(p for p in parts if p)


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, depth first (action rows, labels, containers and what they hold)."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from walk_components([component["component"]])
        if isinstance(component.get("accessory"), dict):
            yield from walk_components([component["accessory"]])


class InteractionHandle:
    """One interaction the stand-in sent, and everything the bot answered to it."""

    def __init__(self, standin: StandIn, payload: dict[str, Any]) -> None:
        self.standin = standin
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.replies: list[Reply] = []
        self.original_message_id: int | None = None

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.payload['type']} replies={len(self.replies)}>"

    def _nth(self, kind: str, index: int) -> Reply | None:
        matching = [r for r in self.replies if r.kind == kind]
        return matching[index] if len(matching) > index else None

    async def response(self, timeout: float = 5.0) -> Reply:
        """The interaction callback (send_message, defer, send_modal, edit_message...)."""
        return await self.standin.wait_until(
            lambda: self._nth("callback", 0), timeout, f"a callback for {self!r}"
        )

    async def followup(self, index: int = 0, timeout: float = 5.0) -> Reply:
        """The ``index``-th followup message (``interaction.followup.send``)."""
        return await self.standin.wait_until(
            lambda: self._nth("followup", index), timeout, f"followup #{index} for {self!r}"
        )

    async def edit(self, index: int = 0, timeout: float = 5.0) -> Reply:
        """The ``index``-th edit (``edit_original_response`` or a followup's ``edit``)."""
        return await self.standin.wait_until(
            lambda: self._nth("edit", index), timeout, f"edit #{index} for {self!r}"
        )

    async def answer(self, timeout: float = 5.0) -> Reply:
        """What the user finally sees first: the callback's message, or after a defer, the
        first edit of the original response."""
        reply = await self.response(timeout)
        if reply.type in (DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE):
            return await self.edit(0, timeout)
        return reply


def command_schema(
    commands: list[dict[str, Any]], path: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """Find a registered command by its path ("fact add" -> command "fact", subcommand "add").

    Returns the top-level command, the subcommand (group) schemas along the path, and the
    option schemas of the leaf.
    """
    top = next((c for c in commands if c["name"] == path[0] and c.get("type", 1) == 1), None)
    if top is None:
        names = sorted(c["name"] for c in commands)
        raise LookupError(f"no slash command {path[0]!r} registered; registered: {names}")
    levels: list[dict[str, Any]] = []
    schema: list[dict[str, Any]] = top.get("options") or []
    for part in path[1:]:
        sub = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
        if sub is None:
            raise LookupError(f"command {' '.join(path)!r}: no subcommand {part!r}")
        levels.append(sub)
        schema = sub.get("options") or []
    return top, levels, schema


def nest_options(levels: list[dict[str, Any]], leaf: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrap leaf options in their subcommand (group) options, as Discord nests them."""
    options = leaf
    for level in reversed(levels):
        options = [{"name": level["name"], "type": level["type"], "options": options}]
    return options


@dataclass
class Resolved:
    """The ``resolved`` block of an interaction: users, members, roles, channels, attachments."""

    users: dict[str, Any] = field(default_factory=dict)
    members: dict[str, Any] = field(default_factory=dict)
    channels: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v}


def build_options(
    standin: StandIn,
    guild_id: int | None,
    schema: list[dict[str, Any]],
    values: dict[str, Any],
    resolved: Resolved,
    focused: str | None = None,
) -> list[dict[str, Any]]:
    """Turn ``{name: python value}`` into typed options, filling ``resolved`` on the way."""
    by_name = {o["name"]: o for o in schema}
    options = []
    for name, value in values.items():
        if name not in by_name:
            raise LookupError(f"no option {name!r}; the command takes {sorted(by_name)}")
        kind = by_name[name]["type"]
        option: dict[str, Any] = {"name": name, "type": kind}
        option["value"] = _option_value(standin, guild_id, kind, value, resolved)
        if name == focused:
            option["focused"] = True
        options.append(option)
    return options


def _option_value(
    standin: StandIn, guild_id: int | None, kind: int, value: Any, resolved: Resolved
) -> Any:
    if kind in (USER, MENTIONABLE) and isinstance(value, UserSpec):
        resolved.users[str(value.id)] = standin.user_payload(value)
        if guild_id is not None:
            member = standin.member_payload(standin.guild_by_id(guild_id), value)
            member.pop("user")
            resolved.members[str(value.id)] = member
        return str(value.id)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, RoleSpec):
        assert guild_id is not None, "role options need a guild"
        resolved.roles[str(value.id)] = _resolved_role(standin.guild_by_id(guild_id), value)
        return str(value.id)
    if kind == CHANNEL and isinstance(value, ChannelSpec):
        assert guild_id is not None, "channel options need a guild"
        guild = standin.guild_by_id(guild_id)
        resolved.channels[str(value.id)] = standin.channel_payload(guild, value) | {
            "permissions": str(guild.everyone_permissions)
        }
        return str(value.id)
    if kind == ATTACHMENT:
        upload = value if isinstance(value, UploadedFile) else UploadedFile(*value)
        attachment = standin.host_file(upload)
        resolved.attachments[attachment["id"]] = attachment
        return attachment["id"]
    return value


def _resolved_role(guild: GuildSpec, role: RoleSpec) -> dict[str, Any]:
    """A role as Discord resolves it: the guild's role object, placed where the guild lists it
    (@everyone, whose id is the guild's, is at position 0)."""
    if role.id == guild.id:
        return role_payload(role, 0)
    if role not in guild.roles:
        raise LookupError(f"guild {guild.name!r} has no role {role.name!r}")
    return role_payload(role, guild.roles.index(role) + 1)
