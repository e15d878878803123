"""Digest settings, the post ledger, and when a server's digest falls due (DST included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from briefs.digest import ledger
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.errors import BadInput, Conflict

GUILD = 111_222_333_444_555_666
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_defaults_are_monday_nine_utc_and_off(db):
    settings = ds.get_settings(db, GUILD)
    assert (settings.weekday, settings.time, settings.timezone) == (0, "09:00", "UTC")
    assert not settings.active


def test_setting_a_channel_switches_the_digest_on(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=T0)
    assert settings.active and settings.channel_id == 42
    assert ds.active_settings(db) == [settings]
    assert not ds.set_enabled(db, GUILD, False, actor="admin", now=T0).active
    assert ds.active_settings(db) == []


def test_on_without_a_channel_is_refused(db):
    with pytest.raises(Conflict) as caught:
        ds.set_enabled(db, GUILD, True, actor="admin", now=T0)
    assert caught.value.code == "digest_no_channel"
    assert ds.get_settings(db, GUILD).updated_at is None


@pytest.mark.parametrize(
    ("weekday", "at", "zone", "code"),
    [
        ("someday", "09:00", "UTC", "bad_weekday"),
        ("monday", "25:00", "UTC", "bad_time"),
        ("monday", "9am", "UTC", "bad_time"),
        ("monday", "09:00", "Mars/Olympus", "bad_timezone"),
        ("monday", "09:00", "../etc/passwd", "bad_timezone"),
        ("monday", "09:00", "Europe", "bad_timezone"),
        ("monday", "09:00", "Etc", "bad_timezone"),
        ("monday", "09:00", "Europe/" + "x" * 300, "bad_timezone"),
    ],
)
def test_bad_schedule_is_refused_and_changes_nothing(db, weekday, at, zone, code):
    ds.set_channel(db, GUILD, 42, actor="admin", now=T0)
    before = ds.get_settings(db, GUILD)
    with pytest.raises(BadInput) as caught:
        ds.set_schedule(db, GUILD, weekday=weekday, time_of_day=at, timezone=zone, actor="x")
    assert caught.value.code == code
    assert ds.get_settings(db, GUILD) == before


def test_schedule_accepts_short_forms(db):
    settings = ds.set_schedule(
        db, GUILD, weekday="Wed", time_of_day="7:30", timezone="Europe/London", actor="a", now=T0
    )
    assert (settings.weekday, settings.time, settings.timezone) == (2, "07:30", "Europe/London")


def test_timezone_suggestions():
    assert ds.suggest_timezones("")[0] == "UTC"
    assert "America/New_York" in ds.suggest_timezones("new york")
    with pytest.raises(BadInput) as caught:
        ds.parse_timezone("Europe/Londn")
    assert "Europe/London" in caught.value.params["suggestions"]


@pytest.mark.parametrize(
    ("zone", "now", "expected_utc"),
    [
        # Europe/London: BST starts 30 March 2025, ends 26 October 2025.
        ("Europe/London", utc(2025, 3, 24, 12), utc(2025, 3, 24, 9)),
        ("Europe/London", utc(2025, 3, 31, 12), utc(2025, 3, 31, 8)),
        ("Europe/London", utc(2025, 10, 20, 12), utc(2025, 10, 20, 8)),
        ("Europe/London", utc(2025, 10, 27, 12), utc(2025, 10, 27, 9)),
        # America/New_York: EDT starts 9 March 2025.
        ("America/New_York", utc(2025, 3, 3, 20), utc(2025, 3, 3, 14)),
        ("America/New_York", utc(2025, 3, 10, 20), utc(2025, 3, 10, 13)),
    ],
)
def test_fires_at_local_nine_across_dst(zone, now, expected_utc):
    settings = ds.DigestSettings(guild_id=GUILD, channel_id=1, enabled=True, timezone=zone)
    fire = timing.last_fire(settings, now)
    assert fire.astimezone(UTC) == expected_utc
    assert fire.astimezone(ZoneInfo(zone)).strftime("%a %H:%M") == "Mon 09:00"
    assert timing.next_fire(settings, fire) == timing.last_fire(settings, fire + timedelta(days=7))


def test_a_time_skipped_by_dst_moves_forward():
    settings = ds.DigestSettings(
        guild_id=GUILD, weekday=6, time="01:30", timezone="Europe/London", enabled=True
    )
    fire = timing.last_fire(settings, utc(2025, 3, 30, 12))
    assert fire.astimezone(UTC) == utc(2025, 3, 30, 1, 30)


def test_due_only_after_the_fire_time_and_once(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    assert timing.due(db, settings, utc(2025, 3, 24, 8, 59)) is None
    due = timing.due(db, settings, utc(2025, 3, 24, 9, 0))
    assert due is not None and due.action == "post" and due.key == "2025-W13"
    won = _claim(db, due.key, utc(2025, 3, 24, 9))
    assert won.won
    assert timing.due(db, settings, utc(2025, 3, 24, 9, 0, 30)) is None
    ledger.mark_posted(db, won.record, [1, 2], now=utc(2025, 3, 24, 9, 1))
    assert timing.due(db, settings, utc(2025, 3, 24, 23)) is None


def test_a_fire_before_the_settings_existed_is_not_missed(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 24, 10))
    assert timing.due(db, settings, utc(2025, 3, 24, 11)) is None
    assert timing.due(db, settings, utc(2025, 3, 31, 9)).action == "post"


def test_late_by_a_day_or_more_is_skipped(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    assert timing.due(db, settings, utc(2025, 3, 25, 8, 59)).action == "post"
    due = timing.due(db, settings, utc(2025, 3, 25, 9, 0))
    assert due.action == "skip"
    assert (
        ledger.mark_skipped(db, GUILD, due.key, "late", nonce="n", now=utc(2025, 3, 25, 9)).status
        == "skipped"
    )
    assert timing.due(db, settings, utc(2025, 3, 25, 10)) is None


def test_two_claims_for_one_period_one_wins(db):
    first = _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    second = _claim(db, "2025-W13", utc(2025, 3, 24, 9, 0, 30))
    assert first.won and not second.won
    assert first.record.nonce == second.record.nonce  # the winner's, though each gave its own


def test_a_stale_claim_is_retried_with_the_same_nonce_and_range(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    first = _claim(db, "2025-W13", utc(2025, 3, 24, 9), last_audit_id=7)
    expired = utc(2025, 3, 24, 9) + ledger.CLAIM_LEASE
    assert timing.due(db, settings, expired - timedelta(seconds=1)) is None
    assert not _claim(db, "2025-W13", expired - timedelta(seconds=1)).won
    assert timing.due(db, settings, expired).action == "retry"
    retry = _claim(db, "2025-W13", expired, last_audit_id=99)
    assert retry.won
    assert (retry.record.nonce, retry.record.last_audit_id) == (first.record.nonce, 7)


def test_failed_posts_are_recorded_and_retried_only_on_request(db):
    ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    claimed = _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    failed = ledger.mark_failed(db, claimed.record, "channel was deleted", now=utc(2025, 3, 24, 9))
    assert failed.status == "failed"
    assert ds.get_settings(db, GUILD).last_error == "channel was deleted"
    assert not _claim(db, "2025-W13", utc(2025, 3, 24, 10)).won
    again = ledger.claim(
        db,
        GUILD,
        "2025-W13",
        first_audit_id=1,
        last_audit_id=1,
        period_start=T0,
        period_end=T0,
        nonce="retry",
        now=utc(2025, 3, 24, 10),
        retry_failed=True,
    )
    assert again.won
    posted = ledger.mark_posted(db, again.record, [5], now=utc(2025, 3, 24, 10))
    assert posted.message_ids == (5,)
    assert ds.get_settings(db, GUILD).last_error is None
    assert ledger.last_posted(db, GUILD) == posted
    assert [r.period_key for r in ledger.history(db, GUILD)] == ["2025-W13"]


def test_period_keys_follow_the_local_iso_week():
    settings = ds.DigestSettings(guild_id=GUILD, timezone="Asia/Tokyo")
    assert timing.period_key(settings, utc(2025, 3, 23, 14, 59)) == "2025-W12"
    assert timing.period_key(settings, utc(2025, 3, 23, 15, 0)) == "2025-W13"


def _claim(db, key: str, now: datetime, *, last_audit_id: int = 5) -> ledger.Claim:
    return ledger.claim(
        db,
        GUILD,
        key,
        first_audit_id=1,
        last_audit_id=last_audit_id,
        period_start=now - timedelta(days=7),
        period_end=now,
        nonce=f"{key}@{now:%H%M%S}",
        now=now,
    )


def test_a_stale_claim_is_retried_though_the_settings_changed_after_the_fire(db):
    """The sender died at 09:00; an admin changed the mention role at 09:00:30. The claim
    must still be finished, not left 'being posted' for ever."""
    ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    settings = ds.set_mention_role(db, GUILD, 7, actor="admin", now=utc(2025, 3, 24, 9, 0, 30))
    due = timing.due(db, settings, utc(2025, 3, 24, 9) + ledger.CLAIM_LEASE)
    assert due is not None and (due.action, due.key) == ("retry", "2025-W13")


def test_a_stale_claim_over_a_day_late_is_given_up_not_posted(db):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    assert timing.due(db, settings, utc(2025, 3, 25, 8, 59)).action == "retry"
    assert timing.due(db, settings, utc(2025, 3, 25, 9)).action == "expire"


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        ("discord_error:503", True),
        ("connection", True),
        ("discord_error:400", False),
        ("channel_missing", False),
        ("missing_permissions:send_messages", False),
    ],
)
def test_only_passing_failures_are_retried_by_the_clock(db, error, retried):
    settings = ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    claimed = _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    ledger.mark_failed(db, claimed.record, error, now=utc(2025, 3, 24, 9))
    assert timing.due(db, settings, utc(2025, 3, 24, 9, 5)) is None
    later = timing.due(db, settings, utc(2025, 3, 24, 9, 10))
    assert (later is not None and later.action == "retry") is retried
    assert timing.due(db, settings, utc(2025, 3, 25, 9)) is None


def test_progress_is_kept_through_a_failure_and_its_retry(db):
    ds.set_channel(db, GUILD, 42, actor="admin", now=utc(2025, 3, 20))
    claimed = _claim(db, "2025-W13", utc(2025, 3, 24, 9))
    ledger.record_progress(db, claimed.record, [501])
    failed = ledger.mark_failed(db, claimed.record, "connection", now=utc(2025, 3, 24, 9))
    assert failed.message_ids == (501,)
    again = ledger.claim(
        db,
        GUILD,
        "2025-W13",
        first_audit_id=1,
        last_audit_id=1,
        period_start=T0,
        period_end=T0,
        nonce="retry",
        now=utc(2025, 3, 24, 9, 10),
        retry_failed=True,
    )
    assert again.won and again.record.message_ids == (501,)
