"""/healthz and /readyz of the real bot, connected to the loopback Discord, asked over HTTP."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import sys
from typing import Any

import aiohttp
import pytest

from bot.app import create_bot
from bot.config import BotConfig
from briefs.errors import DealbriefError

DIGEST = "bot.cogs.digest"


async def get(bot: Any, path: str) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{bot.health.port}{path}") as response,
    ):
        return response.status, await response.json()


async def wait_for_status(bot: Any, status: int, timeout: float = 30.0) -> dict[str, Any]:
    """Ask /readyz until it answers ``status``; fail naming the last answer."""
    answer: tuple[int, dict[str, Any]] = (0, {})
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        answer = await get(bot, "/readyz")
        if answer[0] == status:
            return answer[1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"/readyz never answered {status}; last: {answer}")


async def test_ready_once_connected_and_503_naming_the_gateway_while_it_is_down(start_bot, standin):
    bot = await start_bot(extensions=[DIGEST], health_port=0)
    body = await wait_for_status(bot, 200)
    assert body == {
        "status": "ready",
        "checks": {"gateway": "ok", "database": "ok", "scheduler": "ok"},
    }
    standin.gateway.refusing = True
    await standin.drop_gateway(4000)
    body = await wait_for_status(bot, 503)
    assert body["status"] == "not ready"
    assert body["checks"]["gateway"] == "not connected to the gateway"
    assert body["checks"]["database"] == body["checks"]["scheduler"] == "ok"
    assert await get(bot, "/healthz") == (200, {"status": "alive"})
    standin.gateway.refusing = False
    await wait_for_status(bot, 200, timeout=60)


async def test_not_ready_while_the_database_cannot_take_a_write(start_bot, db_path):
    bot = await start_bot(health_port=0)
    await wait_for_status(bot, 200)
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        body = await wait_for_status(bot, 503)
    finally:
        other.rollback()
        other.close()
    assert body["checks"]["database"].startswith("no answer within")
    assert body["checks"]["gateway"] == "ok"
    await wait_for_status(bot, 200)


async def test_not_ready_when_the_digest_scheduler_stopped(start_bot):
    bot = await start_bot(extensions=[DIGEST], health_port=0)
    await wait_for_status(bot, 200)
    bot.get_cog("DigestCog").scheduler.shutdown()
    body = await wait_for_status(bot, 503)
    assert body["checks"]["scheduler"] == "the digest scheduler is not running"


async def test_no_health_server_unless_a_port_is_set(start_bot):
    bot = await start_bot()
    assert bot.health is None


async def test_a_port_in_use_stops_the_start_with_a_clear_error(standin, db_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = BotConfig(
            token=standin.token,
            db_path=db_path,
            api_base=standin.api_base,
            cogs=[],
            load_curated=False,
            health_port=port,
        )
        bot = create_bot(config)
        try:
            with pytest.raises(DealbriefError) as refused:
                await bot.start(standin.token)
        finally:
            await bot.close()
    assert refused.value.code == "health_port_busy"
    assert standin.gateway.connection_count == 0


async def test_the_healthcheck_program_waits_for_ready_and_fails_on_no_answer(start_bot):
    bot = await start_bot(health_port=0)
    url = f"http://127.0.0.1:{bot.health.port}/readyz"
    waited = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dealbrief.healthcheck", url, "--wait", "30"
    )
    assert await waited.wait() == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    refused = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "dealbrief.healthcheck", f"http://127.0.0.1:{closed}/healthz"),
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await refused.communicate()
    assert refused.returncode == 1
    assert err.decode().startswith(f"http://127.0.0.1:{closed}/healthz: no answer")
