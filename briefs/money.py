"""Amounts of money: parse what people and articles write, and convert to US dollars.

A conversion stated by the source wins; otherwise the yearly average rates in ``data/rates.toml``
are used and the basis is recorded, so a reader can tell a stated figure from a computed one.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from .errors import BadInput

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# How writers name each currency (ISO 4217 codes). Codes and signs come before the number;
# codes and names after it ("CHF 15m", "15 million Swiss francs").
CURRENCY_WORDS = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "u s dollars": "USD",
    "cny": "CNY",
    "rmb": "CNY",
    "yuan": "CNY",
    "¥": "CNY",  # articles on Chinese deals; typed amounts must say which (see parse_amount)
    "cn¥": "CNY",
    "jp¥": "JPY",
    "renminbi": "CNY",
    "eur": "EUR",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "pounds sterling": "GBP",
    "krw": "KRW",
    "won": "KRW",
    "₩": "KRW",
    "jpy": "JPY",
    "yen": "JPY",
    "hkd": "HKD",
    "hk$": "HKD",
    "chf": "CHF",
    "swiss francs": "CHF",
    "swiss franc": "CHF",
    "inr": "INR",
    "₹": "INR",
    "rs.": "INR",
    "rs": "INR",
    "rupees": "INR",
    "rupee": "INR",
    "sgd": "SGD",
    "s$": "SGD",
    "singapore dollars": "SGD",
    "twd": "TWD",
    "nt$": "TWD",
    "taiwan dollars": "TWD",
    "new taiwan dollars": "TWD",
    "aud": "AUD",
    "a$": "AUD",
    "australian dollars": "AUD",
    "cad": "CAD",
    "c$": "CAD",
    "canadian dollars": "CAD",
    "brl": "BRL",
    "r$": "BRL",
    "reais": "BRL",
    "brazilian reais": "BRL",
}

SCALE_WORDS = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "lakh": 1e5,  # Indian numbering: a lakh is a hundred thousand, a crore ten million
    "lakhs": 1e5,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mm": 1e6,  # finance's thousand thousands
    "million": 1e6,
    "millions": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "b": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}


def is_currency_code(word: str) -> bool:
    return len(word) == 3 and word.isalpha()


# Abbreviations that stand before the number although they are letters ("Rs 500 crore").
PREFIX_WORDS = frozenset({"rs"})


def written_before(word: str) -> bool:
    """Codes and signs ("CHF", "$", "S$", "Rs.") stand before the number."""
    return is_currency_code(word) or not word.replace(" ", "").isalpha() or word in PREFIX_WORDS


def written_after(word: str) -> bool:
    """Codes and names ("CHF", "Swiss francs") stand after the number (with its scale)."""
    return is_currency_code(word) or word.replace(" ", "").replace(".", "").isalpha()


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so "us$" wins over "$"), spaces
    matching any run of white space."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


MAX_AMOUNT = 1e13  # no single deal or market figure in this domain comes near ten trillion

CURRENCY_BEFORE = alternation(w for w in CURRENCY_WORDS if written_before(w))
CURRENCY_AFTER = alternation(w for w in CURRENCY_WORDS if written_after(w))
SCALES = alternation(w for w in SCALE_WORDS if w)

_AMOUNT = re.compile(
    rf"""^\s*
    (?P<pre>{CURRENCY_BEFORE})?\s*
    (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*
    (?P<scale>{SCALES})?\.?\s*
    (?P<post>{CURRENCY_AFTER})?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)


@dataclass(frozen=True)
class Money:
    """An amount in its original currency (ISO 4217 code), with the significant digits the
    writer gave (``1.75bn`` has 3, ``50m`` has 1), so it can be shown no more and no less
    precisely than it was stated."""

    amount: float
    currency: str
    digits: int | None = None


def parse_amount(text: str) -> Money:
    """Parse ``$50m``, ``USD 1.2bn``, ``3.5 billion yuan``, ``€200,000``; raise BadInput.

    Every amount says its currency and its scale: a bare ``50`` or ``$50`` is refused
    (``amount_needs_unit``), since a deal's "50" almost always means millions and a wrong
    guess is off a thousandfold. A number written in full with thousands separators
    (``$200,000``) needs no scale word. A bare ``¥`` is refused (``ambiguous_currency``):
    China and Japan both write it, and a wrong guess is off by a factor of twenty.
    ``¥5m yuan``, ``CN¥5m`` and ``JP¥5m`` say which.
    """
    raw = unicodedata.normalize("NFKC", text or "").strip()
    match = _AMOUNT.match(raw)
    yen_sign = bool(match) and match["pre"] == "¥"
    named_yen = yen_sign and _currency(match["post"]) in ("CNY", "JPY")
    if not match or (match["pre"] and match["post"] and not named_yen):
        raise BadInput(f"{raw[:40]!r} is not an amount", code="bad_amount", value=raw[:40])
    if yen_sign and not named_yen:
        raise BadInput(
            f"{raw[:40]!r}: ¥ is both yuan and yen", code="ambiguous_currency", value=raw[:40]
        )
    word = match["post"] if yen_sign else match["pre"] or match["post"]
    currency = _currency(word)
    written_in_full = "," in match["num"]
    if currency is None or not (match["scale"] or written_in_full):
        raise BadInput(
            f"{raw[:40]!r} needs a currency and a scale", code="amount_needs_unit", value=raw[:40]
        )
    scale = Decimal(str(SCALE_WORDS[(match["scale"] or "").lower()]))
    amount = float(Decimal(match["num"].replace(",", "")) * scale)
    if amount <= 0 or amount > MAX_AMOUNT:
        raise BadInput(f"{raw[:40]!r} is out of range", code="bad_amount", value=raw[:40])
    return Money(amount, currency, significant_digits(match["num"]))


