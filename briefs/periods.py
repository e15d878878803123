"""Dates and periods as the sources state them: a day, a month, a quarter, a half or a year.

Facts keep the period text as written (``2025-H1``) and the first and last day it covers, so
that queries can sort and group without re-parsing.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .errors import BadInput

_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII), "day"),
    (re.compile(r"^(\d{4})-(\d{2})$", re.ASCII), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE | re.ASCII), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE | re.ASCII), "half"),
    (re.compile(r"^(\d{4})$", re.ASCII), "year"),
]

MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class Period:
    """A calendar span written the way the source wrote it."""

    text: str
    granularity: str
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """Parse ``YYYY``, ``YYYY-Hn``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise BadInput."""
    raw = unicodedata.normalize("NFKC", text or "").strip()  # full-width digits read as digits
    for pattern, granularity in _PATTERNS:
        match = pattern.match(raw)
        if match:
            return _build(raw, granularity, match.groups())
    raise BadInput(
        f"{raw[:40]!r} is not a date or period",
        code="bad_period",
        value=raw[:40],
    )


def _build(raw: str, granularity: str, groups: tuple[str, ...]) -> Period:
    year = int(groups[0])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput(f"year {year} is out of range", code="bad_period", value=raw[:40])
    try:
        if granularity == "day":
            day = date(year, int(groups[1]), int(groups[2]))
            return Period(raw, granularity, day, day)
        if granularity == "month":
            month = int(groups[1])
            last = calendar.monthrange(year, month)[1]
            return Period(raw, granularity, date(year, month, 1), date(year, month, last))
    except ValueError as exc:
        raise BadInput(f"{raw!r} is not a real date", code="bad_period", value=raw[:40]) from exc
    if granularity == "quarter":
        q = int(groups[1])
        first_month = 3 * (q - 1) + 1
        last = calendar.monthrange(year, first_month + 2)[1]
        start, end = date(year, first_month, 1), date(year, first_month + 2, last)
        return Period(raw.upper(), granularity, start, end)
    if granularity == "half":
        half = int(groups[1])
        start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return Period(raw.upper(), granularity, start, end)
    return Period(raw, granularity, date(year, 1, 1), date(year, 12, 31))


def period_text(granularity: str, year: int, number: int = 1) -> str:
    """The stored text of a period: ``2025``, ``2025-H1``, ``2025-Q3`` or ``2025-07``.

    ``number`` is the half, quarter or month within the year. The one place that spells
    period texts, for buckets and for the dates ingestion reads from articles alike.
    """
    if granularity == "year":
        return f"{year}"
    if granularity == "half":
        return f"{year}-H{number}"
    if granularity == "quarter":
        return f"{year}-Q{number}"
    if granularity == "month":
        return f"{year}-{number:02d}"
    raise BadInput(
        f"unknown granularity {granularity!r}", code="bad_granularity", value=granularity
    )


def bucket(day: date, granularity: str) -> str:
    """Name the period of ``granularity`` (year, half, quarter, month) that holds ``day``."""
    number = {
        "half": 1 if day.month <= 6 else 2,
        "quarter": (day.month - 1) // 3 + 1,
        "month": day.month,
    }.get(granularity, 1)
    return period_text(granularity, day.year, number)
