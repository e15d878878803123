"""Precision and recall of the extractor on the labelled articles in tests/ingest_eval/.

Run: .venv/bin/python bench/extract_eval.py [--verbose]
Prints the original set, the held-out splits (tests/ingest_eval/heldout/, blind/, blind2/ and blind3/,
each written in phrasings the rules were not built against and scored once before being used as
a development set) and all of them together. --verbose lists each article's misses.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefs.ingest.evaluate import (  # noqa: E402
    AMOUNT_FIELDS,
    FIELDS,
    HELDOUT_SPLITS,
    ROLE_FIELDS,
    Report,
    evaluate_splits,
    values_of,
    values_of_label,
)
from briefs.ingest.extract import extract  # noqa: E402
from briefs.ingest.read import read_document  # noqa: E402

EVAL = ROOT / "tests" / "ingest_eval"


def print_report(title: str, report: Report) -> None:
    print(f"\n{title}: {report.articles} articles")
    print(f"{'field':<12}{'precision':>10}{'recall':>8}{'right':>7}{'pred':>6}{'want':>6}")
    rows = [(name, report.fields[name]) for name in FIELDS]
    rows += [("roles", report.combined(ROLE_FIELDS)), ("amounts", report.combined(AMOUNT_FIELDS))]
    rows += [("overall", report.combined(FIELDS))]
    for name, tally in rows:
        print(
            f"{name:<12}{tally.precision:>10.3f}{tally.recall:>8.3f}"
            f"{tally.right:>7}{tally.predicted:>6}{tally.expected:>6}"
        )
    hits = ", ".join(report.negative_hits) or "none"
    print(f"proposals from articles that should give none: {hits}")


def print_articles(folder: Path) -> None:
    """Each article's predicted and expected values, for reading a miss."""
    with open(folder / "labels.toml", "rb") as fh:
        articles = tomllib.load(fh)["article"]
    for article in articles:
        doc = read_document(folder / "articles" / article["file"])
        predicted = [values_of(p) for p in extract(doc.text, published=doc.published_date)]
        expected = [values_of_label(label) for label in article.get("expect", [])]
        print(f"\n== {article['file']}")
        for values in predicted:
            print("  got ", {k: v for k, v in values.items() if v is not None})
        for values in expected:
            print("  want", {k: v for k, v in values.items() if v is not None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list every article's values")
    args = parser.parse_args()
    for title, report in evaluate_splits(EVAL).items():
        print_report(title, report)
    if args.verbose:
        print_articles(EVAL)
        for split in HELDOUT_SPLITS:
            print_articles(EVAL / split)


if __name__ == "__main__":
    main()
