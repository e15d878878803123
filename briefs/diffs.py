"""What an edit did to a fact, field by field, for the history, the digest and the edit's answer.

The audit trail keeps each change's before and after snapshots; this reads two of them and
says which fields differ, with amounts as figures (rendered as stated), parties as company
names and a term kept secret as undisclosed. Templates put the words around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .model import FIGURE_ROLES, Figure

if TYPE_CHECKING:
    from sqlite_utils import Database

# The fields a reader recognises, in the order a fact shows them; bookkeeping columns
# (revision, timestamps, hashes) change with every edit and say nothing.
TEXT_FIELDS = (
    "kind", "summary", "asset", "sector", "territory", "stage", "royalty", "period", "status",
    "evidence", "note",
)  # fmt: skip
PARTY_ROLES = ("subject", "counterparty", "licensor", "licensee")
_FIGURE_FIELDS = {f.name for f in fields(Figure)}


@dataclass(frozen=True)
class Value:
    """One side of a changed field: ``kind`` is "none", "text", "company", "source",
    "undisclosed" (a party or term known to exist but not made public) or "figure"."""

    kind: str
    text: str | None = None
    figure: Figure | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Value
    new: Value


NONE = Value("none")


def fact_changes(db: Database, before: Mapping | None, after: Mapping | None) -> list[FieldChange]:
    """The fields that differ between two snapshots of a live fact; [] for anything else."""
    if not before or not after or before.get("deleted_at") or after.get("deleted_at"):
        return []
    names = _company_names(db, before, after)
    found = [
        FieldChange(name, _text(before.get(name)), _text(after.get(name)))
        for name in TEXT_FIELDS
        if before.get(name) != after.get(name)
    ]
    for role in PARTY_ROLES:
        old, new = _party(before, role, names), _party(after, role, names)
        if old != new:
            found.append(FieldChange(role, old, new))
    if before.get("source_id") != after.get("source_id"):
        found.append(FieldChange("source", _source(before), _source(after)))
    old_figures, new_figures = _figures(before), _figures(after)
    for role in FIGURE_ROLES:
        old, new = old_figures.get(role, NONE), new_figures.get(role, NONE)
        if old != new:
            found.append(FieldChange(role, old, new))
    return found


def _text(value: Any) -> Value:
    return NONE if value in (None, "") else Value("text", str(value))


def _source(snapshot: Mapping) -> Value:
    source_id = snapshot.get("source_id")
    return NONE if source_id is None else Value("source", str(source_id))


def _party(snapshot: Mapping, role: str, names: Mapping[int, str]) -> Value:
    company_id = snapshot.get(f"{role}_id")
    if company_id is not None:
        return Value("company", names.get(company_id, f"#{company_id}"))
    return Value("undisclosed") if snapshot.get(f"{role}_undisclosed") else NONE


def _figures(snapshot: Mapping) -> dict[str, Value]:
    """Each role's figure (the first, as a fact shows it); an undisclosed one says so."""
    shown: dict[str, Value] = {}
    for row in snapshot.get("figures") or []:
        values = {k: v for k, v in row.items() if k in _FIGURE_FIELDS}
        figure = Figure(**{**values, "disclosed": bool(row.get("disclosed"))})
        value = Value("figure", figure=figure) if figure.disclosed else Value("undisclosed")
        shown.setdefault(figure.role, value)
    return shown


def _company_names(db: Database, *snapshots: Mapping) -> dict[int, str]:
    ids = {s.get(f"{r}_id") for s in snapshots for r in PARTY_ROLES} - {None}
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(f"SELECT id, name FROM companies WHERE id IN ({marks})", list(ids))
    return dict(rows.fetchall())
