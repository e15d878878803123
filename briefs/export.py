"""The export of facts as CSV or JSON: every field, party, source and figure.

One module for the command line's ``dealbrief export`` and Discord's ``/export``; both narrow
it with the filters of search (``SearchFilters``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import queries
from .model import FIGURE_ROLES, Fact
from .search_filters import NO_FILTERS, SearchFilters, fact_conditions

if TYPE_CHECKING:
    from .store import Reader

FORMATS = ("csv", "json")


def export_text(db: Reader, fmt: str, filters: SearchFilters = NO_FILTERS) -> tuple[str, int]:
    """The export in ``fmt`` and how many facts it holds."""
    facts = list(all_facts(db, filters))
    return (facts_csv(facts) if fmt == "csv" else facts_json(facts)), len(facts)


def all_facts(db: Reader, filters: SearchFilters = NO_FILTERS, batch: int = 500) -> Iterator[Fact]:
    """Every live fact that passes ``filters`` (as search reads them), in id order, hydrated a
    batch at a time."""
    conditions, params = fact_conditions(filters, "f")
    last = 0
    while True:
        ids = [
            row[0]
            for row in db.execute(
                f"SELECT f.id FROM facts f WHERE f.deleted_at IS NULL AND f.id > :last{conditions} "
                "ORDER BY f.id LIMIT :batch",
                {**params, "last": last, "batch": batch},
            )
        ]
        if not ids:
            return
        yield from queries.fetch_facts(db, ids)
        last = ids[-1]


def facts_json(facts: list[Fact]) -> str:
    return json.dumps([fact_json(f) for f in facts], ensure_ascii=False, indent=2) + "\n"


def fact_json(fact: Fact) -> dict[str, Any]:
    """The fact's fields, with every source reporting it in ``sources`` (the first one first,
    each with what it says); ``source`` stays the first, as before."""
    data = dataclasses.asdict(fact)
    further = data.pop("more_sources")
    data["sources"] = [
        {**data["source"], "evidence": fact.evidence},
        *({**c["source"], "evidence": c["evidence"]} for c in further),
    ]
    return data


FACT_COLUMNS = (
    "id", "key", "kind", "summary", "asset", "sector", "territory", "stage", "royalty", "period",
    "period_start", "period_end", "status", "evidence", "note", "origin", "revision",
    "created_at", "updated_at",
)  # fmt: skip
PARTY_COLUMNS = ("subject", "counterparty", "licensor", "licensee")
SOURCE_COLUMNS = ("id", "key", "title", "outlet", "published", "url")
FIGURE_COLUMNS = ("disclosed", "value", "unit", "usd", "approx")


def csv_header() -> list[str]:
    return [
        *FACT_COLUMNS,
        *PARTY_COLUMNS,
        *(f"source_{c}" for c in SOURCE_COLUMNS),
        "source_count",
        "sources",
        *(f"{role}_{c}" for role in FIGURE_ROLES for c in FIGURE_COLUMNS),
    ]


def csv_row(fact: Fact) -> dict[str, Any]:
    """One flat row; a role given twice keeps its values joined by "; ", and so do the keys of
    every source reporting the fact (``sources``; ``source_*`` describe the first)."""
    row: dict[str, Any] = {c: getattr(fact, c) for c in FACT_COLUMNS}
    row.update({p: getattr(fact, p).name if getattr(fact, p) else None for p in PARTY_COLUMNS})
    row.update({f"source_{c}": getattr(fact.source, c) for c in SOURCE_COLUMNS})
    row["source_count"] = len(fact.sources)
    row["sources"] = "; ".join(source.key for source in fact.sources)
    for figure in fact.figures:
        values = {
            "disclosed": int(figure.disclosed),
            "value": figure.value,
            "unit": figure.unit,
            "usd": figure.value_usd,
            "approx": figure.approx,
        }
        for column, value in values.items():
            name = f"{figure.role}_{column}"
            row[name] = value if row.get(name) is None else f"{row[name]}; {value}"
    return {name: defuse(value) for name, value in row.items()}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def defuse(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe.

    Text that already starts with one gets another, so a reader that drops exactly one leading
    apostrophe always gets the stored text back.
    """
    if isinstance(value, str) and value[:1] in (*FORMULA_STARTS, "'"):
        return "'" + value
    return value


def facts_csv(facts: list[Fact]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_header(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_row(f) for f in facts)
    return buffer.getvalue()
