"""A loopback stand-in for Discord that an unmodified discord.py bot connects to.

It serves Discord's REST API under ``/api/v10`` and a gateway websocket at ``/ws`` on
127.0.0.1 (random port). It records every request, keeps the messages the bot posts,
registers application commands, and lets a test play the user: run a slash command, pick
an autocomplete choice, click a button, submit a modal. It can also misbehave on purpose:
answer 429 to the next N matching requests, or drop the gateway connection.

See ``README.md`` in this package for the full helper list.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from . import models
from .gateway import INVALID_SESSION, RECONNECT, Gateway, GatewayFrame
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    LOADING,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    InteractionHandle,
    Reply,
    Resolved,
    build_options,
    command_schema,
    nest_options,
    walk_components,
)
from .models import ChannelSpec, GuildSpec, RoleSpec, UploadedFile, UserSpec, snowflake

log = logging.getLogger("discord_standin")

API_PREFIX = "/api/v10"
NONCE_WINDOW_SECONDS = 300.0  # Discord remembers an enforced nonce for a few minutes
T = TypeVar("T")


@dataclass
class RecordedRequest:
    """One REST request the bot made: ``path`` is without the ``/api/v10`` prefix."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    headers: dict[str, str]
    status: int = 0

    def matches(self, route: str) -> bool:
        """True if this request fits ``"POST /channels/{id}/messages"`` (method optional)."""
        return route_pattern(route).fullmatch(f"{self.method} {self.path}") is not None


RECORD = web.RequestKey("record", RecordedRequest)


@dataclass
class Hold:
    """Requests matching ``route`` wait (after they are read) until :meth:`release`; ``held``
    lists those that arrived, so a test can act while the bot waits for Discord."""

    route: str
    held: list[RecordedRequest] = field(default_factory=list)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self.released.set()


@dataclass
class RateLimitRule:
    """ "Answer 429 to the next ``remaining`` requests matching ``route``"; ``hits`` records them."""

    route: str
    remaining: int
    retry_after: float
    is_global: bool
    hits: list[RecordedRequest] = field(default_factory=list)


def route_pattern(route: str) -> re.Pattern[str]:
    """``"POST /channels/{id}/messages"`` -> a regex over ``"METHOD /path"``."""
    method, _, path = route.partition(" ") if " " in route else ("[A-Z]+", "", route)
    path_regex = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path))
    return re.compile(f"{method} {path_regex}")


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Content-Type exactly ``application/json``: discord.py compares the header verbatim."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def default_world() -> tuple[GuildSpec, UserSpec, UserSpec]:
    """One server with a Manage Server admin (alice) and a plain member (bob)."""
    admins = RoleSpec("Deal admins", models.MANAGE_GUILD)
    admin = UserSpec("alice", roles=[admins.id])
    member = UserSpec("bob")
    guild = GuildSpec(
        "Deal Desk",
        channels=[ChannelSpec("general"), ChannelSpec("deals"), ChannelSpec("digest")],
        roles=[admins],
        members=[admin, member],
    )
    return guild, admin, member


