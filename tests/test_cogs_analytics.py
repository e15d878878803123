"""/top, /benchmark, /similar and /export through the real bot against the loopback Discord."""

from __future__ import annotations

import csv
import io
import json

import pytest
from analytics_world import seed_analytics

from briefs.charts import PNG_SIGNATURE

ANALYTICS = ["bot.cogs.analytics"]
MANAGE_GUILD = 1 << 5


@pytest.fixture
async def world(db, standin, start_bot):
    ids = seed_analytics(db)
    await start_bot(extensions=ANALYTICS)
    return ids


def _command(standin, name):
    return next(c for c in standin.commands[None] if c["name"] == name)


async def test_top_ranks_licensors_and_flows_for_everyone(world, standin):
    reply = await (await standin.slash("top", {})).response()
    assert not reply.ephemeral and reply.data["allowed_mentions"] == {"parse": []}
    assert reply.text.index("Jiangsu Hengrui") < reply.text.index("Junshi Biosciences")
    assert "1 with undisclosed terms" in reply.text
    flows = await (await standin.slash("top", {"by": "flows", "period": "2025"})).response()
    assert "Greater China → US** — 3 deals" in flows.text


async def test_top_refuses_a_kind_that_is_not_a_deal_politely(world, standin):
    by = {c["value"] for c in _command(standin, "top")["options"][0]["choices"]}
    assert by == {"licensors", "licensees", "flows"}
    reply = await (await standin.slash("top", {"sector": "basket weaving"})).response()
    assert reply.ephemeral and "sector" in reply.text.casefold()


async def test_benchmark_sends_its_chart_and_the_medians_with_n(world, standin):
    reply = await (await standin.slash("benchmark", {})).response()
    assert [f.filename for f in reply.files] == ["benchmark.png"]
    assert reply.files[0].content.startswith(PNG_SIGNATURE)
    assert reply.embeds[0]["image"]["url"] == "attachment://benchmark.png"
    assert "Median $67.5M (n = 6)" in reply.text
    few = await (await standin.slash("benchmark", {"period": "2025-Q1"})).response()
    assert "too few for a median" in few.text and "Median" not in few.text


async def test_similar_lists_the_comparables_with_their_reasons(world, standin):
    reply = await (await standin.slash("similar", {"fact": world["d1"]})).response()
    assert reply.text.index(f"#{world['d2']}") < reply.text.index(f"#{world['d4']}")
    assert "shared territory (United States)" in reply.text
    missing = await (await standin.slash("similar", {"fact": 999})).response()
    assert missing.ephemeral and "999" in missing.text


async def test_export_is_for_admins_only(world, standin):
    export = _command(standin, "export")
    assert int(export["default_member_permissions"]) == MANAGE_GUILD
    refused = await (await standin.slash("export", {}, user=standin.member)).response()
    assert refused.ephemeral and not refused.files and "Manage Server" in refused.text


async def test_export_attaches_the_facts_narrowed_like_search(world, standin):
    reply = await (
        await standin.slash("export", {"sector": "Oncology", "since": "2025"}, user=standin.admin)
    ).response()
    assert reply.ephemeral and [f.filename for f in reply.files] == ["dealbrief-facts.csv"]
    rows = list(csv.DictReader(io.StringIO(reply.files[0].content.decode("utf-8"))))
    assert sorted(int(r["id"]) for r in rows) == sorted(
        world[d] for d in ("d1", "d2", "d3", "d4", "d7")
    )
    assert "5 facts as CSV" in reply.text
    as_json = await (
        await standin.slash("export", {"format": "json", "flow": "US → China"}, user=standin.admin)
    ).response()
    exported = json.loads(as_json.files[0].content)
    assert [fact["id"] for fact in exported] == [world["d6"]]


async def test_an_export_too_large_to_attach_asks_for_filters(world, standin, monkeypatch):
    from bot import analytics_answers

    monkeypatch.setattr(analytics_answers, "UPLOAD_LIMIT", 100)
    reply = await (await standin.slash("export", {}, user=standin.admin)).response()
    assert reply.ephemeral and not reply.files
    assert "too large to attach" in reply.text and "dealbrief export" in reply.text
