"""The Discord bot: built from a BotConfig, it opens the knowledge base, loads the cogs and
syncs the slash commands; cogs do the talking.

Blocking work never runs on the event loop. The loop also keeps the gateway heartbeat: a
SQLite query, a matplotlib chart or a curated load that holds it for seconds makes Discord
think the bot is gone (and interactions must be answered within 3 s). So cogs call
``await bot.db_call(fn, *args)`` for database work (``fn(db, *args)`` in a database thread),
``await bot.run_in_worker(fn, *args)`` for heavy pure-Python work (reading HTML, extraction
rules), which would hold the GIL and so stall the loop even from a thread, and
``await run_blocking(fn, *args)`` for anything else slow.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import multiprocessing
import pkgutil
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from briefs import curated
from briefs.db_lock import DatabaseLock
from briefs.errors import DealbriefError
from briefs.store import is_initialised, open_db

from . import cogs as cogs_package
from .config import BotConfig
from .errors import on_app_command_error
from .health import HealthServer

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("dealbrief.bot")

T = TypeVar("T")

# SQLite serialises writers anyway; a few threads let reads overlap a slow write (WAL).
DB_THREADS = 3
# Worker processes for heavy extraction: one keeps the loop free; the machine's cores are shared.
EXTRACT_WORKERS = 1
# How long shutdown waits for running database work before interrupting it (and again after).
CLOSE_WAIT_SECONDS = 10.0


async def run_blocking(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``func`` in a worker thread so the event loop (and the heartbeat) keeps going."""
    return await asyncio.to_thread(func, *args, **kwargs)


def discover_cogs() -> list[str]:
    """Every module in ``bot.cogs`` (each exposes ``async def setup(bot)``), by name."""
    return sorted(
        f"{cogs_package.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs_package.__path__)
        if not module.name.startswith("_")
    )


class ShuttingDown(DealbriefError):
    """Database work asked for while the bot shuts down: told to the user as a restart."""

    code = "bot_restarting"


class DatabaseThreads:
    """A few worker threads, each with its own connection: sqlite3 connections must stay in
    the thread that opened them.

    Shutting down is orderly: new work is refused with :class:`ShuttingDown` at once, work
    already running gets ``close_wait`` seconds to finish (so its answer still goes out), a
    query still running then is interrupted, and only then are the connections closed, each
    in its own thread.
    """

    def __init__(
        self, db_path: Any, threads: int = DB_THREADS, *, close_wait: float = CLOSE_WAIT_SECONDS
    ) -> None:
        self.db_path = db_path
        self.threads = threads
        self.close_wait = close_wait
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="dealbrief-db")
        self._local = threading.local()
        self._connections: dict[int, Database] = {}
        self._connections_lock = threading.Lock()
        # Futures are added here and removed from worker threads when done: under the lock.
        self._running: set[Future[Any]] = set()
        self._running_lock = threading.Lock()
        self._closing = False

    @property
    def closing(self) -> bool:
        return self._closing

    def _connection(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.db_path)
            with self._connections_lock:
                self._connections[threading.get_ident()] = db
        return db

    def _run(self, func: Callable[..., T], args: tuple[Any, ...]) -> T:
        try:
            return func(self._connection(), *args)
        except sqlite3.OperationalError as err:
            if self._closing and str(err) == "interrupted":
                raise ShuttingDown("interrupted by shutdown") from err
            raise

    async def call(self, func: Callable[..., T], *args: Any) -> T:
        if self._closing:
            raise ShuttingDown("the database is closing")
        future = self._executor.submit(self._run, func, args)
        with self._running_lock:
            self._running.add(future)
        future.add_done_callback(self._finished)
        return await asyncio.wrap_future(future)

    def _finished(self, future: Future[Any]) -> None:
        with self._running_lock:
            self._running.discard(future)

    def _still_running(self) -> list[Future[Any]]:
        with self._running_lock:
            return list(self._running)

    async def close(self) -> None:
        """Refuse new work, let running work finish (interrupting a query still running after
        ``close_wait``), then close every thread's connection in its own thread."""
        if self._closing:
            return
        self._closing = True
        if await self._finish_running(self.close_wait):
            await self._close_connections()
            self._executor.shutdown(wait=True)
            return
        log.warning(
            "database work still running %.0f s into shutdown; its connection is left open",
            self.close_wait * 2,
        )
        self._executor.shutdown(wait=False)

    async def _finish_running(self, wait: float) -> bool:
        """Wait for running work; interrupt what SQLite is still running after ``wait``, then
        wait as long again. False if something still runs (Python code cannot be interrupted)."""
        for step in ("wait", "interrupt"):
            running = [asyncio.wrap_future(future) for future in self._still_running()]
            if not running:
                return True
            if step == "interrupt":
                with self._connections_lock:
                    for db in self._connections.values():
                        db.conn.interrupt()
            await asyncio.wait(running, timeout=wait)
        return not self._still_running()

    async def _close_connections(self) -> None:
        """One task per thread, held at a barrier until all have started, so that each thread
        runs exactly one of them; nothing else runs by now, so every thread takes one."""
        barrier = threading.Barrier(self.threads)
        loop = asyncio.get_running_loop()

        def close_mine() -> None:
            barrier.wait(timeout=10)
            db = getattr(self._local, "db", None)
            if db is not None:
                db.close()
                self._local.db = None

        await asyncio.gather(
            *(loop.run_in_executor(self._executor, close_mine) for _ in range(self.threads))
        )


