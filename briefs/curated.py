"""Load the curated seed data in ``data/curated/*.toml`` into the knowledge base.

Loading is idempotent: each fact carries a hash of its data-file entry, so a second load finds
nothing to do and writes no audit rows. When a data file changes, the fact is updated through
``changes.edit_fact`` (audited, actor "curated data") unless a person has edited or removed it
since; their work wins and the key is reported. The file format is documented at the head of
``data/curated/sources.toml``.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import changes
from .changes import Actor, FactIn, FigureIn
from .errors import BadInput, DealbriefError
from .store import writing
from .text import normalize_name

if TYPE_CHECKING:
    from sqlite_utils import Database

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "curated"

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SECTIONS = ("source", "company", "fact")
_SOURCE_FIELDS = {"key", "title", "outlet", "author", "published", "url", "note"}
_COMPANY_FIELDS = {"key", "name", "country", "sector", "description", "aliases"}
_ALIAS_FIELDS = {"alias", "kind", "source", "note"}
_PARTIES = ("subject", "counterparty", "licensor", "licensee")
_FACT_TEXT = ("asset", "sector", "territory", "stage", "royalty", "period", "evidence", "note")
_FACT_FIELDS = {"key", "kind", "summary", "source", "status", "figures", *_PARTIES, *_FACT_TEXT}
_FIGURE_FIELDS = {f for f in FigureIn.__dataclass_fields__}


@dataclass
class LoadReport:
    """What a load did; ``kept_admin_edits`` lists facts whose file changed but a person's edit won."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_admin_edits: list[str] = field(default_factory=list)
    sources_added: int = 0
    companies_added: int = 0
    aliases_added: int = 0


@dataclass
class _Entry:
    """One table from a data file, remembered with where it came from for error messages."""

    file: str
    key: str
    data: dict[str, Any]


@dataclass
class _Curated:
    sources: list[_Entry] = field(default_factory=list)
    companies: list[_Entry] = field(default_factory=list)
    facts: list[_Entry] = field(default_factory=list)


def _bad(file: str, key: str | None, message: str) -> BadInput:
    where = f"{file} [{key}]" if key else file
    return BadInput(f"{where}: {message}", code="bad_curated", file=file, key=key, detail=message)


# --- Reading and checking the files. --------------------------------------------------------------


def _read_files(directory: Path) -> _Curated:
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise _bad(str(directory), None, "no curated data files here")
    curated = _Curated()
    seen: dict[tuple[str, str], str] = {}
    for path in files:
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise _bad(path.name, None, f"not valid TOML: {exc}") from exc
        unknown = sorted(set(document) - set(_SECTIONS))
        if unknown:
            raise _bad(path.name, None, f"unknown section {unknown[0]!r}")
        for section in _SECTIONS:
            for table in _tables(document.get(section, []), path.name, section):
                entry = _entry(table, path.name, section)
                if (section, entry.key) in seen:
                    first = seen[(section, entry.key)]
                    raise _bad(path.name, entry.key, f"duplicate {section} key (also in {first})")
                seen[(section, entry.key)] = path.name
                getattr(curated, {"company": "companies"}.get(section, section + "s")).append(entry)
    return curated


def _tables(value: Any, file: str, section: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise _bad(file, None, f"{section} must be written as [[{section}]] tables")
    return value


def _entry(table: dict, file: str, section: str) -> _Entry:
    key = table.get("key")
    if not isinstance(key, str) or not key:
        raise _bad(file, None, f"a {section} has no key")
    allowed = {"source": _SOURCE_FIELDS, "company": _COMPANY_FIELDS, "fact": _FACT_FIELDS}[section]
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad(file, key, f"unknown field {unknown[0]!r}")
    required = {"source": ("title",), "company": ("name",), "fact": ("kind", "summary", "source")}
    for name in required[section]:
        if not isinstance(table.get(name), str):
            raise _bad(file, key, f"{name} is missing or not text")
    for name, value in table.items():
        if name not in ("aliases", "figures") and not isinstance(value, str):
            raise _bad(file, key, f"{name} must be text in quotes")
    if section == "company" and not _KEY.match(key):
        raise _bad(file, key, "a company key uses lower-case letters, digits and hyphens")
    return _Entry(file, key, table)


def _check_references(curated: _Curated) -> None:
    """Every company and source a fact or alias names must be defined somewhere in the data."""
    sources = {e.key for e in curated.sources}
    companies = {e.key for e in curated.companies}
    for entry in curated.companies:
        for alias in _aliases(entry):
            if "source" in alias and alias["source"] not in sources:
                raise _bad(
                    entry.file, entry.key, f"alias source {alias['source']!r} is not defined"
                )
    for entry in curated.facts:
        if entry.data["source"] not in sources:
            raise _bad(entry.file, entry.key, f"source {entry.data['source']!r} is not defined")
        for party in _PARTIES:
            if party in entry.data and entry.data[party] not in companies:
                raise _bad(entry.file, entry.key, f"{party} {entry.data[party]!r} is not defined")


def _aliases(entry: _Entry) -> list[dict]:
    aliases = entry.data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, dict) for a in aliases):
        raise _bad(entry.file, entry.key, "aliases must be a list of { alias, kind } tables")
    for alias in aliases:
        unknown = sorted(set(alias) - _ALIAS_FIELDS)
        if unknown or not isinstance(alias.get("alias"), str):
            raise _bad(entry.file, entry.key, "each alias needs alias text and only known fields")
    return aliases


