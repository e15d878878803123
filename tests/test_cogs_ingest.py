"""/ingest and /review through the real bot and the loopback Discord: uploads, pasted text,
refusals, and the review buttons and forms down to the audited fact."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from cog_world import button, buttons
from discord_standin import MANAGE_GUILD, UploadedFile
from discord_standin.interactions import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE,
    MODAL,
    UPDATE_MESSAGE,
)
from hypothesis import given
from hypothesis import strategies as st

import bot.review_views
import bot.views
from bot.format import ZWSP
from bot.review_form import amount_text, edits_from
from bot.words import word
from briefs.actions.facts import FactForm
from briefs.actions.review import NewCompany
from briefs.changes import Actor, FactIn, add_company, add_fact, add_source
from briefs.ingest.proposal import ProposedFigure
from briefs.ingest.read import MAX_BYTES, read_bytes
from briefs.ingest.review import get_proposal, ingest_document
from briefs.money import parse_amount
from briefs.queries import get_fact

INGEST = ["bot.cogs.ingest"]
SEEDER = Actor("test:seed")
TITLE = "Corvane takes KT-7"
BODY = (
    "Biotech Ledger Published: 2025-02-11\n\n"
    "Corvane Bio licensed the antibody KT-7 from Lumen Therapeutics on Tuesday. "
    "Corvane will pay $25 million upfront and up to $200 million in milestones.\n\n"
    "Separately, Orrin Pharma and Talbot Labs signed a licensing agreement for the TB-9 "
    "platform, @everyone.\n"
)
ARTICLE = f"{TITLE}\n{BODY}"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def statuses(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT status FROM proposals ORDER BY id")]


def inputs(form) -> dict[str, dict]:
    """A form's text inputs by label."""
    found = {}
    stack = list(form.data["components"])
    while stack:
        component = stack.pop(0)
        if component.get("type") == 4:
            found[component["label"]] = component
        stack += component.get("components") or []
        if "component" in component:
            stack.append(component["component"])
    return found


@pytest.fixture
async def bot_up(start_bot):
    return await start_bot(extensions=INGEST)


@pytest.fixture
async def queued(db, start_bot):
    """Two proposals waiting: Corvane licenses from Lumen (directed), Orrin/Talbot (not)."""
    add_company(db, "Lumen Therapeutics", SEEDER)
    add_company(db, "Lumen Diagnostics", SEEDER)
    result = ingest_document(db, read_bytes(ARTICLE.encode(), "corvane.txt"), SEEDER)
    assert len(result.proposals) == 2
    await start_bot(extensions=INGEST)
    return result.proposals


async def open_review(standin):
    handle = await standin.slash("review", {}, user=standin.admin)
    reply = await handle.response()
    assert reply.type == CHANNEL_MESSAGE and reply.ephemeral
    return handle, reply


def custom_id(reply, key: str) -> str:
    return button(reply, word(key))["custom_id"]


async def press(standin, reply, key: str, user=None):
    """The answer to pressing the button labelled with word ``key`` (as the admin by default)."""
    pressed = await standin.click(reply, custom_id(reply, key), user=user or standin.admin)
    return await pressed.response()


async def submit(standin, form, values: dict[str, str]):
    """The answer to the admin submitting ``form`` with these values by input custom id."""
    return await (await standin.submit_modal(form.custom_id, values, user=standin.admin)).response()


# --- /ingest ---------------------------------------------------------------------------------


async def test_commands_are_hidden_from_members_and_refused_to_them(bot_up, standin, db):
    for name in ("ingest", "review"):
        command = next(c for c in standin.commands[None] if c["name"] == name)
        assert int(command["default_member_permissions"]) == MANAGE_GUILD
        assert command.get("contexts") == [0] or command.get("dm_permission") is False
    upload = UploadedFile("corvane.txt", ARTICLE.encode(), "text/plain")
    for name, options in (("ingest", {"attachment": upload}), ("ingest", {}), ("review", {})):
        reply = await (await standin.slash(name, options, user=standin.member)).response()
        assert reply.type == CHANNEL_MESSAGE and reply.ephemeral, name
        assert "Manage Server" in reply.text, name
    assert count(db, "sources") == 0 and count(db, "proposals") == 0


