"""Feeds into items: RSS 0.9x, 1.0 and 2.0 and Atom through feedparser, JSON Feed 1.x read here
(feedparser does not read it), all into one :class:`FeedItem` shape."""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from xml.sax import SAXParseException

import feedparser

from ..errors import DealbriefError
from .urls import normalise_link

# The feed carries the whole article when its content has at least this many words; shorter
# content is a teaser, and the article page is fetched instead.
FULL_TEXT_WORDS = 150
MAX_TITLE = 300
_TAGS = re.compile(r"<[^>]+>")


class FeedError(DealbriefError):
    """The body is not a feed we can read (``code``: malformed_feed)."""


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str | None
    title: str
    published: datetime | None
    content: str | None  # the item's body (HTML or text), when the feed gives one
    content_is_html: bool = True

    @cached_property
    def text_hash(self) -> str:
        """What the item says, without its dates: the same text under a new GUID is the same item."""
        words = " ".join(plain_text(f"{self.title}\n{self.content or ''}").split())
        return hashlib.sha256(unicodedata.normalize("NFC", words).encode()).hexdigest()

    @cached_property
    def identities(self) -> list[str]:
        """Every name this item may be known by; it is new only if none was seen (asked
        several times per item on each poll, so worked out once)."""
        keys = [f"hash:{self.text_hash}"]
        if self.guid:
            keys.insert(0, f"guid:{self.guid}")
        if self.link:
            keys.insert(0, f"link:{normalise_link(self.link)}")
        return keys

    @property
    def full_text(self) -> bool:
        """The feed carries the article itself (or there is no page to fetch)."""
        if not self.content:
            return False
        return not self.link or len(plain_text(self.content).split()) >= FULL_TEXT_WORDS

    @property
    def usable(self) -> bool:
        return bool(self.link or self.content)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    items: list[FeedItem]


def plain_text(markup: str) -> str:
    return html.unescape(_TAGS.sub(" ", markup))


def parse_feed(body: bytes, content_type: str | None = None) -> ParsedFeed:
    """Read a feed's bytes; refuse what is no feed with FeedError('malformed_feed')."""
    if "json" in (content_type or "").lower() or body.lstrip()[:1] == b"{":
        return parse_json_feed(body)
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or ""})
    items = [_rss_item(e) for e in parsed.entries]
    broken = isinstance(parsed.get("bozo_exception"), SAXParseException)
    # Feeds with small faults (an undefined entity) are common and the loose parser reads
    # them; refuse only what is no feed, or broken with nothing usable left.
    if (not parsed.version and not items) or (broken and not any(i.usable for i in items)):
        reason = str(parsed.get("bozo_exception") or "not a feed")
        raise FeedError(reason, code="malformed_feed", reason=reason[:200])
    return ParsedFeed(_short(parsed.feed.get("title")), items)


def _rss_item(entry: Any) -> FeedItem:
    content = None
    is_html = True
    if entry.get("content"):
        best = max(entry.content, key=lambda c: len(c.get("value") or ""))
        content, is_html = best.get("value"), "html" in (best.get("type") or "html")
    elif entry.get("summary"):
        content = entry.summary
        is_html = "html" in (entry.get("summary_detail", {}).get("type") or "html")
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return FeedItem(
        guid=(entry.get("id") or "").strip() or None,
        link=_web_link(entry.get("link")),
        title=_short(entry.get("title")) or "",
        published=datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None,
        content=content or None,
        content_is_html=is_html,
    )


def parse_json_feed(body: bytes) -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise FeedError(str(err), code="malformed_feed", reason="invalid JSON") from None
    version = data.get("version") if isinstance(data, dict) else None
    items = data.get("items") if isinstance(data, dict) else None
    if not str(version or "").startswith("https://jsonfeed.org/version/1") or not isinstance(
        items, list
    ):
        raise FeedError("not a JSON Feed", code="malformed_feed", reason="not a JSON Feed")
    return ParsedFeed(
        _short(data.get("title")), [_json_item(i) for i in items if isinstance(i, dict)]
    )


def _json_item(item: dict[str, Any]) -> FeedItem:
    body_html, body_text = item.get("content_html"), item.get("content_text")
    content = body_html or body_text or item.get("summary")
    return FeedItem(
        guid=str(item["id"]).strip() or None if item.get("id") is not None else None,
        link=_web_link(item.get("url") or item.get("external_url")),
        title=_short(item.get("title")) or "",
        published=_iso_time(item.get("date_published") or item.get("date_modified")),
        content=content if isinstance(content, str) and content.strip() else None,
        content_is_html=bool(body_html) or not body_text,
    )


def _iso_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _web_link(value: Any) -> str | None:
    link = value.strip() if isinstance(value, str) else ""
    return link if link.lower().startswith(("http://", "https://")) else None


def _short(value: Any) -> str | None:
    text = " ".join(plain_text(value).split()) if isinstance(value, str) else ""
    return text[:MAX_TITLE] or None
