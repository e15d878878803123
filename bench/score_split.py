"""Score the rule extractor on one labelled split, once, as it stands (no targets applied).

Run: .venv/bin/python bench/score_split.py tests/ingest_eval/blind4 [--misses]
For a split written after the rules and kept out of their development: its first score is the
honest measure of unseen wording, so it is recorded in docs/performance.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefs.ingest.evaluate import (  # noqa: E402
    AMOUNT_FIELDS,
    FIELDS,
    FOUND_FIELDS,
    ROLE_FIELDS,
    evaluate_each,
    total,
)


def main(folder: str, *, misses: bool = False) -> None:
    each = evaluate_each(Path(folder))
    report = total(each.values())
    if misses:  # on a development set: each disagreement, "file field: wanted -> got"
        print("\n".join(report.misses))
    print(f"{report.articles} articles; proposals from articles that should give none:", end=" ")
    print(", ".join(report.negative_hits) or "none")
    rows = [(name, report.fields[name]) for name in FIELDS]
    rows += [("roles", report.combined(ROLE_FIELDS)), ("amounts", report.combined(AMOUNT_FIELDS))]
    print(f"{'field':<12}{'precision':>10}{'recall':>8}{'right':>7}{'pred':>6}{'want':>6}")
    rows += [("", None)] + [(name, report.found[name]) for name in FOUND_FIELDS]
    for name, t in rows:
        if t is None:
            print("on deals whose licensor and licensee were both found:")
            continue
        print(
            f"{name:<12}{t.precision:>10.2f}{t.recall:>8.2f}{t.right:>7}{t.predicted:>6}{t.expected:>6}"
        )
    for suffix in (".html", ".txt"):  # pages should read like plain text
        part = total(r for name, r in each.items() if name.endswith(suffix))
        roles, amounts = part.combined(ROLE_FIELDS), part.combined(AMOUNT_FIELDS)
        print(
            f"{suffix[1:]} articles ({part.articles}): roles {roles.precision:.2f} / "
            f"{roles.recall:.2f}, amounts {amounts.precision:.2f} / {amounts.recall:.2f}"
        )


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--misses"]
    main(
        arguments[0] if arguments else str(ROOT / "tests" / "ingest_eval" / "blind4"),
        misses="--misses" in sys.argv[1:],
    )