async def test_an_uploaded_article_is_stored_once_and_its_proposals_wait(bot_up, standin, db):
    upload = UploadedFile("corvane.txt", ARTICLE.encode(), "text/plain")
    handle = await standin.slash("ingest", {"attachment": upload}, user=standin.admin)
    deferred = await handle.response()
    assert deferred.type == DEFERRED_CHANNEL_MESSAGE and deferred.ephemeral
    answer = await handle.answer()
    assert "corvane.txt: 2 proposals" in answer.text
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert statuses(db) == ["proposed", "proposed"]
    source = db.execute("SELECT kind, title, published FROM sources").fetchone()
    assert source == ("document", TITLE, "2025-02-11")
    audit = db.execute("SELECT actor, actor_id, guild_id FROM audit WHERE entity = 'source'")
    assert audit.fetchall() == [
        (f"discord:{standin.admin.name}", str(standin.admin.id), str(standin.guild.id))
    ]

    again = UploadedFile("copy.txt", ARTICLE.replace("\n", "\r\n").encode(), "text/plain")
    repeat = await (
        await standin.slash("ingest", {"attachment": again}, user=standin.admin)
    ).answer()
    assert "already stored" in repeat.text and "nothing added" in repeat.text
    assert count(db, "sources") == 1 and count(db, "proposals") == 2


async def test_binary_files_are_refused_and_nothing_is_stored(bot_up, standin, db):
    image = UploadedFile("photo.png", PNG, "image/png")
    refused = await (
        await standin.slash("ingest", {"attachment": image}, user=standin.admin)
    ).response()
    assert refused.type == CHANNEL_MESSAGE and refused.ephemeral
    assert "photo.png cannot be read" in refused.text and ".txt" in refused.text

    disguised = UploadedFile("notes.txt", PNG, "text/plain")
    handle = await standin.slash("ingest", {"attachment": disguised}, user=standin.admin)
    note = await handle.followup()
    assert note.ephemeral and "notes.txt is not a text document" in note.text
    assert count(db, "sources") == 0 and count(db, "proposals") == 0 and count(db, "audit") == 0


async def test_an_oversized_file_is_refused_before_it_is_downloaded(bot_up, standin, db):
    huge = UploadedFile("dump.txt", b"a" * (MAX_BYTES + 1), "text/plain")
    handle = await standin.slash("ingest", {"attachment": huge}, user=standin.admin)
    refused = await handle.response()
    # Refused in the first answer: the download only ever happens after a deferral.
    assert refused.type == CHANNEL_MESSAGE and refused.ephemeral
    assert "dump.txt is too large" in refused.text and "5 MB" in refused.text
    assert count(db, "sources") == 0


async def test_pasted_text_goes_through_the_form_and_never_pings(bot_up, standin, db):
    form = await (await standin.slash("ingest", {}, user=standin.admin)).response()
    assert form.type == MODAL
    fields = inputs(form)
    title, text = fields[word("paste.title")], fields[word("paste.text")]
    assert text["max_length"] == 4000 and text["style"] == 2
    handle = await standin.submit_modal(
        form.custom_id,
        {title["custom_id"]: "Deal news for @everyone", text["custom_id"]: BODY},
        user=standin.admin,
    )
    answer = await handle.answer()
    assert answer.data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in answer.text and f"@{ZWSP}everyone" in answer.text
    assert "2 proposals" in answer.text
    assert db.execute("SELECT title FROM sources").fetchone() == ("Deal news for @everyone",)

    handle, reply = await open_review(standin)
    skipped = await press(standin, reply, "review.skip")
    assert "Talbot Labs" in skipped.text and "TB-9" in skipped.text
    assert "@everyone" not in skipped.text and f"@{ZWSP}everyone" in skipped.text
    assert skipped.data["allowed_mentions"] == {"parse": []}


@pytest.mark.parametrize(
    ("title", "text", "words"),
    [
        ("T" * 3000, BODY, "is too long: 3000 characters, and the limit is 300"),
        ("Long read", "x " * 20_000, "and the limit is 4000"),
        ("Empty", "", "is empty"),
    ],
)
async def test_the_paste_form_is_checked_on_the_server(bot_up, standin, db, title, text, words):
    form = await (await standin.slash("ingest", {}, user=standin.admin)).response()
    fields = inputs(form)
    values = {fields[word("paste.title")]["custom_id"]: title}
    values[fields[word("paste.text")]["custom_id"]] = text
    handle = await standin.submit_modal(form.custom_id, values, user=standin.admin)
    refused = await handle.answer()
    assert refused.ephemeral and words in refused.text
    assert count(db, "sources") == 0 and count(db, "proposals") == 0


async def test_an_overlong_rejection_reason_is_refused(queued, standin, db):
    first, _ = queued
    _, reply = await open_review(standin)
    form = await press(standin, reply, "review.reject")
    [reason] = inputs(form).values()
    refused = await submit(standin, form, {reason["custom_id"]: "r" * 5000})
    assert refused.ephemeral and "is too long" in refused.text
    assert get_proposal(db, first).status == "proposed"


