"""An old user's database: today's code writes the data, an older schema holds it.

Writing through today's code straight into an old schema fails as soon as a later migration
adds a column the code writes; so the data is written into a fully migrated donor file and its
rows copied, column by column as the old schema has them, into a database migrated only up to
the migration under test. Tables kept by triggers (search indexes, fact counts) are filled by
the old schema's own triggers as the rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from briefs.migrations import migrations
from briefs.store import open_db

T = TypeVar("T")
TRIGGER_KEPT = ("company_fact_counts",)


def old_database(path: Path, stop_before: str, fill: Callable[[Database], T]) -> T:
    """Create ``path`` at the schema before ``stop_before`` holding what ``fill`` writes."""
    donor_path = path.with_name(f"{path.stem}-donor{path.suffix}")
    donor = open_db(donor_path)
    result = fill(donor)
    donor.close()
    db = open_db(path, migrate=False)
    migrations.apply(db, stop_before=stop_before)
    _copy_rows(db, donor_path)
    db.close()
    return result


def _plain_tables(db: Database, schema: str) -> dict[str, list[str]]:
    rows = db.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'")
    tables = dict(rows.fetchall())
    virtual = [name for name, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL")]
    keep = [
        name
        for name in tables
        if name not in virtual
        and name not in TRIGGER_KEPT
        and not name.startswith(("sqlite_", "_sqlite_"))
        and not any(name.startswith(f"{v}_") for v in virtual)
    ]
    return {
        name: [c[1] for c in db.execute(f"PRAGMA {schema}.table_info({name})").fetchall()]
        for name in keep
    }


def _copy_rows(db: Database, donor_path: Path) -> None:
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("ATTACH DATABASE ? AS donor", [str(donor_path)])
    donor_tables = _plain_tables(db, "donor")
    with db.conn:
        for table, columns in _plain_tables(db, "main").items():
            shared = ", ".join(c for c in columns if c in donor_tables.get(table, ()))
            if shared:
                db.execute(
                    f"INSERT INTO main.{table} ({shared}) "
                    f"SELECT {shared} FROM donor.{table} ORDER BY rowid"
                )
    db.execute("DETACH DATABASE donor")
    db.execute("PRAGMA foreign_keys = ON")
