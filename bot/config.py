"""The bot's settings: command-line flags win over the environment, which wins over a TOML file.

The token belongs in the environment (``DISCORD_TOKEN``), not in a file others may read; the
file (``--config``, else ``./dealbrief.toml`` when present) holds a ``[bot]`` table with the
same names as :class:`BotConfig`'s fields.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from briefs.config_file import CONFIG_FILE, read_table
from briefs.errors import BadInput
from briefs.ingest.settings import ExtractorSettings, load_extractor_settings
from briefs.store import resolve_path
from briefs.watch.ledger import BATCH_WINDOW

DEFAULT_CONFIG_FILE = CONFIG_FILE
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# settings that take one of a few words
CHOICES = {"log_level": LOG_LEVELS, "log_format": LOG_FORMATS}

# environment variable -> field
ENVIRONMENT = {
    "DISCORD_TOKEN": "token",
    "DEALBRIEF_DB": "db_path",
    "DISCORD_API_BASE": "api_base",
    "DISCORD_GATEWAY_URL": "gateway_url",
    "DEALBRIEF_GUILDS": "guild_ids",
    "DEALBRIEF_SHARD_COUNT": "shard_count",
    "DEALBRIEF_SHARD_IDS": "shard_ids",
    "DEALBRIEF_COGS": "cogs",
    "DEALBRIEF_LOG_LEVEL": "log_level",
    "DEALBRIEF_WATCH_BATCH_SECONDS": "watch_batch_seconds",
    "DEALBRIEF_LOG_FORMAT": "log_format",
    "DEALBRIEF_HEALTH_PORT": "health_port",
}


@dataclass
class BotConfig:
    """Everything the bot needs to start.

    ``api_base`` and ``gateway_url`` point the bot somewhere other than discord.com (the
    test suite's loopback Discord). ``guild_ids`` syncs commands to those servers only, which
    Discord applies at once (global commands can take a while): handy while developing.
    ``cogs`` None means every module in ``bot.cogs``. ``log_format`` "json" writes one JSON
    object per log line; ``health_port`` serves ``/healthz`` and ``/readyz`` on 127.0.0.1
    (0: any free port), none when None.
    """

    token: str | None = None
    db_path: Path = field(default_factory=resolve_path)
    api_base: str | None = None
    gateway_url: str | None = None
    guild_ids: list[int] = field(default_factory=list)
    shard_count: int | None = None
    shard_ids: list[int] | None = None
    cogs: list[str] | None = None
    log_level: str = "INFO"
    log_format: str = "text"
    health_port: int | None = None
    load_curated: bool = True
    ingest: ExtractorSettings = field(default_factory=ExtractorSettings)  # the [ingest] table
    watch_batch_seconds: int = int(BATCH_WINDOW.total_seconds())

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None or self.shard_ids is not None


def parse_ids(value: Any, setting: str) -> list[int]:
    """``"1,2 3"`` or ``[1, "2"]`` -> ``[1, 2, 3]``; anything else is a polite BadInput."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    try:
        return [int(item) for item in items]
    except (TypeError, ValueError):
        raise BadInput(
            f"{setting} must be numbers", code="bad_setting", field=setting, value=str(value)
        ) from None


def _convert(name: str, value: Any) -> Any:
    """Bring a raw setting (text from the environment, or a TOML value) to the field's type."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # a blank setting (a token of spaces) is no setting at all
    if name == "db_path":
        return Path(value)
    if name in ("guild_ids", "shard_ids"):
        return parse_ids(value, name)
    if name in ("shard_count", "watch_batch_seconds"):
        (count,) = parse_ids([value], name)
        return count
    if name == "cogs":
        return value.replace(",", " ").split() if isinstance(value, str) else list(value)
    if name in CHOICES:
        return _choice(name, value, CHOICES[name])
    if name == "health_port":
        return _port(name, value)
    if name == "load_curated":
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    return str(value)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    """``value`` as one of ``choices``, written in any case."""
    for choice in choices:
        if str(value).lower() == choice.lower():
            return choice
    raise BadInput(f"unknown {name} {value}", code="bad_setting", field=name, value=value)


def _port(name: str, value: Any) -> int:
    """A TCP port number; 0 lets the system pick a free one."""
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 <= port <= 65535:
        raise BadInput(f"no port {value}", code="bad_setting", field=name, value=str(value))
    return port


def read_file(path: Path) -> dict[str, Any]:
    """The ``[bot]`` table of a TOML file; other tables belong to other parts of the project."""
    return read_table(path, "bot", {f.name for f in fields(BotConfig)} - {"ingest"})


def load_config(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> BotConfig:
    """Merge file < environment < ``overrides`` (flags; None values mean "not given")."""
    environ = os.environ if environ is None else environ
    path = Path(config_file) if config_file else DEFAULT_CONFIG_FILE
    if config_file and not path.exists():
        raise BadInput(f"no config file {path}", code="no_config_file", value=str(path))
    merged: dict[str, Any] = read_file(path) if path.exists() else {}
    for variable, name in ENVIRONMENT.items():
        if environ.get(variable):
            merged[name] = environ[variable]
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None and v != ()})
    settings = {name: _convert(name, value) for name, value in merged.items()}
    config = BotConfig(**{k: v for k, v in settings.items() if v is not None})
    config.ingest = load_extractor_settings(config_file=path, environ=environ)
    if config.shard_ids is not None and config.shard_count is None:
        # discord.py cannot tell which shards these are without the total.
        raise BadInput("shard ids need a shard count", code="bad_setting", field="shard_count")
    return config
