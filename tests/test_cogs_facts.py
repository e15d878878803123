"""Admin commands through the real bot and the loopback Discord: forms, refusals, audit, undo."""

from __future__ import annotations

import re

import pytest
from cog_world import SEEDER, seed
from discord_standin import MANAGE_GUILD, RoleSpec
from discord_standin.interactions import CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL

from bot import answers
from briefs.actions.facts import PARTY_ROLES
from briefs.admin_roles import get_admin_role, set_admin_role
from briefs.changes import add_source, history
from briefs.model import FACT_KINDS
from briefs.queries import get_fact
from briefs.render import to_text

ADMIN_COGS = ["bot.cogs.facts", "bot.cogs.admin"]


@pytest.fixture
async def world(db, standin, start_bot):
    ids = seed(db)
    editors = RoleSpec("Editors")
    standin.guild.roles.append(editors)
    ids["editors"] = editors.id
    await start_bot(extensions=ADMIN_COGS)
    return ids


def _group(standin, name):
    return next(c for c in standin.commands[None] if c["name"] == name)


async def _form(standin, name, options, user):
    """Run a command that answers with a form; return the form's reply."""
    reply = await (await standin.slash(name, options, user=user)).response()
    assert reply.type == MODAL, reply.text
    return reply


def _inputs(form):
    """The form's text inputs by custom id, in order: summary, evidence, note."""
    return [c for c in _walk(form.data["components"]) if c.get("type") == 4]


def _walk(components):
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        if "component" in component:
            yield from _walk([component["component"]])


async def test_admin_groups_are_hidden_from_members_and_guild_only(world, standin):
    for name in ("fact", "company", "admin"):
        group = _group(standin, name)
        assert int(group["default_member_permissions"]) == MANAGE_GUILD
        assert group.get("contexts") == [0] or group.get("dm_permission") is False
    add = next(o for o in _group(standin, "fact")["options"] if o["name"] == "add")
    by_name = {o["name"]: o for o in add["options"]}
    assert by_name["subject"]["autocomplete"] is True
    assert by_name["upfront"]["max_length"] == 60
    assert {c["value"] for c in by_name["kind"]["choices"]} >= {"licence", "approval"}


async def test_a_member_without_manage_server_is_refused(world, standin, db):
    before = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    for name, options in [
        ("fact history", {}),
        ("fact remove", {"id": world["deal"]}),
        ("fact add", {"kind": "licence", "subject": "Riverbend", "source": world["source"]}),
        ("fact source", {"fact": world["deal"], "source": world["source"]}),
        ("company add", {"name": "Eastwick Bio"}),
        ("admin role", {}),
    ]:
        reply = await (await standin.slash(name, options, user=standin.member)).response()
        assert reply.type == CHANNEL_MESSAGE and reply.ephemeral, name
        assert "Manage Server" in reply.text, name
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == before


async def test_the_admin_role_lets_a_member_in(world, standin, db):
    standin.member.roles.append(world["editors"])
    set_admin_role(db, standin.guild.id, world["editors"], "test")
    reply = await (await standin.slash("fact history", {}, user=standin.member)).response()
    assert reply.ephemeral and "Manage Server" not in reply.text
    refused = await (await standin.slash("admin role", {}, user=standin.member)).response()
    assert "Manage Server" in refused.text
    assert get_admin_role(db, standin.guild.id) == world["editors"]
    cleared = await (await standin.slash("admin role", {}, user=standin.admin)).response()
    assert cleared.ephemeral
    assert get_admin_role(db, standin.guild.id) is None


async def test_admin_role_set_by_option_admits_its_members_until_cleared(world, standin, db):
    editors = standin.guild.role("Editors")
    standin.member.roles.append(editors.id)
    before = await (await standin.slash("fact history", {}, user=standin.member)).response()
    assert "Manage Server" in before.text
    handle = await standin.slash("admin role", {"role": editors}, user=standin.admin)
    assert handle.payload["data"]["resolved"]["roles"][str(editors.id)]["name"] == "Editors"
    named = await handle.response()
    assert named.ephemeral and "Editors" in named.text
    assert get_admin_role(db, standin.guild.id) == editors.id
    assert not standin.guild.permissions_of(standin.member) & MANAGE_GUILD
    allowed = await (await standin.slash("fact history", {}, user=standin.member)).response()
    assert allowed.ephemeral and "Manage Server" not in allowed.text
    cleared = await (await standin.slash("admin role", {}, user=standin.admin)).response()
    assert "No admin role is set" in cleared.text
    assert get_admin_role(db, standin.guild.id) is None
    after = await (await standin.slash("fact history", {}, user=standin.member)).response()
    assert "Manage Server" in after.text


