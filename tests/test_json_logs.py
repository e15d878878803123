"""``--log-format json``: every log line is one JSON object, and an unexpected error's line
carries the error id the user was told."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import sys

import aiohttp
import pytest
from discord import app_commands
from discord.ext import commands

from bot.logs import JsonFormatter


class Broken(commands.Cog):
    """A command with a bug of ours: what the error id is for."""

    @app_commands.command(name="broken", description="Fails.")
    async def broken(self, interaction) -> None:
        raise RuntimeError("the bug")


@pytest.fixture
def json_log():
    """The ``dealbrief`` loggers written through the JSON formatter into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("dealbrief")
    logger.addHandler(handler)
    yield buffer
    logger.removeHandler(handler)


async def test_an_unexpected_error_is_one_json_line_with_its_error_id(start_bot, standin, json_log):
    await start_bot(cogs=[Broken()])
    reply = await (await standin.slash("broken")).answer()
    told = re.search(r"\b([0-9a-f]{8})\b", reply.text)
    assert told, reply.text
    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    (failure,) = [e for e in entries if e.get("error_id")]
    assert failure["error_id"] == told.group(1)
    assert failure["level"] == "ERROR"
    assert failure["logger"] == "dealbrief.bot.errors"
    assert "/broken failed" in failure["message"]
    assert "RuntimeError: the bug" in failure["exception"]
    assert failure["time"].endswith("+00:00")


def test_a_line_without_error_or_exception_has_only_the_four_fields():
    record = logging.LogRecord("dealbrief.x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    assert set(json.loads(JsonFormatter().format(record))) == {"time", "level", "logger", "message"}
    assert json.loads(JsonFormatter().format(record))["message"] == "hello you"


async def test_the_bot_command_writes_json_lines_and_serves_health(standin, db_path):
    """The real program with --log-format json and --health-port 0: every line it logs
    parses, and the port it names answers /healthz."""
    environ = {
        **os.environ,
        "DISCORD_TOKEN": standin.token,
        "DISCORD_API_BASE": standin.api_base,
        "DEALBRIEF_COGS": "bot.cogs.lookup",
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "dealbrief", "--db", str(db_path), "bot"),
        *("--log-format", "json", "--health-port", "0"),
        env=environ,
        stdin=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    entries = []
    try:
        assert process.stderr is not None
        while not any("synced" in e["message"] for e in entries):
            line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
            assert line, f"the bot stopped: {entries}"
            entries.append(json.loads(line))
        (listening,) = [e for e in entries if "health checks on" in e["message"]]
        port = re.search(r":(\d+)/healthz", listening["message"]).group(1)
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert response.status == 200
    finally:
        process.terminate()
        await process.communicate()
    assert all(set(e) >= {"time", "level", "logger", "message"} for e in entries)
    assert {e["logger"].split(".")[0] for e in entries} >= {"dealbrief", "discord"}
