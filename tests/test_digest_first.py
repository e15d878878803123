"""A server's first digest starts where the trail stood when its digest was switched on: the
curated facts loaded that week are what the bot knew already, not new deals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from old_schema import old_database

from briefs.changes import Actor, FactIn, FigureIn, add_fact
from briefs.curated import load_curated
from briefs.digest import content as dg
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.model import DEAL_KINDS, FACT_KINDS
from briefs.queries import latest_audit_id
from briefs.render import to_text
from briefs.store import open_db, utcnow

ADMIN = Actor("tester")
GUILD = 111_222_333_444_555_666
CHANNEL = 42


def curated_summaries(db, kinds: tuple[str, ...] = DEAL_KINDS) -> list[str]:
    marks = ", ".join("?" for _ in kinds)
    sql = f"SELECT summary FROM facts WHERE origin = 'curated' AND kind IN ({marks})"
    return [row[0] for row in db.execute(sql, kinds)]


def new_deal(db) -> int:
    """A deal an admin adds after the digest was switched on, between two curated companies."""
    subject, counterparty = (row[0] for row in db.execute("SELECT id FROM companies LIMIT 2"))
    source = db.execute("SELECT id FROM sources LIMIT 1").fetchone()[0]
    fact = FactIn(
        kind="licence",
        summary="Fresh licence announced after switching on",
        source_id=source,
        subject_id=subject,
        counterparty_id=counterparty,
        licensor_id=subject,
        licensee_id=counterparty,
        asset="XR-7",
        sector="Oncology",
        figures=[FigureIn(role="total", value=40e6)],
    )
    return add_fact(db, fact, ADMIN)


def listed(digest: dg.Digest) -> list[str]:
    shown = [f for s in digest.sectors for f in s.deals] + digest.others + digest.biggest
    return sorted({fact.summary for fact in shown})


def test_switching_on_records_where_the_trail_stands(db):
    load_curated(db)
    settings = ds.set_channel(db, GUILD, CHANNEL, actor="admin")
    assert settings.switched_on_audit_id == latest_audit_id(db) > 0
    assert settings.switched_on_at is not None


def test_a_first_digest_after_the_curated_load_lists_only_what_came_after(db):
    load_curated(db)
    curated = curated_summaries(db, tuple(FACT_KINDS))
    assert len(curated_summaries(db)) > 1  # the data files hold deals, or this proves nothing
    settings = ds.set_channel(db, GUILD, CHANNEL, actor="admin")
    new_deal(db)
    fire = utcnow() + timedelta(hours=1)

    digest = dg.preview(db, settings, fire)
    assert listed(digest) == ["Fresh licence announced after switching on"]
    assert digest.totals.deals == 1 and digest.totals.others == 0
    # The curated load is in neither this period nor the one compared with.
    assert digest.previous.deals == 0
    text = to_text(dg.render_digest(digest, flavour="text"))
    assert not any(summary in text for summary in curated)

    key = timing.period_key(settings, fire)
    won = dg.claim_period(db, settings, key, end=fire, nonce=key, now=fire)
    assert won.won and won.record.first_audit_id == settings.switched_on_audit_id + 1
    posted = dg.digest_for_post(db, won.record)
    assert listed(posted) == listed(digest) and posted.previous == digest.previous


def test_switched_on_before_the_curated_load_the_first_digest_lists_it(db):
    settings = ds.set_channel(db, GUILD, CHANNEL, actor="admin")
    load_curated(db)
    digest = dg.preview(db, settings, utcnow() + timedelta(hours=1))
    assert digest.totals.deals == len(curated_summaries(db)) > 0


def test_the_first_switch_on_is_kept_through_off_and_on(db):
    load_curated(db)
    first = ds.set_channel(db, GUILD, CHANNEL, actor="admin")
    new_deal(db)
    ds.set_enabled(db, GUILD, False, actor="admin")
    again = ds.set_enabled(db, GUILD, True, actor="admin")
    ds.set_channel(db, GUILD, CHANNEL + 1, actor="admin")
    assert ds.get_settings(db, GUILD).switched_on_audit_id == first.switched_on_audit_id
    assert again.switched_on_at == first.switched_on_at


def test_settings_that_never_activate_the_digest_record_nothing(db):
    load_curated(db)
    ds.set_schedule(db, GUILD, weekday="friday", time_of_day="10:00", timezone="UTC", actor="admin")
    ds.set_mention_role(db, GUILD, 7, actor="admin")
    assert ds.get_settings(db, GUILD).switched_on_audit_id is None
    settings = ds.set_channel(db, GUILD, CHANNEL, actor="admin")
    assert settings.switched_on_audit_id == latest_audit_id(db)


def test_a_server_switched_on_before_m007_keeps_the_old_first_week(db_path: Path):
    """Its first digest may be due any day and must keep what came since it was switched on,
    a moment never recorded: NULL, the week before the first fire."""
    old_database(db_path, "m007_digest_since", load_curated)
    db = open_db(db_path, migrate=False)
    db.execute(
        "INSERT INTO digest_settings (guild_id, channel_id, enabled, updated_at) "
        "VALUES (?, ?, 1, '2025-01-01T00:00:00+00:00')",
        [GUILD, CHANNEL],
    )
    db.conn.commit()
    db.close()

    db = open_db(db_path)
    settings = ds.get_settings(db, GUILD)
    assert settings.active and settings.switched_on_audit_id is None
    digest = dg.preview(db, settings, utcnow() + timedelta(hours=1))
    assert digest.totals.deals == len(curated_summaries(db)) > 0
    db.close()