async def test_fact_add_opens_a_form_and_stores_the_fact_audited(world, standin, db):
    form = await _form(
        standin,
        "fact add",
        {
            "kind": "approval",
            "subject": str(world["northgate"]),
            "source": world["source"],
            "period": "2025-06",
            "upfront": "undisclosed",
        },
        standin.admin,
    )
    summary, evidence, note = (c["custom_id"] for c in _inputs(form))
    handle = await standin.submit_modal(
        form.custom_id,
        {summary: "Northgate filed @everyone in Canada.", evidence: "Filing notice.", note: ""},
        user=standin.admin,
    )
    done = await handle.response()
    assert done.ephemeral and "Northgate filed" in done.text
    assert done.data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in done.text
    entry = history(db, limit=1)[0]
    assert entry.action == "add" and entry.actor == f"discord:{standin.admin.name}"
    assert entry.actor_id == str(standin.admin.id) and entry.guild_id == str(standin.guild.id)
    fact = get_fact(db, entry.entity_id)
    assert fact.evidence == "Filing notice." and fact.note is None
    assert fact.figure("upfront").disclosed is False


async def test_fact_add_refuses_bad_options_before_the_form(world, standin):
    reply = await (
        await standin.slash(
            "fact add",
            {"kind": "licence", "subject": "Riverbend", "source": world["source"], "total": "lots"},
            user=standin.admin,
        )
    ).response()
    assert reply.type == CHANNEL_MESSAGE and reply.ephemeral and "lots" in reply.text
    long = await (
        await standin.slash(
            "fact add",
            {"kind": "licence", "subject": "z" * 10_000, "source": world["source"]},
            user=standin.admin,
        )
    ).response()
    assert long.ephemeral and "10000" in long.text


async def test_fact_edit_prefills_the_form_and_keeps_other_figures(world, standin, db):
    form = await _form(
        standin, "fact edit", {"id": world["deal"], "upfront": "$75m"}, standin.admin
    )
    summary, evidence, note = _inputs(form)
    assert summary["value"].startswith("Riverbend licensed its PD-1 antibody")
    handle = await standin.submit_modal(
        form.custom_id,
        {
            summary["custom_id"]: "Riverbend licensed the antibody to Northgate.",
            evidence["custom_id"]: "",
            note["custom_id"]: "checked",
        },
        user=standin.admin,
    )
    assert (await handle.response()).ephemeral
    fact = get_fact(db, world["deal"])
    assert fact.summary == "Riverbend licensed the antibody to Northgate."
    assert fact.figure("upfront").value == 75e6
    assert fact.figure("milestones").value == 1e9
    assert fact.note == "checked"


async def test_remove_undo_and_history(world, standin, db):
    removed = await (
        await standin.slash(
            "fact remove", {"id": world["deal"], "reason": "duplicate"}, user=standin.admin
        )
    ).response()
    assert removed.ephemeral
    assert get_fact(db, world["deal"], include_deleted=True).deleted_at is not None

    undone = await (await standin.slash("fact undo", {}, user=standin.admin)).response()
    assert undone.ephemeral
    assert get_fact(db, world["deal"]).deleted_at is None

    again = await (await standin.slash("fact undo", {}, user=standin.admin)).response()
    assert again.ephemeral  # nothing left to undo for this member: a polite refusal

    log = await (
        await standin.slash("fact history", {"fact": world["deal"]}, user=standin.admin)
    ).response()
    assert log.ephemeral and "duplicate" in log.text
    assert f"discord:{standin.admin.name}" in log.text


async def test_company_add_and_alias(world, standin, db):
    added = await (
        await standin.slash(
            "company add", {"name": "Eastwick Bio", "country": "China"}, user=standin.admin
        )
    ).response()
    assert added.ephemeral
    alias = await (
        await standin.slash(
            "company alias",
            {"company": "Eastwick Bio", "alias": "EWB", "kind": "abbreviation"},
            user=standin.admin,
        )
    ).response()
    assert alias.ephemeral
    row = db.execute("SELECT kind FROM aliases WHERE alias = 'EWB'").fetchone()
    assert row == ("abbreviation",)


