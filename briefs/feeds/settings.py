"""How feeds are fetched: limits and pacing, from the environment so tests and operators can
change them without code."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import BadInput

MAX_BYTES = 5 * 1024 * 1024  # a feed or an article larger than this is refused unread

# environment variable -> field
ENVIRONMENT = {
    "DEALBRIEF_ALLOW_PRIVATE_URLS": "allow_private_urls",
    "DEALBRIEF_FEED_HOST_SPACING": "host_spacing",
    "DEALBRIEF_FEED_TIMEOUT": "timeout",
    "DEALBRIEF_FEED_ITEMS_PER_POLL": "items_per_poll",
    "DEALBRIEF_FEED_RETRY_BASE": "retry_base",
}


@dataclass(frozen=True)
class FeedSettings:
    """``host_spacing``: seconds between two requests to one host, so a site with many feeds is
    not hammered. ``items_per_poll``: after downtime a feed gives at most this many items per
    poll, the rest on the next. ``retry_base``: the first wait before retrying a 429 or 5xx
    that named no Retry-After; it doubles with each retry."""

    allow_private_urls: bool = False
    host_spacing: float = 3.0
    timeout: float = 30.0
    items_per_poll: int = 10
    retry_base: float = 2.0
    retries: int = 2
    retry_after_cap: float = 60.0
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    concurrency: int = 20

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FeedSettings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for variable, name in ENVIRONMENT.items():
            raw = (env.get(variable) or "").strip()
            if raw:
                values[name] = _convert(variable, name, raw)
        return cls(**values)  # type: ignore[arg-type]


def _convert(variable: str, name: str, raw: str) -> object:
    if name == "allow_private_urls":
        return raw.lower() in ("1", "true", "yes", "on")
    try:
        value = int(raw) if name == "items_per_poll" else float(raw)
    except ValueError:
        raise BadInput(
            f"{variable} must be a number", code="bad_setting", field=variable, value=raw
        ) from None
    if value < 0 or (name == "items_per_poll" and value < 1):
        raise BadInput(f"{variable} is out of range", code="bad_setting", field=variable, value=raw)
    return value
