"""A small knowledge base for the bot and console tests, written through the real change functions."""

from __future__ import annotations

from typing import Any

from discord_standin import Reply
from discord_standin.interactions import walk_components
from sqlite_utils import Database

from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source

SEEDER = Actor("test:seed")
SEARCH_FACTS = 20  # more than one screen of search results


def seed_deal(db: Database, actor: Actor = SEEDER) -> dict[str, int]:
    """Riverbend licensed its antibody to Northgate: one source, two companies, one deal."""
    source = add_source(
        db, key="t-1", title="Riverbend licenses its antibody", actor=actor, outlet="Test Wire"
    )
    riverbend = add_company(db, "Riverbend Therapeutics", actor, country="China")
    northgate = add_company(db, "Northgate Pharma", actor, country="USA")
    deal = add_fact(
        db,
        FactIn(
            kind="licence",
            summary="Riverbend licensed its PD-1 antibody to Northgate for North America.",
            source_id=source,
            subject_id=riverbend,
            counterparty_id=northgate,
            licensor_id=riverbend,
            licensee_id=northgate,
            period="2025-03",
            figures=[FigureIn(role="upfront", value=50e6), FigureIn(role="milestones", value=1e9)],
        ),
        actor,
    )
    return {"source": source, "riverbend": riverbend, "northgate": northgate, "deal": deal}


def seed(db: Database) -> dict[str, int]:
    """The deal, a company with a nearly equal name, and many approvals that mention it."""
    world = seed_deal(db)
    add_company(db, "Riverbank Biotech", SEEDER, country="China")
    for number in range(SEARCH_FACTS):
        add_fact(
            db,
            FactIn(
                kind="approval",
                summary=f"Northgate won approval number {number} for the zorbamab antibody.",
                source_id=world["source"],
                subject_id=world["northgate"],
                period=f"2024-{number % 12 + 1:02d}",
            ),
            SEEDER,
        )
    return world


def button(reply: Reply | dict[str, Any], label: str) -> dict[str, Any]:
    """The button with this label on a reply or stored message."""
    components = reply.components if isinstance(reply, Reply) else reply.get("components") or []
    found = [c for c in walk_components(components) if c.get("label") == label]
    assert found, f"no button {label!r} in {components}"
    return found[0]


def buttons(reply: Reply | dict[str, Any]) -> list[dict[str, Any]]:
    components = reply.components if isinstance(reply, Reply) else reply.get("components") or []
    return [c for c in walk_components(components) if c.get("type") == 2]
