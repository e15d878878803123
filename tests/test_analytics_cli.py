"""top, benchmark and similar on the command line: a fresh database, deals added from the shell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefs.charts import PNG_SIGNATURE
from briefs.cli import cli

# Junshi licenses three assets, two others one each, and a sixth deal has no upfront stated.
DEALS = [
    ("junshi", "Coherus", "JS001", "$100m", "2025-02"),
    ("junshi", "Merck", "JS002", "$40m", "2025-03"),
    ("junshi", "Novartis", "JS003", "$60m", "2025-04"),
    ("hengrui", "Merck", "SHR-1", "$200m", "2025-05"),
    ("akeso", "Novartis", "AK112", "$500m", "2025-06"),
    ("akeso", "Coherus", "AK117", None, "2025-07"),
]


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), *args])


@pytest.fixture
def six_deals(db_path: Path) -> Path:
    assert run(db_path, "init").exit_code == 0
    companies = [("Jiangsu Hengrui", "China"), ("Akeso", "China"), ("Merck", "United States"),
                 ("Coherus", "United States"), ("Novartis", "Switzerland")]  # fmt: skip
    for name, country in companies:
        assert run(db_path, "company", "add", name, "--country", country).exit_code == 0
    for licensor, licensee, asset, upfront, period in DEALS:
        terms = ["--upfront", upfront] if upfront else []
        added = run(
            db_path, "fact", "add", "--kind", "licence", "--summary", f"{asset} licensed",
            "--licensor", licensor, "--licensee", licensee, "--asset", asset, "--period", period,
            "--sector", "oncology", "--source", "1", *terms,
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    return db_path


def test_top_ranks_junshi_first_with_its_three_deals(six_deals):
    result = run(six_deals, "top", "--by", "licensors", "--period", "2025-H1")
    assert result.exit_code == 0, result.output
    ranked = re.findall(r"^(\d+)\. (.+?) — (\d+) deals?", result.output, re.MULTILINE)
    assert ranked[0] == ("1", "Junshi Biosciences", "3")
    assert ranked[1] == ("2", "Akeso", "1")  # $500m disclosed outranks Hengrui's $200m
    assert "2. Akeso — 1 deal · upfronts $500M (1 disclosed) · value $500M" in result.output


def test_top_counts_undisclosed_terms_and_ranks_flows(six_deals):
    akeso = run(six_deals, "top", "--by", "licensors", "--period", "2025")
    assert "Akeso — 2 deals · upfronts $500M (1 disclosed)" in akeso.output
    assert "1 with undisclosed terms" in akeso.output
    flows = run(six_deals, "top", "--by", "flows", "--period", "2025", "--sector", "oncology")
    assert re.search(r"1\. Greater China → US — 4 deals", flows.output)
    assert re.search(r"2\. Greater China → Europe — 2 deals", flows.output)


def test_benchmark_prints_the_median_upfront_with_its_n(six_deals, tmp_path):
    chart = tmp_path / "terms.png"
    result = run(six_deals, "benchmark", "--sector", "oncology", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    # Upfronts 40, 60, 100, 200, 500: the median is the third.
    assert "Median $100M (n = 5); middle half $60M to $200M" in result.output
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
    few = run(six_deals, "benchmark", "--period", "2025-Q1")
    assert "Only 2 deals disclose this (n = 2), too few for a median" in few.output
    assert "Median" not in few.output


def test_similar_lists_the_other_deals(six_deals):
    first = run(six_deals, "search", "--kind", "licence", "JS001")
    fact_id = re.search(r"#(\d+)", first.output)[1]
    result = run(six_deals, "similar", fact_id)
    assert result.exit_code == 0, result.output
    listed = re.findall(r"— (\S+) licensed", result.output)
    assert listed[0] == "JS001" and sorted(listed[1:]) == sorted(d[2] for d in DEALS[1:])
    assert "same sector (Oncology)" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("top", "--kind", "approval"),
        ("top", "--sector", "basket weaving"),
        ("benchmark", "--period", "2025-H3"),
        ("benchmark", "--stage", "phase nine"),
        ("similar", "9999"),
        ("similar", "abc"),
    ],
)
def test_bad_input_is_one_polite_line(six_deals, args):
    result = CliRunner().invoke(cli, ["--db", str(six_deals), *args])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
