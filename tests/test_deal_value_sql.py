"""The deal-value rule in SQL (``model.DEAL_VALUE_SQL``, ``analytics.scope.UPFRONT_SQL``) agrees
with ``Fact.value_usd`` and ``Fact.parts_usd`` for any mix of figures."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.analytics.scope import UPFRONT_SQL
from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source
from briefs.model import DEAL_VALUE_SQL
from briefs.queries import get_fact
from briefs.store import open_db

ROLES = ("upfront", "milestones", "milestones_development", "milestones_regulatory", "total")
ACTOR = Actor("test:value")
figures = st.lists(
    st.tuples(st.sampled_from(ROLES), st.one_of(st.none(), st.sampled_from([5.0, 20.0, 300.0]))),
    max_size=5,
    unique_by=lambda term: term[0],  # a fact states each term once (FactForm has one of each)
)


@settings(max_examples=60)
@given(terms=figures)
def test_sql_and_python_value_a_deal_alike(tmp_path_factory, terms):
    db = open_db(tmp_path_factory.mktemp("value") / "v.db")
    source = add_source(db, key="v", title="Value", actor=ACTOR)
    a, b = add_company(db, "Alpha Bio", ACTOR), add_company(db, "Beta Pharma", ACTOR)
    fact_id = add_fact(
        db,
        FactIn(
            kind="licence", summary="A deal.", source_id=source, subject_id=a, counterparty_id=b,
            licensor_id=a, licensee_id=b,
            figures=[FigureIn(role, value * 1e6 if value is not None else None, disclosed=value is not None)
                     for role, value in terms],
        ),
        ACTOR,
    )  # fmt: skip
    fact = get_fact(db, fact_id)
    value, upfront = db.execute(
        f"SELECT {DEAL_VALUE_SQL}, {UPFRONT_SQL} FROM facts f WHERE f.id = ?", [fact_id]
    ).fetchone()
    assert value == fact.value_usd
    first = fact.figure("upfront")
    assert upfront == (first.value_usd or None if first else None)
    db.close()
