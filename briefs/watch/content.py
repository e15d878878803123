"""What a batch says: the facts it tells of, as they stand now, and the watches they met."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotFound
from ..queries import fetch_facts
from ..render import Page, render_template
from .ledger import Batch
from .watches import Watch, get_watch

if TYPE_CHECKING:
    from sqlite_utils import Database

ALERT_TEMPLATE = "watch.j2"
ADMIN_TEMPLATE = "watch_admin.j2"
# A batch is one message: past this many facts it names how many more there are.
MAX_FACTS_SHOWN = 8


def render_batch(db: Database, batch: Batch, flavour: str = "discord") -> list[Page]:
    """The batch's message; empty when every fact it tells of has since been removed."""
    facts = {f.id: f for f in fetch_facts(db, [item.fact_id for item in batch.items])}
    items = [
        (facts[i.fact_id], i.change, _watches(db, i.watch_ids))
        for i in batch.items
        if i.fact_id in facts
    ]
    if not items:
        return []
    shown = items[:MAX_FACTS_SHOWN]
    pages = render_template(
        ALERT_TEMPLATE, flavour, commands="slash", items=shown, hidden=len(items) - len(shown)
    )
    return pages[:1]


def _watches(db: Database, watch_ids: tuple[int, ...]) -> list[Watch]:
    found = []
    for watch_id in watch_ids:
        try:
            found.append(get_watch(db, watch_id))
        except NotFound:
            continue
    return found


def render_answer(what: str, flavour: str = "discord", **context: object) -> list[Page]:
    """The answer to /watch add, list and remove (and ``dealbrief watch``)."""
    commands = "cli" if flavour == "text" and context.pop("cli", False) else "slash"
    return render_template(
        ADMIN_TEMPLATE, flavour, commands=commands, what=what, plain=flavour == "text", **context
    )