def significant_digits(number: str) -> int:
    """How many significant digits a written number states: ``1.75`` 3, ``1.20`` 3, ``50`` 1.

    Trailing zeros of a whole number (``50``, ``200,000``) are read as placeholders, the usual
    convention; after a decimal point they were written on purpose.
    """
    digits = number.replace(",", "").lstrip("0.")
    if "." in number:
        return max(1, len(digits.replace(".", "")))
    return max(1, len(digits.rstrip("0")))


def _currency(word: str | None) -> str | None:
    return CURRENCY_WORDS.get(re.sub(r"\s+", " ", word.lower())) if word else None


@cache
def _rates() -> dict[str, dict[str, float]]:
    with open(DATA_DIR / "rates.toml", "rb") as fh:
        table = tomllib.load(fh)
    return {
        cur: {str(y): float(r) for y, r in years.items()}
        for cur, years in table["usd_per_unit"].items()
    }


def to_usd(money: Money, year: int | None) -> tuple[float, str]:
    """Convert with the rate table: returns (usd, basis). The nearest listed year is used."""
    if money.currency == "USD":
        return money.amount, "original"
    rates = _rates().get(money.currency)
    if not rates:
        raise BadInput(
            f"no rate for {money.currency}", code="unknown_currency", value=money.currency
        )
    years = sorted(int(y) for y in rates)
    chosen = min(years, key=lambda y: abs(y - year)) if year else years[-1]
    return money.amount * rates[str(chosen)], f"rate table {money.currency} {chosen}"


# How an amount reads in each currency: a sign before the number, or a word after it.
CURRENCY_SIGNS = {
    **{"USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "INR": "₹"},
    **{"SGD": "S$", "TWD": "NT$", "AUD": "A$", "CAD": "C$", "BRL": "R$"},
}
CURRENCY_NAMES = {"CNY": "yuan", "JPY": "yen", "KRW": "won"}
# A sum of many figures, or one converted at a yearly average rate, is good to this many digits.
AGGREGATE_DIGITS = 3
_STORED_DIGITS = 12  # a float holds more, but no stated amount has as many


def exact(amount: float) -> Decimal:
    """The decimal an amount was typed as, without the float's binary noise."""
    return Decimal(f"{amount:.{_STORED_DIGITS}g}")


def digits_of(amount: float) -> int:
    """Significant digits of a stored amount, read as it is shown (``5e7`` is "50M": 2)."""
    return significant_digits(_scaled(exact(amount))[1])


def round_significant(amount: Decimal, digits: int) -> Decimal:
    """``amount`` rounded to ``digits`` significant digits (half up, as people round)."""
    if amount == 0:
        return amount
    quantum = Decimal(1).scaleb(amount.adjusted() - digits + 1)
    return amount.quantize(quantum, rounding="ROUND_HALF_UP")


def _scaled(amount: Decimal, digits: int | None = None) -> tuple[str, str]:
    """(suffix, number) such as ("B", "1.75"): exact, padded to at least ``digits`` digits."""
    suffix, shown = "", amount
    for limit, letter in ((Decimal("1e12"), "T"), (Decimal("1e9"), "B"), (Decimal("1e6"), "M")):
        if abs(amount) >= limit:
            suffix, shown = letter, amount / limit
            break
    shown = shown.normalize()
    if digits is not None and len(shown.as_tuple().digits) < digits:
        shown = shown.quantize(Decimal(1).scaleb(shown.adjusted() - digits + 1))
    text = f"{shown:f}"
    return suffix, (f"{int(shown):,}" if "." not in text and not suffix else text)


def format_amount(amount: float | Decimal, currency: str, digits: int | None = None) -> str:
    """An amount as stated: ``$1.75B``, ``€45M``, ``3.5B yuan``, ``CHF 2M``.

    Shown exactly (never rounded), with at least ``digits`` significant digits so that a
    stated ``$1.20bn`` keeps its zero.
    """
    value = amount if isinstance(amount, Decimal) else exact(amount)
    suffix, number = _scaled(value, digits)
    if currency in CURRENCY_SIGNS:
        return f"{CURRENCY_SIGNS[currency]}{number}{suffix}"
    if currency in CURRENCY_NAMES:
        return f"{number}{suffix} {CURRENCY_NAMES[currency]}"
    return f"{currency} {number}{suffix}"


def format_converted(amount: float, stated_digits: int | None) -> str:
    """A dollar value computed at a yearly average rate: no more precise than the stated
    amount (its significant digits, at most three), e.g. ``$540M``."""
    digits = min(stated_digits or AGGREGATE_DIGITS, AGGREGATE_DIGITS)
    return format_amount(round_significant(exact(amount), digits), "USD")


def format_usd(amount: float | None) -> str:
    """A dollar sum (a period's deals, a sector): three significant digits; '' for None."""
    if amount is None:
        return ""
    return format_amount(round_significant(exact(amount), AGGREGATE_DIGITS), "USD")