# --- /review ---------------------------------------------------------------------------------


async def test_the_empty_queue_says_so_in_one_line(bot_up, standin):
    _, reply = await open_review(standin)
    assert reply.text.strip() == "Nothing is waiting for review."
    assert not reply.components


async def test_approve_turns_the_proposal_into_an_audited_fact(queued, standin, db):
    first, second = queued
    _, reply = await open_review(standin)
    assert f"Proposal #{first}" in reply.text
    assert "Lumen Therapeutics → Corvane Bio" in reply.text and "antibody KT-7" in reply.text
    assert "Corvane Bio licensed the antibody" in reply.text  # the evidence sentence
    assert "review approve" not in reply.text  # the buttons replace the typed commands
    handle = await standin.click(reply, custom_id(reply, "review.approve"), user=standin.admin)
    moved = await handle.response()
    assert moved.type == UPDATE_MESSAGE
    decided = get_proposal(db, first)
    assert decided.status == "approved" and decided.decided_by == f"discord:{standin.admin.name}"
    assert f"approved as fact #{decided.fact_id}" in moved.text
    fact = get_fact(db, decided.fact_id)
    assert fact.origin == "ingest" and fact.licensor.name == "Lumen Therapeutics"
    assert fact.figure("upfront").value == 25e6
    audit = db.execute(
        "SELECT actor, actor_id, guild_id FROM audit WHERE entity = 'fact' AND entity_id = ?",
        [fact.id],
    ).fetchall()
    assert audit == [
        (f"discord:{standin.admin.name}", str(standin.admin.id), str(standin.guild.id))
    ]

    # The next one names no direction: approving it is refused and it stays waiting.
    assert f"Proposal #{second}" in moved.text
    refused = await press(standin, moved, "review.approve")
    assert refused.type == CHANNEL_MESSAGE and refused.ephemeral
    assert "who licenses to whom" in refused.text
    assert get_proposal(db, second).status == "proposed"


async def test_edit_prefills_the_form_and_approves_with_the_changes(queued, standin, db):
    first, second = queued
    handle, reply = await open_review(standin)
    form = await press(standin, reply, "review.edit")
    assert form.type == MODAL
    fields = inputs(form)
    assert len(fields) == 5
    licensor, amounts = fields[word("review.licensor")], fields[word("review.amounts")]
    assert licensor["value"] == "Lumen Therapeutics"
    assert fields[word("review.licensee")]["value"] == "Corvane Bio"
    assert fields[word("review.period")]["value"] == "2025-02-11"
    assert amounts["value"] == "upfront=$25m; milestones=$200m"

    # "Lumen" starts two known names: a polite question, and the proposal stays waiting.
    typed = {f["custom_id"]: f.get("value", "") for f in fields.values()}
    asked = await submit(standin, form, typed | {licensor["custom_id"]: "Lumen"})
    assert asked.ephemeral and "Did you mean" in asked.text and "Lumen Diagnostics" in asked.text
    assert get_proposal(db, first).status == "proposed"

    done = await submit(
        standin,
        form,
        typed
        | {
            fields[word("review.asset")]["custom_id"]: "KT-7 antibody",
            amounts["custom_id"]: "upfront=$30m; milestones=$200m",
        },
    )
    assert done.ephemeral and "approved as fact" in done.text
    fact = get_fact(db, get_proposal(db, first).fact_id)
    assert fact.asset == "KT-7 antibody" and fact.licensor.name == "Lumen Therapeutics"
    assert fact.figure("upfront").value == 30e6
    assert fact.figure("milestones").value == 200e6 and fact.figure("milestones").approx == "up to"
    moved = await handle.edit()  # the review message moved on to the next proposal
    assert f"Proposal #{second}" in moved.text and button(moved, word("review.edit"))


async def test_a_bad_amounts_line_is_refused_politely(queued, standin, db):
    first, _ = queued
    _, reply = await open_review(standin)
    form = await press(standin, reply, "review.edit")
    amounts = inputs(form)[word("review.amounts")]
    for line, expected in (("upfront $30m", "not a correction"), ("colour=red", "colour")):
        refused = await submit(standin, form, {amounts["custom_id"]: line})
        assert refused.ephemeral and expected in refused.text, line
    assert get_proposal(db, first).status == "proposed"


