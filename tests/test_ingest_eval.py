"""The labelled evaluation set: the extractor must keep its precision and recall."""

from __future__ import annotations

from pathlib import Path

from briefs.ingest.evaluate import AMOUNT_FIELDS, ROLE_FIELDS, evaluate

EVAL = Path(__file__).parent / "ingest_eval"


def test_eval_set_is_large_enough() -> None:
    assert len(list((EVAL / "articles").glob("*.txt"))) >= 30


def test_roles_and_amounts_meet_the_targets() -> None:
    report = evaluate(EVAL)
    for names in (ROLE_FIELDS, AMOUNT_FIELDS):
        tally = report.combined(names)
        assert tally.precision >= 0.9, (names, tally)
        assert tally.recall >= 0.9, (names, tally)


def test_negation_articles_propose_nothing() -> None:
    assert evaluate(EVAL).negative_hits == []
