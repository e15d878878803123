"""The same article gives the same proposals in every process: nothing read depends on the
order Python happens to iterate a set in (which changes with each process's hash seed)."""

from __future__ import annotations

import os
import subprocess
import sys

ARTICLE = (
    "Orrin Bio licenses KT-9 from Asagiri Pharma\n\n"
    "Orrin Bio has licensed the antibody KT-9 from Asagiri Pharma. Orrin will pay $30 million "
    "upfront and up to $455 million in development, regulatory and commercial milestones.\n"
)
PROPOSALS = (
    "import sys; from briefs.ingest.extract import extract; print(repr(extract(sys.stdin.read())))"
)


def proposals_with_hash_seed(seed: int) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", PROPOSALS],
        input=ARTICLE,
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_proposals_do_not_depend_on_the_hash_seed():
    first = proposals_with_hash_seed(0)
    assert "milestones_development" in first  # the kinds whose order once varied
    assert all(proposals_with_hash_seed(seed) == first for seed in (1, 2, 3))