class StandIn:
    """Discord on loopback. Use ``async with StandIn() as standin:`` or start()/stop()."""

    def __init__(
        self,
        *,
        guilds: list[GuildSpec] | None = None,
        token: str = "stand-in-token",
        bot_name: str = "dealbrief",
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.application_id = snowflake()
        self.bot_user = UserSpec(bot_name, id=self.application_id, bot=True)
        self.token = token
        if guilds is None:
            guild, self.admin, self.member = default_world()
            guilds = [guild]
        else:
            self.admin, self.member = _first_admin_and_member(guilds)
        self.guilds = guilds
        self.gateway = Gateway(self, heartbeat_interval_ms)
        self.requests: list[RecordedRequest] = []
        self.unknown_requests: list[RecordedRequest] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.message_files: dict[int, list[UploadedFile]] = {}
        self.interactions: dict[str, InteractionHandle] = {}
        self.rate_limits: list[RateLimitRule] = []
        self.holds: list[Hold] = []
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.closed_dms: set[int] = set()
        self.expired_tokens: set[str] = set()
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._hosted: dict[str, UploadedFile] = {}
        self._condition = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> StandIn:
        app = web.Application(middlewares=[self._record], client_max_size=64 * 1024**2)
        app.add_routes(self._routes())
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> StandIn:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What the bot's ``discord.http.Route.BASE`` must be set to."""
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def guild(self) -> GuildSpec:
        """The first (by default the only) guild."""
        return self.guilds[0]

    def guild_by_id(self, guild_id: int) -> GuildSpec:
        for guild in self.guilds:
            if guild.id == guild_id:
                return guild
        raise LookupError(f"no guild {guild_id}")

    def add_user(self, name: str, *, manage_guild: bool = False) -> UserSpec:
        """A new member of every guild; with ``manage_guild`` they hold each guild's first
        role that grants Manage Server."""
        user = UserSpec(name)
        for guild in self.guilds:
            if manage_guild:
                role = next(r for r in guild.roles if r.permissions & models.MANAGE_GUILD)
                user.roles.append(role.id)
            guild.members.append(user)
        return user

    # payload builders, exposed so tests and the interaction helpers share them
    user_payload = staticmethod(models.user_payload)
    channel_payload = staticmethod(models.channel_payload)

    def member_payload(self, guild: GuildSpec, user: UserSpec) -> dict[str, Any]:
        return models.member_payload(guild, user)

    def guild_create_payload(self, guild: GuildSpec, intents: int) -> dict[str, Any]:
        return models.guild_payload(guild, self.bot_user, intents)

    # --- waiting ------------------------------------------------------------------------------

    async def _changed(self) -> None:
        async with self._condition:
            self._condition.notify_all()

    async def wait_until(self, probe: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait until ``probe()`` returns something truthy (re-checked on every change)."""
        try:
            async with asyncio.timeout(timeout):
                async with self._condition:
                    return await self._condition.wait_for(probe)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}") from None

    def mark(self) -> int:
        """A position in the request log: pass it as ``since`` to ignore earlier requests."""
        return len(self.requests)

    def find_requests(self, route: str, since: int = 0) -> list[RecordedRequest]:
        """Recorded requests matching ``"METHOD /path/{param}"`` (method optional)."""
        return [r for r in self.requests[since:] if r.matches(route)]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool] | str,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> RecordedRequest:
        """The first request (from position ``since``) matching a predicate or route string."""
        test = (lambda r: r.matches(predicate)) if isinstance(predicate, str) else predicate

        def probe() -> RecordedRequest | None:
            return next((r for r in self.requests[since:] if test(r)), None)

        return await self.wait_until(probe, timeout, f"a request matching {predicate!r}")

    async def wait_for_gateway(
        self, op: int, timeout: float = 5.0, *, since: int = 0
    ) -> GatewayFrame:
        """The first gateway payload with opcode ``op`` the bot sent (2 IDENTIFY, 6 RESUME)."""

        def probe() -> GatewayFrame | None:
            return next((f for f in self.gateway.frames[since:] if f.op == op), None)

        return await self.wait_until(probe, timeout, f"gateway op {op}")

    async def wait_for_commands(
        self, guild_id: int | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """The commands registered globally (or for ``guild_id``), once a sync has happened."""
        await self.wait_until(
            lambda: guild_id in self.commands, timeout, f"a command sync for {guild_id}"
        )
        return self.commands[guild_id]

    async def wait_for_ready(self, timeout: float = 10.0) -> None:
        """Wait until a gateway connection has identified (READY and GUILD_CREATE sent)."""
        await self.wait_until(self.gateway.ready_connections, timeout, "an identified gateway")

    # --- misbehaving on purpose ---------------------------------------------------------------

    def rate_limit(
        self, route: str, *, count: int = 1, retry_after: float = 0.25, is_global: bool = False
    ) -> RateLimitRule:
        """The next ``count`` requests matching ``route`` answer 429 with ``retry_after``."""
        rule = RateLimitRule(route, count, retry_after, is_global)
        self.rate_limits.append(rule)
        return rule

    def hold(self, route: str) -> Hold:
        """Hold every request matching ``route`` until the returned Hold is released."""
        hold = Hold(route)
        self.holds.append(hold)
        return hold

    async def wait_held(self, hold: Hold, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until ``count`` requests are waiting in (or have passed) ``hold``."""
        await self.wait_until(lambda: len(hold.held) >= count, timeout, f"{count} held requests")

    def close_dms(self, user: UserSpec) -> None:
        """The user no longer takes direct messages: sends answer 403, code 50007."""
        self.closed_dms.add(user.id)

    def open_dms(self, user: UserSpec) -> None:
        """The user takes direct messages again."""
        self.closed_dms.discard(user.id)

    def delete_channel(self, channel: ChannelSpec) -> None:
        """The channel is gone: posts to it answer 404, code 10003 (no gateway event is sent)."""
        for guild in self.guilds:
            if channel in guild.channels:
                guild.channels.remove(channel)

    def dm_messages(self, user: UserSpec) -> list[dict[str, Any]]:
        """Messages the bot sent to ``user`` by direct message, oldest first."""
        channel_id = self.dm_channels.get(user.id)
        if channel_id is None:
            return []
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

    def expire(self, handle: InteractionHandle) -> None:
        """Age an interaction past Discord's 15 minutes: its followups and edits answer 401."""
        self.expired_tokens.add(handle.token)

    async def drop_gateway(self, code: int | None = 4000) -> int:
        """Close the gateway (4000: the bot resumes; None: abruptly, without a close frame)."""
        return await self.gateway.drop(code)

    async def send_reconnect(self) -> None:
        """Op 7 RECONNECT: the bot closes and resumes."""
        await self.gateway.send_op(RECONNECT)

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Op 9: discord.py re-identifies, after its 5 s pause, when not resumable."""
        if not resumable:
            self.gateway.sessions.clear()
        await self.gateway.send_op(INVALID_SESSION, resumable)

    async def dispatch(self, event: str, data: Any, guild_id: int | None = None) -> None:
        """Send any gateway event to the bot (to the shard owning ``guild_id``)."""
        await self.gateway.dispatch(event, data, guild_id)

    # --- playing the user ---------------------------------------------------------------------

    def host_file(self, upload: UploadedFile) -> dict[str, Any]:
        """Serve ``upload`` over loopback; returns Discord's attachment object for it."""
        attachment_id = str(snowflake())
        self._hosted[attachment_id] = upload
        url = f"{self.url}/attachments/{attachment_id}/{upload.filename}"
        return {
            "id": attachment_id,
            "filename": upload.filename,
            "size": len(upload.content),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
        }

    def _interaction_payload(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: UserSpec | None,
        guild_id: int | None,
        channel: ChannelSpec | str | None,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        user = user or self.member
        guild = self.guild_by_id(guild_id) if guild_id is not None else None
        payload: dict[str, Any] = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": secrets.token_urlsafe(24),
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": str(guild.permissions_of(self.bot_user) if guild else 0),
        }
        if guild is not None:
            channel = channel or guild.channels[0]
            if isinstance(channel, str):
                channel = guild.channel(channel)
            payload |= {
                "guild_id": str(guild.id),
                "guild_locale": "en-US",
                "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                "channel_id": str(channel.id),
                "channel": self.channel_payload(guild, channel),
                "member": models.member_payload(guild, user, with_permissions=True),
                "authorizing_integration_owners": {"0": str(guild.id)},
                "context": 0,
            }
        else:
            dm_id = str(snowflake())
            payload |= {
                "channel_id": dm_id,
                "channel": {"id": dm_id, "type": 1, "recipients": [self.user_payload(user)]},
                "user": self.user_payload(user),
                "authorizing_integration_owners": {"1": str(user.id)},
                "context": 1,
            }
        if message is not None:
            payload["message"] = message
        return payload

    async def _send_interaction(self, payload: dict[str, Any]) -> InteractionHandle:
        await self.wait_for_ready()
        handle = InteractionHandle(self, payload)
        self.interactions[handle.token] = handle
        guild_id = int(payload["guild_id"]) if "guild_id" in payload else None
        await self.dispatch("INTERACTION_CREATE", payload, guild_id)
        return handle

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | None,
        guild_id: int | None,
        focused: str | None = None,
    ) -> dict[str, Any]:
        path = name.split()
        scope = guild_id if guild_id in self.commands else None
        registered = self.commands.get(scope, [])
        top, levels, schema = command_schema(registered, path)
        resolved = Resolved()
        leaf = build_options(self, guild_id, schema, options or {}, resolved, focused)
        data: dict[str, Any] = {
            "id": top["id"],
            "name": top["name"],
            "type": 1,
            "options": nest_options(levels, leaf),
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        if resolved.payload():
            data["resolved"] = resolved.payload()
        return data

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: UserSpec | None = None,
        guild_id: int | type[Ellipsis] | None = ...,
        channel: ChannelSpec | str | None = None,
    ) -> InteractionHandle:
        """Run ``/name`` ("fact add" for a subcommand) as ``user`` (default: the plain member).

        Options are ``{name: value}``; types come from the registered schema. A UserSpec fills
        a user option, a ChannelSpec a channel option, an UploadedFile (or (filename, bytes))
        an attachment option. ``guild_id=None`` sends it from a DM.
        """
        gid = self.guild.id if guild_id is ... else guild_id
        data = self._command_data(name, options, gid)
        payload = self._interaction_payload(
            APPLICATION_COMMAND, data, user=user, guild_id=gid, channel=channel
        )
        return await self._send_interaction(payload)

    async def autocomplete(
        self,
        name: str,
        focused: str,
        value: Any,
        options: dict[str, Any] | None = None,
        *,
        user: UserSpec | None = None,
        guild_id: int | type[Ellipsis] | None = ...,
        timeout: float = 5.0,
    ) -> list[dict[str, Any]]:
        """Type ``value`` into option ``focused`` of ``/name``; returns the offered choices."""
        gid = self.guild.id if guild_id is ... else guild_id
        data = self._command_data(name, {**(options or {}), focused: value}, gid, focused)
        payload = self._interaction_payload(
            AUTOCOMPLETE, data, user=user, guild_id=gid, channel=None
        )
        handle = await self._send_interaction(payload)
        reply = await handle.response(timeout)
        assert reply.type == AUTOCOMPLETE_RESULT, f"expected autocomplete choices, got {reply}"
        return reply.choices

    async def click(
        self,
        message: Reply | dict[str, Any] | int,
        custom_id: str,
        *,
        values: list[str] | None = None,
        user: UserSpec | None = None,
    ) -> InteractionHandle:
        """Press the button (or choose ``values`` in the select) ``custom_id`` on ``message``."""
        stored = self._message_of(message)
        component = next(
            (
                c
                for c in walk_components(stored.get("components") or [])
                if c.get("custom_id") == custom_id
            ),
            None,
        )
        if component is None:
            raise LookupError(f"message {stored['id']} has no component {custom_id!r}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        gid = int(stored["guild_id"]) if stored.get("guild_id") else None
        channel = self._channel_spec(int(stored["channel_id"]), gid)
        payload = self._interaction_payload(
            MESSAGE_COMPONENT, data, user=user, guild_id=gid, channel=channel, message=stored
        )
        return await self._send_interaction(payload)

    async def submit_modal(
        self,
        custom_id: str,
        values: dict[str, str | list[str]],
        *,
        user: UserSpec | None = None,
        guild_id: int | type[Ellipsis] | None = ...,
    ) -> InteractionHandle:
        """Submit the modal ``custom_id``: ``values`` maps each input's custom id to its text
        (or a list of chosen values for a select)."""
        rows = []
        for input_id, value in values.items():
            if isinstance(value, list):
                component = {"type": 3, "custom_id": input_id, "values": value}
            else:
                component = {"type": 4, "custom_id": input_id, "value": value}
            rows.append({"type": 1, "components": [component]})
        gid = self.guild.id if guild_id is ... else guild_id
        data = {"custom_id": custom_id, "components": rows}
        payload = self._interaction_payload(
            MODAL_SUBMIT, data, user=user, guild_id=gid, channel=None
        )
        return await self._send_interaction(payload)

    def _message_of(self, message: Reply | dict[str, Any] | int) -> dict[str, Any]:
        if isinstance(message, Reply):
            if message.message is None:
                raise LookupError(f"{message} created no message")
            message = message.message
        message_id = int(message["id"]) if isinstance(message, dict) else message
        return self.messages[message_id]

    def _channel_spec(self, channel_id: int, guild_id: int | None) -> ChannelSpec | None:
        if guild_id is None:
            return None
        guild = self.guild_by_id(guild_id)
        return next((c for c in guild.channels if c.id == channel_id), None)

    # --- what the bot posted ------------------------------------------------------------------

    def channel_messages(
        self, channel: ChannelSpec | str | int, *, interactions: bool = False
    ) -> list[dict[str, Any]]:
        """Messages posted in a channel (by spec, name in the first guild, or id), oldest first.

        Only what the bot posted itself (``channel.send``) unless ``interactions`` is true,
        which adds interaction responses and followups.
        """
        channel_id = self._channel_id(channel)
        return [
            m
            for m in self.messages.values()
            if int(m["channel_id"]) == channel_id and (interactions or "webhook_id" not in m)
        ]

    async def wait_for_message(
        self,
        channel: ChannelSpec | str | int,
        predicate: Callable[[dict[str, Any]], bool] = lambda m: True,
        timeout: float = 5.0,
        *,
        interactions: bool = False,
    ) -> dict[str, Any]:
        """The first message posted in ``channel`` matching ``predicate`` (see channel_messages)."""

        def probe() -> dict[str, Any] | None:
            found = self.channel_messages(channel, interactions=interactions)
            return next((m for m in found if predicate(m)), None)

        return await self.wait_until(probe, timeout, f"a message in channel {channel}")

    def files_of(self, message: dict[str, Any] | int) -> list[UploadedFile]:
        """The files uploaded with a message (its attachments' bytes)."""
        message_id = int(message["id"]) if isinstance(message, dict) else message
        return self.message_files.get(message_id, [])

    def _channel_id(self, channel: ChannelSpec | str | int) -> int:
        if isinstance(channel, ChannelSpec):
            return channel.id
        if isinstance(channel, str):
            return self.guild.channel(channel).id
        return channel

    # --- REST ---------------------------------------------------------------------------------

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        body, files = await _read_body(request)
        record = RecordedRequest(
            request.method,
            request.path.removeprefix(API_PREFIX),
            dict(request.query),
            body,
            files,
            dict(request.headers),
        )
        request[RECORD] = record
        for hold in self.holds:
            if record.matches(hold.route):
                hold.held.append(record)
                await self._changed()
                await hold.released.wait()
        rule = self._take_rate_limit(record)
        if rule is not None:
            rule.hits.append(record)
            response: web.StreamResponse = _too_many_requests(rule)
        else:
            response = await handler(request)
        record.status = response.status
        self.requests.append(record)
        await self._changed()
        return response

    def _take_rate_limit(self, record: RecordedRequest) -> RateLimitRule | None:
        for rule in self.rate_limits:
            if rule.remaining > 0 and record.matches(rule.route):
                rule.remaining -= 1
                return rule
        return None

    def _routes(self) -> list[web.RouteDef]:
        api = API_PREFIX
        app_cmds = api + "/applications/{app_id}/commands"
        guild_cmds = api + "/applications/{app_id}/guilds/{guild_id}/commands"
        hook_msg = api + "/webhooks/{app_id}/{token}/messages/{message_id}"
        channel_msg = api + "/channels/{channel_id}/messages/{message_id}"
        return [
            web.get("/ws", self.gateway.handle),
            web.get("/attachments/{attachment_id}/{filename}", self._get_hosted_file),
            web.get(api + "/gateway", self._get_gateway),
            web.get(api + "/gateway/bot", self._get_gateway_bot),
            web.get(api + "/users/@me", self._get_me),
            web.post(api + "/users/@me/channels", self._create_dm),
            web.get(api + "/users/{user_id}", self._get_user),
            web.get(api + "/oauth2/applications/@me", self._get_application),
            web.get(app_cmds, self._get_commands),
            web.put(app_cmds, self._put_commands),
            web.get(guild_cmds, self._get_commands),
            web.put(guild_cmds, self._put_commands),
            web.post(api + "/interactions/{interaction_id}/{token}/callback", self._callback),
            web.post(api + "/webhooks/{app_id}/{token}", self._followup),
            web.get(hook_msg, self._get_webhook_message),
            web.patch(hook_msg, self._edit_webhook_message),
            web.delete(hook_msg, self._delete_webhook_message),
            web.post(api + "/channels/{channel_id}/messages", self._post_channel_message),
            web.get(channel_msg, self._get_channel_message),
            web.patch(channel_msg, self._edit_channel_message),
            web.delete(channel_msg, self._delete_channel_message),
            web.get(api + "/channels/{channel_id}", self._get_channel),
            web.get(api + "/guilds/{guild_id}", self._get_guild),
            web.get(api + "/guilds/{guild_id}/channels", self._get_guild_channels),
            web.get(api + "/guilds/{guild_id}/members/{user_id}", self._get_member),
            web.route("*", api + "/{tail:.*}", self._unknown),
        ]

    async def _unknown(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        self.unknown_requests.append(record)
        log.error("stand-in has no route for %s %s", record.method, record.path)
        return json_response(
            {"message": f"stand-in: unknown route {record.method} {record.path}", "code": 0}, 404
        )

    async def _get_hosted_file(self, request: web.Request) -> web.Response:
        upload = self._hosted.get(request.match_info["attachment_id"])
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.content, headers={"Content-Type": upload.content_type})

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _get_me(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        return json_response(self.user_payload(self.bot_user) | {"verified": True})

    async def _get_user(self, request: web.Request) -> web.Response:
        user_id = int(request.match_info["user_id"])
        for user in [self.bot_user, *(u for g in self.guilds for u in g.members)]:
            if user.id == user_id:
                return json_response(self.user_payload(user))
        return _not_found("Unknown User", 10013)

    async def _get_application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": self.bot_user.name,
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.user_payload(self.admin),
                "summary": "",
                "verify_key": "0" * 64,
                "team": None,
                "flags": 0,
            }
        )

    async def _get_commands(self, request: web.Request) -> web.Response:
        guild_id = request.match_info.get("guild_id")
        return json_response(self.commands.get(int(guild_id) if guild_id else None, []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite: like Discord, a command keeps its id while its name and type stay."""
        guild_id = int(request.match_info["guild_id"]) if "guild_id" in request.match_info else None
        previous = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(guild_id, [])}
        stored = []
        for command in request[RECORD].json or []:
            key = (command["name"], command.get("type", 1))
            entry = {
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
                "id": previous.get(key, str(snowflake())),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
            }
            if guild_id is not None:
                entry["guild_id"] = str(guild_id)
            stored.append(entry)
        self.commands[guild_id] = stored
        return json_response(stored)

    # interactions

    async def _callback(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        handle = self.interactions.get(request.match_info["token"])
        if handle is None or str(handle.id) != request.match_info["interaction_id"]:
            return _not_found("Unknown interaction", 10062)
        if any(r.kind == "callback" for r in handle.replies):
            return json_response(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        kind = int(record.json["type"])
        data = record.json.get("data") or {}
        message = self._callback_message(handle, kind, data, record.files)
        handle.replies.append(Reply("callback", kind, data, record.files, message))
        if record.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        body: dict[str, Any] = {
            "interaction": {
                "id": str(handle.id),
                "type": handle.payload["type"],
                "activity_instance_id": None,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(message and int(message["flags"]) & 64),
            },
            "resource": {"type": kind},
        }
        if message is not None:
            body["resource"]["message"] = message
        return json_response(body)

    def _callback_message(
        self, handle: InteractionHandle, kind: int, data: dict[str, Any], files: list[UploadedFile]
    ) -> dict[str, Any] | None:
        """The message a callback creates (4, 5) or updates (6, 7); None for choices/modals."""
        if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            if kind == DEFERRED_CHANNEL_MESSAGE:
                data = {"content": "", "flags": int(data.get("flags") or 0) | LOADING}
            message = self._new_message(
                handle.payload, data, files, message_type=20, interaction=handle
            )
            handle.original_message_id = int(message["id"])
            return message
        if kind in (UPDATE_MESSAGE, DEFERRED_UPDATE):
            message_id = int(handle.payload["message"]["id"])
            handle.original_message_id = message_id
            if kind == UPDATE_MESSAGE:
                return self._edit_message(message_id, data, files)
            return self.messages[message_id]
        return None

    async def _followup(self, request: web.Request) -> web.Response:
        if request.match_info["token"] in self.expired_tokens:
            return _invalid_token()
        record: RecordedRequest = request[RECORD]
        handle = self.interactions.get(request.match_info["token"])
        if handle is None:
            return _not_found("Unknown Webhook", 10015)
        data = record.json or {}
        message = self._new_message(handle.payload, data, record.files, interaction=handle)
        handle.replies.append(Reply("followup", None, data, record.files, message))
        if record.query.get("wait") in ("1", "true", "True"):
            return json_response(message)
        return web.Response(status=204)

    def _webhook_target(self, request: web.Request) -> tuple[InteractionHandle, int] | None:
        handle = self.interactions.get(request.match_info["token"])
        if handle is None:
            return None
        raw = request.match_info["message_id"]
        message_id = handle.original_message_id if raw == "@original" else int(raw)
        if message_id is None or message_id not in self.messages:
            return None
        return handle, message_id

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        if request.match_info["token"] in self.expired_tokens:
            return _invalid_token()
        target = self._webhook_target(request)
        if target is None:
            return _not_found("Unknown Message", 10008)
        return json_response(self.messages[target[1]])

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        if request.match_info["token"] in self.expired_tokens:
            return _invalid_token()
        record: RecordedRequest = request[RECORD]
        target = self._webhook_target(request)
        if target is None:
            return _not_found("Unknown Message", 10008)
        handle, message_id = target
        message = self._edit_message(message_id, record.json or {}, record.files)
        handle.replies.append(Reply("edit", None, record.json or {}, record.files, message))
        return json_response(message)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        if request.match_info["token"] in self.expired_tokens:
            return _invalid_token()
        target = self._webhook_target(request)
        if target is None:
            return _not_found("Unknown Message", 10008)
        handle, message_id = target
        message = self.messages.pop(message_id)
        handle.replies.append(Reply("delete", None, {}, [], message))
        return web.Response(status=204)

    # channels

    def _user(self, user_id: int) -> UserSpec | None:
        everyone = [self.bot_user, *(u for g in self.guilds for u in g.members)]
        return next((u for u in everyone if u.id == user_id), None)

    def _dm_payload(self, user: UserSpec) -> dict[str, Any]:
        channel_id = self.dm_channels.setdefault(user.id, snowflake())
        return {
            "id": str(channel_id),
            "type": 1,
            "recipients": [self.user_payload(user)],
            "last_message_id": None,
        }

    def _dm_recipient(self, channel_id: int) -> int | None:
        return next((u for u, c in self.dm_channels.items() if c == channel_id), None)

    async def _create_dm(self, request: web.Request) -> web.Response:
        """POST /users/@me/channels: the one DM channel with a user (the same id each time)."""
        body = request[RECORD].json or {}
        user = self._user(int(body.get("recipient_id") or 0))
        if user is None:
            return json_response({"message": "Invalid Recipient(s)", "code": 50033}, 400)
        return json_response(self._dm_payload(user))

    async def _post_channel_message(self, request: web.Request) -> web.Response:
        """Honours ``enforce_nonce``: a repeated nonce returns the original message. A DM
        channel takes messages unless its user closed them (403, code 50007)."""
        record: RecordedRequest = request[RECORD]
        channel_id = int(request.match_info["channel_id"])
        found = self._find_channel(channel_id)
        recipient = self._dm_recipient(channel_id) if found is None else None
        if found is None and recipient is None:
            return _not_found("Unknown Channel", 10003)
        if recipient in self.closed_dms:
            return json_response(
                {"message": "Cannot send messages to this user", "code": 50007}, 403
            )
        body = record.json or {}
        nonce = body.get("nonce")
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get((channel_id, str(nonce)))
            if seen and now - seen[0] < NONCE_WINDOW_SECONDS and seen[1] in self.messages:
                return json_response(self.messages[seen[1]])
        context: dict[str, Any] = {"channel_id": str(channel_id)}
        if found is not None:
            context["guild_id"] = str(found[0].id)
        message = self._new_message(context, body, record.files)
        if nonce is not None:
            message["nonce"] = nonce
            self._nonces[(channel_id, str(nonce))] = (now, int(message["id"]))
        return json_response(message)

    async def _get_channel_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None:
            return _not_found("Unknown Message", 10008)
        return json_response(message)

    async def _edit_channel_message(self, request: web.Request) -> web.Response:
        record: RecordedRequest = request[RECORD]
        message_id = int(request.match_info["message_id"])
        if message_id not in self.messages:
            return _not_found("Unknown Message", 10008)
        return json_response(self._edit_message(message_id, record.json or {}, record.files))

    async def _delete_channel_message(self, request: web.Request) -> web.Response:
        if self.messages.pop(int(request.match_info["message_id"]), None) is None:
            return _not_found("Unknown Message", 10008)
        return web.Response(status=204)

    async def _get_channel(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        found = self._find_channel(channel_id)
        recipient = self._dm_recipient(channel_id) if found is None else None
        if recipient is not None:
            return json_response(self._dm_payload(self._user(recipient)))  # type: ignore[arg-type]
        if found is None:
            return _not_found("Unknown Channel", 10003)
        return json_response(self.channel_payload(*found))

    async def _get_guild(self, request: web.Request) -> web.Response:
        try:
            guild = self.guild_by_id(int(request.match_info["guild_id"]))
        except LookupError:
            return _not_found("Unknown Guild", 10004)
        payload = self.guild_create_payload(guild, 0)
        for key in ("channels", "members", "threads", "presences", "voice_states"):
            payload.pop(key)
        return json_response(payload)

    async def _get_guild_channels(self, request: web.Request) -> web.Response:
        try:
            guild = self.guild_by_id(int(request.match_info["guild_id"]))
        except LookupError:
            return _not_found("Unknown Guild", 10004)
        return json_response(
            [self.channel_payload(guild, c, i) for i, c in enumerate(guild.channels)]
        )

    async def _get_member(self, request: web.Request) -> web.Response:
        try:
            guild = self.guild_by_id(int(request.match_info["guild_id"]))
        except LookupError:
            return _not_found("Unknown Guild", 10004)
        user_id = int(request.match_info["user_id"])
        for user in [self.bot_user, *guild.members]:
            if user.id == user_id:
                return json_response(self.member_payload(guild, user))
        return _not_found("Unknown Member", 10007)

    def _find_channel(self, channel_id: int) -> tuple[GuildSpec, ChannelSpec] | None:
        for guild in self.guilds:
            for channel in guild.channels:
                if channel.id == channel_id:
                    return guild, channel
        return None

    # messages

    def _attachments(self, files: list[UploadedFile]) -> list[dict[str, Any]]:
        return [self.host_file(upload) for upload in files]

    def _new_message(
        self,
        context: dict[str, Any],
        body: dict[str, Any],
        files: list[UploadedFile],
        *,
        message_type: int = 0,
        interaction: InteractionHandle | None = None,
    ) -> dict[str, Any]:
        """Store a message the bot created in the channel ``context`` names."""
        message_id = snowflake()
        message: dict[str, Any] = {
            "id": str(message_id),
            "type": message_type,
            "channel_id": str(context["channel_id"]),
            "author": self.user_payload(self.bot_user),
            "content": body.get("content") or "",
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": body.get("components") or [],
            "attachments": self._attachments(files),
            "flags": int(body.get("flags") or 0),
            "timestamp": models.timestamp(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "application_id": str(self.application_id),
        }
        if context.get("guild_id"):
            message["guild_id"] = str(context["guild_id"])
        if interaction is not None:
            message["webhook_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "user": interaction.payload.get("member", {}).get("user")
                or interaction.payload.get("user"),
                "authorizing_integration_owners": interaction.payload[
                    "authorizing_integration_owners"
                ],
            }
        self.messages[message_id] = message
        self.message_files[message_id] = list(files)
        return message

    def _edit_message(
        self, message_id: int, body: dict[str, Any], files: list[UploadedFile]
    ) -> dict[str, Any]:
        """Apply an edit: given keys replace, ``attachments`` keeps the listed ids plus new files."""
        message = self.messages[message_id]
        for key in ("content", "components"):
            if key in body:
                message[key] = body[key] or ([] if key == "components" else "")
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "flags" in body:
            message["flags"] = int(body["flags"] or 0)
        message["flags"] = int(message["flags"]) & ~LOADING
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            kept_files = [
                f
                for f, a in zip(
                    self.message_files.get(message_id, []), message["attachments"], strict=False
                )
                if a["id"] in kept_ids
            ]
            message["attachments"] = kept + self._attachments(files)
            self.message_files[message_id] = kept_files + list(files)
        message["edited_timestamp"] = models.timestamp()
        return message


def _first_admin_and_member(guilds: list[GuildSpec]) -> tuple[UserSpec, UserSpec]:
    """For custom worlds: the first member with Manage Server, and the first without."""
    guild = guilds[0]
    admins = [u for u in guild.members if guild.permissions_of(u) & models.MANAGE_GUILD]
    others = [u for u in guild.members if not guild.permissions_of(u) & models.MANAGE_GUILD]
    if not admins or not others:
        raise ValueError("the first guild needs a member with Manage Server and one without")
    return admins[0], others[0]


def _invalid_token() -> web.Response:
    """What Discord answers for an interaction token older than 15 minutes."""
    return json_response({"message": "Invalid Webhook Token", "code": 50027}, 401)


def _not_found(message: str, code: int) -> web.Response:
    return json_response({"message": message, "code": code}, 404)


def _too_many_requests(rule: RateLimitRule) -> web.Response:
    """A 429 discord.py will honour: JSON ``retry_after`` and a ``Via`` header."""
    body = {
        "message": "You are being rate limited.",
        "retry_after": rule.retry_after,
        "global": rule.is_global,
    }
    headers = {
        "Via": "1.1 google",
        "Retry-After": str(max(1, round(rule.retry_after))),
        "X-RateLimit-Scope": "global" if rule.is_global else "user",
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    return json_response(body, 429, headers)


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """JSON body, or multipart ``payload_json`` plus ``files[n]`` in index order."""
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        indexed: list[tuple[int, UploadedFile]] = []
        reader = await request.multipart()
        async for part in reader:
            content = await part.read()
            if part.name == "payload_json":
                payload = json.loads(content)
                continue
            match = re.fullmatch(r"files\[(\d+)\]", part.name or "")
            index = int(match.group(1)) if match else len(indexed)
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            indexed.append((index, UploadedFile(part.filename or "", bytes(content), content_type)))
        return payload, [upload for _, upload in sorted(indexed, key=lambda item: item[0])]
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []
