"""Every write to the knowledge base: sources, companies, aliases and facts, with undo and history.

Each change writes its `audit` row inside the same transaction as the change itself, so the
trail can never disagree with the data: either both are stored or neither is. Input is checked
in full before the first write, so a refusal leaves the database exactly as it was.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import model, vocab
from .diffs import fact_changes
from .errors import BadInput, Conflict, NotFound
from .money import Money, digits_of, to_usd
from .periods import parse_period
from .store import isotime, writing
from .text import (
    MAX_FIELD,
    MAX_LONG_FIELD,
    MAX_NAME,
    clean,
    clean_name,
    normalize_name,
    slugify,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

CURATED_ACTOR = "curated data"
SOURCE_KINDS = ("article", "document", "admin")
HISTORY_MAX = 200

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_FIGURE_COLUMNS = (
    "role", "disclosed", "value", "unit", "value_usd", "usd_basis", "approx", "note", "precision",
)  # fmt: skip
_SHORT_FACT_FIELDS = ("asset", "sector", "territory", "stage", "royalty")
_LONG_FACT_FIELDS = ("evidence", "note")
_PARTY_FIELDS = ("subject_id", "counterparty_id", "licensor_id", "licensee_id")


# --- Who changes things, and what they may submit. ------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who made a change: a Discord member (id + guild), a shell user, or the curated data."""

    name: str
    id: str | None = None
    guild_id: str | None = None

    @classmethod
    def shell(cls) -> Actor:
        """The operating-system user running the CLI, e.g. ``shell:alice``."""
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return cls(name=f"shell:{user}")

    @classmethod
    def curated(cls) -> Actor:
        return cls(name=CURATED_ACTOR)

    @property
    def is_curated(self) -> bool:
        return self.name == CURATED_ACTOR and self.id is None


@dataclass
class FigureIn:
    """One figure as submitted; ``disclosed=False`` records a term whose value was not made public."""

    role: str
    value: float | None = None
    unit: str = "USD"
    disclosed: bool = True
    value_usd: float | None = None
    usd_basis: str | None = None
    approx: str | None = None
    note: str | None = None
    precision: int | None = None  # significant digits as stated; None: read from the value


@dataclass
class FactIn:
    """A fact as submitted by a person, the curated data or the review queue."""

    kind: str
    summary: str
    source_id: int
    subject_id: int | None = None
    counterparty_id: int | None = None
    licensor_id: int | None = None
    licensee_id: int | None = None
    licensor_undisclosed: bool = False
    licensee_undisclosed: bool = False
    asset: str | None = None
    sector: str | None = None
    territory: str | None = None
    stage: str | None = None
    royalty: str | None = None
    period: str | None = None
    evidence: str | None = None
    note: str | None = None
    status: str = "reported"
    key: str | None = None
    origin: str = "admin"
    figures: list[FigureIn] = field(default_factory=list)


FACT_FIELDS = tuple(f.name for f in dataclasses.fields(FactIn))


# --- Small database helpers. ------------------------------------------------------------------


def _one(db: Database, sql: str, params: Sequence[Any] | dict = ()) -> dict | None:
    return next(iter(db.query(sql, params)), None)


def _count(db: Database, sql: str, params: Sequence[Any] | dict = ()) -> int:
    return db.execute(sql, params).fetchone()[0]


def _insert(db: Database, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row with plain SQL so that it joins the caller's open transaction."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
    return cursor.lastrowid


def _update(db: Database, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])


def _audit(
    db: Database,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    undoes: int | None = None,
) -> int:
    return _insert(
        db,
        "audit",
        {
            "at": isotime(),
            "actor": actor.name,
            "actor_id": actor.id,
            "guild_id": actor.guild_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": _json(before),
            "after": _json(after),
            "reason": reason,
            "undoes": undoes,
        },
    )


def _json(snapshot: dict | None) -> str | None:
    return None if snapshot is None else json.dumps(snapshot, ensure_ascii=False, sort_keys=True)


def _snapshot(db: Database, entity: str, entity_id: int) -> dict | None:
    """The row as stored; a fact carries its figures, a source leaves out its (long) text."""
    table = {"fact": "facts", "company": "companies", "alias": "aliases", "source": "sources"}
    row = _one(db, f"SELECT * FROM {table[entity]} WHERE id = ?", [entity_id])
    if row is None:
        return None
    if entity == "fact":
        columns = ", ".join(_FIGURE_COLUMNS)
        row["figures"] = list(
            db.query(f"SELECT {columns} FROM figures WHERE fact_id = ? ORDER BY id", [entity_id])
        )
        row["sources"] = _further_sources(db, entity_id)
    if entity == "source":
        row.pop("text", None)
    return row


def _further_sources(db: Database, fact_id: int) -> list[dict]:
    """The sources added to a fact after its first; none in a base older than m012."""
    if not db["fact_sources"].exists():
        return []
    return list(
        db.query(
            "SELECT source_id, evidence FROM fact_sources WHERE fact_id = ? ORDER BY id",
            [fact_id],
        )
    )


# --- Checks shared by every write. -------------------------------------------------------------


def _optional(value: str | None, name: str, limit: int, *, multiline: bool = False) -> str | None:
    if value is None:
        return None
    return clean(value, field=name, max_len=limit, required=False, multiline=multiline) or None


def _one_line(value: str | None) -> str | None:
    """Short fields are shown on one line; a line break typed into a form box is just a space."""
    return value if value is None else re.sub(r"[\r\n\t]+", " ", value)


def _require_company(db: Database, company_id: int, name: str = "company") -> None:
    if _count(db, "SELECT count(*) FROM companies WHERE id = ?", [company_id]) == 0:
        raise NotFound(
            f"no company with id {company_id}", code="company_not_found", id=company_id, field=name
        )


def _require_source(db: Database, source_id: int) -> None:
    if _count(db, "SELECT count(*) FROM sources WHERE id = ?", [source_id]) == 0:
        raise NotFound(f"no source with id {source_id}", code="source_not_found", id=source_id)


