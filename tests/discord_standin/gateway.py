"""The stand-in's gateway: one websocket per shard, speaking Discord's opcodes.

HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATE, RESUME -> RESUMED. When the client
asks for ``compress=zlib-stream`` every payload goes out as a binary frame through one shared
deflate stream ending in Z_SYNC_FLUSH, as Discord does; otherwise (also for zstd, which the
stand-in does not speak) payloads are text frames, which discord.py parses as they are.
"""

from __future__ import annotations

import json
import logging
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import StandIn

log = logging.getLogger("discord_standin.gateway")

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11


@dataclass
class GatewayFrame:
    """One payload the bot sent over the gateway (``op`` and ``d``), with its connection."""

    op: int
    d: Any
    connection: int


@dataclass
class Session:
    """What survives a dropped socket so the bot can RESUME: id, sequence, intents, shard."""

    id: str
    intents: int
    shard: tuple[int, int] | None
    seq: int = 0


@dataclass
class Connection:
    number: int
    ws: web.WebSocketResponse
    request: web.Request
    compress: bool
    session: Session | None = None
    deflate: Any = field(default=None)

    def __post_init__(self) -> None:
        if self.compress:
            self.deflate = zlib.compressobj()

    async def send(self, payload: dict[str, Any]) -> None:
        text = json.dumps(payload)
        if self.compress:
            data = self.deflate.compress(text.encode()) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
            await self.ws.send_bytes(data)
        else:
            await self.ws.send_str(text)

    async def dispatch(self, event: str, data: Any) -> None:
        assert self.session is not None
        self.session.seq += 1
        await self.send({"op": DISPATCH, "t": event, "s": self.session.seq, "d": data})

    def owns_guild(self, guild_id: int | None) -> bool:
        """Discord routes a guild's events to shard (guild_id >> 22) % shard_count."""
        if self.session is None:
            return False
        if guild_id is None or self.session.shard is None:
            return True
        shard_id, shard_count = self.session.shard
        return (guild_id >> 22) % shard_count == shard_id


class Gateway:
    """Accepts websocket connections and keeps the live ones and their sessions."""

    def __init__(self, standin: StandIn, heartbeat_interval_ms: int) -> None:
        self.standin = standin
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.connections: list[Connection] = []
        self.sessions: dict[str, Session] = {}
        self.frames: list[GatewayFrame] = []
        self.connection_count = 0
        # True: new connections are refused (HTTP 503), as while Discord's gateway is down.
        self.refusing = False

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        if self.refusing:
            raise web.HTTPServiceUnavailable(text="stand-in gateway refusing connections")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connection_count += 1
        compress = request.query.get("compress") == "zlib-stream"
        conn = Connection(self.connection_count, ws, request, compress)
        self.connections.append(conn)
        await self.standin._changed()
        try:
            await conn.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._received(conn, json.loads(message.data))
                elif message.type is WSMsgType.BINARY:
                    raise ValueError("the stand-in expects JSON text frames from the client")
        finally:
            self.connections.remove(conn)
            await self.standin._changed()
        return ws

    async def _received(self, conn: Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        self.frames.append(GatewayFrame(op, data, conn.number))
        if op == HEARTBEAT:
            await conn.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(conn, data)
        elif op == RESUME:
            await self._resume(conn, data)
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(conn, data)
        await self.standin._changed()

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        shard = tuple(data["shard"]) if data.get("shard") else None
        session = Session(secrets.token_hex(16), int(data.get("intents", 0)), shard)
        self.sessions[session.id] = session
        conn.session = session
        standin = self.standin
        guilds = [g for g in standin.guilds if conn.owns_guild(g.id)]
        ready = {
            "v": 10,
            "user": standin.user_payload(standin.bot_user)
            | {"verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": standin.gateway_url,
            "application": {"id": str(standin.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        await conn.dispatch("READY", ready)
        for guild in guilds:
            await conn.dispatch(
                "GUILD_CREATE", standin.guild_create_payload(guild, session.intents)
            )

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await conn.send({"op": INVALID_SESSION, "d": False})
            return
        conn.session = session
        await conn.dispatch("RESUMED", {})

    async def _members_chunk(self, conn: Connection, data: dict[str, Any]) -> None:
        guild = self.standin.guild_by_id(int(data["guild_id"]))
        chunk = {
            "guild_id": str(guild.id),
            "members": [self.standin.member_payload(guild, user) for user in guild.members],
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        await conn.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def ready_connections(self) -> list[Connection]:
        return [c for c in self.connections if c.session is not None]

    async def dispatch(self, event: str, data: Any, guild_id: int | None = None) -> None:
        """Send an event to the shard that owns ``guild_id`` (every shard if None)."""
        targets = [c for c in self.ready_connections() if c.owns_guild(guild_id)]
        if not targets:
            raise RuntimeError(f"no identified gateway connection to send {event} to")
        for conn in targets if guild_id is None else targets[:1]:
            await conn.dispatch(event, data)

    async def drop(self, code: int | None = 4000) -> int:
        """Close every live connection: with ``code``, or abruptly (no close frame) if None."""
        dropped = 0
        for conn in list(self.connections):
            dropped += 1
            if code is None:
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            else:
                await conn.ws.close(code=code, message=b"stand-in dropped the connection")
        return dropped

    async def send_op(self, op: int, d: Any = None) -> None:
        """Send a raw opcode (RECONNECT, INVALID_SESSION...) to every live connection."""
        for conn in list(self.connections):
            await conn.send({"op": op, "d": d})

    async def close_all(self) -> None:
        for conn in list(self.connections):
            await conn.ws.close(code=1001, message=b"stand-in stopping")
