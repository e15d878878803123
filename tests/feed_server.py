"""A loopback web server for feed tests: feeds and articles on 127.0.0.1, with whatever
misbehaviour a test asks for. It runs its own event loop in a thread, so synchronous tests
(the command line through CliRunner) and async ones can both use it.

``server.serve(path, body, etag=...)`` answers GET with the body, and 304 to a matching
If-None-Match; ``server.route(path, handler)`` takes an aiohttp handler for anything else.
``server.requests`` records (path, headers) of every request.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NAMES = ["Corvane", "Halden", "Mirel", "Ostrava", "Pellam", "Quarto", "Rennet", "Sorrel", "Tamsin"]
BASE_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class FeedServer:
    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def start(self) -> FeedServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path, dict(request.headers)))
        handler = self.handlers.get(request.path)
        if handler is None:
            return web.Response(status=404, text="not here")
        return await handler(request)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]

    def route(self, path: str, handler: Handler) -> None:
        self.handlers[path] = handler

    def serve(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "application/rss+xml",
        *,
        etag: str | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body

        async def handler(request: web.Request) -> web.Response:
            if etag and request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            headers = {"ETag": etag} if etag else {}
            return web.Response(
                body=data,
                headers=headers,
                content_type=content_type.split(";")[0],
                charset=_charset(content_type),
            )

        self.route(path, handler)


def _charset(content_type: str) -> str | None:
    _, _, rest = content_type.partition("charset=")
    return rest.strip() or None


def article_html(n: int) -> str:
    """A short article stating one licensing deal, different for each ``n``."""
    name = NAMES[n % len(NAMES)] + (str(n) if n >= len(NAMES) else "")
    return (
        f"<html><head><title>{name} Bio takes KT-{n}</title></head><body><article>"
        f"<h1>{name} Bio takes KT-{n}</h1><p>{name} Bio licensed the antibody KT-{n} from "
        f"Lumen Therapeutics on Tuesday. {name} Bio will pay ${20 + n} million upfront and up "
        "to $200 million in milestones.</p><p>The agreement covers North America and Europe. "
        "Lumen Therapeutics keeps the rights in Asia, where it sells two other medicines.</p>"
        "</article></body></html>"
    )


def rss_item(
    n: int,
    server: FeedServer | None = None,
    *,
    guid: str | None = None,
    link: str | None = "",
    published: datetime | None = None,
    title: str | None = None,
    content: str | None = None,
) -> str:
    """One RSS <item>; ``link=""`` means /a/{n} on ``server``, None means no link."""
    if link == "" and server is not None:
        link = server.url(f"/a/{n}")
    when = published or BASE_TIME + timedelta(hours=n)
    parts = [f"<title>{escape(title or f'Item {n}')}</title>"]
    if link:
        parts.append(f"<link>{escape(link)}</link>")
    parts.append(f'<guid isPermaLink="false">{escape(guid or f"item-{n}")}</guid>')
    parts.append(f"<pubDate>{format_datetime(when)}</pubDate>")
    if content is not None:
        parts.append(f"<description>{escape(content)}</description>")
    return "<item>" + "".join(parts) + "</item>"


def rss(items: list[str], title: str = "Deal Wire", encoding: str = "utf-8") -> bytes:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>deals</description>{''.join(items)}</channel></rss>"
    )
    return text.encode(encoding)


def serve_articles(server: FeedServer, numbers: range | list[int]) -> None:
    for n in numbers:
        server.serve(f"/a/{n}", article_html(n), "text/html; charset=utf-8")


def serving() -> Iterator[FeedServer]:
    """A started FeedServer, stopped after (for a test module's ``feed_server`` fixture)."""
    server = FeedServer().start()
    yield server
    server.stop()


class Clock:
    """An injected clock the test moves by hand, a month after the items' base time."""

    def __init__(self) -> None:
        self.now = BASE_TIME + timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