def _check_amount(value: float | None, name: str, *, allow_negative: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput(f"{name} must be a finite number", code="bad_amount", field=name)
    if value <= 0 and not allow_negative:
        raise BadInput(f"{name} must be positive", code="bad_amount", field=name)


def _check_unit(unit: str) -> str:
    text = (unit or "").strip()
    if text.lower() in model.NON_MONEY_UNITS:
        return text.lower()
    if not _CURRENCY.match(text.upper()):
        raise BadInput(f"{text[:20]!r} is not a unit", code="bad_unit", value=text[:20])
    return text.upper()


def _check_figure(figure: FigureIn, year: int | None) -> dict:
    """One figure as a row; non-USD money gets a dollar value from the rate table when none is given."""
    if figure.role not in model.FIGURE_ROLES:
        raise BadInput(f"{figure.role!r} is not a figure role", code="bad_role", value=figure.role)
    unit = _check_unit(figure.unit)
    money = model.is_money(unit)
    value, value_usd = figure.value, figure.value_usd
    # A change (growth) may be a fall; every other figure counts or measures something.
    _check_amount(value, "value", allow_negative=figure.role == "growth")
    _check_amount(value_usd, "value_usd")
    if not figure.disclosed and (value is not None or value_usd is not None):
        raise BadInput("an undisclosed figure has no value", code="undisclosed_with_value")
    if figure.disclosed and value is None:
        raise BadInput(f"the {figure.role} figure has no value", code="missing_value")
    if value_usd is not None and not money:
        raise BadInput("only money has a dollar value", code="usd_for_non_money", unit=unit)
    basis = _optional(figure.usd_basis, "usd_basis", MAX_NAME)
    precision = figure.precision
    if precision is not None and (isinstance(precision, bool) or not 1 <= precision <= 15):
        raise BadInput("a figure's precision is 1 to 15 digits", code="bad_figure")
    if value is not None and precision is None and money:
        precision = digits_of(float(value))
    if money and value is not None and value_usd is None:
        value_usd, basis = to_usd(Money(float(value), unit), year)
    elif value_usd is not None and basis is None:
        basis = "as entered"
    return {
        "role": figure.role,
        "disclosed": 1 if figure.disclosed else 0,
        "value": None if value is None else float(value),
        "unit": unit,
        "value_usd": None if value_usd is None else float(value_usd),
        "usd_basis": basis if value_usd is not None else None,
        "approx": _optional(figure.approx, "approx", MAX_NAME),
        "note": _optional(figure.note, "figure note", MAX_FIELD),
        "precision": precision if value is not None and money else None,
    }


def _as_figure(item: FigureIn | Mapping[str, Any]) -> FigureIn:
    if isinstance(item, FigureIn):
        return item
    try:
        return FigureIn(**item)
    except TypeError as exc:
        raise BadInput("a figure has unknown or missing fields", code="bad_figure") from exc


def check_kind(kind: str) -> None:
    """Refuse a kind of fact outside ``model.FACT_KINDS`` (front ends check it early too)."""
    if kind not in model.FACT_KINDS:
        raise BadInput(f"{kind!r} is not a kind of fact", code="bad_kind", value=kind[:MAX_NAME])


def check_status(status: str) -> None:
    if status not in model.STATUSES:
        raise BadInput(f"{status!r} is not a status", code="bad_status", value=status[:MAX_NAME])


def check_alias_kind(kind: str) -> None:
    if kind not in model.ALIAS_KINDS:
        raise BadInput(f"{kind!r} is not a kind of alias", code="bad_alias_kind", value=kind)


def _check_fact(db: Database, fact: FactIn) -> tuple[dict, list[dict]]:
    """Validate everything about a fact; return its column values and figure rows."""
    fact, vocab_columns = vocab.check_fact(fact)
    check_kind(fact.kind)
    check_status(fact.status)
    if fact.origin not in model.ORIGINS:
        raise BadInput(f"{fact.origin!r} is not an origin", code="bad_origin", value=fact.origin)
    values: dict[str, Any] = {
        "kind": fact.kind,
        "status": fact.status,
        "origin": fact.origin,
        "summary": clean(_one_line(fact.summary), field="summary", max_len=MAX_FIELD),
        "key": _optional(fact.key, "key", MAX_NAME),
    }
    for name in _SHORT_FACT_FIELDS:
        values[name] = _optional(_one_line(getattr(fact, name)), name, MAX_FIELD)
    for name in _LONG_FACT_FIELDS:
        values[name] = _optional(getattr(fact, name), name, MAX_LONG_FIELD, multiline=True)
    values.update(period=None, period_start=None, period_end=None)
    year = None
    if fact.period is not None and fact.period.strip():
        period = parse_period(fact.period)
        values.update(
            period=period.text,
            period_start=period.start.isoformat(),
            period_end=period.end.isoformat(),
        )
        year = period.start.year
    figures = [_check_figure(_as_figure(item), year) for item in fact.figures]
    _require_source(db, fact.source_id)
    values["source_id"] = fact.source_id
    for name in _PARTY_FIELDS:
        company_id = getattr(fact, name)
        if company_id is not None:
            _require_company(db, company_id, name.removesuffix("_id"))
        values[name] = company_id
    parties = {fact.subject_id, fact.counterparty_id} - {None}
    for name in ("licensor_id", "licensee_id"):
        if values[name] is not None and values[name] not in parties:
            role = name.removesuffix("_id")
            raise BadInput(
                f"the {role} must be the subject or the counterparty",
                code="party_not_in_deal",
                field=role,
            )
    values.update(_licence_parties(fact))
    values.update(vocab_columns)
    return values, figures


def _licence_parties(fact: FactIn) -> dict[str, int]:
    """The licence rules: two different parties, each named or said to be undisclosed.

    A named party replaces an earlier "undisclosed", so an edit that names the licensee
    needs no second step to drop the flag. Returns the two flags as stored.
    """
    flags = {
        "licensor_undisclosed": int(bool(fact.licensor_undisclosed) and fact.licensor_id is None),
        "licensee_undisclosed": int(bool(fact.licensee_undisclosed) and fact.licensee_id is None),
    }
    if fact.licensor_id is not None and fact.licensor_id == fact.licensee_id:
        raise BadInput("the licensor is also the licensee", code="same_party")
    if fact.kind in model.DEAL_KINDS:
        for role in ("licensor", "licensee"):
            if getattr(fact, f"{role}_id") is None and not flags[f"{role}_undisclosed"]:
                raise BadInput(
                    f"a {fact.kind} needs its {role}",
                    code="licence_needs_party",
                    field=role,
                    kind=fact.kind,
                )
    return flags


def _write_figures(db: Database, fact_id: int, figures: list[dict]) -> None:
    db.execute("DELETE FROM figures WHERE fact_id = ?", [fact_id])
    for figure in figures:
        _insert(db, "figures", {"fact_id": fact_id, **figure})


# --- Sources, companies, aliases. ---------------------------------------------------------------


def add_source(
    db: Database,
    *,
    key: str,
    title: str,
    actor: Actor,
    kind: str = "article",
    outlet: str | None = None,
    author: str | None = None,
    published: str | None = None,
    url: str | None = None,
    text: str | None = None,
    content_hash: str | None = None,
    note: str | None = None,
) -> int:
    """Return the source with this key (or this content hash), creating it if new.

    Get-or-create keeps re-reading the same article or document from making duplicates.
    """
    key = clean(key, field="key", max_len=MAX_NAME)
    existing = _one(db, "SELECT id FROM sources WHERE key = ?", [key])
    if existing is None and content_hash:
        existing = _one(db, "SELECT id FROM sources WHERE content_hash = ?", [content_hash])
    if existing is not None:
        return existing["id"]
    if kind not in SOURCE_KINDS:
        raise BadInput(f"{kind!r} is not a kind of source", code="bad_source_kind", value=kind)
    values = {
        "key": key,
        "kind": kind,
        "title": clean(title, field="title", max_len=MAX_FIELD),
        "outlet": _optional(outlet, "outlet", MAX_NAME),
        "author": _optional(author, "author", MAX_NAME),
        "published": _optional(published, "published", MAX_NAME),
        "url": _optional(url, "url", MAX_FIELD),
        "content_hash": _optional(content_hash, "content_hash", MAX_NAME),
        "text": text,
        "note": _optional(note, "note", MAX_LONG_FIELD, multiline=True),
        "created_at": isotime(),
    }
    if values["published"] is not None:
        parse_period(values["published"])
    if values["url"] is not None and not _URL.match(values["url"]):
        raise BadInput("a source link must start with http:// or https://", code="bad_url")
    with writing(db):
        source_id = _insert(db, "sources", values)
        _audit(db, actor, "add", "source", source_id, after=_snapshot(db, "source", source_id))
    return source_id


def _alias_owner(db: Database, norm: str) -> dict | None:
    return _one(
        db,
        "SELECT c.id, c.name FROM aliases a JOIN companies c ON c.id = a.company_id "
        "WHERE a.norm = ? LIMIT 1",
        [norm],
    )


def add_company(
    db: Database,
    name: str,
    actor: Actor,
    *,
    country: str | None = None,
    sector: str | None = None,
    description: str | None = None,
    slug: str | None = None,
) -> int:
    """Create a company and store its name as its first alias, so names resolve in one table."""
    name = clean_name(name, field="name")
    norm = normalize_name(name)
    slug = slugify(clean(slug, field="slug", max_len=MAX_NAME) if slug is not None else name)
    if not norm or not slug:
        raise BadInput("a company name needs letters or digits", code="empty", field="name")
    values = {
        "slug": slug,
        "name": name,
        **vocab.check_company(country, sector),
        "description": _optional(description, "description", MAX_LONG_FIELD, multiline=True),
    }
    taken = _one(db, "SELECT id, name FROM companies WHERE slug = ?", [slug]) or _alias_owner(
        db, norm
    )
    if taken is not None:
        raise Conflict(
            f"{name} is already stored as {taken['name']}",
            code="company_exists",
            name=name,
            existing=taken["name"],
            company_id=taken["id"],
        )
    now = isotime()
    with writing(db):
        company_id = _insert(db, "companies", {**values, "created_at": now, "updated_at": now})
        _insert(db, "aliases", {"company_id": company_id, "alias": name, "norm": norm})
        _audit(db, actor, "add", "company", company_id, after=_snapshot(db, "company", company_id))
    return company_id


def add_alias(
    db: Database,
    company_id: int,
    alias: str,
    actor: Actor,
    *,
    kind: str = "name",
    source_id: int | None = None,
    note: str | None = None,
) -> int:
    """Teach the base another name for a company; the same name twice returns the stored alias."""
    alias = clean_name(alias, field="alias")
    norm = normalize_name(alias)
    if not norm:
        raise BadInput("an alias needs letters or digits", code="empty", field="alias")
    check_alias_kind(kind)
    note = _optional(note, "note", MAX_FIELD)
    _require_company(db, company_id)
    if source_id is not None:
        _require_source(db, source_id)
    owner = _alias_owner(db, norm)
    if owner is not None and owner["id"] != company_id:
        raise Conflict(
            f"{alias} already names {owner['name']}",
            code="alias_taken",
            alias=alias,
            company=owner["name"],
            company_id=owner["id"],
        )
    if owner is not None:
        existing = _one(
            db, "SELECT id FROM aliases WHERE company_id = ? AND norm = ?", [company_id, norm]
        )
        return existing["id"]
    values = {
        "company_id": company_id,
        "alias": alias,
        "norm": norm,
        "kind": kind,
        "source_id": source_id,
        "note": note,
    }
    with writing(db):
        alias_id = _insert(db, "aliases", values)
        _audit(db, actor, "add", "alias", alias_id, after=_snapshot(db, "alias", alias_id))
    return alias_id


# --- Facts. -------------------------------------------------------------------------------------


def _refuse_taken_key(db: Database, key: str | None, fact_id: int | None = None) -> None:
    owner = key and _one(db, "SELECT id FROM facts WHERE key = ?", [key])
    if owner and owner["id"] != fact_id:
        raise Conflict(f"a fact with key {key} exists", code="fact_key_taken", key=key)


def add_fact(db: Database, fact: FactIn, actor: Actor, *, curated_hash: str | None = None) -> int:
    """Store a new fact with its figures; ``curated_hash`` is set only by the curated loader."""
    values, figures = _check_fact(db, fact)
    _refuse_taken_key(db, values["key"])
    now = isotime()
    row = {**values, "curated_hash": curated_hash, "created_at": now, "updated_at": now}
    with writing(db):
        fact_id = _insert(db, "facts", row)
        _write_figures(db, fact_id, figures)
        _audit(db, actor, "add", "fact", fact_id, after=_snapshot(db, "fact", fact_id))
    return fact_id


def removed_error(db: Database, fact_id: int, *, again: bool = False) -> Conflict:
    """The answer to asking for a removed fact (to show, edit or remove it ``again``): that it
    was removed, and the change whose undo brings it back (none when it was removed by
    undoing its addition: add it again)."""
    removal = _one(
        db,
        "SELECT id, action FROM audit WHERE entity = 'fact' AND entity_id = ? "
        "AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
        [fact_id],
    )
    change = removal["id"] if removal and removal["action"] == "remove" else None
    if again:
        return Conflict(
            f"fact {fact_id} is already removed", code="already_removed", id=fact_id, change=change
        )
    return Conflict(f"fact {fact_id} was removed", code="fact_removed", id=fact_id, change=change)


def _stored_fact(db: Database, fact_id: int) -> dict:
    snapshot = _snapshot(db, "fact", fact_id)
    if snapshot is None:
        raise NotFound(f"no fact with id {fact_id}", code="fact_not_found", id=fact_id)
    return snapshot


def _live_fact(db: Database, fact_id: int) -> dict:
    """A fact that may still be changed: a removed one must be brought back first."""
    snapshot = _stored_fact(db, fact_id)
    if snapshot["deleted_at"] is not None:
        raise removed_error(db, fact_id)
    return snapshot


def _fact_in(snapshot: dict) -> FactIn:
    """The stored fact as input, so an edit can change a few fields and re-check the whole."""
    values = {name: snapshot[name] for name in FACT_FIELDS if name != "figures"}
    figures = [
        FigureIn(**{**figure, "disclosed": bool(figure["disclosed"])})
        for figure in snapshot["figures"]
    ]
    return FactIn(**values, figures=figures)


def edit_fact(
    db: Database,
    fact_id: int,
    actor: Actor,
    *,
    reason: str | None = None,
    curated_hash: str | None = None,
    **changes: Any,
) -> int:
    """Change any fields of a fact (``figures=`` replaces the list); return the audit id.

    A person's edit marks the fact ``admin_edited`` so that reloading the curated data never
    overwrites it.
    """
    unknown = sorted(set(changes) - set(FACT_FIELDS))
    if unknown:
        raise BadInput(f"unknown field {unknown[0]!r}", code="unknown_field", field=unknown[0])
    with writing(db):
        before = _live_fact(db, fact_id)
        reason = _optional(reason, "reason", MAX_FIELD)
        values, figures = _check_fact(db, dataclasses.replace(_fact_in(before), **changes))
        _refuse_taken_key(db, values["key"], fact_id)
        if curated_hash is not None:
            values["curated_hash"] = curated_hash
        unchanged = all(before[name] == value for name, value in values.items())
        if unchanged and figures == before["figures"]:
            raise BadInput("the edit changes nothing", code="no_change", id=fact_id)
        values.update(revision=before["revision"] + 1, updated_at=isotime())
        if not actor.is_curated:
            values["admin_edited"] = 1
        _update(db, "facts", fact_id, values)
        _write_figures(db, fact_id, figures)
        return _audit(
            db,
            actor,
            "edit",
            "fact",
            fact_id,
            before=before,
            after=_snapshot(db, "fact", fact_id),
            reason=reason,
        )


def add_fact_source(
    db: Database,
    fact_id: int,
    source_id: int,
    actor: Actor,
    *,
    evidence: str | None = None,
    reason: str | None = None,
) -> int:
    """Record another source reporting a stored fact; return the audit id.

    A second report of a deal is one more citation of that deal, never a second deal, so
    counts and sums stay right. The fact's own ``source_id`` stays its first source.
    """
    evidence = _optional(evidence, "evidence", MAX_LONG_FIELD, multiline=True)
    reason = _optional(reason, "reason", MAX_FIELD)
    with writing(db):
        before = _live_fact(db, fact_id)
        _require_source(db, source_id)
        if cites(db, fact_id, source_id):
            raise Conflict(
                f"fact {fact_id} already cites source {source_id}",
                code="already_cited",
                id=fact_id,
                source_id=source_id,
            )
        row = {
            "fact_id": fact_id,
            "source_id": source_id,
            "evidence": evidence,
            "added_at": isotime(),
            "added_by": actor.name,
        }
        _insert(db, "fact_sources", row)
        return _audit(
            db,
            actor,
            "cite",
            "fact",
            fact_id,
            before=before,
            after=_snapshot(db, "fact", fact_id),
            reason=reason,
        )


def cites(db: Database, fact_id: int, source_id: int) -> bool:
    """Whether the fact already cites the source, as its first source or a further one."""
    found = db.execute(
        "SELECT 1 FROM facts WHERE id = ? AND source_id = ? "
        "UNION ALL SELECT 1 FROM fact_sources WHERE fact_id = ? AND source_id = ?",
        [fact_id, source_id, fact_id, source_id],
    ).fetchone()
    return found is not None


def remove_fact(db: Database, fact_id: int, actor: Actor, reason: str | None = None) -> int:
    """Hide a fact from every read (soft delete, so undo can bring it back); return the audit id.

    Its further sources stay attached, hidden with it, and come back with it on undo.
    """
    with writing(db):
        before = _stored_fact(db, fact_id)
        if before["deleted_at"] is not None:
            raise removed_error(db, fact_id, again=True)
        reason = _optional(reason, "reason", MAX_FIELD)
        now = isotime()
        values = {"deleted_at": now, "updated_at": now, "revision": before["revision"] + 1}
        if not actor.is_curated:
            values["admin_edited"] = 1
        _update(db, "facts", fact_id, values)
        return _audit(
            db,
            actor,
            "remove",
            "fact",
            fact_id,
            before=before,
            after=_snapshot(db, "fact", fact_id),
            reason=reason,
        )


# --- Undo and history. ----------------------------------------------------------------------------


def _actor_filter(actor: Actor) -> tuple[str, list[Any]]:
    """Discord members are matched on id and server; others on their name."""
    if actor.id is not None:
        return "actor_id = ? AND guild_id IS ?", [actor.id, actor.guild_id]
    return "actor = ? AND actor_id IS NULL", [actor.name]


def _entry(db: Database, row: dict) -> model.AuditEntry:
    """An audit row as read; a fact's edit (or undo of one) carries its fields' old → new."""
    before = json.loads(row["before"]) if row["before"] else None
    after = json.loads(row["after"]) if row["after"] else None
    changed = fact_changes(db, before, after) if row["entity"] == "fact" else []
    return model.AuditEntry(
        id=row["id"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        actor_id=row["actor_id"],
        guild_id=row["guild_id"],
        before=before,
        after=after,
        reason=row["reason"],
        undoes=row["undoes"],
        undone_by=row["undone_by"],
        changes=tuple(changed),
    )


def _change_to_undo(db: Database, actor: Actor, audit_id: int | None) -> dict:
    if audit_id is None:
        where, params = _actor_filter(actor)
        row = _one(
            db,
            f"SELECT * FROM audit WHERE {where} AND undone_by IS NULL AND undoes IS NULL "
            "ORDER BY id DESC LIMIT 1",
            params,
        )
        if row is None:
            raise Conflict("you have no change to undo", code="nothing_to_undo")
        return row
    row = _one(db, "SELECT * FROM audit WHERE id = ?", [audit_id])
    if row is None:
        raise NotFound(f"no change with id {audit_id}", code="change_not_found", id=audit_id)
    if row["undoes"] is not None:
        raise Conflict("an undo cannot itself be undone", code="cannot_undo_undo", id=audit_id)
    if row["undone_by"] is not None:
        raise Conflict(f"change {audit_id} was already undone", code="already_undone", id=audit_id)
    return row


def _refuse_if_changed_since(db: Database, change: dict) -> None:
    """Undoing an older change would silently drop a newer one on the same thing; refuse."""
    later = _one(
        db,
        "SELECT id FROM audit WHERE entity = ? AND entity_id = ? AND id > ? "
        "AND undone_by IS NULL AND undoes IS NULL ORDER BY id LIMIT 1",
        [change["entity"], change["entity_id"], change["id"]],
    )
    if later is not None:
        raise Conflict(
            f"change {change['id']} was followed by change {later['id']}; undo that first",
            code="changed_since",
            id=change["id"],
            later=later["id"],
        )


def _restore_fact(db: Database, fact_id: int, snapshot: dict, mark_admin: bool) -> None:
    current = _stored_fact(db, fact_id)
    values = {k: v for k, v in snapshot.items() if k not in ("id", "figures", "sources")}
    values.update(vocab.restored_columns(values))
    values.update(revision=current["revision"] + 1, updated_at=isotime())
    if mark_admin:
        values["admin_edited"] = 1
    _update(db, "facts", fact_id, values)
    _write_figures(db, fact_id, snapshot["figures"])


def _company_in_use(db: Database, company_id: int) -> bool:
    parties = " OR ".join(f"{name} = :id" for name in _PARTY_FIELDS)
    facts = _count(db, f"SELECT count(*) FROM facts WHERE {parties}", {"id": company_id})
    aliases = _count(db, "SELECT count(*) FROM aliases WHERE company_id = ?", [company_id])
    return facts > 0 or aliases > 1


def _source_in_use(db: Database, source_id: int) -> bool:
    """Cited by a fact, an alias or a proposal in the review queue (an ingested document)."""
    uses = " UNION ALL ".join(
        f"SELECT 1 FROM {table} WHERE source_id = :id"
        for table in ("facts", "fact_sources", "aliases", "proposals")
    )
    return _count(db, f"SELECT EXISTS ({uses})", {"id": source_id}) > 0


def _uncite(db: Database, fact_id: int, change: dict) -> None:
    """Take back only the source that ``change`` added; the fact and its other sources stay."""
    before = {s["source_id"] for s in json.loads(change["before"]).get("sources", [])}
    added = [
        s["source_id"]
        for s in json.loads(change["after"])["sources"]
        if s["source_id"] not in before
    ]
    db.execute(
        "DELETE FROM fact_sources WHERE fact_id = ? AND source_id IN (SELECT value FROM json_each(?))",
        [fact_id, json.dumps(added)],
    )


def _revert(db: Database, change: dict, actor: Actor) -> None:
    """Put the entity back as it was before ``change``."""
    entity, entity_id, action = change["entity"], change["entity_id"], change["action"]
    if entity == "fact":
        # Someone overriding the curated data's own change is an admin edit, kept across reloads.
        mark_admin = not actor.is_curated and change["actor"] == CURATED_ACTOR
        if action == "add":
            now, current = isotime(), _stored_fact(db, entity_id)
            values = {"deleted_at": now, "updated_at": now, "revision": current["revision"] + 1}
            if mark_admin:
                values["admin_edited"] = 1
            _update(db, "facts", entity_id, values)
        elif action == "cite":
            _uncite(db, entity_id, change)
        else:
            _restore_fact(db, entity_id, json.loads(change["before"]), mark_admin)
    elif entity == "alias":
        db.execute("DELETE FROM aliases WHERE id = ?", [entity_id])
    elif entity == "company":
        if _company_in_use(db, entity_id):
            raise Conflict("the company is still named in facts or aliases", code="company_in_use")
        db.execute("DELETE FROM companies WHERE id = ?", [entity_id])
    elif entity == "source":
        if _source_in_use(db, entity_id):
            raise Conflict("the source is still cited", code="source_in_use")
        db.execute("DELETE FROM sources WHERE id = ?", [entity_id])
    else:
        raise Conflict(f"a {entity} change cannot be undone", code="cannot_undo", entity=entity)


def undo(db: Database, actor: Actor, audit_id: int | None = None) -> model.AuditEntry:
    """Undo a change: by id, or else the actor's own most recent change still in effect.

    Matching on the member id and server (not the display name) means one member's undo can
    never reach another member's work.
    """
    with writing(db):
        change = _change_to_undo(db, actor, audit_id)
        _refuse_if_changed_since(db, change)
        entity, entity_id = change["entity"], change["entity_id"]
        before = _snapshot(db, entity, entity_id)
        _revert(db, change, actor)
        undo_id = _audit(
            db,
            actor,
            "undo",
            entity,
            entity_id,
            before=before,
            after=_snapshot(db, entity, entity_id),
            undoes=change["id"],
        )
        db.execute("UPDATE audit SET undone_by = ? WHERE id = ?", [undo_id, change["id"]])
    return _entry(db, _one(db, "SELECT * FROM audit WHERE id = ?", [undo_id]))


def history(
    db: Database,
    *,
    fact_id: int | None = None,
    company_id: int | None = None,
    actor: Actor | None = None,
    limit: int = 20,
) -> list[model.AuditEntry]:
    """Changes newest first; a company's history includes its aliases and the facts naming it."""
    clauses: list[str] = []
    params: list[Any] = []
    if fact_id is not None:
        clauses.append("entity = 'fact' AND entity_id = ?")
        params.append(fact_id)
    if company_id is not None:
        parties = " OR ".join(
            f"json_extract(coalesce(after, before), '$.{name}') = ?" for name in _PARTY_FIELDS
        )
        clauses.append(
            "((entity = 'company' AND entity_id = ?) "
            "OR (entity = 'alias' AND json_extract(coalesce(after, before), '$.company_id') = ?) "
            f"OR (entity = 'fact' AND ({parties})))"
        )
        params.extend([company_id] * (2 + len(_PARTY_FIELDS)))
    if actor is not None:
        where, actor_params = _actor_filter(actor)
        clauses.append(where)
        params.extend(actor_params)
    where_sql = " AND ".join(clauses) or "1"
    limit = max(1, min(int(limit), HISTORY_MAX))
    rows = db.query(
        f"SELECT * FROM audit WHERE {where_sql} ORDER BY id DESC LIMIT ?", [*params, limit]
    )
    return [_entry(db, row) for row in rows]
