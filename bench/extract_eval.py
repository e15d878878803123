"""Precision and recall of the extractor on the labelled articles in tests/ingest_eval/.

Run: .venv/bin/python bench/extract_eval.py [--verbose]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefs.ingest.evaluate import AMOUNT_FIELDS, FIELDS, ROLE_FIELDS, evaluate  # noqa: E402


def main() -> None:
    report = evaluate(ROOT / "tests" / "ingest_eval")
    print(f"{report.articles} articles")
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


if __name__ == "__main__":
    main()
