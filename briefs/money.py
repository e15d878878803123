"""Amounts of money: parse what people and articles write, and convert to US dollars.

A conversion stated by the source wins; otherwise the yearly average rates in ``data/rates.toml``
are used and the basis is recorded, so a reader can tell a stated figure from a computed one.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import BadInput

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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
    "krw": "KRW",
    "won": "KRW",
    "jpy": "JPY",
    "yen": "JPY",
    "hkd": "HKD",
    "hk$": "HKD",
}

SCALE_WORDS = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}

MAX_AMOUNT = 1e13  # no single deal or market figure in this domain comes near ten trillion

_AMOUNT = re.compile(
    r"""^\s*
    (?P<pre>us\$|hk\$|cn¥|jp¥|[$€£¥]|usd|cny|rmb|eur|gbp|krw|jpy|hkd)?\s*
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*
    (?P<scale>thousand|millions?|billions?|trillion|mn|mln|bn|tn|[kmbt])?\.?\s*
    (?P<post>u\.?s\.?\s+dollars|us\s+dollars|dollars?|yuan|rmb|renminbi|euros?|pounds?|sterling|won|yen|
        usd|cny|eur|gbp|krw|jpy|hkd)?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)


@dataclass(frozen=True)
class Money:
    """An amount in its original currency (ISO 4217 code)."""

    amount: float
    currency: str


def parse_amount(text: str, *, default_currency: str = "USD") -> Money:
    """Parse ``$50m``, ``USD 1.2bn``, ``3.5 billion yuan``, ``€200,000``; raise BadInput.

    A bare ``¥`` is refused (``ambiguous_currency``): China and Japan both write it, and a
    wrong guess is off by a factor of twenty. ``¥5m yuan``, ``CN¥5m`` and ``JP¥5m`` say which.
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
    number = float(match["num"].replace(",", ""))
    scale = SCALE_WORDS[(match["scale"] or "").lower()]
    word = match["post"] if yen_sign else match["pre"] or match["post"]
    currency = _currency(word) or default_currency
    amount = number * scale
    if amount <= 0 or amount > MAX_AMOUNT:
        raise BadInput(f"{raw[:40]!r} is out of range", code="bad_amount", value=raw[:40])
    return Money(amount, currency)


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


def format_usd(amount: float | None) -> str:
    """Short human form: $540M, $1.2B, $60B; '' for None."""
    if amount is None:
        return ""
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= limit:
            value = amount / limit
            return f"${value:,.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"${amount:,.0f}"
