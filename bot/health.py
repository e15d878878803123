"""``/healthz`` and ``/readyz`` on 127.0.0.1, for a service manager or a load balancer.

``/healthz`` answers 200 while the process serves at all. ``/readyz`` answers 200 only when
the bot can do its work: connected to Discord's gateway (every shard of this process), its
database writable, and the digest scheduler running (when the digest cog is loaded); else 503,
naming what is wrong. Both answer JSON. The server runs on the bot's own event loop, so a loop
held by blocking work shows up here as no answer at all, which is what a watchdog should see.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from briefs.errors import DealbriefError
from briefs.store import check_writable

log = logging.getLogger("dealbrief.bot.health")

HOST = "127.0.0.1"
# Longer than the database's busy timeout would be no answer for a prober; a write lock held
# this long is itself a reason not to be ready.
DATABASE_WAIT_SECONDS = 3.0
OK = "ok"


def gateway_problem(bot: Any) -> str | None:
    """Why the gateway is not connected, or None. A sharded bot needs every one of its shards."""
    if bot.is_closed():
        return "the bot is shutting down"
    shards = getattr(bot, "shards", None)
    if shards is not None:
        down = sorted(shard_id for shard_id, shard in shards.items() if shard.is_closed())
        if not shards or down:
            return f"shards not connected: {down or 'none started'}"
        return None
    if bot.ws is None or not bot.ws.open:
        return "not connected to the gateway"
    return None


async def database_problem(bot: Any) -> str | None:
    """Why the database cannot take a write now, or None."""
    try:
        await asyncio.wait_for(bot.db_call(check_writable), DATABASE_WAIT_SECONDS)
    except TimeoutError:
        return f"no answer within {DATABASE_WAIT_SECONDS:g} s"
    except Exception as err:  # any failure is a reason to report, not to crash the probe
        return f"{type(err).__name__}: {err}"
    return None


def scheduler_problem(bot: Any) -> str | None:
    """Why the digest scheduler is not running, or None (also when no digest cog is loaded)."""
    cog = bot.get_cog("DigestCog")
    if cog is not None and not cog.scheduler.running:
        return "the digest scheduler is not running"
    return None


async def readiness(bot: Any) -> dict[str, str]:
    """Each check by name: ``ok`` or what is wrong."""
    problems = {
        "gateway": gateway_problem(bot),
        "database": await database_problem(bot),
        "scheduler": scheduler_problem(bot),
    }
    return {name: problem or OK for name, problem in problems.items()}


class HealthServer:
    """The two endpoints for one bot, on ``port`` (0 picks a free one; see ``self.port``)."""

    def __init__(self, bot: Any, port: int) -> None:
        self.bot = bot
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, HOST, self.port).start()
        except OSError as err:
            await self.stop()
            raise DealbriefError(
                f"cannot listen on {HOST}:{self.port}: {err}",
                code="health_port_busy",
                value=self.port,
            ) from err
        self.port = self._runner.addresses[0][1]
        log.info("health checks on http://%s:%d/healthz and /readyz", HOST, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def readyz(self, _request: web.Request) -> web.Response:
        checks = await readiness(self.bot)
        ready = all(result == OK for result in checks.values())
        if not ready:
            log.debug("not ready: %s", checks)
        return web.json_response(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status=200 if ready else 503,
        )