async def test_a_slow_change_is_deferred_for_the_admin_alone(world, standin, db, gate, monkeypatch):
    monkeypatch.setattr(answers, "remove_fact", gate.hold(answers.remove_fact))
    handle = await standin.slash("fact remove", {"id": world["deal"]}, user=standin.admin)
    placeholder = await handle.response()
    assert placeholder.type == DEFERRED_CHANNEL_MESSAGE and placeholder.ephemeral
    gate.open()
    done = await handle.answer()
    assert done.kind == "edit" and f"#{world['deal']}" in done.text
    assert get_fact(db, world["deal"], include_deleted=True).deleted_at is not None


async def test_a_kind_discord_did_not_offer_is_refused_before_the_form(world, standin, db):
    options = {"kind": "rumour", "subject": "Riverbend", "source": world["source"]}
    reply = await (await standin.slash("fact add", options, user=standin.admin)).response()
    assert reply.type == CHANNEL_MESSAGE and reply.ephemeral
    assert "is not a kind of fact" in reply.text and "rumour" in reply.text
    alias = {"company": "Riverbend", "alias": "RB", "kind": "nickname"}
    refused = await (await standin.slash("company alias", alias, user=standin.admin)).response()
    assert refused.ephemeral and "nickname" in refused.text
    assert db.execute("SELECT count(*) FROM aliases WHERE alias = 'RB'").fetchone()[0] == 0


async def test_a_member_who_lost_the_role_cannot_submit_the_open_form(world, standin, db):
    standin.member.roles.append(world["editors"])
    set_admin_role(db, standin.guild.id, world["editors"], "test")
    options = {"kind": "approval", "subject": "Northgate", "source": world["source"]}
    form = await _form(standin, "fact add", options, standin.member)
    standin.member.roles.remove(world["editors"])
    summary, evidence, note = (c["custom_id"] for c in _inputs(form))
    before = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    handle = await standin.submit_modal(
        form.custom_id,
        {summary: "Northgate filed again.", evidence: "", note: ""},
        user=standin.member,
    )
    refused = await handle.response()
    assert refused.ephemeral and "Manage Server" in refused.text
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == before


@pytest.mark.parametrize(
    ("command", "option"),
    [("fact remove", "id"), ("fact undo", "change"), ("fact history", "fact")],
)
async def test_a_number_past_any_record_is_refused_politely(
    world, standin, db, caplog, command, option
):
    before = history(db, limit=1)
    reply = await (await standin.slash(command, {option: 2**63}, user=standin.admin)).response()
    assert reply.ephemeral and "is not a" in reply.text and "number" in reply.text
    assert "error id" not in reply.text
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert history(db, limit=1) == before


async def test_the_fact_form_is_checked_on_the_server(world, standin, db):
    options = {"kind": "approval", "subject": str(world["northgate"]), "source": world["source"]}
    form = await _form(standin, "fact add", options, standin.admin)
    summary, evidence, note = (c["custom_id"] for c in _inputs(form))
    before = history(db, limit=1)
    handle = await standin.submit_modal(
        form.custom_id, {summary: "s" * 9000, evidence: "", note: ""}, user=standin.admin
    )
    refused = await handle.response()
    assert refused.ephemeral and "is too long: 9000 characters" in refused.text
    assert history(db, limit=1) == before


async def test_fact_add_records_who_licenses_to_whom(world, standin, db):
    options = {
        "kind": "licence",
        "source": world["source"],
        "licensor": "Northgate",
        "licensee": "Riverbend",
        "royalty": "tiered",
        "status": "signed",
        "equity": "$5m",
    }
    form = await _form(standin, "fact add", options, standin.admin)
    summary, evidence, note = (c["custom_id"] for c in _inputs(form))
    handle = await standin.submit_modal(
        form.custom_id,
        {summary: "Northgate licensed a device to Riverbend.", evidence: "", note: ""},
        user=standin.admin,
    )
    assert (await handle.response()).ephemeral
    fact = get_fact(db, history(db, limit=1)[0].entity_id)
    assert (fact.licensor.id, fact.licensee.id) == (world["northgate"], world["riverbend"])
    assert (fact.subject.id, fact.counterparty.id) == (world["northgate"], world["riverbend"])
    assert (fact.royalty, fact.status, fact.figure("equity").value) == ("tiered", "signed", 5e6)


