"""What the web view reads: the vocabulary labels table and the views over facts and sources.

The web view opens the database read-only, so nothing can be created when it starts: migration
``m017_web_views`` creates these once. Labels are data (``data/vocab``), so they sit in a table
that ``dealbrief init`` refreshes after the files change, while the views only join it; a
change to a view's SQL needs a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import DEAL_VALUE_SQL
from ..store import writing
from ..vocab import ARROW, VOCAB

if TYPE_CHECKING:
    from sqlite_utils import Database

LABELS_TABLE = "web_labels"


def label_rows() -> list[dict]:
    """Every vocabulary entry the views show by label: kinds (and which are deals), sectors,
    stages, regions, and countries as stored (their label) with the region they belong to."""
    rows = [_row("kind", e.key, e.label, deal=int(e.deal)) for e in VOCAB.kinds]
    for name, vocabulary in (
        ("sector", VOCAB.sectors),
        ("stage", VOCAB.stages),
        ("region", VOCAB.regions),
    ):
        rows += [_row(name, e.key, e.label) for e in vocabulary]
    rows += [_row("country", e.label, e.label, region=e.region) for e in VOCAB.countries]
    return rows


def _row(vocabulary: str, key: str, label: str, region: str | None = None, deal: int = 0) -> dict:
    return {"vocabulary": vocabulary, "key": key, "label": label, "region": region, "deal": deal}


def refresh_labels(db: Database) -> None:
    """Replace the labels with those of the vocabulary files as they are now."""
    with writing(db):
        db.execute(f"DELETE FROM {LABELS_TABLE}")
        db.conn.executemany(
            f"INSERT INTO {LABELS_TABLE} (vocabulary, key, label, region, deal) "
            "VALUES (:vocabulary, :key, :label, :region, :deal)",
            label_rows(),
        )


def _figure(role: str, column: str) -> str:
    """The first ``column`` of the fact's figure with ``role`` (a correlated subquery)."""
    return (
        f"(SELECT g.{column} FROM figures g WHERE g.fact_id = f.id AND g.role = '{role}' "
        "AND g.disclosed = 1 ORDER BY g.id LIMIT 1)"
    )


def _stated(role: str) -> str:
    """The amount of ``role`` as the source stated it, in its currency: "CNY 3.5B"."""
    figure = (
        "(SELECT g.value, g.unit, g.approx FROM figures g WHERE g.fact_id = f.id "
        f"AND g.role = '{role}' AND g.disclosed = 1 AND g.value IS NOT NULL ORDER BY g.id LIMIT 1)"
    )
    return f"""(SELECT coalesce(approx || ' ', '') || unit || ' ' || CASE
            WHEN value >= 1e9 THEN printf('%g', value / 1e9) || 'B'
            WHEN value >= 1e6 THEN printf('%g', value / 1e6) || 'M'
            ELSE printf('%,d', value) END
        FROM {figure})"""


def _label(alias: str, vocabulary: str, key: str) -> str:
    return (
        f"LEFT JOIN {LABELS_TABLE} {alias} "
        f"ON {alias}.vocabulary = '{vocabulary}' AND {alias}.key = {key}"
    )


def statements() -> list[str]:
    """The labels table, ``web_deals`` (live deals with parties, amounts, labels and flow) and
    ``web_sources`` (sources without their stored article text)."""
    return [
        f"""CREATE TABLE {LABELS_TABLE} (
            vocabulary TEXT NOT NULL,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            region TEXT,
            deal INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (vocabulary, key)
        )""",
        f"""CREATE VIEW web_deals AS SELECT
            f.id AS id,
            f.summary AS summary,
            licensor.name AS licensor,
            f.licensor_id AS licensor_id,
            licensee.name AS licensee,
            f.licensee_id AS licensee_id,
            f.asset AS asset,
            kind.label AS kind,
            coalesce(sector.label, f.sector) AS sector,
            coalesce(stage.label, f.stage) AS stage,
            source_region.label || ' {ARROW} ' || target_region.label AS flow,
            f.territory AS territory,
            f.period AS date,
            substr(f.period_start, 1, 4) AS year,
            {_figure("upfront", "value_usd")} AS upfront_usd,
            {_stated("upfront")} AS upfront_stated,
            {DEAL_VALUE_SQL} AS value_usd,
            {_stated("total")} AS total_stated,
            f.status AS status,
            f.source_id AS source_id,
            src.title AS source,
            src.outlet AS outlet,
            src.url AS source_url,
            (SELECT count(*) FROM fact_sources fs WHERE fs.fact_id = f.id) AS more_sources
        FROM facts f
        JOIN {LABELS_TABLE} kind ON kind.vocabulary = 'kind' AND kind.key = f.kind AND kind.deal = 1
        JOIN sources src ON src.id = f.source_id
        LEFT JOIN companies licensor ON licensor.id = f.licensor_id
        LEFT JOIN companies licensee ON licensee.id = f.licensee_id
        {_label("sector", "sector", "f.sector")}
        {_label("stage", "stage", "f.stage")}
        {_label("source_country", "country", "licensor.country")}
        {_label("target_country", "country", "licensee.country")}
        {_label("source_region", "region", "source_country.region")}
        {_label("target_region", "region", "target_country.region")}
        WHERE f.deleted_at IS NULL""",
        """CREATE VIEW web_sources AS SELECT
            id, key, kind, outlet, title, author, published, url, note, created_at
        FROM sources""",
    ]
