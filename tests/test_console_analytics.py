"""/top, /benchmark and /similar in the text console, over the same answers as Discord."""

from __future__ import annotations

from analytics_world import seed_analytics

from bot.console import answer


def test_top_benchmark_and_similar_answer_as_text(db):
    ids = seed_analytics(db)
    top = answer(db, "/top by:licensees period:2025")
    assert top.index("1. Merck — 2 deals") < top.index("Novartis")
    benchmark = answer(db, "/benchmark stage:phase 2")
    assert "Only 3 deals disclose this (n = 3)" in benchmark
    similar = answer(db, f"/similar {ids['d1']}")
    assert f"#{ids['d2']}" in similar and "Why: same sector (Oncology)" in similar


def test_export_points_to_the_command_line_and_bad_options_are_refused(db):
    seed_analytics(db)
    assert "dealbrief export" in answer(db, "/export format:json")
    assert "unknown option" not in answer(db, "/top by:flows")
    refused = answer(db, "/top by:sellers")
    assert "sellers" in refused and "licensors, licensees or flows" in refused
