"""Seven deals with hand-checked league tables, quartiles and comparables (tests/test_analytics*.py).

    #  licensor -> licensee   kind     sector      stage    period   upfront  value (how)
    d1 Junshi   -> Coherus    licence  oncology    phase 3  2025-02  100m     1000m (total)
    d2 Junshi   -> Merck      licence  oncology    phase 2  2025-03   75m      500m (75 + 425)
    d3 Junshi   -> Novartis   licence  oncology    -        2025-05  undisclosed
    d4 Hengrui  -> Merck      licence  oncology    phase 1  2025-08  200m     2000m (total)
    d5 Hengrui  -> Coherus    licence  cell/gene   phase 2  2024-11   20m      400m (total)
    d6 Coherus  -> Junshi     option   pharma      -        2025-09   10m       10m (upfront only)
    d7 Hengrui  -> Novartis   licence  oncology    phase 2  2025-10   60m      300m (total)

Junshi and Hengrui are in China, Coherus and Merck in the United States, Novartis in
Switzerland (Europe).
"""

from __future__ import annotations

from sqlite_utils import Database

from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source

SEEDER = Actor("test:analytics")
M = 1e6

DEALS = {
    "d1": ("junshi", "coherus", "licence", "oncology", "phase 3", "2025-02", "United States, Canada",
           [("upfront", 100), ("total", 1000)]),
    "d2": ("junshi", "merck", "licence", "oncology", "phase 2", "2025-03", None,
           [("upfront", 75), ("milestones", 425)]),
    "d3": ("junshi", "novartis", "licence", "oncology", None, "2025-05", None,
           [("upfront", None)]),
    "d4": ("hengrui", "merck", "licence", "oncology", "phase 1", "2025-08", "United States",
           [("upfront", 200), ("total", 2000)]),
    "d5": ("hengrui", "coherus", "licence", "cell and gene therapy", "phase 2", "2024-11", None,
           [("upfront", 20), ("total", 400)]),
    "d6": ("coherus", "junshi", "option", "pharmaceuticals", None, "2025-09", None,
           [("upfront", 10)]),
    "d7": ("hengrui", "novartis", "licence", "oncology", "phase 2", "2025-10", None,
           [("upfront", 60), ("total", 300)]),
}  # fmt: skip
COMPANIES = {
    "junshi": ("Junshi Biosciences", "China"),
    "hengrui": ("Jiangsu Hengrui", "China"),
    "coherus": ("Coherus BioSciences", "United States"),
    "merck": ("Merck", "United States"),
    "novartis": ("Novartis", "Switzerland"),
}


def seed_analytics(db: Database) -> dict[str, int]:
    """The companies and deals above, written through the real change functions; their ids."""
    source = add_source(db, key="a-1", title="Deals of the year", actor=SEEDER, outlet="Test Wire")
    ids = {
        key: add_company(db, name, SEEDER, country=country)
        for key, (name, country) in COMPANIES.items()
    }
    for key, (licensor, licensee, kind, sector, stage, period, where, terms) in DEALS.items():
        ids[key] = add_fact(
            db,
            FactIn(
                kind=kind,
                summary=f"{COMPANIES[licensor][0]} licensed an asset to {COMPANIES[licensee][0]}.",
                source_id=source,
                subject_id=ids[licensor],
                counterparty_id=ids[licensee],
                licensor_id=ids[licensor],
                licensee_id=ids[licensee],
                sector=sector,
                stage=stage,
                period=period,
                territory=where,
                figures=[
                    FigureIn(role, value * M if value else None, disclosed=value is not None)
                    for role, value in terms
                ],
            ),
            SEEDER,
        )
    return ids