async def test_reject_keeps_the_reason_and_moves_on(queued, standin, db):
    first, second = queued
    handle, reply = await open_review(standin)
    form = await press(standin, reply, "review.reject")
    assert form.type == MODAL
    [reason] = inputs(form).values()
    done = await submit(standin, form, {reason["custom_id"]: "an option, not a licence"})
    assert done.ephemeral and f"Proposal #{first} rejected" in done.text
    rejected = get_proposal(db, first)
    assert rejected.status == "rejected" and rejected.reason == "an option, not a licence"
    assert count(db, "facts") == 0
    assert f"Proposal #{second}" in (await handle.edit()).text


async def test_skipping_to_the_end_counts_what_still_waits(queued, standin, db):
    _, reply = await open_review(standin)
    nxt = await press(standin, reply, "review.skip")
    end = await press(standin, nxt, "review.skip")
    assert "2 skipped proposals still wait" in end.text
    assert not buttons(end)
    assert statuses(db) == ["proposed", "proposed"]


async def test_only_the_admin_who_opened_it_can_press(queued, standin, db):
    first, _ = queued
    _, reply = await open_review(standin)
    other = standin.add_user("carol", manage_guild=True)
    for user in (standin.member, other):
        refused = await press(standin, reply, "review.approve", user=user)
        assert refused.type == CHANNEL_MESSAGE and refused.ephemeral
        assert "Only the person who asked" in refused.text
    assert get_proposal(db, first).status == "proposed" and count(db, "facts") == 0


async def test_the_buttons_grey_out_when_they_time_out(queued, standin, monkeypatch):
    monkeypatch.setattr(bot.views, "VIEW_TIMEOUT", 0.3)
    handle, reply = await open_review(standin)
    assert not button(reply, word("review.approve"))["disabled"]
    edited = await handle.edit(timeout=5)
    assert buttons(edited) and all(b["disabled"] for b in buttons(edited))


async def test_edit_gives_a_direction_the_article_did_not_state(queued, standin, db):
    _, second = queued
    _, reply = await open_review(standin)
    moved = await press(standin, reply, "review.skip")
    form = await press(standin, moved, "review.edit")
    fields = inputs(form)
    licensor, licensee = fields[word("review.licensor")], fields[word("review.licensee")]
    assert not licensor.get("value") and not licensee.get("value")
    done = await submit(
        standin, form, {licensor["custom_id"]: "Talbot Labs", licensee["custom_id"]: "Orrin Pharma"}
    )
    assert done.ephemeral and "approved as fact" in done.text
    fact = get_fact(db, get_proposal(db, second).fact_id)
    assert (fact.licensor.name, fact.licensee.name) == ("Talbot Labs", "Orrin Pharma")


async def test_a_slow_approval_is_acknowledged_then_moves_the_message_on(
    queued, standin, db, gate, monkeypatch
):
    first, second = queued
    monkeypatch.setattr(bot.review_views, "approve", gate.hold(bot.review_views.approve))
    _, reply = await open_review(standin)
    handle = await standin.click(reply, custom_id(reply, "review.approve"), user=standin.admin)
    assert (await handle.response()).type == DEFERRED_UPDATE
    gate.open()
    moved = await handle.edit()
    assert moved.message["id"] == reply.message["id"]
    assert "approved as fact" in moved.text and f"Proposal #{second}" in moved.text
    assert get_proposal(db, first).status == "approved"
    again = await press(standin, moved, "review.skip")  # the view still answers on that message
    assert "still wait" in again.text


# --- The correction form's amounts line --------------------------------------------------------


@given(
    value=st.integers(min_value=1, max_value=10**12),
    cents=st.sampled_from([0, 0.5, 0.25]),
    unit=st.sampled_from(["USD", "CNY", "EUR"]),
)
def test_prefilled_amounts_read_back_to_the_same_value(value, cents, unit):
    figure = ProposedFigure("upfront", value + cents, unit)
    money = parse_amount(amount_text(figure))
    assert money.currency == unit
    assert money.amount == pytest.approx(value + cents, rel=1e-9)


def test_what_counts_as_a_correction_in_the_form():
    prefilled = {"licensor": "Lumen", "asset": "KT-7", "amounts": "upfront=$25m; milestones=$200m"}
    typed = {
        "licensor": "Lumen",
        "asset": "",
        "amounts": "upfront=$25m; milestones=$210m; royalty=tiered; new company=Lumen (US)",
    }
    assert edits_from(prefilled, typed) == (
        FactForm(milestones="$210m", royalty="tiered"),
        [NewCompany("Lumen", "US")],
    )


