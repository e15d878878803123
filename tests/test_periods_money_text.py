from datetime import date

import pytest

from briefs.errors import BadInput
from briefs.money import Money, format_usd, parse_amount, to_usd
from briefs.periods import bucket, parse_period
from briefs.text import clean, normalize_name


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-h2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2018-10-09", date(2018, 10, 9), date(2018, 10, 9)),
    ],
)
def test_parse_period(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("bad", ["", "2025-13", "2025-02-30", "25", "2025-H3", "next week", "9999"])
def test_parse_period_rejects(bad):
    with pytest.raises(BadInput):
        parse_period(bad)


def test_bucket():
    assert bucket(date(2025, 8, 1), "half") == "2025-H2"
    assert bucket(date(2025, 8, 1), "quarter") == "2025-Q3"


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("$50m", Money(50e6, "USD")),
        ("USD 1.2bn", Money(1.2e9, "USD")),
        ("3.5 billion yuan", Money(3.5e9, "CNY")),
        ("€200,000", Money(200_000, "EUR")),
        ("540 million US dollars", Money(540e6, "USD")),
        ("£10 million", Money(10e6, "GBP")),
    ],
)
def test_parse_amount(text, money):
    assert parse_amount(text) == money


@pytest.mark.parametrize("bad", ["", "lots", "$", "-5m", "$5m yuan", "1e99", "0"])
def test_parse_amount_rejects(bad):
    with pytest.raises(BadInput):
        parse_amount(bad)


def test_to_usd_uses_nearest_year_and_says_so():
    usd, basis = to_usd(Money(100, "CNY"), 2017)
    assert usd == pytest.approx(14.8)
    assert "CNY 2017" in basis
    assert to_usd(Money(5, "USD"), None) == (5, "original")


def test_format_usd():
    assert format_usd(540e6) == "$540M"
    assert format_usd(1.25e9) == "$1.2B"
    assert format_usd(None) == ""


def test_clean_refuses_bad_text():
    with pytest.raises(BadInput) as err:
        clean("   ", field="company", max_len=10)
    assert err.value.code == "empty"
    with pytest.raises(BadInput) as err:
        clean("x" * 11, field="company", max_len=10)
    assert err.value.code == "too_long"
    with pytest.raises(BadInput) as err:
        clean("bad\x00name", field="company", max_len=50)
    assert err.value.code == "control_chars"
    assert clean("  Junshi   Bio ", field="company", max_len=50) == "Junshi Bio"


def test_normalize_name_folds_punctuation_and_case():
    assert (
        normalize_name("Shanghai Junshi Biosciences Co., Ltd.")
        == "shanghai junshi biosciences co ltd"
    )
    assert normalize_name("君实生物") == "君实生物"
