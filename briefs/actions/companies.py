"""Company commands as every front end runs them: add a company, teach it another name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import changes
from ..changes import Actor
from ..store import writing
from .facts import company_id, find_source

if TYPE_CHECKING:
    from sqlite_utils import Database


def add(
    db: Database,
    name: str,
    actor: Actor,
    *,
    country: str | None = None,
    sector: str | None = None,
    description: str | None = None,
    aliases: Sequence[str] = (),
) -> int:
    """Add a company with the other names it goes by, all or nothing; its id."""
    with writing(db):
        new_id = changes.add_company(
            db, name, actor, country=country, sector=sector, description=description
        )
        for alias in aliases:
            changes.add_alias(db, new_id, alias, actor)
    return new_id


def alias(
    db: Database,
    company: str,
    name: str,
    actor: Actor,
    *,
    kind: str | None = None,
    source: str | None = None,
) -> int:
    """Teach another name for a company named as people write it; the alias id."""
    owner = company_id(db, company)
    source_id = find_source(db, source) if source is not None else None
    return changes.add_alias(db, owner, name, actor, kind=kind or "name", source_id=source_id)
