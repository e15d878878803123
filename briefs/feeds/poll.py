"""One poll of the due feeds: fetch each (conditionally), take its new items, record the result.

The same code runs from ``dealbrief feed poll`` and from the bot's scheduler; they differ only
in how database work and extraction are run (``db_call`` and ``extract``): inline on the
command line, in database threads and a worker process in the bot, whose event loop must stay
free. Feeds are polled concurrently, the items of one feed one after another.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from ..errors import DealbriefError
from ..ingest.orgs import KnownNames
from ..ingest.proposal import Proposal
from ..ingest.read import Document
from ..ingest.review import read_and_extract
from . import store
from .fetch import Fetcher, FetchError
from .parse import FeedError, FeedItem, parse_feed, plain_text
from .settings import FeedSettings

log = logging.getLogger("dealbrief.feeds")

DbCall = Callable[..., Awaitable[Any]]
Extract = Callable[[bytes, str, KnownNames], Awaitable[tuple[Document, list[Proposal]]]]
Clock = Callable[[], datetime]
RETRY = -1  # what _take returns for an item whose article failed for now


@dataclass
class FeedOutcome:
    feed: store.Feed
    status: str  # taken, not_modified, failed (the feed's fault), error (ours)
    taken: list[int] = field(default_factory=list)  # feed item ids
    backlog: bool = False
    failure: store.Failure | None = None


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return sum(len(o.taken) for o in self.outcomes)

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def notices(self) -> list[store.Failure]:
        return [o.failure for o in self.failed if o.failure is not None and o.failure.notice]


async def extract_inline(
    data: bytes, filename: str, known: KnownNames
) -> tuple[Document, list[Proposal]]:
    """Extraction on the caller's thread: fine for the command line, which has nothing else to do."""
    doc, extraction = read_and_extract(data, filename, known)
    return doc, extraction.proposals


class Poller:
    def __init__(
        self,
        db_call: DbCall,
        settings: FeedSettings,
        *,
        clock: Clock,
        extract: Extract = extract_inline,
    ) -> None:
        self.db_call = db_call
        self.settings = settings
        self.clock = clock
        self.extract = extract

    async def poll_due(self, owns: Callable[[int], bool] | None = None) -> PollReport:
        """Poll every feed due now (of the servers ``owns`` accepts), at most ``concurrency``
        at a time."""
        feeds = await self.db_call(store.due_feeds, self.clock(), owns)
        if not feeds:
            return PollReport()
        known = await self.db_call(KnownNames.from_db)
        gate = asyncio.Semaphore(self.settings.concurrency)
        async with Fetcher(self.settings) as fetcher:

            async def one(feed: store.Feed) -> FeedOutcome:
                async with gate:
                    try:
                        return await self.poll_feed(fetcher, feed, known)
                    except Exception:
                        # Our own bug or the database: logged, and the other feeds go on.
                        log.exception("feed %s could not be polled", feed.id)
                        return FeedOutcome(feed, "error")

            outcomes = await asyncio.gather(*(one(feed) for feed in feeds))
        return PollReport(list(outcomes))

    async def poll_feed(self, fetcher: Fetcher, feed: store.Feed, known: KnownNames) -> FeedOutcome:
        """Fetch, parse, take; a failure of the feed itself is recorded, never raised."""
        try:
            fetched = await fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if fetched.status == 304:
                await self.db_call(store.record_not_modified, feed, self.clock(), fetched.moved_to)
                return FeedOutcome(feed, "not_modified")
            parsed = parse_feed(fetched.body, fetched.content_type)
        except (FetchError, FeedError) as err:
            code = err.code
            wait = err.retry_after if isinstance(err, FetchError) else None
            failure = await self.db_call(store.record_failure, feed, code, self.clock(), wait)
            log.warning("feed %s (%s) failed: %s", feed.id, feed.url, code)
            return FeedOutcome(feed, "failed", failure=failure)
        chosen = await self.db_call(
            store.select_items, feed, parsed.items, self.clock(), self.settings.items_per_poll
        )
        taken, retrying = [], False
        for item in chosen.take:
            item_id = await self._take(fetcher, feed, parsed.title, item, known)
            if item_id == RETRY:
                retrying = True
            elif item_id is not None:
                taken.append(item_id)
        # Items left for later (too many, or an article that failed for now) need the whole
        # feed again next time, not a "not modified".
        success = partial(
            store.record_success,
            title=parsed.title,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            moved_to=fetched.moved_to,
            backlog=chosen.backlog or retrying,
        )
        await self.db_call(success, feed, self.clock())
        return FeedOutcome(feed, "taken", taken, chosen.backlog)

    async def _take(
        self,
        fetcher: Fetcher,
        feed: store.Feed,
        outlet: str | None,
        item: FeedItem,
        known: KnownNames,
    ) -> int | None:
        """One item: its article read and stored (the feed item's id), given up (None), or
        counted as a failed attempt to retry on the next poll (RETRY)."""
        if not item.usable:
            await self.db_call(store.skip_item, feed, item, "no_link", self.clock())
            return None
        try:
            doc, proposals = await self._read(fetcher, item, known)
        except (FetchError, DealbriefError) as err:
            reason = getattr(err, "code", "unreadable")
            log.info("feed %s item %s not taken: %s", feed.id, item.link or item.guid, reason)
            if isinstance(err, FetchError) and err.transient:
                given_up = await self.db_call(store.item_failed, feed, item, reason, self.clock())
                return None if given_up else RETRY
            else:
                await self.db_call(store.skip_item, feed, item, reason, self.clock())
            return None
        doc = replace(
            doc,
            title=item.title or doc.title,
            url=item.link or doc.url,
            outlet=outlet or doc.outlet,
            published=item.published.date().isoformat() if item.published else doc.published,
        )
        return await self.db_call(store.take_item, feed, item, doc, proposals, self.clock())

    async def _read(
        self, fetcher: Fetcher, item: FeedItem, known: KnownNames
    ) -> tuple[Document, list[Proposal]]:
        """The feed's own text when it carries the article, else the article page; a page
        with nothing readable falls back to what the feed says."""
        if not item.full_text and item.link:
            page = await fetcher.get(item.link)
            try:
                return await self.extract(page.body, "article.html", known)
            except DealbriefError:
                if not item.content:
                    raise
        if item.content_is_html:
            with contextlib.suppress(DealbriefError):
                return await self.extract(html_document(item), "item.html", known)
        return await self.extract(text_document(item), "item.txt", known)


def html_document(item: FeedItem) -> bytes:
    """The feed's HTML content as a page the reader takes, with the item's title."""
    title = html.escape(item.title)
    return (
        f"<html><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{item.content or ''}</article></body></html>"
    ).encode()


def text_document(item: FeedItem) -> bytes:
    """The feed's content as plain text, its first line the title (the reader's rule)."""
    body = plain_text(item.content or "") if item.content_is_html else item.content or ""
    return f"{item.title}\n\n{body}".encode()
