"""The lookup commands, run through the real bot against the loopback Discord."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest
from cog_world import SEARCH_FACTS, SEEDER, button, buttons, seed
from discord_standin.interactions import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    UPDATE_MESSAGE,
)

import bot.views
from bot import answers
from bot.format import ZWSP
from bot.words import word
from briefs.changes import edit_fact
from briefs.charts import PNG_SIGNATURE
from briefs.text import MAX_NAME, MAX_QUERY

LOOKUP = ["bot.cogs.lookup"]


@pytest.fixture
async def world(db, standin, start_bot):
    ids = seed(db)
    await start_bot(extensions=LOOKUP)
    return ids


def _command(standin, name):
    return next(c for c in standin.commands[None] if c["name"] == name)


def _option(command, name):
    return next(o for o in command["options"] if o["name"] == name)


async def test_commands_are_registered_with_bounded_options(world, standin):
    names = {c["name"] for c in standin.commands[None]}
    assert {"deal", "search", "stats", "source", "sources", "help"} <= names
    company = _option(_command(standin, "deal"), "company")
    assert company["max_length"] == MAX_NAME and company["autocomplete"] is True
    assert _option(_command(standin, "search"), "query")["max_length"] == MAX_QUERY
    source_id = _option(_command(standin, "source"), "id")
    assert source_id["min_value"] == 1 and source_id["max_value"] == 2**31 - 1
    by = _option(_command(standin, "stats"), "by")
    assert [c["value"] for c in by["choices"]] == ["year", "half", "quarter", "month"]


async def test_deal_answers_with_the_brief_for_everyone(world, standin):
    reply = await (await standin.slash("deal", {"company": "Riverbend"})).response()
    assert reply.type == CHANNEL_MESSAGE and not reply.ephemeral
    assert "Riverbend Therapeutics" in reply.text and "Northgate" in reply.text
    assert reply.data["allowed_mentions"] == {"parse": []}


async def test_deal_on_discord_shows_amounts_as_stated(db, standin, start_bot):
    from cog_world import SEEDER

    from briefs.changes import FigureIn, edit_fact

    ids = seed(db)
    terms = [FigureIn("upfront", 1.75e9, precision=3), FigureIn("total", 2.45e9, precision=3)]
    edit_fact(db, ids["deal"], SEEDER, figures=terms)
    await start_bot(extensions=LOOKUP)
    reply = await (await standin.slash("deal", {"company": "Riverbend"})).response()
    assert "upfront $1.75B" in reply.text and "total (stated) $2.45B" in reply.text
    assert "$1.8B" not in reply.text


async def test_autocomplete_offers_names_and_sends_ids(world, standin):
    choices = await standin.autocomplete("deal", "company", "Riv")
    by_name = {c["name"]: c["value"] for c in choices}
    assert by_name["Riverbend Therapeutics"] == str(world["riverbend"])
    assert "Riverbank Biotech" in by_name
    assert "Northgate Pharma" not in by_name
    first_keystroke = await standin.autocomplete("deal", "company", "")
    assert first_keystroke  # the most documented companies before anything is typed
    picked = await (await standin.slash("deal", {"company": str(world["northgate"])})).response()
    assert picked.embeds[0]["title"].startswith("Northgate Pharma")


async def test_did_you_mean_buttons_open_the_right_brief(world, standin):
    reply = await (await standin.slash("deal", {"company": "river"})).response()
    labels = [b["label"] for b in buttons(reply)]
    assert set(labels) == {"Riverbend Therapeutics", "Riverbank Biotech"}
    stranger = await standin.click(
        reply, button(reply, "Riverbend Therapeutics")["custom_id"], user=standin.admin
    )
    refusal = await stranger.response()
    assert refusal.ephemeral and "Riverbend licensed" not in refusal.text
    click = await standin.click(reply, button(reply, "Riverbend Therapeutics")["custom_id"])
    opened = await click.response()
    assert opened.type == UPDATE_MESSAGE
    assert "Riverbend licensed its PD-1 antibody" in opened.text
    assert opened.message["id"] == reply.message["id"]


async def test_search_pages_with_buttons_only_the_asker_can_press(world, standin):
    reply = await (await standin.slash("search", {"query": "zorbamab"})).response()
    assert button(reply, word("previous"))["disabled"] is True
    next_id = button(reply, word("next"))["custom_id"]
    first = reply.text

    other = await (await standin.click(reply, next_id, user=standin.admin)).response()
    assert other.ephemeral and other.type == CHANNEL_MESSAGE
    assert standin.messages[int(reply.message["id"])]["embeds"] == reply.embeds

    turned = await (await standin.click(reply, next_id)).response()
    assert turned.type == UPDATE_MESSAGE and turned.text != first
    assert button(turned, word("page_position", page=2, pages=3))
    last = await (await standin.click(turned, next_id)).response()
    assert button(last, word("next"))["disabled"] is True
    shown = re.findall(r"approval number (\d+) ", first + turned.text + last.text)
    assert sorted(map(int, shown)) == list(range(SEARCH_FACTS))


async def test_pager_buttons_grey_out_when_they_time_out(world, standin, monkeypatch):
    monkeypatch.setattr(bot.views, "VIEW_TIMEOUT", 0.3)
    handle = await standin.slash("search", {"query": "zorbamab"})
    reply = await handle.response()
    assert not button(reply, word("next"))["disabled"]
    edited = await handle.edit(timeout=5)
    assert all(b["disabled"] for b in buttons(edited))


async def test_a_pager_used_past_its_first_token_still_greys_out(world, standin, monkeypatch):
    # Each press restarts the timeout, so a pager in use can outlive the command's token
    # (15 minutes): the timeout then edits through the latest press.
    monkeypatch.setattr(bot.views, "VIEW_TIMEOUT", 2.0)
    handle = await standin.slash("search", {"query": "zorbamab"})
    reply = await handle.response()
    click = await standin.click(reply, button(reply, word("next"))["custom_id"])
    await click.response()
    standin.expire(handle)
    greyed = await click.edit(timeout=10)
    assert greyed.message["id"] == reply.message["id"]
    assert all(b["disabled"] for b in buttons(greyed))


async def test_a_deleted_pager_times_out_quietly(world, standin, monkeypatch, caplog):
    monkeypatch.setattr(bot.views, "VIEW_TIMEOUT", 1.0)
    handle = await standin.slash("search", {"query": "zorbamab"})
    reply = await handle.response()
    del standin.messages[int(reply.message["id"])]
    edit = await standin.wait_for_request("PATCH /webhooks/{app}/{token}/messages/{id}")
    assert edit.status == 404
    await asyncio.sleep(0.1)  # let the timeout task finish
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_stats_sends_a_chart_the_embed_shows(world, standin):
    reply = await (await standin.slash("stats", {"by": "year"})).response()
    assert [f.filename for f in reply.files] == ["stats.png"]
    assert reply.files[0].content.startswith(PNG_SIGNATURE)
    assert reply.embeds[0]["image"]["url"] == "attachment://stats.png"


async def test_bad_period_is_refused_politely(world, standin):
    reply = await (await standin.slash("stats", {"period": "20x5"})).response()
    assert reply.ephemeral and "20x5" in reply.text


async def test_source_sources_and_help(world, standin):
    source = await (await standin.slash("source", {"id": world["source"]})).response()
    assert "Riverbend licenses its antibody" in source.text
    listing = await (await standin.slash("sources")).response()
    assert "Test Wire" in listing.text
    help_reply = await (await standin.slash("help")).response()
    assert help_reply.ephemeral and "/deal" in help_reply.text
    missing = await (await standin.slash("source", {"id": 999})).response()
    assert missing.ephemeral


async def test_an_oversized_option_is_refused_politely(world, standin):
    reply = await (await standin.slash("search", {"query": "x" * 10_000})).response()
    assert reply.ephemeral
    assert str(MAX_QUERY) in reply.text and "10000" in reply.text
    deal = await (await standin.slash("deal", {"company": "y" * 10_000})).response()
    assert deal.ephemeral and str(MAX_NAME) in deal.text


async def test_everyone_in_a_fact_never_pings(db, standin, start_bot):
    ids = seed(db)
    from cog_world import SEEDER

    from briefs.changes import FactIn, add_fact

    add_fact(
        db,
        FactIn(
            kind="approval",
            summary="@everyone Riverbend won approval <@&123> in Macau.",
            source_id=ids["source"],
            subject_id=ids["riverbend"],
        ),
        SEEDER,
    )
    await start_bot(extensions=LOOKUP)
    reply = await (await standin.slash("deal", {"company": "Riverbend"})).response()
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert f"@{ZWSP}everyone" in reply.text
    assert "@everyone" not in reply.text and "<@&123>" not in reply.text


# --- Slow answers: Discord waits 3 s for the first one ---------------------------------------


async def test_a_slow_search_is_deferred_then_shown_with_its_pager(
    world, standin, gate, monkeypatch
):
    monkeypatch.setattr(answers, "search", gate.hold(answers.search))
    handle = await standin.slash("search", {"query": "zorbamab"})
    placeholder = await handle.response()
    assert placeholder.type == DEFERRED_CHANNEL_MESSAGE and not placeholder.ephemeral
    gate.open()
    shown = await handle.answer()
    assert shown.kind == "edit" and "approval number" in shown.text
    assert shown.data["allowed_mentions"] == {"parse": []}
    turned = await (
        await standin.click(shown.message, button(shown, word("next"))["custom_id"])
    ).response()
    assert turned.type == UPDATE_MESSAGE and turned.text != shown.text


async def test_a_slow_deal_offers_did_you_mean_in_the_placeholder(
    world, standin, gate, monkeypatch
):
    monkeypatch.setattr(answers, "deal", gate.hold(answers.deal))
    monkeypatch.setattr(answers, "brief_of", gate.hold(answers.brief_of))
    handle = await standin.slash("deal", {"company": "river"})
    assert (await handle.response()).type == DEFERRED_CHANNEL_MESSAGE
    gate.open()
    offered = await handle.answer()
    assert {b["label"] for b in buttons(offered)} == {"Riverbend Therapeutics", "Riverbank Biotech"}
    click = await standin.click(
        offered.message, button(offered, "Riverbend Therapeutics")["custom_id"]
    )
    assert "Riverbend licensed its PD-1 antibody" in (await click.response()).text


async def test_a_slow_button_is_acknowledged_then_edits_its_message(
    world, standin, gate, monkeypatch
):
    reply = await (await standin.slash("deal", {"company": "river"})).response()
    monkeypatch.setattr(answers, "brief_of", gate.hold(answers.brief_of))
    click = await standin.click(reply, button(reply, "Riverbend Therapeutics")["custom_id"])
    assert (await click.response()).type == DEFERRED_UPDATE
    gate.open()
    opened = await click.edit()
    assert "Riverbend licensed its PD-1 antibody" in opened.text
    assert opened.message["id"] == reply.message["id"] and not buttons(opened)


async def test_a_slow_chart_arrives_as_an_edit_with_its_file(world, standin, gate, monkeypatch):
    monkeypatch.setattr(answers, "stats", gate.hold(answers.stats))
    handle = await standin.slash("stats", {"by": "year"})
    assert (await handle.response()).type == DEFERRED_CHANNEL_MESSAGE
    gate.open()
    shown = await handle.answer()
    assert [f.filename for f in shown.files] == ["stats.png"]
    assert shown.files[0].content.startswith(PNG_SIGNATURE)


async def test_an_error_after_deferring_is_a_followup(world, standin, gate, monkeypatch):
    monkeypatch.setattr(answers, "source", gate.hold(answers.source))
    handle = await standin.slash("source", {"id": 999})
    assert (await handle.response()).type == DEFERRED_CHANNEL_MESSAGE
    gate.open()
    refusal = await handle.followup()
    assert "999" in refusal.text
    assert [r.kind for r in handle.replies] == ["callback", "followup"]


async def test_choices_discord_did_not_offer_get_the_domain_refusal(world, standin):
    reply = await (await standin.slash("stats", {"by": "week"})).response()
    assert reply.ephemeral and "is not a way to group" in reply.text and "week" in reply.text


async def test_a_source_number_sqlite_cannot_hold_is_refused_politely(world, standin):
    reply = await (await standin.slash("source", {"id": 2**63})).response()
    assert reply.ephemeral and "is not a source number" in reply.text
    assert "error id" not in reply.text


async def test_search_takes_filters_with_company_autocomplete(world, standin):
    search = _command(standin, "search")
    assert _option(search, "company")["autocomplete"] is True
    assert "licence" in [c["value"] for c in _option(search, "kind")["choices"]]
    assert not _option(search, "query").get("required")
    choices = await standin.autocomplete("search", "company", "Riverb")
    picked = next(c for c in choices if c["name"] == "Riverbend Therapeutics")
    reply = await (
        await standin.slash(
            "search", {"query": "antibody", "company": picked["value"], "kind": "licence"}
        )
    ).response()
    assert "Riverbend licensed its PD-1 antibody" in reply.text and "zorbamab" not in reply.text
    listed = await (
        await standin.slash("search", {"kind": "approval", "since": "2024-12"})
    ).response()
    assert "approval number 11 " in listed.text and "Riverbend licensed" not in listed.text
    refused = await (await standin.slash("search", {"since": "2026", "until": "2024"})).response()
    assert refused.ephemeral and "wrong way round" in refused.text


async def test_search_filters_by_flow_and_parent_sector_offered_as_you_type(world, standin, db):
    """Riverbend (China) licensed to Northgate (US), in oncology: a pharmaceuticals deal."""
    search = _command(standin, "search")
    assert _option(search, "flow")["autocomplete"] is True
    assert _option(search, "sector")["autocomplete"] is True
    flows = await standin.autocomplete("search", "flow", "china")
    assert "Greater China → US" in [c["value"] for c in flows] and len(flows) <= 25
    edit_fact(db, world["deal"], SEEDER, sector="oncology")
    hit = await (
        await standin.slash("search", {"flow": "Greater China → US", "sector": "Pharmaceuticals"})
    ).response()
    assert "Riverbend licensed its PD-1 antibody" in hit.text
    assert "going Greater China → US" in hit.text and "zorbamab" not in hit.text
    miss = await (await standin.slash("search", {"flow": "us-china"})).response()
    assert "No fact passes these filters" in miss.text
    refused = await (await standin.slash("search", {"flow": "China → Atlantis"})).response()
    assert refused.ephemeral and "Atlantis" in refused.text


async def test_stats_offers_sectors_and_flows_from_the_vocabulary(world, standin):
    stats = _command(standin, "stats")
    assert _option(stats, "sector")["autocomplete"] is True
    assert _option(stats, "flow")["autocomplete"] is True
    sectors = await standin.autocomplete("stats", "sector", "")
    assert "Semiconductors" in [c["name"] for c in sectors] and len(sectors) <= 25
    flows = await standin.autocomplete("stats", "flow", "west")
    assert flows and all("West" in c["name"] for c in flows) and len(flows) <= 25


async def test_stats_filters_by_flow(world, standin):
    """Riverbend (China) licensed to Northgate (US): China → US has it, US → China does not."""
    hit = await (await standin.slash("stats", {"flow": "china-us"})).response()
    assert "Greater China → US" in hit.text and "1 deal" in hit.text
    miss = await (await standin.slash("stats", {"flow": "US → China"})).response()
    assert "No deals" in miss.text


async def test_stats_refuses_an_unknown_sector_with_the_closest(world, standin):
    reply = await (await standin.slash("stats", {"sector": "Semicondctr stuff"})).response()
    assert reply.ephemeral and "the closest are" in reply.text
