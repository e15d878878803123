from datetime import date

import pytest

from briefs.errors import BadInput
from briefs.money import (
    Money,
    format_amount,
    format_converted,
    format_usd,
    parse_amount,
    to_usd,
)
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
        ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
        ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),
        ("2100-Q4", date(2100, 10, 1), date(2100, 12, 31)),
        (" 2025-q2 ", date(2025, 4, 1), date(2025, 6, 30)),
        ("２０２５-０７", date(2025, 7, 1), date(2025, 7, 31)),
    ],
)
def test_parse_period(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "bad",
    [
        "", "2025-13", "2025-02-30", "25", "2025-H3", "next week", "9999", "2025-00", "0000",
        "2025-00-10", "2025-01-00", "2023-02-29", "1899", "2101", "2025-Q0", "2025-Q5", "2025-H0",
        "2025-1", "٢٠٢٥", "2025/07", " 2025-07-14T00:00",
    ],
)  # fmt: skip
def test_parse_period_rejects(bad):
    with pytest.raises(BadInput):
        parse_period(bad)


def test_bucket():
    assert bucket(date(2025, 8, 1), "half") == "2025-H2"
    assert bucket(date(2025, 8, 1), "quarter") == "2025-Q3"


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("$50m", Money(50e6, "USD", 1)),
        ("USD 1.2bn", Money(1.2e9, "USD", 2)),
        ("$1.75bn", Money(1.75e9, "USD", 3)),
        ("$1.20bn", Money(1.2e9, "USD", 3)),
        ("3.5 billion yuan", Money(3.5e9, "CNY", 2)),
        ("€200,000", Money(200_000, "EUR", 1)),
        ("$1,234", Money(1234, "USD", 4)),
        ("540 million US dollars", Money(540e6, "USD", 2)),
        ("£10 million", Money(10e6, "GBP", 1)),
        ("¥5m yuan", Money(5e6, "CNY", 1)),
        ("¥ 200 billion yen", Money(200e9, "JPY", 1)),
        ("CN¥1.5bn", Money(1.5e9, "CNY", 2)),
        ("jp¥300m", Money(300e6, "JPY", 1)),
        ("RMB 2 billion", Money(2e9, "CNY", 1)),
        ("$0.5m", Money(0.5e6, "USD", 1)),
        ("$10 trillion", Money(1e13, "USD", 1)),
        ("￥5m yuan", Money(5e6, "CNY", 1)),
        ("＄５m", Money(5e6, "USD", 1)),
        ("CHF 15m", Money(15e6, "CHF", 2)),
        ("210 million Swiss francs", Money(210e6, "CHF", 2)),
        ("Rs. 500 crore", Money(5e9, "INR", 1)),
        ("₹1,200 crore", Money(12e9, "INR", 2)),
        ("40 lakh rupees", Money(4e6, "INR", 1)),
        ("S$40m", Money(40e6, "SGD", 1)),
        ("NT$2.5bn", Money(2.5e9, "TWD", 2)),
        ("A$10 million", Money(10e6, "AUD", 1)),
        ("CAD 75m", Money(75e6, "CAD", 2)),
        ("R$18 million", Money(18e6, "BRL", 2)),
        ("Rs 500 crore", Money(5e9, "INR", 1)),
        ("USD 1.2 bln", Money(1.2e9, "USD", 2)),
        ("$5 mm", Money(5e6, "USD", 1)),
    ],
)
def test_parse_amount(text, money):
    assert parse_amount(text) == money


@pytest.mark.parametrize(
    "bad",
    [
        "", "lots", "$", "-5m", "$5m yuan", "1e99", "$0m", "nan", "inf", "-inf", "$-5m", "1,2",
        "1.234,5", "$1.2.3", "1,23", "$10.1 trillion", "$0.0bn", "5m euros yuan", "¥5m dollars",
        "$٥m",
    ],
)  # fmt: skip
def test_parse_amount_rejects(bad):
    with pytest.raises(BadInput) as err:
        parse_amount(bad)
    assert err.value.code == "bad_amount"


@pytest.mark.parametrize("text", ["50", "$50", "50 yuan", "1.2bn", "1,234", "$0.5", "5m"])
def test_an_amount_needs_a_currency_and_a_scale(text):
    with pytest.raises(BadInput) as err:
        parse_amount(text)
    assert err.value.code == "amount_needs_unit"


@pytest.mark.parametrize("text", ["¥5m", "¥ 3.5 billion", "¥200,000"])
def test_a_bare_yen_sign_is_refused_as_yuan_or_yen(text):
    with pytest.raises(BadInput) as err:
        parse_amount(text)
    assert err.value.code == "ambiguous_currency"


def test_to_usd_uses_nearest_year_and_says_so():
    usd, basis = to_usd(Money(100, "CNY"), 2017)
    assert usd == pytest.approx(14.8)
    assert "CNY 2017" in basis
    assert to_usd(Money(5, "USD"), None) == (5, "original")


def test_format_usd_sums_to_three_digits():
    assert format_usd(540e6) == "$540M"
    assert format_usd(1.25e9) == "$1.25B"
    assert format_usd(1.2345e9) == "$1.23B"
    assert format_usd(None) == ""


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("$1.75bn", "$1.75B"), ("$2.45bn", "$2.45B"), ("€45m", "€45M"), ("3.5bn yuan", "3.5B yuan"),
        ("$1.20bn", "$1.20B"), ("$200,000", "$200,000"), ("£10 million", "£10M"),
        ("CHF 15m", "CHF 15M"), ("Rs. 500 crore", "₹5B"), ("S$40m", "S$40M"),
    ],
)  # fmt: skip
def test_amounts_are_shown_as_stated(typed, shown):
    money = parse_amount(typed)
    assert format_amount(money.amount, money.currency, money.digits) == shown


def test_a_converted_amount_is_no_more_precise_than_the_stated_one():
    assert format_converted(3.5e9 * 0.155, 2) == "$540M"
    assert format_converted(1.234567e9 * 0.139, 7) == "$172M"  # at most three digits
    assert format_converted(5e6 * 0.139, 1) == "$700,000"


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


def test_text_read_as_cjk_is_text_the_cjk_search_index_holds():
    """Search, names and watches all ask ``has_cjk``; the trigram index takes a row by the
    migration's GLOB. Were they to differ, a word would be looked for where it is not kept."""
    import sqlite3

    from briefs.migrations import CJK_GLOB
    from briefs.text import has_cjk

    conn = sqlite3.connect(":memory:")
    for point in range(0x2000, 0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        (indexed,) = conn.execute("SELECT ? GLOB ?", [f"ab{char}c", CJK_GLOB]).fetchone()
        assert has_cjk(f"ab{char}c") == bool(indexed), hex(point)