class DealBotBase:
    """What the plain and the sharded bot share (mixed into commands.Bot / AutoShardedBot)."""

    config: BotConfig

    def _init_dealbot(self, config: BotConfig) -> None:
        self.config = config
        self.db_path = config.db_path
        self.database = DatabaseThreads(config.db_path)
        self.db_lock = DatabaseLock(config.db_path)
        self.health: HealthServer | None = None
        self._workers: ProcessPoolExecutor | None = None
        self._saved_endpoints: tuple[str, yarl.URL] | None = None
        self.tree.error(on_app_command_error)  # type: ignore[attr-defined]

    async def db_call(self, func: Callable[..., T], *args: Any) -> T:
        """``func(db, *args)`` in a database thread, with that thread's own connection."""
        return await self.database.call(func, *args)

    async def run_in_worker(self, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` in a worker process (started on first use; 'spawn', so it inherits
        none of the bot's threads or connections). ``func`` and its arguments are pickled."""
        if self._workers is None:
            self._workers = ProcessPoolExecutor(
                EXTRACT_WORKERS, mp_context=multiprocessing.get_context("spawn")
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, functools.partial(func, *args))

    # --- where Discord is -----------------------------------------------------------------

    def _point_rest_at_api_base(self) -> None:
        """Every REST route reads Route.BASE when it is built, so this must come first."""
        if self.config.api_base and self._saved_endpoints is None:
            self._saved_endpoints = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
            Route.BASE = self.config.api_base.rstrip("/")

    async def _point_gateway(self) -> None:
        """A plain bot always dials DEFAULT_GATEWAY (it never asks /gateway/bot), so when the
        REST base moved, move the gateway too: to the configured URL or the one REST names."""
        if not self.config.api_base:
            return
        url = self.config.gateway_url
        if url is None:
            _shards, url, _limits = await self.http.get_bot_gateway()  # type: ignore[attr-defined]
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    def _restore_endpoints(self) -> None:
        if self._saved_endpoints is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved_endpoints
            self._saved_endpoints = None

    # --- start-up -------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        self.db_lock.shared()  # a restore now waits for this bot to stop, and the reverse
        if self.config.health_port is not None and self.health is None:
            self.health = HealthServer(self, self.config.health_port)
            await self.health.start()
        self._point_rest_at_api_base()
        await super().login(token)  # type: ignore[misc]

    async def setup_hook(self) -> None:
        await self._point_gateway()
        await self.db_call(prepare_database, self.config.load_curated)
        for name in self.config.cogs if self.config.cogs is not None else discover_cogs():
            await self._load_cog(name)
        await self.sync_commands()
        # Start-up's long-lived objects (caches, command tree, templates): no full GC rescans.
        gc.collect()
        gc.freeze()

    async def _load_cog(self, name: str) -> None:
        """Load one cog; one that fails is logged by name and left out, so the others serve."""
        try:
            await self.load_extension(name)  # type: ignore[attr-defined]
        except commands.ExtensionError as err:
            cause = err.__cause__ or err
            log.error(
                "could not load %s, its commands are left out: %s", name, cause, exc_info=cause
            )
            return
        log.info("loaded %s", name)

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Globally, or (while developing) to the configured servers, where it applies at once."""
        tree: app_commands.CommandTree = self.tree  # type: ignore[attr-defined]
        if not self.config.guild_ids:
            synced = await tree.sync()
            log.info("synced %d global commands", len(synced))
            return synced
        synced = []
        for guild_id in self.config.guild_ids:
            guild = discord.Object(guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            log.info("synced %d commands to server %s", len(synced), guild_id)
        return synced

    async def close(self) -> None:
        """The database first, while Discord is still connected: work already running is
        answered, and a command arriving meanwhile is told the bot is restarting."""
        await self.database.close()
        if self._workers is not None:
            self._workers.shutdown(wait=False, cancel_futures=True)
        await super().close()  # type: ignore[misc]
        self._restore_endpoints()
        if self.health is not None:
            await self.health.stop()
        self.db_lock.release()


def prepare_database(db: Database, load_curated: bool) -> None:
    """Migrations ran when the connection opened; on a first run, load the curated facts."""
    if not load_curated or is_initialised(db):
        return
    report = curated.load_curated(db)
    log.info("first run: loaded curated facts (%s)", report)


def _bot_options(config: BotConfig) -> dict[str, Any]:
    """Intents without privileged ones: slash commands need none, and reading messages or
    member lists is nothing this bot does."""
    options: dict[str, Any] = {
        "command_prefix": commands.when_mentioned,
        "intents": discord.Intents.default(),
        "allowed_mentions": discord.AllowedMentions.none(),
        "help_command": None,
    }
    if config.shard_count is not None:
        options["shard_count"] = config.shard_count
    if config.shard_ids is not None:
        options["shard_ids"] = config.shard_ids
    return options


class DealBot(DealBotBase, commands.Bot):
    """One gateway connection: what almost every deployment needs."""

    def __init__(self, config: BotConfig) -> None:
        super().__init__(**_bot_options(config))
        self._init_dealbot(config)


class ShardedDealBot(DealBotBase, commands.AutoShardedBot):
    """Several gateway connections. Without a shard count it asks ``GET /gateway/bot`` how
    many Discord recommends; ``shard_ids`` runs only some of them in this process."""

    def __init__(self, config: BotConfig) -> None:
        super().__init__(**_bot_options(config))
        self._init_dealbot(config)


def create_bot(config: BotConfig) -> DealBot | ShardedDealBot:
    """The sharded bot when shards are configured, else the plain one."""
    return ShardedDealBot(config) if config.sharded else DealBot(config)
