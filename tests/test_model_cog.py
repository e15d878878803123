"""/ingest with the model extractor, through the real bot, the loopback Discord and the loopback
chat-completions server: a model-proposed deal is reviewed and approved in the same flow as a
rule-proposed one, and a failing model costs one line in the answer and one warning in the log."""

from __future__ import annotations

import logging

from cog_world import button
from discord_standin import UploadedFile
from discord_standin.interactions import CHANNEL_MESSAGE, UPDATE_MESSAGE
from openai_standin import Reply, deal, deals_reply

from bot.words import word
from briefs.ingest.review import get_proposal
from briefs.ingest.settings import ExtractorSettings
from briefs.queries import get_fact

INGEST = ["bot.cogs.ingest"]
# A first upload starts the worker process, which imports the openai client: on a busy machine
# that can take longer than the stand-in's default wait.
WORKER_START = 60.0
ARTICLE = (
    "Two deals this week\n"
    "Biotech Ledger Published: 2025-02-11\n\n"
    "Corvane Bio licensed the antibody KT-7 from Lumen Therapeutics on Tuesday. "
    "Corvane will pay $25 million upfront.\n\n"
    "Elsewhere, Perrin Labs now holds the worldwide rights to the ZX-4 enzyme of Osric "
    "Chemicals, for which it paid $40 million.\n"
)
PERRIN = "Perrin Labs now holds the worldwide rights to the ZX-4 enzyme of Osric Chemicals"
ANSWER = [
    deal(
        licensor="Osric Chemicals",
        licensee="Perrin Labs",
        asset="ZX-4 enzyme",
        total="$40 million",
        evidence={
            "licensor": PERRIN,
            "licensee": PERRIN,
            "asset": "the ZX-4 enzyme",
            "total": "for which it paid $40 million",
        },
    ),
    deal(
        licensor="Acme Holdings",
        licensee="Perrin Labs",
        total="$9 billion",
        evidence={"licensor": "Acme Holdings", "licensee": PERRIN, "total": "$9 billion"},
    ),
]


def model_settings(openai_standin) -> ExtractorSettings:
    return ExtractorSettings("model", openai_standin.base_url, "standin-model", 10.0)


async def upload(standin):
    file = UploadedFile("deals.txt", ARTICLE.encode(), "text/plain")
    handle = await standin.slash("ingest", {"attachment": file}, user=standin.admin)
    return await handle.answer(timeout=WORKER_START)


async def approve_shown(standin, reply):
    pressed = await standin.click(
        reply, button(reply, word("review.approve"))["custom_id"], user=standin.admin
    )
    return await pressed.response()


async def test_a_model_proposed_deal_is_approved_like_a_rule_proposed_one(
    start_bot, standin, db, openai_standin
):
    openai_standin.answer = deals_reply(ANSWER)
    await start_bot(extensions=INGEST, ingest=model_settings(openai_standin))
    answer = await upload(standin)
    assert "deals.txt: 2 proposals" in answer.text
    assert "Acme Holdings" in answer.text and "is not in the document" in answer.text
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert len(openai_standin.requests) == 1

    handle = await standin.slash("review", {}, user=standin.admin)
    reply = await handle.response()
    assert reply.type == CHANNEL_MESSAGE and "Lumen Therapeutics → Corvane Bio" in reply.text
    assert "proposed by the rules" in reply.text
    moved = await approve_shown(standin, reply)
    assert moved.type == UPDATE_MESSAGE and "Osric Chemicals → Perrin Labs" in moved.text
    assert "proposed by the model" in moved.text or "by the rules and the model" in moved.text
    done = await approve_shown(standin, moved)
    assert "approved as fact" in done.text

    rule_made, model_made = (get_proposal(db, n) for n in (1, 2))
    assert rule_made.status == model_made.status == "approved"
    fact = get_fact(db, model_made.fact_id)
    assert (fact.licensor.name, fact.licensee.name) == ("Osric Chemicals", "Perrin Labs")
    assert fact.figure("total").value == 40e6 and fact.origin == "ingest"
    assert db.execute("SELECT count(*) FROM facts").fetchone() == (2,)


async def test_a_failing_model_is_one_line_in_the_answer_and_one_warning(
    start_bot, standin, db, openai_standin, caplog
):
    openai_standin.answer = Reply(500, "boom")
    await start_bot(extensions=INGEST, ingest=model_settings(openai_standin))
    with caplog.at_level(logging.WARNING, logger="bot.cogs.ingest"):
        answer = await upload(standin)
    assert "deals.txt: 1 proposal" in answer.text or "deals.txt: 2 proposals" in answer.text
    lines = [line for line in answer.text.splitlines() if "model was not used" in line]
    assert len(lines) == 1 and "it failed (5xx)" in lines[0]
    warnings = [r for r in caplog.records if r.name == "bot.cogs.ingest"]
    assert len(warnings) == 1 and "server_error" in warnings[0].getMessage()


async def test_the_bot_sends_nothing_without_the_model_extractor(
    start_bot, standin, db, openai_standin
):
    """An endpoint in the settings is not enough: the extractor must be "model"."""
    settings = ExtractorSettings("rules", openai_standin.base_url, "standin-model")
    await start_bot(extensions=INGEST, ingest=settings)
    answer = await upload(standin)
    assert "deals.txt:" in answer.text and "model" not in answer.text
    assert openai_standin.requests == []
