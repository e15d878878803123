"""A fingerprint of the rule extractor's output, to prove that a speed change changes nothing.

Run: .venv/bin/python bench/extract_fingerprint.py > /tmp/before.txt
     .venv/bin/python bench/extract_fingerprint.py --diff /tmp/before.txt
Every labelled article under tests/ingest_eval (every split, .txt and .html, read as the
evaluation reads them) and every document of bench/bench_ingest.py (with its 300 known names)
is extracted; one line per document gives a hash of the repr of its proposals, and the last
line a hash over all of them. With --diff the run is compared with a saved one and the
documents whose output differs are listed (exit status 1 when any does).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import documents, known_pairs  # noqa: E402
from briefs.ingest.evaluate import read_with_rules  # noqa: E402
from briefs.ingest.extract import extract  # noqa: E402
from briefs.ingest.orgs import KnownNames  # noqa: E402
from briefs.ingest.read import read_document  # noqa: E402

EVAL_ROOT = ROOT / "tests" / "ingest_eval"
BENCH_DOCS = 300  # as many as the throughput benchmark reads


def outputs() -> Iterator[tuple[str, str]]:
    """(document label, repr of its proposals) for every document the fingerprint covers."""
    for path in sorted(EVAL_ROOT.glob("**/articles/*")):
        doc = read_document(path)
        yield str(path.relative_to(EVAL_ROOT)), repr(read_with_rules(doc))
    known = KnownNames.from_pairs(known_pairs())
    for number, text in enumerate(documents(BENCH_DOCS)):
        yield f"bench/{number:03d}", repr(extract(text, known=known))


def fingerprint() -> dict[str, str]:
    """Each document's hash, and ``"overall"``: the hash of every document's in order."""
    lines = {label: _digest(proposals) for label, proposals in outputs()}
    lines["overall"] = _digest("\n".join(f"{k} {v}" for k, v in lines.items()))
    return lines


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _saved(path: Path) -> dict[str, str]:
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {label: digest for label, digest in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--diff", metavar="OTHER_FILE", type=Path, help="a saved run to compare")
    args = parser.parse_args()
    lines = fingerprint()
    if args.diff is None:
        for label, digest in lines.items():
            print(label, digest)
        return
    other = _saved(args.diff)
    differ = [k for k in sorted(set(lines) | set(other)) if lines.get(k) != other.get(k)]
    for label in differ:
        print(f"differs: {label} {other.get(label, '-')} -> {lines.get(label, '-')}")
    print(f"{len(lines) - 1} documents, {len(differ)} lines differ; overall {lines['overall']}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
