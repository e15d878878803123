"""Fetching feeds and articles politely and defensively.

Conditional GET (ETag, Last-Modified, 304), a timeout, a size limit enforced while reading,
redirects followed by hand (each hop's host checked, at most a few hops, a permanent move
reported so the feed's address can be updated), per-host spacing, and retries of 429 and 5xx
that honour Retry-After. Every failure is a :class:`FetchError` with a short code that
``/feed status`` shows.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

import aiohttp

from .settings import FeedSettings
from .urls import PrivateAddress, PublicResolver, check_host

CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)


def user_agent() -> str:
    try:
        release = version("dealbrief")
    except PackageNotFoundError:
        release = "dev"
    return f"dealbrief/{release} (feed reader)"


class FetchError(Exception):
    """``code``: timeout, too_large, too_many_redirects, redirect_loop, private_address,
    connection, http_404, ... ``retry_after``: seconds the server asked us to wait."""

    def __init__(self, code: str, retry_after: float | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Worth trying again later (the server may recover); the others will not change."""
        return self.code in ("timeout", "connection", "http_429") or self.code.startswith("http_5")


@dataclass(frozen=True)
class FetchResult:
    url: str  # where the body came from, after redirects
    status: int  # 200, or 304 when the conditional GET found nothing new
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # set when every redirect on the way was permanent


class HostSpacer:
    """At most one request per host every ``spacing`` seconds, across all feeds of a poll."""

    def __init__(self, spacing: float) -> None:
        self.spacing = spacing
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, host: str) -> None:
        if self.spacing <= 0:
            return
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            delay = self._next.get(host, 0.0) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next[host] = time.monotonic() + self.spacing


class Fetcher:
    """One aiohttp session for a poll; use ``async with Fetcher(settings) as fetcher``."""

    def __init__(self, settings: FeedSettings) -> None:
        self.settings = settings
        self.spacer = HostSpacer(settings.host_spacing)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        resolver = None if self.settings.allow_private_urls else PublicResolver()
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(resolver=resolver),
            headers={"User-Agent": user_agent()},
            timeout=aiohttp.ClientTimeout(total=self.settings.timeout),
            auto_decompress=True,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` following redirects by hand; raises FetchError."""
        headers = {"Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = {url}
        permanent = True
        for _hop in range(self.settings.max_redirects + 1):
            response = await self._request(url, headers)
            try:
                if response.status in REDIRECTS and "Location" in response.headers:
                    permanent = permanent and response.status in PERMANENT
                    url = urljoin(url, response.headers["Location"])
                    if url in seen:
                        raise FetchError("redirect_loop")
                    seen.add(url)
                    continue
                return await self._result(response, url, moved=permanent and len(seen) > 1)
            finally:
                response.release()
        raise FetchError("too_many_redirects")

    async def _request(self, url: str, headers: dict[str, str]) -> aiohttp.ClientResponse:
        """One hop, retried on 429 and 5xx after Retry-After or a doubling wait."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url")
        if not self.settings.allow_private_urls:
            try:
                await check_host(parts.hostname, parts.port)
            except PrivateAddress:
                raise FetchError("private_address") from None
        assert self._session is not None, "use the Fetcher as an async context manager"
        for attempt in range(self.settings.retries + 1):
            await self.spacer.wait(parts.hostname)
            try:
                response = await self._session.get(url, headers=headers, allow_redirects=False)
            except TimeoutError:
                raise FetchError("timeout") from None
            except (aiohttp.ClientError, OSError):
                raise FetchError("connection") from None
            if response.status != 429 and response.status < 500:
                return response
            wait = retry_after(response.headers.get("Retry-After"))
            response.release()
            if attempt == self.settings.retries or (
                wait is not None and wait > self.settings.retry_after_cap
            ):
                raise FetchError(f"http_{response.status}", retry_after=wait)
            await asyncio.sleep(wait if wait is not None else self.settings.retry_base * 2**attempt)
        raise AssertionError("unreachable")

    async def _result(self, response: aiohttp.ClientResponse, url: str, moved: bool) -> FetchResult:
        if response.status == 304:
            return FetchResult(url, 304, moved_to=url if moved else None)
        if response.status != 200:
            raise FetchError(f"http_{response.status}")
        limit = self.settings.max_bytes
        if (response.content_length or 0) > limit:
            raise FetchError("too_large")
        body = bytearray()
        try:
            async for chunk in response.content.iter_chunked(CHUNK):
                body += chunk
                if len(body) > limit:
                    raise FetchError("too_large")
        except TimeoutError:
            raise FetchError("timeout") from None
        except aiohttp.ClientError:
            raise FetchError("connection") from None
        return FetchResult(
            url,
            200,
            bytes(body),
            content_type=response.headers.get("Content-Type"),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            moved_to=url if moved else None,
        )


def retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date (in the past means now)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
