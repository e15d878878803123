"""Watches in the domain: criteria checked, facts matched through the index, the cursor over
the audit trail, batching, the claim that makes a batch go out once, and pausing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cog_world import SEEDER, seed_deal

from briefs import changes
from briefs.actions.facts import FactForm, add
from briefs.actions.review import approve
from briefs.changes import Actor, FactIn, add_fact
from briefs.curated import load_curated
from briefs.errors import BadInput, Forbidden, NotFound
from briefs.ingest.read import Document
from briefs.ingest.review import ingest_document
from briefs.store import open_db
from briefs.watch import ledger, trail
from briefs.watch.matcher import FactView, Rule, WatchIndex
from briefs.watch.watches import (
    FAILURES_TO_PAUSE,
    Requester,
    WatchForm,
    add_watch,
    get_watch,
    list_watches,
    remove_watch,
)

ALICE = Requester("discord:alice", user_id=111, guild_id=9, is_admin=True)
BOB = Requester("discord:bob", user_id=222, guild_id=9)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def approval(db, world, summary="Northgate won approval for zorbamab.", **extra):
    fact = FactIn(
        kind="approval", summary=summary, source_id=world["source"],
        subject_id=world["northgate"], **extra,
    )  # fmt: skip
    return add_fact(db, fact, SEEDER)


def deliver(db, now, window=timedelta(0)):
    """Match what is new, then claim every due batch (as the bot does before sending)."""
    trail.advance(db, trail.MatcherCache(), now)
    batches = []
    while (batch := ledger.claim_next(db, now, window=window)) is not None:
        batches.append(batch)
    return batches


# --- Criteria and who may do what ------------------------------------------------------------


def test_a_watch_needs_a_criterion_and_changes_nothing_when_refused(db):
    seed_deal(db)
    with pytest.raises(BadInput) as refused:
        add_watch(db, BOB, WatchForm(keyword="  "))
    assert refused.value.code == "watch_needs_criterion"
    assert list_watches(db, BOB) == []


def test_criteria_are_read_by_the_projects_own_rules(db):
    world = seed_deal(db)
    watch = add_watch(
        db, BOB, WatchForm(company="northgate", sector="oncology", min_upfront="3.5bn yuan")
    )
    assert watch.company_id == world["northgate"] and watch.sector == "oncology"
    assert 400e6 < watch.min_upfront_usd < 600e6  # yuan converted at the rate table
    assert watch.target.kind == "dm" and watch.target.id == BOB.user_id
    for form, code in [
        (WatchForm(min_upfront="50"), "amount_needs_unit"),
        (WatchForm(sector="gardening"), "not_in_vocab"),
    ]:
        with pytest.raises(BadInput) as refused:
            add_watch(db, BOB, form)
        assert refused.value.code == code


def test_an_unknown_company_is_refused_with_suggestions(db):
    seed_deal(db)
    with pytest.raises(NotFound) as refused:
        add_watch(db, BOB, WatchForm(company="Northbridge Labs"))
    assert refused.value.code == "unknown_company"


def test_only_admins_send_a_watch_to_a_channel(db):
    seed_deal(db)
    with pytest.raises(Forbidden) as refused:
        add_watch(db, BOB, WatchForm(keyword="antibody"), channel_id=555)
    assert refused.value.code == "watch_channel_admin_only"
    watch = add_watch(db, ALICE, WatchForm(keyword="antibody"), channel_id=555)
    assert watch.target.kind == "channel" and watch.guild_id == ALICE.guild_id


def test_list_shows_your_own_and_admins_see_channel_watches(db):
    seed_deal(db)
    mine = add_watch(db, BOB, WatchForm(keyword="antibody"))
    hers = add_watch(db, ALICE, WatchForm(keyword="licence"))
    posted = add_watch(db, ALICE, WatchForm(keyword="approval"), channel_id=555)
    assert [w.id for w in list_watches(db, BOB)] == [mine.id]
    assert [w.id for w in list_watches(db, ALICE)] == [hers.id, posted.id]
    other_admin = Requester("discord:carol", user_id=333, guild_id=9, is_admin=True)
    assert [w.id for w in list_watches(db, other_admin)] == [posted.id]


def test_you_cannot_remove_someone_elses_watch(db):
    seed_deal(db)
    hers = add_watch(db, ALICE, WatchForm(keyword="licence"))
    with pytest.raises(NotFound):
        remove_watch(db, BOB, hers.id)
    assert get_watch(db, hers.id).id == hers.id
    remove_watch(db, ALICE, hers.id)
    assert list_watches(db, ALICE) == []


# --- Matching ----------------------------------------------------------------------------------


def test_each_criterion_must_hold():
    snapshot = {
        "subject_id": 1, "licensee_id": 2, "sector": "oncology",
        "summary": "Riverbend licensed its PD-1 antibody", "asset": "RB-101",
        "figures": [{"role": "upfront", "value_usd": 50e6}],
    }  # fmt: skip
    rules = [
        Rule(1, 0, company_id=2),
        Rule(2, 0, company_id=3),
        Rule(3, 0, sector="pharmaceuticals"),  # the parent of oncology
        Rule(4, 0, sector="oncology", keyword="pd-1 antibody"),
        Rule(5, 0, keyword="antibody drug"),  # words out of order
        Rule(6, 0, min_upfront_usd=40e6),
        Rule(7, 0, min_upfront_usd=60e6),
        Rule(8, 0, company_id=1, min_upfront_usd=60e6),
        Rule(9, 10, company_id=1),  # added after this change
    ]
    index = WatchIndex(rules)
    assert index.match(FactView.of(5, snapshot)) == [1, 3, 4, 6]


def test_keywords_in_chinese_text_are_found_inside_words():
    index = WatchIndex([Rule(1, 0, keyword="君实")])
    assert index.match(FactView.of(1, {"summary": "君实生物授权"})) == [1]
    assert index.match(FactView.of(1, {"summary": "恒瑞医药"})) == []


# --- The cursor -------------------------------------------------------------------------------


def test_added_approved_and_corrected_facts_reach_a_watch_once(db):
    world = seed_deal(db)
    watch = add_watch(db, BOB, WatchForm(company="Northgate"))
    first = approval(db, world)
    changes.edit_fact(db, first, SEEDER, summary="Northgate won approval for zorbamab in Japan.")
    changes.remove_fact(db, first, SEEDER)  # a removal is not news
    batches = deliver(db, T0)
    assert [(i.fact_id, i.change, i.watch_ids) for b in batches for i in b.items] == [
        (first, "added", (watch.id,))
    ]
    ledger.mark_sent(db, batches[0], 1, T0)
    assert deliver(db, T0 + timedelta(minutes=5)) == []


def test_a_correction_alone_is_told_as_a_correction(db):
    world = seed_deal(db)
    add_watch(db, BOB, WatchForm(company="Northgate"))
    changes.edit_fact(db, world["deal"], SEEDER, asset="NG-1")
    [batch] = deliver(db, T0)
    assert [(i.fact_id, i.change) for i in batch.items] == [(world["deal"], "corrected")]


def test_facts_from_before_the_watch_and_the_curated_load_are_not_news(db):
    world = seed_deal(db)
    approval(db, world)
    add_watch(db, BOB, WatchForm(keyword="Junshi"))
    add_watch(db, BOB, WatchForm(company="Northgate"))
    load_curated(db)
    assert deliver(db, T0) == []


def test_a_form_added_through_the_use_case_is_matched(db):
    seed_deal(db)
    add_watch(db, BOB, WatchForm(min_upfront="$100m"))
    form = FactForm.of({
        "kind": "licence", "summary": "Riverbend licensed RB-2 to Northgate.",
        "licensor": "Riverbend", "licensee": "Northgate", "source": "1",
        "upfront": "$120m", "asset": "RB-2", "period": "2026",
    })  # fmt: skip
    fact_id = add(db, form, Actor("discord:alice", "111", "9"))
    [batch] = deliver(db, T0)
    assert [i.fact_id for i in batch.items] == [fact_id]


# --- Batching, claims, failures -----------------------------------------------------------------


def test_facts_within_the_window_go_out_as_one_batch_per_target(db):
    world = seed_deal(db)
    add_watch(db, BOB, WatchForm(company="Northgate"))
    add_watch(db, BOB, WatchForm(keyword="zorbamab"))  # the same facts, a second watch
    add_watch(db, ALICE, WatchForm(keyword="zorbamab"))
    first = approval(db, world)
    trail.advance(db, trail.MatcherCache(), T0)
    second = approval(db, world, summary="Northgate won a second approval for zorbamab.")
    assert deliver(db, T0 + timedelta(seconds=10), window=timedelta(seconds=20)) == []
    batches = deliver(db, T0 + timedelta(seconds=21), window=timedelta(seconds=20))
    by_target = {b.target.id: [i.fact_id for i in b.items] for b in batches}
    assert by_target == {BOB.user_id: [first, second], ALICE.user_id: [first, second]}
    assert len({b.nonce for b in batches}) == 2


def test_a_claim_is_won_once_and_taken_over_only_after_its_lease(db):
    world = seed_deal(db)
    add_watch(db, BOB, WatchForm(company="Northgate"))
    approval(db, world)
    [batch] = deliver(db, T0)
    assert ledger.claim_next(db, T0 + ledger.CLAIM_LEASE / 2) is None
    ledger.renew_lease(db, batch, T0 + ledger.CLAIM_LEASE / 2)
    assert ledger.claim_next(db, T0 + ledger.CLAIM_LEASE) is None
    again = ledger.claim_next(db, T0 + ledger.CLAIM_LEASE * 2)
    assert again.id == batch.id and again.nonce == batch.nonce and again.items == batch.items
    ledger.mark_sent(db, again, 42, T0 + ledger.CLAIM_LEASE * 2)
    assert ledger.claim_next(db, T0 + ledger.CLAIM_LEASE * 10) is None


def test_repeated_refusals_pause_the_watch_and_a_success_resets_the_count(db):
    world = seed_deal(db)
    watch = add_watch(db, BOB, WatchForm(company="Northgate"))
    now = T0
    for attempt in range(FAILURES_TO_PAUSE):
        approval(db, world, summary=f"Northgate approval {attempt} for zorbamab.")
        [batch] = deliver(db, now)
        assert get_watch(db, watch.id).paused_at is None
        ledger.mark_failed(db, batch, "dm_closed", now)
        now += timedelta(minutes=1)
    paused = get_watch(db, watch.id)
    assert paused.paused and paused.last_error == "dm_closed"
    approval(db, world, summary="Northgate approval while paused.")
    assert deliver(db, now) == []


def test_a_sent_batch_clears_earlier_failures(db):
    world = seed_deal(db)
    watch = add_watch(db, BOB, WatchForm(company="Northgate"))
    approval(db, world)
    [batch] = deliver(db, T0)
    ledger.mark_failed(db, batch, "dm_closed", T0)
    assert get_watch(db, watch.id).failures == 1
    approval(db, world, summary="Northgate won another approval.")
    [batch] = deliver(db, T0 + timedelta(minutes=1))
    ledger.mark_sent(db, batch, 7, T0 + timedelta(minutes=1))
    assert get_watch(db, watch.id).failures == 0


def test_a_proposal_approved_in_review_reaches_a_watch(db):
    seed_deal(db)
    add_watch(db, BOB, WatchForm(keyword="HX-2 antibody", min_upfront="$30m"))
    text = (
        "Helio deal\n\nNovexa Therapeutics licensed the HX-2 antibody from Helio Biotech for "
        "an upfront payment of $40 million on May 6, 2024.\n"
    )
    reviewer = Actor("reviewer")
    for name in ("Helio Biotech", "Novexa Therapeutics"):
        changes.add_company(db, name, reviewer)
    document = Document(title="Helio deal", text=text, content_hash="helio")
    [proposal] = ingest_document(db, document, reviewer).proposals
    assert deliver(db, T0) == []  # a proposal waiting for review is not a fact yet
    fact_id = approve(db, proposal, reviewer).fact_id
    [batch] = deliver(db, T0 + timedelta(minutes=1))
    assert [(i.fact_id, i.change) for i in batch.items] == [(fact_id, "added")]


def test_upgrading_starts_the_cursor_where_the_trail_stands(db_path):
    db = open_db(db_path)
    seed_deal(db)  # a database with history, from before watches existed
    db.executescript(
        "DROP TABLE watch_deliveries; DROP TABLE watch_batches; DROP TABLE watch_state; "
        "DROP TABLE watches; DELETE FROM _sqlite_migrations WHERE name = 'm014_watches';"
    )
    db.close()
    db = open_db(db_path)
    try:
        latest = db.execute("SELECT max(id) FROM audit").fetchone()[0]
        assert latest > 0 and trail.state(db, "cursor") == latest
    finally:
        db.close()