async def test_fact_commands_take_every_field_within_discords_limits(world, standin):
    fact = _group(standin, "fact")
    for command in fact["options"]:
        assert len(command.get("options", [])) <= 25, command["name"]
        for option in command.get("options", []):
            assert 0 < len(option["description"]) <= 100, option["name"]
    add, edit = (next(o for o in fact["options"] if o["name"] == n) for n in ("add", "edit"))
    fields = {"licensor", "licensee", "subject", "counterparty", "sector", "royalty", "status",
              "stage", "territory", "asset", "period", "upfront", "milestones", "total", "equity"}  # fmt: skip
    for command in (add, edit):
        by_name = {o["name"]: o for o in command["options"]}
        assert fields <= set(by_name), command["name"]
        assert all(by_name[p]["autocomplete"] for p in PARTY_ROLES)
        assert [c["value"] for c in by_name["kind"]["choices"]] == list(FACT_KINDS)


REPEAT = {"kind": "licence", "licensor": "Riverbend", "licensee": "Northgate", "period": "2025-06"}


async def test_a_repeated_deal_is_refused_before_the_form_unless_separate(world, standin, db):
    second = add_source(db, key="t-2", title="Northgate gains PD-1 rights", actor=SEEDER)
    before = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    refused = await (
        await standin.slash("fact add", {**REPEAT, "source": second}, user=standin.admin)
    ).response()
    assert refused.type == CHANNEL_MESSAGE and refused.ephemeral
    assert f"fact #{world['deal']}" in refused.text
    assert f"/fact source fact:{world['deal']} source:..." in refused.text
    assert "separate:True" in refused.text and "error id" not in refused.text
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == before

    options = {**REPEAT, "source": second, "separate": True}
    form = await _form(standin, "fact add", options, standin.admin)
    summary, evidence, note = (c["custom_id"] for c in _inputs(form))
    handle = await standin.submit_modal(
        form.custom_id,
        {summary: "Riverbend licensed a second antibody to Northgate.", evidence: "", note: ""},
        user=standin.admin,
    )
    assert (await handle.response()).ephemeral
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == before + 1


async def test_fact_source_adds_a_source_that_undo_takes_back(world, standin, db):
    second = add_source(db, key="t-2", title="Northgate gains PD-1 rights", actor=SEEDER)
    options = {
        "fact": world["deal"],
        "source": second,
        "evidence": "Northgate takes North American rights.",
        "reason": "second report",
    }
    added = await (await standin.slash("fact source", options, user=standin.admin)).response()
    assert added.type == CHANNEL_MESSAGE and added.ephemeral
    assert f"Added a source to fact #{world['deal']}" in added.text
    assert re.search(r"`/fact undo change:\d+`", added.text), added.text
    assert "Reported by 2 sources" in _brief(db)
    entry = history(db, limit=1)[0]
    assert entry.action == "cite" and entry.actor_id == str(standin.admin.id)

    again = await (await standin.slash("fact source", options, user=standin.admin)).response()
    assert again.ephemeral and "already cites source" in again.text
    undone = await (
        await standin.slash("fact undo", {"change": entry.id}, user=standin.admin)
    ).response()
    assert undone.ephemeral and f"Undid change #{entry.id}" in undone.text
    assert "Reported by 2 sources" not in _brief(db)
    assert db.execute("SELECT count(*) FROM fact_sources").fetchone()[0] == 0


async def test_fact_source_options_are_bounded(world, standin):
    cite = next(o for o in _group(standin, "fact")["options"] if o["name"] == "source")
    by_name = {o["name"]: o for o in cite["options"]}
    assert [o["name"] for o in cite["options"]] == ["fact", "source", "evidence", "reason"]
    assert by_name["fact"]["required"] and by_name["source"]["required"]
    assert by_name["fact"]["min_value"] == 1 and by_name["source"]["max_value"] == 2**31 - 1
    assert 0 < by_name["evidence"]["max_length"] <= 6000
    assert 0 < by_name["reason"]["max_length"] <= 6000
    add = next(o for o in _group(standin, "fact")["options"] if o["name"] == "add")
    separate = next(o for o in add["options"] if o["name"] == "separate")
    assert separate["type"] == 5 and not separate.get("required")


def _brief(db) -> str:
    """Riverbend's brief as the console shows it."""
    return to_text([page for screen in answers.deal(db, "Riverbend", "text") for page in screen])