def _figures(entry: _Entry) -> list[FigureIn]:
    figures = entry.data.get("figures", [])
    if not isinstance(figures, list) or not all(isinstance(f, dict) for f in figures):
        raise _bad(entry.file, entry.key, "figures must be a list of { role, ... } tables")
    for figure in figures:
        unknown = sorted(set(figure) - _FIGURE_FIELDS)
        if unknown:
            raise _bad(entry.file, entry.key, f"unknown figure field {unknown[0]!r}")
    return [FigureIn(**figure) for figure in figures]


def fact_hash(entry: _Entry) -> str:
    """A stable digest of a fact's data-file entry: unchanged entry, unchanged hash."""
    canonical = json.dumps(entry.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- Writing. -------------------------------------------------------------------------------------


def _load_sources(db: Database, curated: _Curated, actor: Actor, report: LoadReport) -> dict:
    ids = {}
    for entry in curated.sources:
        exists = db.execute("SELECT id FROM sources WHERE key = ?", [entry.key]).fetchone()
        with _located(entry):
            ids[entry.key] = changes.add_source(db, actor=actor, **entry.data)
        report.sources_added += exists is None
    return ids


def _company_id(db: Database, entry: _Entry) -> int | None:
    """The stored company for a curated entry: same slug, or a company already known by its name."""
    row = db.execute("SELECT id FROM companies WHERE slug = ?", [entry.key]).fetchone()
    if row is None:
        norm = normalize_name(entry.data["name"])
        row = db.execute("SELECT company_id FROM aliases WHERE norm = ?", [norm]).fetchone()
    return row[0] if row else None


def _load_companies(
    db: Database, curated: _Curated, sources: dict, actor: Actor, report: LoadReport
) -> dict:
    ids = {}
    for entry in curated.companies:
        with _located(entry):
            ids[entry.key] = _load_company(db, entry, sources, actor, report)
    return ids


def _load_company(
    db: Database, entry: _Entry, sources: dict, actor: Actor, report: LoadReport
) -> int:
    """Create the company if new, then add any of its aliases the base does not know yet."""
    company_id = _company_id(db, entry)
    if company_id is None:
        details = {k: entry.data.get(k) for k in ("country", "sector", "description")}
        company_id = changes.add_company(db, entry.data["name"], actor, slug=entry.key, **details)
        report.companies_added += 1
    for alias in _aliases(entry):
        norm = normalize_name(alias["alias"])
        known = db.execute(
            "SELECT 1 FROM aliases WHERE company_id = ? AND norm = ?", [company_id, norm]
        ).fetchone()
        if known:
            continue
        changes.add_alias(
            db,
            company_id,
            alias["alias"],
            actor,
            kind=alias.get("kind", "name"),
            source_id=sources.get(alias.get("source")),
            note=alias.get("note"),
        )
        report.aliases_added += 1
    return company_id


def _fact_in(entry: _Entry, sources: dict, companies: dict) -> FactIn:
    data = entry.data
    parties = {f"{party}_id": companies.get(data.get(party)) for party in _PARTIES}
    text = {name: data.get(name) for name in _FACT_TEXT}
    return FactIn(
        kind=data["kind"],
        summary=data["summary"],
        source_id=sources[data["source"]],
        status=data.get("status", "reported"),
        key=entry.key,
        origin="curated",
        figures=_figures(entry),
        **parties,
        **text,
    )


def _load_fact(db: Database, entry: _Entry, fact: FactIn, actor: Actor, report: LoadReport) -> None:
    digest = fact_hash(entry)
    row = db.execute(
        "SELECT id, curated_hash, admin_edited, deleted_at, origin FROM facts WHERE key = ?",
        [entry.key],
    ).fetchone()
    if row is None:
        changes.add_fact(db, fact, actor, curated_hash=digest)
        report.added += 1
        return
    fact_id, stored_hash, admin_edited, deleted_at, origin = row
    if stored_hash == digest:
        report.unchanged += 1
    elif admin_edited or deleted_at or origin != "curated":
        report.kept_admin_edits.append(entry.key)
    else:
        fields = {name: getattr(fact, name) for name in changes.FACT_FIELDS}
        changes.edit_fact(db, fact_id, actor, curated_hash=digest, **fields)
        report.updated += 1


def load_curated(
    db: Database, directory: Path | None = None, actor: Actor | None = None
) -> LoadReport:
    """Bring the base in line with the curated data files, in one transaction.

    Everything is checked before anything is kept: a bad file raises BadInput ("bad_curated")
    naming the file and key, and the database is left as it was.
    """
    directory = Path(directory) if directory is not None else DATA_DIR
    actor = actor or Actor.curated()
    curated = _read_files(directory)
    _check_references(curated)
    report = LoadReport()
    with writing(db):
        sources = _load_sources(db, curated, actor, report)
        companies = _load_companies(db, curated, sources, actor, report)
        for entry in curated.facts:
            with _located(entry):
                _load_fact(db, entry, _fact_in(entry, sources, companies), actor, report)
    return report


@contextmanager
def _located(entry: _Entry) -> Iterator[None]:
    """Say which file and key a refusal came from, keeping the original reason's code."""
    try:
        yield
    except DealbriefError as exc:
        if exc.code == "bad_curated":
            raise
        error = _bad(entry.file, entry.key, f"{exc} ({exc.code})")
        error.params["reason"] = exc.code
        raise error from exc
