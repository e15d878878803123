"""A small knowledge base of known deals, and `dealbrief web` running over it on a real port.

The deals are chosen so that every answer of the web view can be worked out by hand:

| fact | kind           | licensor -> licensee | sector   | stage   | year | upfront | total |
| d1   | licence        | Alpha -> Beta        | Oncology | Phase 2 | 2024 | $100m   | $1bn  |
| d2   | licence        | Alpha -> Delta       | Oncology | Phase 2 | 2025 | $50m    |       |
| d3   | out-licence    | Alpha -> Gamma       | Oncology | Phase 2 | 2025 | $30m    |       |
| d4   | patent licence | Gamma -> Beta        | Memory   |         | 2025 | $20m    |       |
| d5   | patent licence | Gamma -> Delta       | Memory   |         | 2025 | $40m    |       |

Alpha is Chinese, Beta and Delta American, Gamma German. An approval (not a deal) and a
removed deal are stored too, and neither may appear among the deals.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from briefs import changes
from briefs.actions import companies, facts
from briefs.actions.facts import FactForm
from briefs.changes import Actor
from briefs.store import open_db

ADMIN = Actor(name="shell:tester")
SECRET_TEXT = "Zanzibarian quokka memorandum"  # only in a source's stored article text
DEALS = {
    "d1": dict(
        kind="licence",
        licensor="Alpha Bio",
        licensee="Beta Pharma",
        sector="Oncology",
        stage="Phase 2",
        period="2024-03",
        upfront="$100m",
        total="$1bn",
        summary="Alpha Bio licensed its lead kinase inhibitor to Beta Pharma.",
    ),
    "d2": dict(
        kind="licence",
        licensor="Alpha Bio",
        licensee="Delta Therapeutics",
        sector="Oncology",
        stage="Phase 2",
        period="2025-01",
        upfront="$50m",
        summary="Alpha Bio licensed a second kinase inhibitor to Delta Therapeutics.",
    ),
    "d3": dict(
        kind="out_licence",
        licensor="Alpha Bio",
        licensee="Gamma Chips",
        sector="Oncology",
        stage="Phase 2",
        period="2025-02",
        upfront="$30m",
        summary="Alpha Bio out-licensed its bispecific antibody to Gamma Chips.",
    ),
    "d4": dict(
        kind="patent_licence",
        licensor="Gamma Chips",
        licensee="Beta Pharma",
        sector="Memory",
        period="2025-04",
        upfront="$20m",
        summary="Gamma Chips licensed stacking patents to Beta Pharma.",
    ),
    "d5": dict(
        kind="patent_licence",
        licensor="Gamma Chips",
        licensee="Delta Therapeutics",
        sector="Memory",
        period="2025-06",
        upfront="$40m",
        summary="Gamma Chips licensed bonding patents to Delta Therapeutics.",
    ),
}


def build_world(path: Path) -> dict[str, int]:
    """Store the deals above (and the approval and removed deal); their fact ids by name."""
    db = open_db(path)
    try:
        for name, country in (
            ("Alpha Bio", "China"),
            ("Beta Pharma", "United States"),
            ("Gamma Chips", "Germany"),
            ("Delta Therapeutics", "United States"),
        ):
            companies.add(db, name, ADMIN, country=country)
        source = changes.add_source(
            db,
            key="deal-wire",
            title="Deal wire",
            outlet="Wire",
            published="2025-06-30",
            text=f"Five deals were signed. {SECRET_TEXT}.",
            actor=ADMIN,
        )
        ids = {name: add_deal(db, source, **fields) for name, fields in DEALS.items()}
        ids["approval"] = add_deal(
            db,
            source,
            kind="approval",
            subject="Beta Pharma",
            period="2025-05",
            summary="Regulators approved Beta Pharma's kinase inhibitor.",
        )
        ids["removed"] = add_deal(
            db,
            source,
            kind="licence",
            licensor="Delta Therapeutics",
            licensee="Alpha Bio",
            period="2025-07",
            upfront="$900m",
            summary="Delta Therapeutics licensed a withdrawn programme to Alpha Bio.",
        )
        facts.remove(db, ids["removed"], ADMIN, reason="duplicate")
    finally:
        db.close()
    return ids


def add_deal(db, source: int, **fields: str) -> int:
    return facts.add(db, FactForm(source=str(source), **fields), ADMIN)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dealbrief_program() -> str:
    return str(Path(sys.executable).with_name("dealbrief"))


@contextmanager
def running_web(path: Path, *options: str) -> Iterator[str]:
    """`dealbrief web` as a subprocess on a free port; its base URL while it runs."""
    port = free_port()
    server = subprocess.Popen(
        [dealbrief_program(), "--db", str(path), "web", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DEALBRIEF_WEB_PASSWORD_HASH"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(server, port)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_listening(server: subprocess.Popen, port: int) -> None:
    """Until the port accepts a connection; a server that exits first fails with its output."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"dealbrief web exited: {server.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("dealbrief web did not start listening")


def get(url: str, **kwargs) -> httpx.Response:
    return httpx.get(url, timeout=30, **kwargs)
