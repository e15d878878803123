"""`bench/extract_eval.py --extractor model` asks the configured model about every labelled
article, and scores the rules and the model together (a model that finds nothing leaves the rules' score).

A full run reads every labelled article, so this file runs the benchmark once."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from briefs.ingest.evaluate import HELDOUT_SPLITS

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "ingest_eval"


def labelled_articles() -> int:
    folders = [EVAL, *(EVAL / split for split in HELDOUT_SPLITS)]
    return sum(len(tomllib.loads((f / "labels.toml").read_text())["article"]) for f in folders)


def bench(*flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "extract_eval.py"), *flags],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_the_benchmark_asks_the_model_about_every_article(openai_standin):
    flags = ("--extractor", "model", "--base-url", openai_standin.base_url, "--model", "m")
    result = bench(*flags)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("extractor: model (m)")
    assert len(openai_standin.requests) == labelled_articles()
    assert "the model failed" not in result.stdout
