"""The review post ledger: one claim per server at a time, items in one post only, and a
dead sender's post taken over with the same nonce once its lease has run out."""

from __future__ import annotations

import json
from datetime import timedelta

from briefs.changes import Actor
from briefs.feeds import posts, store
from briefs.feeds.parse import FeedItem
from briefs.ingest.read import read_bytes
from briefs.store import utcnow

GUILD = 42
ARTICLE = (
    "Corvane takes KT-7\nBiotech Ledger Published: 2025-02-11\n\n"
    "Corvane Bio licensed the antibody KT-7 from Lumen Therapeutics on Tuesday. "
    "Corvane will pay $25 million upfront and up to $200 million in milestones.\n"
)


def take(db, feed, n: int, now) -> None:
    item = FeedItem(f"g{n}", f"https://example.org/{n}", f"Item {n}", now, None)
    doc = read_bytes(ARTICLE.replace("KT-7", f"KT-{n}").encode(), "a.txt")
    assert store.take_item(db, feed, item, doc, None, now) is not None


def test_claims_lease_and_takeover(db):
    now = utcnow()
    feed = store.add_feed(db, "https://example.org/rss", Actor("t"), guild_id=GUILD, now=now)
    take(db, feed, 1, now)
    assert posts.claim_post(db, GUILD, now) is None  # no review channel yet: items wait
    store.set_review_channel(db, GUILD, 7)
    assert posts.waiting_guilds(db) == [GUILD]

    post = posts.claim_post(db, GUILD, now)
    assert post is not None and post.channel_id == 7 and len(post.proposal_ids) == 1
    take(db, feed, 2, now)  # arrives while the first post is being sent
    assert posts.claim_post(db, GUILD, now + timedelta(seconds=30)) is None

    assert posts.renew(db, post, now + timedelta(seconds=60))  # still sending: lease extended
    assert posts.claim_post(db, GUILD, now + posts.LEASE + timedelta(seconds=1)) is None

    later = now + timedelta(seconds=60) + posts.LEASE + timedelta(seconds=1)
    again = posts.claim_post(db, GUILD, later)  # the sender died: same post, same nonce
    assert (again.id, again.nonce, again.proposal_ids) == (post.id, post.nonce, post.proposal_ids)
    assert not posts.renew(db, post, later)  # the first sender's claim is no longer its own
    assert posts.renew(db, again, later)
    posts.mark_posted(db, again, 1001, later)

    following = posts.claim_post(db, GUILD, later)
    assert following is not None and following.nonce != post.nonce
    assert set(following.proposal_ids).isdisjoint(post.proposal_ids)
    posts.release(db, following, "channel_missing")
    assert posts.claim_post(db, GUILD, later).proposal_ids == following.proposal_ids
    ids = [json.loads(r[0]) for r in db.execute("SELECT proposal_ids FROM feed_items")]
    assert len(ids) == 2 and all(len(i) == 1 for i in ids)
