"""Precision and recall of the extractor on the labelled articles in tests/ingest_eval/.

Run: .venv/bin/python bench/extract_eval.py [--verbose]
     .venv/bin/python bench/extract_eval.py --extractor model [--base-url URL --model NAME] (the
     rules and a model together, as `dealbrief ingest --extractor model` reads; the [ingest]
     settings and DEALBRIEF_MODEL_* variables fill in what the flags leave out)
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
    Reader,
    Report,
    evaluate_splits,
    read_with_rules,
    values_of,
    values_of_label,
)
from briefs.ingest.extractors import extract_document  # noqa: E402
from briefs.ingest.read import Document, read_document  # noqa: E402
from briefs.ingest.settings import EXTRACTORS, ExtractorSettings, load_extractor_settings  # noqa: E402

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


def model_reader(settings: ExtractorSettings, fallbacks: list[str]) -> Reader:
    """The configured extractor; each document the model failed on is noted in ``fallbacks``."""

    def read(doc: Document) -> list:
        extraction = extract_document(doc.text, published=doc.published_date, settings=settings)
        if extraction.fallback:
            fallbacks.append(f"{doc.title}: {extraction.fallback}")
        return extraction.proposals

    return read


def print_articles(folder: Path, reader: Reader) -> None:
    """Each article's predicted and expected values, for reading a miss."""
    with open(folder / "labels.toml", "rb") as fh:
        articles = tomllib.load(fh)["article"]
    for article in articles:
        doc = read_document(folder / "articles" / article["file"])
        predicted = [values_of(p) for p in reader(doc)]
        expected = [values_of_label(label) for label in article.get("expect", [])]
        print(f"\n== {article['file']}")
        for values in predicted:
            print("  got ", {k: v for k, v in values.items() if v is not None})
        for values in expected:
            print("  want", {k: v for k, v in values.items() if v is not None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list every article's values")
    parser.add_argument("--extractor", choices=EXTRACTORS, help="rules (default) or model")
    parser.add_argument("--base-url", help="the model's OpenAI-compatible endpoint")
    parser.add_argument("--model", help="the model's name at that endpoint")
    parser.add_argument("--timeout", type=float, help="seconds to wait for each answer")
    args = parser.parse_args()
    flags = {"extractor": args.extractor, "base_url": args.base_url, "model": args.model}
    settings = load_extractor_settings(flags | {"timeout": args.timeout})
    fallbacks: list[str] = []
    reader = model_reader(settings, fallbacks) if settings.uses_model else read_with_rules
    print(f"extractor: {settings.extractor}" + (f" ({settings.model})" if settings.model else ""))
    for title, report in evaluate_splits(EVAL, reader).items():
        print_report(title, report)
    if fallbacks:
        print(
            f"\nthe model failed on {len(fallbacks)} articles (rules alone):",
            *fallbacks,
            sep="\n  ",
        )
    if args.verbose:
        print_articles(EVAL, reader)
        for split in HELDOUT_SPLITS:
            print_articles(EVAL / split, reader)


if __name__ == "__main__":
    main()
