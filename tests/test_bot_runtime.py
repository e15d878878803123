"""The bot's runtime against the loopback Discord: start-up, sync, errors, rate limits, reconnects."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import discord
import pytest
from click.testing import CliRunner
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord_standin import StandIn

from bot.app import ShardedDealBot, discover_cogs, prepare_database
from bot.config import BotConfig, load_config
from bot.entry import cli
from briefs.errors import BadInput, NotFound
from briefs.store import open_db

CALLBACK = "POST /interactions/{id}/{token}/callback"
ERROR_ID = re.compile(r"\b[0-9a-f]{8}\b")


class Probe(commands.Cog):
    """Tiny commands that exercise the runtime, not any feature."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="echo", description="Say it back")
    async def echo(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    @app_commands.command(name="boom", description="Fail unexpectedly")
    async def boom(self, interaction: discord.Interaction) -> None:
        raise RuntimeError("the probe exploded")

    @app_commands.command(name="late-boom", description="Fail after deferring")
    async def late_boom(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        raise RuntimeError("the probe exploded late")

    @app_commands.command(name="unknown", description="Raise a polite domain error")
    async def unknown(self, interaction: discord.Interaction, name: str) -> None:
        raise NotFound("no such company", code="unknown_company", value=name)

    @app_commands.command(name="managers", description="Only for Manage Server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def managers(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("welcome, manager")

    @app_commands.command(name="tables", description="Count tables from a database thread")
    async def tables(self, interaction: discord.Interaction) -> None:
        def count(db, prefix: str) -> tuple[int, str]:
            names = [t for t in db.table_names() if t.startswith(prefix)]
            return len(names), threading.current_thread().name

        found, thread = await self.bot.db_call(count, "fact")
        await interaction.response.send_message(f"{found} tables in {thread}")

    @app_commands.command(name="announce", description="Post in this channel")
    async def announce(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.channel.send(text)
        await interaction.edit_original_response(content="posted")


async def test_login_syncs_commands_with_plain_intents(start_bot, standin):
    bot = await start_bot(cogs=[Probe])
    registered = {c["name"] for c in standin.commands[None]}
    assert {"echo", "boom", "unknown", "managers"} <= registered
    order = [(r.method, r.path) for r in standin.requests]
    assert order[:3] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("GET", "/gateway/bot"),
    ]
    assert ("PUT", f"/applications/{standin.application_id}/commands") in order
    identify = await standin.wait_for_gateway(2)
    assert identify.d["token"] == standin.token
    assert identify.d["intents"] == discord.Intents.default().value
    assert not discord.Intents._from_value(identify.d["intents"]).members
    assert bot.application_id == standin.application_id
    assert bot.allowed_mentions.everyone is False


async def test_guild_sync_registers_commands_on_that_server(start_bot, standin):
    await start_bot(cogs=[Probe], guild_sync=True)
    assert None not in standin.commands
    assert "echo" in {c["name"] for c in standin.commands[standin.guild.id]}
    handle = await standin.slash("echo", {"text": "from the guild"})
    assert handle.payload["data"]["guild_id"] == str(standin.guild.id)
    assert (await handle.response()).content == "from the guild"


async def test_slash_command_round_trip(start_bot, standin):
    await start_bot(cogs=[Probe])
    handle = await standin.slash("echo", {"text": "@everyone hello"})
    reply = await handle.response()
    assert reply.type == 4
    assert reply.content == "@everyone hello"
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert not reply.ephemeral


async def test_rate_limited_callback_is_retried(start_bot, standin):
    await start_bot(cogs=[Probe])
    rule = standin.rate_limit(CALLBACK, count=1, retry_after=0.2)
    handle = await standin.slash("echo", {"text": "patience"})
    reply = await handle.response()
    assert reply.content == "patience"
    assert len(rule.hits) == 1 and rule.hits[0].status == 429
    statuses = [r.status for r in standin.find_requests(CALLBACK)]
    assert statuses == [429, 200]


async def test_global_rate_limit_on_a_channel_post_is_waited_out(start_bot, standin):
    await start_bot(cogs=[Probe])
    rule = standin.rate_limit(
        "POST /channels/{id}/messages", count=2, retry_after=0.1, is_global=True
    )
    handle = await standin.slash("announce", {"text": "after the wait"})
    assert (await handle.edit()).content == "posted"
    assert [m["content"] for m in standin.channel_messages("general")] == ["after the wait"]
    assert len(rule.hits) == 2


@pytest.mark.parametrize("code", [4000, None], ids=["close-4000", "abrupt"])
async def test_dropped_gateway_resumes_and_still_answers(start_bot, standin, code):
    bot = await start_bot(cogs=[Probe])
    session = bot.ws.session_id
    mark = len(standin.gateway.frames)
    assert await standin.drop_gateway(code) == 1
    resume = await standin.wait_for_gateway(6, timeout=10, since=mark)
    assert resume.d["session_id"] == session
    handle = await standin.slash("echo", {"text": "still here"})
    assert (await handle.response()).content == "still here"
    assert standin.gateway.connection_count == 2


async def test_gateway_traffic_is_zlib_compressed(start_bot, standin):
    await start_bot(cogs=[Probe])
    (connection,) = standin.gateway.ready_connections()
    assert connection.compress
    assert connection.request.query["compress"] == "zlib-stream"
    handle = await standin.slash("echo", {"text": "compressed"})
    assert (await handle.response()).content == "compressed"


async def test_unexpected_error_is_logged_with_the_id_the_user_sees(start_bot, standin, caplog):
    await start_bot(cogs=[Probe])
    with caplog.at_level(logging.ERROR, logger="dealbrief.bot.errors"):
        reply = await (await standin.slash("boom")).response()
    assert reply.ephemeral
    error_id = ERROR_ID.search(reply.text).group(0)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1
    assert "the probe exploded" in str(logged[0].exc_info[1])
    assert "exploded" not in reply.text


async def test_error_after_defer_arrives_as_an_ephemeral_followup(start_bot, standin, caplog):
    await start_bot(cogs=[Probe])
    with caplog.at_level(logging.ERROR, logger="dealbrief.bot.errors"):
        handle = await standin.slash("late-boom")
        followup = await handle.followup()
    assert (await handle.response()).type == 5
    assert followup.ephemeral
    assert ERROR_ID.search(followup.text).group(0) in caplog.text


async def test_domain_error_gets_its_polite_message(start_bot, standin):
    await start_bot(cogs=[Probe])
    reply = await (await standin.slash("unknown", {"name": "Acme <@&1>"})).response()
    assert reply.ephemeral
    assert "No company is called" in reply.text
    assert "<@&1>" not in reply.text


async def test_permission_check_refuses_members_and_admits_managers(start_bot, standin):
    await start_bot(cogs=[Probe])
    refused = await (await standin.slash("managers", user=standin.member)).response()
    assert refused.ephemeral
    assert "manage guild" in refused.text.lower() or "manage server" in refused.text.lower()
    admitted = await (await standin.slash("managers", user=standin.admin)).response()
    assert admitted.content == "welcome, manager"


async def test_db_call_runs_in_a_database_thread(start_bot, standin, db_path):
    bot = await start_bot(cogs=[Probe])
    assert bot.db_path == db_path
    reply = await (await standin.slash("tables")).response()
    count, _, thread = reply.content.partition(" tables in ")
    assert int(count) >= 2  # facts and its full-text tables
    assert thread.startswith("dealbrief-db")


async def test_configured_gateway_url_skips_asking_rest(start_bot, standin):
    await start_bot(cogs=[Probe], gateway_url=standin.gateway_url)
    assert not standin.find_requests("GET /gateway/bot")
    assert (await (await standin.slash("echo", {"text": "hi"})).response()).content == "hi"


async def test_sharded_bot_identifies_with_its_shard(start_bot, standin):
    bot = await start_bot(cogs=[Probe], shard_count=1, shard_ids=[0])
    assert isinstance(bot, ShardedDealBot)
    identify = await standin.wait_for_gateway(2)
    assert identify.d["shard"] == [0, 1]
    assert (await (await standin.slash("echo", {"text": "shard"})).response()).content == "shard"


async def test_extensions_are_loaded_by_name(start_bot, standin, tmp_path, monkeypatch):
    (tmp_path / "probe_extension.py").write_text(
        "from discord import app_commands\n"
        "@app_commands.command(name='ping', description='Ping')\n"
        "async def ping(interaction):\n"
        "    await interaction.response.send_message('pong')\n"
        "async def setup(bot):\n"
        "    bot.tree.add_command(ping)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    await start_bot(extensions=["probe_extension"])
    assert (await (await standin.slash("ping")).response()).content == "pong"


async def test_a_cog_that_fails_to_load_is_named_in_the_log_and_the_rest_serve(
    start_bot, standin, tmp_path, monkeypatch, caplog
):
    (tmp_path / "broken_extension.py").write_text(
        "async def setup(bot):\n    raise RuntimeError('the broken cog gave up')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with caplog.at_level(logging.ERROR, logger="dealbrief.bot"):
        await start_bot(extensions=["broken_extension", "no_such_cog", "bot.cogs.lookup"])
    logged = [r.getMessage() for r in caplog.records if r.name == "dealbrief.bot"]
    assert len(logged) == 2
    assert "could not load broken_extension" in logged[0] and "no_such_cog" in logged[1]
    assert "the broken cog gave up" in caplog.text
    assert "help" in {c["name"] for c in standin.commands[None]}


async def test_reconnects_register_nothing_twice(start_bot, standin):
    bot = await start_bot(extensions=None)
    cogs, tree = set(bot.cogs), [c.name for c in bot.tree.get_commands()]
    mark = len(standin.gateway.frames)
    await standin.drop_gateway(4000)
    await standin.wait_for_gateway(6, timeout=10, since=mark)
    mark = len(standin.gateway.frames)
    await standin.send_reconnect()
    await standin.wait_for_gateway(6, timeout=10, since=mark)
    assert (await (await standin.slash("help")).response()).ephemeral
    assert len(standin.find_requests("PUT /applications/{app}/commands")) == 1
    assert (set(bot.cogs), [c.name for c in bot.tree.get_commands()]) == (cogs, tree)


async def test_closing_restores_discord_endpoints(start_bot, standin):
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    bot = await start_bot()
    assert standin.api_base == Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == standin.gateway_url
    await bot.close()
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


def test_discovered_cogs_are_modules_of_bot_cogs():
    found = discover_cogs()
    assert all(name.startswith("bot.cogs.") for name in found)
    assert not any(name.rsplit(".", 1)[1].startswith("_") for name in found)


# --- configuration ----------------------------------------------------------------------------


def test_flags_win_over_environment_over_file(tmp_path):
    file = tmp_path / "dealbrief.toml"
    file.write_text(
        '[bot]\nguild_ids = [1, 2]\nlog_level = "debug"\ndb_path = "from-file.db"\n'
        '[digest]\nweekday = "monday"\n'
    )
    environ = {"DEALBRIEF_GUILDS": "3, 4", "DEALBRIEF_DB": "from-env.db", "DISCORD_TOKEN": "t"}
    config = load_config({"db_path": tmp_path / "flag.db"}, config_file=file, environ=environ)
    assert config.guild_ids == [3, 4]
    assert config.db_path == tmp_path / "flag.db"
    assert config.log_level == "DEBUG"
    assert config.token == "t"
    assert config.shard_count is None and not config.sharded


def test_environment_shards_make_a_sharded_config(tmp_path):
    environ = {"DEALBRIEF_SHARD_COUNT": "2", "DEALBRIEF_SHARD_IDS": "0,1"}
    config = load_config(config_file=None, environ=environ)
    assert (config.shard_count, config.shard_ids, config.sharded) == (2, [0, 1], True)


@pytest.mark.parametrize(
    ("environ", "code"),
    [
        ({"DEALBRIEF_GUILDS": "12,abc"}, "bad_setting"),
        ({"DEALBRIEF_LOG_LEVEL": "loud"}, "bad_setting"),
        ({"DEALBRIEF_SHARD_IDS": "0,1"}, "bad_setting"),
    ],
)
def test_bad_settings_are_refused_politely(environ, code):
    with pytest.raises(BadInput) as caught:
        load_config(environ=environ)
    assert caught.value.code == code


def test_unknown_file_setting_is_refused(tmp_path):
    file = tmp_path / "bot.toml"
    file.write_text("[bot]\ntokne = 'oops'\n")
    with pytest.raises(BadInput) as caught:
        load_config(config_file=file, environ={})
    assert caught.value.code == "unknown_setting"


def test_missing_explicit_config_file_is_refused(tmp_path):
    with pytest.raises(BadInput):
        load_config(config_file=tmp_path / "absent.toml", environ={})


def test_default_config_needs_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEALBRIEF_DB", raising=False)
    config = load_config(environ={})
    assert config == BotConfig(db_path=Path("dealbrief.db"))


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["group", "command"])
def test_bot_command_without_token_opens_the_console(tmp_path, monkeypatch, where):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("DEALBRIEF_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db_flag = ["--db", str(tmp_path / "kb.db")]
    args = [*db_flag, "bot"] if where == "group" else ["bot", *db_flag]
    result = CliRunner().invoke(cli, args, input="quit\n")
    assert result.exit_code == 0, result.output
    first, *_ = result.output.splitlines()
    assert "DISCORD_TOKEN" in first
    assert (tmp_path / "kb.db").exists()
    assert not (tmp_path / "dealbrief.db").exists()


def _counts(db_path: Path) -> tuple[int, int]:
    db = open_db(db_path)
    try:
        facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
        return facts, db.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        db.close()


@contextmanager
def standin_in_a_thread() -> Iterator[StandIn]:
    """A stand-in served from its own thread and loop, for code that runs its own loop."""
    loop = asyncio.new_event_loop()
    standin = StandIn()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(standin.start())
        started.set()
        loop.run_forever()
        loop.run_until_complete(standin.stop())
        loop.close()

    thread = threading.Thread(target=serve, name="standin", daemon=True)
    thread.start()
    assert started.wait(10), "the stand-in did not start"
    try:
        yield standin
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def test_a_refused_token_is_one_line_and_a_failed_exit(tmp_path, monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # `bot` adds its log handler
    monkeypatch.setattr(root, "level", root.level)
    with standin_in_a_thread() as standin:
        monkeypatch.setenv("DISCORD_TOKEN", "not-" + standin.token)
        monkeypatch.setenv("DISCORD_API_BASE", standin.api_base)
        result = CliRunner().invoke(cli, ["--db", str(tmp_path / "kb.db"), "bot"])
        refused = standin.find_requests("GET /users/@me")
    assert [r.status for r in refused] == [401]
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not the LoginFailure's traceback
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "DISCORD_TOKEN" in errors[0]
    assert "Traceback" not in result.output


async def test_first_run_loads_curated_facts_and_a_restart_adds_nothing(start_bot, db_path):
    await start_bot(load_curated=True)
    facts, audits = _counts(db_path)
    assert facts > 0
    db = open_db(db_path)
    try:
        prepare_database(db, load_curated=True)
    finally:
        db.close()
    assert _counts(db_path) == (facts, audits)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_discord_out_of_reach_is_one_line_and_a_failed_exit(tmp_path):
    api_base = f"http://127.0.0.1:{closed_port()}/api/v10"
    environ = {**os.environ, "DISCORD_TOKEN": "some-token", "DISCORD_API_BASE": api_base}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.entry import cli; cli()",
            "--db",
            str(tmp_path / "kb.db"),
            "bot",
        ],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: Cannot reach Discord at {api_base}: check the network connection and the API base setting."
    ]


def test_a_blank_token_counts_as_none_and_opens_the_console(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "   ")
    monkeypatch.delenv("DEALBRIEF_DB", raising=False)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "kb.db"), "bot"], input="quit\n")
    assert result.exit_code == 0, result.output
    assert "DISCORD_TOKEN" in result.output.splitlines()[0]