async def test_a_repeated_deal_is_added_as_a_source_unless_separate_is_pressed(
    db, standin, start_bot
):
    lumen = add_company(db, "Lumen Therapeutics", SEEDER)
    corvane = add_company(db, "Corvane Bio", SEEDER)
    earlier = add_source(db, key="earlier-report", title="An earlier report", actor=SEEDER)
    stored = add_fact(
        db,
        FactIn(
            kind="licence",
            summary="Corvane Bio licensed KT-7 from Lumen Therapeutics.",
            source_id=earlier,
            subject_id=corvane,
            counterparty_id=lumen,
            licensor_id=lumen,
            licensee_id=corvane,
            asset="KT-7 antibody",
        ),
        SEEDER,
    )
    first, second = ingest_document(
        db, read_bytes(ARTICLE.encode(), "corvane.txt"), SEEDER
    ).proposals
    assert get_proposal(db, first).duplicate_of == stored
    await start_bot(extensions=INGEST)
    _, reply = await open_review(standin)
    labels = [b["label"] for b in buttons(reply)]
    assert f"Add as source of #{stored}" in labels and word("review.separate") in labels
    add_as_source = button(reply, f"Add as source of #{stored}")["custom_id"]
    pressed = await standin.click(reply, add_as_source, user=standin.admin)
    moved = await pressed.response()
    assert f"Proposal #{first} added as another source of fact #{stored}" in moved.text
    assert len(get_fact(db, stored).sources) == 2
    assert count(db, "facts") == 1
    assert f"Proposal #{second}" in moved.text
    assert word("review.separate") not in [b["label"] for b in buttons(moved)]


def large_page(paragraphs: int = 1200) -> bytes:
    """An HTML page of many deal sentences: seconds of reading and extraction rules."""
    body = "".join(
        f"<p>Riverbend Therapeutics licensed its antibody RB-{n} to Northgate Pharma for "
        f"${n % 90 + 10} million upfront and up to $1.{n % 9} billion in milestones.</p>"
        for n in range(paragraphs)
    )
    return f"<html><head><title>Deals</title></head><body><article>{body}</article></body></html>".encode()


async def test_help_is_answered_while_a_large_html_upload_is_extracted(start_bot, standin, db):
    """Extraction runs in a worker process: the gateway's loop keeps answering meanwhile."""
    await start_bot(extensions=["bot.cogs.ingest", "bot.cogs.lookup"])
    upload = UploadedFile("deals.html", large_page(), "text/html")
    ingest = await standin.slash("ingest", {"attachment": upload}, user=standin.admin)
    assert (await ingest.response()).type == DEFERRED_CHANNEL_MESSAGE
    lags: list[float] = []
    loop = asyncio.get_running_loop()

    async def tick() -> None:
        while True:
            before = loop.time()
            await asyncio.sleep(0.02)
            lags.append(loop.time() - before - 0.02)

    ticking = asyncio.create_task(tick())
    helped = await (await standin.slash("help", {}, user=standin.member)).answer(timeout=30)
    answered_help = len(ingest.replies)
    done = await ingest.answer(timeout=120)
    ticking.cancel()
    assert helped.text and answered_help == 1  # /help came back before the ingest's answer
    assert "deals.html" in done.text and count(db, "sources") == 1
    assert max(lags) < 1.0


def one_long_match(groups: int = 6000) -> bytes:
    """A deal, then a market figure ending in a long comma-grouped number that counts nothing:
    the pattern for counts of deals tries it from every digit group, seconds inside one
    regular-expression call, which holds the GIL for all of that call."""
    number = "1" + ",000" * groups
    return (
        "Deals\n\nRiverbend Therapeutics licensed its antibody RB-1 to Northgate Pharma.\n\n"
        f"Analysts said the licensing market reached {number} last year.\n"
    ).encode()


async def test_the_loop_turns_while_one_long_regex_call_extracts(start_bot, standin, db):
    """A thread of the bot's process would hold the loop for the whole call, since the call
    keeps the GIL; a worker process leaves the loop free. The longest pause is compared with
    the ingest's own length, so a slower or busier machine stretches both alike."""
    await start_bot(extensions=INGEST)
    loop = asyncio.get_running_loop()
    ticks = [loop.time()]

    async def tick() -> None:
        while True:
            await asyncio.sleep(0.01)
            ticks.append(loop.time())

    ticking = asyncio.create_task(tick())
    upload = UploadedFile("numbers.txt", one_long_match(), "text/plain")
    ingest = await standin.slash("ingest", {"attachment": upload}, user=standin.admin)
    done = await ingest.answer(timeout=120)
    ticking.cancel()
    assert "numbers.txt" in done.text and count(db, "proposals") == 1
    took = ticks[-1] - ticks[0]
    longest_pause = max(later - earlier for earlier, later in itertools.pairwise(ticks))
    assert longest_pause < took / 4, (longest_pause, took)
