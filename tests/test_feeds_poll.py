"""Polling feeds against a real loopback web server: conditional GETs, failures and recovery,
limits, redirects, duplicates, encodings and the private-address refusal."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from aiohttp import web
from feed_server import BASE_TIME, Clock, article_html, rss, rss_item, serve_articles, serving

from briefs.changes import Actor
from briefs.feeds import store
from briefs.feeds.poll import Poller
from briefs.feeds.settings import FeedSettings

SETTINGS = FeedSettings(allow_private_urls=True, host_spacing=0, retry_base=0.01, timeout=5)
ADMIN = Actor("test:admin")


@pytest.fixture
def feed_server():
    yield from serving()


def poller(db, clock: Clock, settings: FeedSettings = SETTINGS) -> Poller:
    async def inline(func, *args):
        return func(db, *args)

    return Poller(inline, settings, clock=clock)


def poll(db, clock: Clock, settings: FeedSettings = SETTINGS):
    return asyncio.run(poller(db, clock, settings).poll_due())


def subscribe(db, url, clock, **options) -> store.Feed:
    return store.add_feed(db, url, ADMIN, now=clock(), **options)


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def titles(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT title FROM sources ORDER BY id")]


def test_backfill_then_conditional_get_then_one_new_item(db, feed_server):
    serve_articles(feed_server, range(8))
    items = [rss_item(n, feed_server) for n in range(7)]
    feed_server.serve("/feed", rss(items), etag='"v1"')
    clock = Clock()
    feed = subscribe(db, feed_server.url("/feed"), clock, backfill=5)
    report = poll(db, clock)
    assert report.taken == 5
    assert titles(db) == [f"Item {n}" for n in range(2, 7)]  # the five newest, oldest first
    assert count(db, "proposals") == 5
    source = db.execute("SELECT outlet, url, published FROM sources ORDER BY id LIMIT 1").fetchone()
    assert source == ("Deal Wire", feed_server.url("/a/2"), "2026-01-05")

    clock.advance(minutes=61)
    assert poll(db, clock).outcomes[0].status == "not_modified"
    assert feed_server.hits("/feed")[-1]["If-None-Match"] == '"v1"'
    assert count(db, "sources") == 5

    feed_server.serve("/feed", rss([*items, rss_item(7, feed_server)]), etag='"v2"')
    clock.advance(minutes=61)
    assert poll(db, clock).taken == 1
    assert titles(db)[-1] == "Item 7" and count(db, "sources") == 6
    assert store.get_feed(db, store.SHELL, feed.id).etag == '"v2"'


def test_a_new_subscription_takes_only_what_comes_after_it(db, feed_server):
    serve_articles(feed_server, range(3))
    feed_server.serve("/feed", rss([rss_item(0, feed_server), rss_item(1, feed_server)]))
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    assert poll(db, clock).taken == 0
    later = rss_item(2, feed_server, published=clock() + timedelta(minutes=5))
    feed_server.serve("/feed", rss([rss_item(0, feed_server), rss_item(1, feed_server), later]))
    clock.advance(minutes=61)
    assert poll(db, clock).taken == 1
    assert titles(db) == ["Item 2"]


def test_duplicate_guids_rewritten_dates_and_reordering_take_each_item_once(db, feed_server):
    serve_articles(feed_server, range(4))
    clock = Clock()
    twice = [rss_item(0, feed_server), rss_item(0, feed_server), rss_item(1, feed_server)]
    feed_server.serve("/feed", rss(twice))
    subscribe(db, feed_server.url("/feed"), clock, backfill=10)
    assert poll(db, clock).taken == 2
    # The same items again: dates rewritten, order reversed, one with a tracking parameter on
    # its link and a new GUID.
    moved = [
        rss_item(1, feed_server, published=clock()),
        rss_item(
            0,
            feed_server,
            published=clock(),
            guid="renamed",
            link=feed_server.url("/a/0?utm_source=x#top"),
        ),
    ]
    feed_server.serve("/feed", rss(moved))
    clock.advance(minutes=61)
    assert poll(db, clock).taken == 0
    assert count(db, "sources") == 2


def test_after_downtime_a_feed_gives_a_few_items_per_poll_and_the_rest_next(db, feed_server):
    serve_articles(feed_server, range(7))
    clock = Clock()
    feed_server.serve("/feed", rss([]), etag='"empty"')
    subscribe(db, feed_server.url("/feed"), clock)
    poll(db, clock)
    feed_server.serve(
        "/feed",
        rss(
            [rss_item(n, feed_server, published=clock() + timedelta(hours=n + 1)) for n in range(7)]
        ),
        etag='"full"',
    )
    settings = FeedSettings(allow_private_urls=True, host_spacing=0, items_per_poll=3)
    taken = []
    for _ in range(4):
        clock.advance(minutes=61)
        taken.append(poll(db, clock, settings).taken)
    assert taken == [3, 3, 1, 0]
    assert titles(db) == [f"Item {n}" for n in range(7)]


def test_server_errors_are_retried_with_backoff_then_recover(db, feed_server):
    serve_articles(feed_server, range(2))
    failures = {"left": 3}
    body = rss([rss_item(0, feed_server, published=BASE_TIME + timedelta(days=31))])

    async def flaky(request):
        if failures["left"]:
            failures["left"] -= 1
            return web.Response(status=503, headers={"Retry-After": "0"})
        return web.Response(body=body, content_type="application/rss+xml")

    feed_server.route("/feed", flaky)
    clock = Clock()
    feed = subscribe(db, feed_server.url("/feed"), clock)
    report = poll(db, clock)
    assert [o.status for o in report.outcomes] == ["failed"]
    assert len(feed_server.hits("/feed")) == 3  # the first try and two retries
    failing = store.get_feed(db, store.SHELL, feed.id)
    assert failing.last_error == "http_503" and failing.failures == 1
    assert failing.next_poll_at > (clock() + timedelta(minutes=59)).isoformat()
    assert poll(db, clock).outcomes == []  # not due again yet
    clock.advance(hours=2)
    assert poll(db, clock).taken == 1
    healed = store.get_feed(db, store.SHELL, feed.id)
    assert healed.last_error is None and healed.failures == 0 and healed.last_success_at


def test_a_day_of_failures_gives_one_notice(db, feed_server):
    feed_server.route("/feed", lambda request: _status(404))
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    notices = []
    for _ in range(12):
        report = poll(db, clock)
        notices += report.notices
        clock.advance(hours=4)
    assert len(notices) == 1
    assert notices[0].feed.last_error == "http_404"


async def _status(status: int) -> web.Response:
    return web.Response(status=status)


def test_a_slow_server_times_out(db, feed_server):
    async def slow(request):
        await asyncio.sleep(3)
        return web.Response(body=rss([]))

    feed_server.route("/feed", slow)
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    settings = FeedSettings(allow_private_urls=True, host_spacing=0, timeout=0.3)
    assert poll(db, clock, settings).outcomes[0].failure.code == "timeout"


def test_a_huge_body_is_refused_without_reading_it_all(db, feed_server):
    sent = {"bytes": 0}

    async def huge(request):
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        chunk = b"<!-- padding -->" * 4096
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            await response.write(chunk)
            sent["bytes"] += len(chunk)
        return response

    async def announced(request):
        return web.Response(body=b"x" * 100, headers={"Content-Length": str(50 * 1024 * 1024)})

    feed_server.route("/huge", huge)
    feed_server.route("/announced", announced)
    clock = Clock()
    subscribe(db, feed_server.url("/huge"), clock)
    subscribe(db, feed_server.url("/announced"), clock)
    assert [o.failure.code for o in poll(db, clock).outcomes] == ["too_large", "too_large"]
    assert sent["bytes"] < 50 * 1024 * 1024


def test_malformed_xml_is_a_failure_not_a_crash(db, feed_server):
    feed_server.serve("/feed", b"<rss><channel><title>Broken</title><item><title>A</ite")
    feed_server.serve("/page", "<html><body>not a feed</body></html>", "text/html")
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    subscribe(db, feed_server.url("/page"), clock)
    report = poll(db, clock)
    assert sorted(o.status for o in report.outcomes) == ["failed", "failed"]
    assert {o.failure.code for o in report.outcomes} == {"malformed_feed"}


def test_redirect_loops_and_long_chains_are_refused(db, feed_server):
    async def loop_a(request):
        raise web.HTTPFound("/loop-b")

    async def loop_b(request):
        raise web.HTTPFound("/loop-a")

    def hop(n):
        async def handler(request):
            raise web.HTTPFound(f"/hop/{n + 1}")

        return handler

    feed_server.route("/loop-a", loop_a)
    feed_server.route("/loop-b", loop_b)
    for n in range(10):
        feed_server.route(f"/hop/{n}", hop(n))
    clock = Clock()
    subscribe(db, feed_server.url("/loop-a"), clock)
    subscribe(db, feed_server.url("/hop/0"), clock)
    codes = sorted(o.failure.code for o in poll(db, clock).outcomes)
    assert codes == ["redirect_loop", "too_many_redirects"]
    assert len(feed_server.hits("/hop/5")) == 1 and not feed_server.hits("/hop/6")


def test_a_permanent_move_is_stored_and_a_temporary_one_is_not(db, feed_server):
    serve_articles(feed_server, range(1))
    feed_server.serve("/new", rss([rss_item(0, feed_server)]))

    async def moved(request):
        raise web.HTTPMovedPermanently("/new")

    async def visiting(request):
        raise web.HTTPTemporaryRedirect("/new")

    feed_server.route("/old", moved)
    feed_server.route("/elsewhere", visiting)
    clock = Clock()
    permanent = subscribe(db, feed_server.url("/old"), clock)
    temporary = subscribe(db, feed_server.url("/elsewhere"), clock)
    poll(db, clock)
    assert store.get_feed(db, store.SHELL, permanent.id).url == feed_server.url("/new")
    assert store.get_feed(db, store.SHELL, temporary.id).url == feed_server.url("/elsewhere")


def test_items_without_a_link_are_read_from_the_feed_or_skipped(db, feed_server):
    text = article_html(3).split("<article>")[1].split("</article>")[0]
    items = [
        rss_item(3, feed_server, link=None, content=text, published=BASE_TIME + timedelta(days=31)),
        rss_item(4, feed_server, link=None, published=BASE_TIME + timedelta(days=31)),
    ]
    feed_server.serve("/feed", rss(items))
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    assert poll(db, clock).taken == 1
    assert titles(db) == ["Item 3"]
    assert count(db, "proposals") == 1
    statuses = [row[0] for row in db.execute("SELECT status FROM feed_items ORDER BY id")]
    assert statuses == ["taken", "skipped"]


def test_feeds_and_articles_outside_utf8_are_read(db, feed_server):
    latin = rss(
        [
            rss_item(
                0,
                feed_server,
                title="Société Générale Bio takes KT-0",
                published=BASE_TIME + timedelta(days=31),
            )
        ],
        title="Dépêches",
        encoding="iso-8859-1",
    )
    feed_server.serve("/feed", latin)
    page = article_html(0).replace("Tuesday.", "Tuesday, at the “Café” summit.")
    feed_server.serve("/a/0", page.encode("cp1252"), "text/html")
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    assert poll(db, clock).taken == 1
    title, outlet, text = db.execute("SELECT title, outlet, text FROM sources").fetchone()
    assert title == "Société Générale Bio takes KT-0" and outlet == "Dépêches"
    assert "“Café”" in text


def test_json_feed_items_are_taken(db, feed_server):
    serve_articles(feed_server, range(2))
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Wire",
        "items": [
            {
                "id": "j1",
                "url": feed_server.url("/a/1"),
                "title": "Item 1",
                "date_published": "2026-03-01T10:00:00Z",
            },
            {
                "id": "j0",
                "url": feed_server.url("/a/0"),
                "title": "Item 0",
                "date_published": "2025-12-01T10:00:00Z",
            },
        ],
    }
    feed_server.serve("/feed.json", json.dumps(feed), "application/feed+json")
    clock = Clock()
    subscribe(db, feed_server.url("/feed.json"), clock)
    assert poll(db, clock).taken == 1
    assert db.execute("SELECT title, outlet, published FROM sources").fetchone() == (
        "Item 1",
        "JSON Wire",
        "2026-03-01",
    )


def test_private_addresses_are_refused_unless_allowed(db, feed_server):
    serve_articles(feed_server, range(1))
    feed_server.serve("/feed", rss([rss_item(0, feed_server)]))
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock, backfill=1)
    refused = poll(db, clock, FeedSettings(host_spacing=0))
    assert refused.outcomes[0].failure.code == "private_address"
    assert feed_server.requests == []


def test_private_article_links_are_refused_even_from_a_public_feed(db, feed_server):
    """Every hop is checked: here the feed itself is allowed but its article redirects to a
    link-local address, which the reader must not follow."""

    async def to_metadata(request):
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    feed_server.route("/a/0", to_metadata)
    feed_server.serve(
        "/feed", rss([rss_item(0, feed_server, published=BASE_TIME + timedelta(days=31))])
    )
    clock = Clock()
    subscribe(db, feed_server.url("/feed"), clock)
    from briefs.feeds import fetch

    async def poll_with_only_loopback_allowed():
        real = fetch.check_host

        async def loopback_ok(host, port):
            if host != "127.0.0.1":
                await real(host, port)

        fetch.check_host = loopback_ok
        try:
            return await poller(db, clock, FeedSettings(host_spacing=0)).poll_due()
        finally:
            fetch.check_host = real

    report = asyncio.run(poll_with_only_loopback_allowed())
    assert report.taken == 0
    assert db.execute("SELECT status, error FROM feed_items").fetchall() == [
        ("skipped", "private_address")
    ]


def test_the_connection_itself_refuses_a_name_that_resolves_privately(db, feed_server, monkeypatch):
    """A name that passed the check could answer the connection's own lookup with a private
    address (DNS rebinding): the resolver the connection uses leaves private addresses out."""
    from briefs.feeds import fetch

    async def fooled(host, port):
        return None

    monkeypatch.setattr(fetch, "check_host", fooled)
    feed_server.serve("/feed", rss([]))
    clock = Clock()
    subscribe(db, f"http://localhost:{feed_server.port}/feed", clock)
    refused = poll(db, clock, FeedSettings(host_spacing=0))
    assert refused.outcomes[0].failure.code == "connection"
    assert feed_server.requests == []


def test_an_article_failing_for_now_is_retried_then_given_up(db, feed_server):
    serve_articles(feed_server, range(1))
    feed_server.route("/a/1", lambda request: _status(503))
    later = BASE_TIME + timedelta(days=31)
    items = [rss_item(0, feed_server, published=later), rss_item(1, feed_server, published=later)]
    feed_server.serve("/feed", rss(items), etag='"same"')
    clock = Clock()
    feed = subscribe(db, feed_server.url("/feed"), clock)
    settings = FeedSettings(allow_private_urls=True, host_spacing=0, retry_base=0.01, retries=0)
    taken = []
    for _ in range(4):
        taken.append(poll(db, clock, settings).taken)
        clock.advance(minutes=61)
    assert taken == [1, 0, 0, 0]
    assert len(feed_server.hits("/a/1")) == store.MAX_ITEM_ATTEMPTS
    # While the article was being retried, the feed was asked for in full, not conditionally.
    asked = [h.get("If-None-Match") for h in feed_server.hits("/feed")]
    assert asked == [None, None, None, '"same"']
    rows = db.execute("SELECT title, status, error FROM feed_items ORDER BY id").fetchall()
    assert rows == [("Item 0", "taken", None), ("Item 1", "skipped", "http_503")]
    assert store.get_feed(db, store.SHELL, feed.id).last_error is None


def test_a_feed_that_breaks_our_own_code_does_not_stop_the_others(db, feed_server, monkeypatch):
    serve_articles(feed_server, range(2))
    later = BASE_TIME + timedelta(days=31)
    feed_server.serve("/one", rss([rss_item(0, feed_server, published=later)]))
    feed_server.serve("/two", rss([rss_item(1, feed_server, published=later)]))
    clock = Clock()
    first = subscribe(db, feed_server.url("/one"), clock)
    subscribe(db, feed_server.url("/two"), clock)
    real = store.select_items

    def broken_for_the_first(db, feed, *args):
        if feed.id == first.id:
            raise RuntimeError("a bug")
        return real(db, feed, *args)

    monkeypatch.setattr(store, "select_items", broken_for_the_first)
    report = poll(db, clock)
    assert sorted(o.status for o in report.outcomes) == ["error", "taken"]
    assert titles(db) == ["Item 1"]
