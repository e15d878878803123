"""Feed polling: CPU seconds, wall time and peak memory per poll cycle, 500 feeds of 20 items.

Run: .venv/bin/python bench/bench_feeds.py [--feeds 500] [--items 20]
A loopback web server in a separate process (so its CPU is not counted) serves every feed with
an ETag and every article. Three cycles are timed, each polling every feed once:
  1. subscribe: the first poll of new subscriptions (fetch, parse, remember every item as seen);
  2. unchanged: every feed answers 304 to the conditional GET;
  3. one new item per feed: the feed again, then the article page, read and extracted
     (inline, as ``dealbrief feed poll`` does), stored and queued for review.
Beside each, the floor measured in the same run: bare aiohttp GETs of the same URLs at the same
concurrency, bodies read and nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from feed_server import article_html, rss, rss_item  # noqa: E402

from briefs.changes import Actor  # noqa: E402
from briefs.feeds import store  # noqa: E402
from briefs.feeds.poll import Poller  # noqa: E402
from briefs.feeds.settings import FeedSettings  # noqa: E402
from briefs.store import open_db, utcnow  # noqa: E402

CONCURRENCY = 20


def serve(port_out, feeds: int, items: int) -> None:
    """The web server process: /f/N is feed N (generation 0 or 1 by /gen/1), /a/N an article.
    Items are dated in the past day; the one item generation 1 adds is dated when served."""
    state = {"gen": 0}
    past = datetime.now(UTC) - timedelta(days=1)
    base = {}

    def feed_body(n: int, gen: int, port: int) -> bytes:
        key = (n, gen)
        if key not in base:
            first = n * (items + 1)
            numbers = range(first, first + items + gen)
            base[key] = rss(
                [
                    rss_item(
                        k,
                        None,
                        link=f"http://127.0.0.1:{port}/a/{k}",
                        published=datetime.now(UTC)
                        if k == first + items
                        else past + timedelta(seconds=k),
                    )
                    for k in numbers
                ]
            )
        return base[key]

    async def feed(request: web.Request) -> web.Response:
        n, gen = int(request.match_info["n"]), state["gen"]
        etag = f'"{n}-{gen}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = feed_body(n, gen, request.url.port)
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def article(request: web.Request) -> web.Response:
        return web.Response(
            text=article_html(int(request.match_info["n"])), content_type="text/html"
        )

    async def generation(request: web.Request) -> web.Response:
        state["gen"] = int(request.match_info["g"])
        return web.Response(text="ok")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/f/{n}", feed)
        app.router.add_get("/a/{n}", article)
        app.router.add_get("/gen/{g}", generation)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.send(site._server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(work):
    cpu0, wall0 = cpu(), time.perf_counter()
    result = asyncio.run(work)
    return result, cpu() - cpu0, time.perf_counter() - wall0


async def bare(urls: list[str], etags: dict[str, str] | None = None) -> int:
    """The floor: the same GETs (conditional when ``etags`` are given), bodies read, no more."""
    gate = asyncio.Semaphore(CONCURRENCY)
    async with aiohttp.ClientSession() as session:

        async def one(url: str) -> int:
            headers = {"If-None-Match": etags[url]} if etags else {}
            async with gate, session.get(url, headers=headers) as response:
                return len(await response.read())

        return sum(await asyncio.gather(*(one(u) for u in urls)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(
        target=serve, args=(there, args.feeds, args.items), daemon=True
    )
    server.start()
    port = here.recv()
    url = f"http://127.0.0.1:{port}"
    settings = FeedSettings(allow_private_urls=True, host_spacing=0, concurrency=CONCURRENCY)
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        now = utcnow()
        for n in range(args.feeds):
            store.add_feed(db, f"{url}/f/{n}", Actor("bench"), now=now)
        clock = {"now": now}

        async def inline(func, *a):
            return func(db, *a)

        poller = Poller(inline, settings, clock=lambda: clock["now"])
        feed_urls = [f"{url}/f/{n}" for n in range(args.feeds)]
        rows = []
        for name in ("subscribe", "unchanged", "one new item per feed"):
            if name == "one new item per feed":
                asyncio.run(bare([f"{url}/gen/1"]))
            report, cpu_s, wall_s = measured(poller.poll_due())
            new_articles = [
                f"{url}/a/{n * (args.items + 1) + args.items}" for n in range(args.feeds)
            ]
            urls = feed_urls + (new_articles if name == "one new item per feed" else [])
            etags = (
                {u: f'"{n}-0"' for n, u in enumerate(feed_urls)} if name == "unchanged" else None
            )
            _, floor_cpu, floor_wall = measured(bare(urls, etags))
            floor = (floor_cpu, floor_wall)
            rows.append((name, len(report.outcomes), report.taken, cpu_s, wall_s, floor))
            clock["now"] += timedelta(minutes=61)
        db.close()
    server.terminate()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.feeds} feeds x {args.items} items, concurrency {CONCURRENCY}")
    print("| cycle | feeds polled | items taken | CPU s | wall s | floor CPU s | floor wall s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, polled, taken, cpu_s, wall_s, floor in rows:
        print(
            f"| {name} | {polled} | {taken} | {cpu_s:.2f} | {wall_s:.2f} "
            f"| {floor[0]:.2f} | {floor[1]:.2f} |"
        )
    print(f"peak RSS of the polling process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
