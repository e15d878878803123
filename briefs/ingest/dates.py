"""Dates as articles write them, turned into the period texts facts store (``2024-03-05``, ``2025-H1``).

Relative words ("on Tuesday", "last year") are read against the publication date; without one they
are left alone rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..periods import bucket, period_text
from .lowered import NoCase, lowered

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_Y2 = r"(?P<y2>(?:19|20)\d{2})"

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (  # "2025-04-10", also "2025/04/10" and "2025.04.10"
        "iso",
        re.compile(r"\b(?P<year>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{2})(?P=sep)(?P<d>\d{2})\b"),
    ),
    ("mdy", re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR, re.I)),
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+" + _YEAR, re.I)),
    (
        "half",
        re.compile(r"\b(?P<ord>first|second) half of (?:the year )?" + _YEAR, re.I),
    ),
    (
        "half_short",
        re.compile(r"\bH(?P<n>[12])\s+" + _YEAR + r"\b|\b" + _Y2 + r"-?H(?P<n2>[12])\b"),
    ),
    (
        "quarter",
        re.compile(r"\b(?P<ord>first|second|third|fourth) quarter of (?:the year )?" + _YEAR, re.I),
    ),
    (
        "quarter_short",
        re.compile(r"\bQ(?P<n>[1-4])\s+" + _YEAR + r"\b|\b" + _Y2 + r"-?Q(?P<n2>[1-4])\b"),
    ),
    ("my", re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I)),
    ("md", re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b", re.I)),
    (  # "17 July" without a year; not "clause 5 may be ..."
        "dm",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?!may\s+(?:be|not|have|also|only|apply)\b)"
            + _MONTH
            + r"(?![\w-])",
            re.I,
        ),
    ),
    (  # "on Tuesday", "last Tuesday", "late Monday", "said Monday", "Monday's announcement"
        "weekday",
        re.compile(
            r"(?:\b(?:on|last|this past|late|early|said|says|announced|disclosed|confirmed)\s+"
            r"|\b(?=\w+day['’]s\b))(?P<weekday>" + "|".join(WEEKDAYS) + r")\b",
            re.I,
        ),
    ),
    (
        "relative",
        re.compile(r"\b(?P<rel>yesterday|today|last year|this year|last month|last week)\b", re.I),
    ),
    ("in_month", re.compile(r"\bin " + _MONTH + r"(?!\s*\d)\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|for|of|by|year)\s+" + _YEAR + r"\b", re.I)),
]


# The rules that match only where the text has a digit; a sentence without one skips them.
_NEEDS_DIGIT = frozenset(
    ["iso", "mdy", "dmy", "half", "half_short", "quarter", "quarter_short", "my", "md", "year"]
)
_DIGIT = re.compile(r"\d")
_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Words every match of a rule holds, in lower case: a sentence with none of them skips it.
_CUES = {
    "mdy": _MONTH_CUES,
    "dmy": _MONTH_CUES,
    "half": ("half",),
    "quarter": ("quarter",),
    "my": _MONTH_CUES,
    "md": _MONTH_CUES,
    "weekday": ("day",),
    "relative": ("yesterday", "today", "last", "this year"),
    "in_month": _MONTH_CUES,
}
# Case-insensitive rules are searched in the lower-cased sentence, several times faster.
_CASELESS = {
    name: NoCase(pattern, _CUES.get(name, ())) for name, pattern in _RULES if pattern.flags & re.I
}


def find_period(sentence: str, published: date | None = None) -> str | None:
    """The most specific date or period the sentence states, as period text; None when it states none."""
    digits = _DIGIT.search(sentence) is not None
    lower = lowered(sentence)
    for name, pattern in _RULES:  # most specific first: "March 3, 2024" before "in 2024"
        if name in _NEEDS_DIGIT and not digits:
            continue
        caseless = _CASELESS.get(name)
        found = caseless.finditer(sentence, lower) if caseless else pattern.finditer(sentence)
        for match in found:
            period = _to_period(name, match, published)
            if period:
                return period
    return None


def dateline_date(text: str) -> date | None:
    """The publication day an article states near its top (ISO line, dateline with a full date)."""
    head = text[:600]
    for name in ("iso", "mdy", "dmy"):
        pattern = dict(_RULES)[name]
        match = pattern.search(head)
        if match:
            period = _to_period(name, match, None)
            if period and len(period) == 10:
                return date.fromisoformat(period)
    return None


def _to_period(name: str, m: re.Match[str], published: date | None) -> str | None:
    """Map one match to period text; None if it does not make a real date."""
    groups = m.groupdict()
    year_text = groups.get("year") or groups.get("y2")
    year = int(year_text) if year_text else None
    try:
        if name == "iso":
            return date(year, int(m["m"]), int(m["d"])).isoformat()
        if name in ("mdy", "dmy"):
            return date(year, MONTHS[m["month"].lower()], int(m["day"])).isoformat()
        if name == "half":
            return period_text("half", year, _ORDINALS[m["ord"].lower()])
        if name == "half_short":
            return period_text("half", year, int(m["n"] or m["n2"]))
        if name == "quarter":
            return period_text("quarter", year, _ORDINALS[m["ord"].lower()])
        if name == "quarter_short":
            return period_text("quarter", year, int(m["n"] or m["n2"]))
        if name == "my":
            return period_text("month", year, MONTHS[m["month"].lower()])
        if name == "year":
            return period_text("year", year)
        if published is None:
            return None
        if name in ("md", "dm"):
            month = MONTHS[m["month"].lower()]
            guess_year = published.year - (1 if month > published.month else 0)
            return date(guess_year, month, int(m["day"])).isoformat()
        if name == "in_month":
            month = MONTHS[m["month"].lower()]
            guess_year = published.year - (1 if month > published.month else 0)
            return period_text("month", guess_year, month)
        if name == "weekday":
            back = (published.weekday() - WEEKDAYS.index(m["weekday"].lower())) % 7
            return (published - timedelta(days=back)).isoformat()
        if name == "relative":
            return _relative(m["rel"].lower(), published)
    except (ValueError, KeyError):
        return None
    return None


def _relative(word: str, published: date) -> str:
    if word == "yesterday":
        return (published - timedelta(days=1)).isoformat()
    if word == "today":
        return published.isoformat()
    if word == "last year":
        return period_text("year", published.year - 1)
    if word == "this year":
        return period_text("year", published.year)
    if word == "last week":  # periods have no weeks: the month that week fell in
        return bucket(published - timedelta(days=7), "month")
    return bucket(published.replace(day=1) - timedelta(days=1), "month")


def day_of(sentence: str, published: date | None) -> str | None:
    """The day (``2025-03-04``) the sentence gives, if it gives a whole day no later than the
    article's date and no more than a week before it: a news item's own day."""
    period = find_period(sentence, published)
    if published is None or period is None or len(period) != 10:
        return None
    day = date.fromisoformat(period)
    return period if published - timedelta(days=7) <= day <= published else None
