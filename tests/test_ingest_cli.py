"""`dealbrief ingest` and `dealbrief review` through click's test runner on a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefs.changes import Actor, add_company
from briefs.cli import cli
from briefs.ingest.commands import JSON_KEYS
from briefs.model import FACT_KINDS
from briefs.store import open_db

DEAL = (
    "Novexa licenses HX-2\nPublished: 2024-05-06\n\n"
    "Novexa Therapeutics licensed the antibody HX-2 from Helio Biotech.\n"
    "Novexa will pay $40 million upfront.\n"
)


def run(db_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def write_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "deal.txt").write_text(DEAL)
    (folder / "page.html").write_text(
        "<html><body><article><p>Pallas Chemicals licensed a solvent process from "
        "Hinterland Systems for $30 million.</p></article></body></html>"
    )
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    return folder


def test_ingest_folder_reports_each_file_and_keeps_going(db_path: Path, tmp_path: Path) -> None:
    result = run(db_path, "ingest", str(write_folder(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "broken.txt: broken.txt is not a text document" in result.output
    assert "deal.txt: 1 proposal" in result.output
    assert "2 read" in result.output and "1 refused" in result.output
    db = open_db(db_path)
    assert db.execute("SELECT count(*) FROM sources WHERE kind = 'document'").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM proposals").fetchone() == (2,)
    again = run(db_path, "ingest", str(tmp_path / "docs" / "deal.txt"))
    assert "already stored" in again.output


def test_ingest_json_lines_and_dry_run(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "deal.txt").write_text(DEAL)
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "ingest", "--json", "--dry-run", str(tmp_path / "deal.txt")]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    assert tuple(lines[0]) == JSON_KEYS
    assert lines[0]["licensor"] == "Helio Biotech" and lines[0]["upfront_usd"] == 40e6
    assert not db_path.exists()


def test_review_list_approve_reject(db_path: Path, tmp_path: Path) -> None:
    run(db_path, "ingest", str(write_folder(tmp_path)))
    listing = run(db_path, "review", "--no-input")
    assert "Proposals waiting for review: 2" in listing.output
    assert "#1 Licence: Helio Biotech → Novexa Therapeutics" in listing.output
    shown = run(db_path, "review", "show", "1")
    assert "Novexa Therapeutics licensed the antibody HX-2" in shown.output
    approved = run(db_path, "review", "approve", "1", "--asset", "HX-2 antibody")
    assert approved.exit_code == 0, approved.output
    assert "approved as fact #" in approved.output
    rejected = run(db_path, "review", "reject", "2", "--reason", "not a licence")
    assert "Proposal #2 rejected." in rejected.output
    assert "Nothing is waiting." in run(db_path, "review", "--no-input").output
    twice = run(db_path, "review", "approve", "1")
    assert twice.exit_code == 1 and "already approved" in twice.output
    missing = run(db_path, "review", "reject", "99")
    assert missing.exit_code == 1 and "no proposal #99" in missing.output.lower()


def test_a_missing_html_reader_is_one_line_naming_the_package(
    db_path: Path, tmp_path: Path
) -> None:
    """The real ``dealbrief`` in a process where lxml_html_clean cannot be imported, as in a
    virtualenv whose older pip never installed it."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text("import sys\nsys.modules['lxml_html_clean'] = None\n")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><p>Pallas licensed a process.</p></article></body></html>"
    )
    program = Path(sys.executable).with_name("dealbrief")
    environment = {**os.environ, "PYTHONPATH": str(shim)}
    result = subprocess.run(
        [str(program), "--db", str(db_path), "ingest", str(page)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert (
        "page.html: Reading HTML needs the package lxml_html_clean: "
        "run .venv/bin/pip install lxml_html_clean"
    ) in result.stdout + result.stderr


def test_review_approve_creates_a_new_company_and_takes_every_fact_field(
    db_path: Path, tmp_path: Path
) -> None:
    run(db_path, "ingest", str(write_folder(tmp_path)))
    add_company(open_db(db_path), "Novexa Pharma", Actor("test"))
    options = ["--licensee", "Novexa Therapeutic", "--royalty", "tiered", "--status", "signed"]
    asked = run(db_path, "review", "approve", "1", *options)
    assert asked.exit_code == 1 and "Did you mean" in asked.output
    created = ["--new-company", "Novexa Therapeutic", "--new-company-country", "Japan"]
    approved = run(db_path, "review", "approve", "1", *options, *created)
    assert approved.exit_code == 0, approved.output
    row = (
        open_db(db_path)
        .execute(
            "SELECT c.name, c.country, f.royalty, f.status FROM facts f "
            "JOIN companies c ON c.id = f.licensee_id WHERE f.origin = 'ingest'"
        )
        .fetchone()
    )
    assert row == ("Novexa Therapeutic", "Japan", "tiered", "signed")


def test_review_approve_offers_kinds_from_the_model(db_path: Path) -> None:
    shown = run(db_path, "review", "approve", "--help")
    assert all(kind in shown.output for kind in FACT_KINDS)
