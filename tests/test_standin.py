"""The loopback Discord itself: what it tells the bot, what it records, how tests drive it."""

from __future__ import annotations

import io
import json
import zlib

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.http import Route
from discord_standin import RoleSpec, StandIn, UploadedFile
from discord_standin.interactions import MENTIONABLE, ROLE, Resolved, build_options

COMPANIES = ["Volklec", "Junshi", "Hengrui", "Innovent"]


class Choice(discord.ui.View):
    """A button and a select that edit the message they sit on."""

    @discord.ui.button(label="Agree", custom_id="agree")
    async def agree(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content=f"agreed by {interaction.user.name}")

    @discord.ui.select(custom_id="pick", options=[discord.SelectOption(label=c) for c in COMPANIES])
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"picked {select.values[0]}")


class Note(discord.ui.Modal, title="Note"):
    text = discord.ui.TextInput(label="Text", custom_id="note_text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"noted: {self.text.value}", ephemeral=True)


class Features(commands.Cog):
    """Commands using each interaction feature the stand-in must carry."""

    group = app_commands.Group(name="deal", description="Deals")

    @group.command(name="show", description="One company")
    async def show(self, interaction: discord.Interaction, company: str, year: int = 0) -> None:
        await interaction.response.send_message(
            embed=discord.Embed(title=company, description=f"year {year}")
        )

    @show.autocomplete("company")
    async def show_company(self, interaction: discord.Interaction, current: str):
        return [
            app_commands.Choice(name=c, value=c)
            for c in COMPANIES
            if c.lower().startswith(current.lower())
        ]

    @app_commands.command(name="ask", description="A message with a view")
    async def ask(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("agree?", view=Choice())

    @app_commands.command(name="note", description="Open a form")
    async def note(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Note())

    @app_commands.command(name="size", description="Measure an upload")
    async def size(self, interaction: discord.Interaction, upload: discord.Attachment) -> None:
        data = await upload.read()
        report = discord.File(io.BytesIO(data.upper()), filename="upper.txt")
        await interaction.response.send_message(f"{len(data)} bytes", file=report)

    @app_commands.command(name="slow", description="Defer, answer, follow up, edit")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done")
        extra = await interaction.followup.send("more", ephemeral=True, wait=True)
        await extra.edit(content="more, edited")

    @app_commands.command(name="who", description="Who is that")
    async def who(self, interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"{member.name} in {interaction.guild.name}")

    @app_commands.command(name="post", description="Post twice with one nonce")
    async def post(self, interaction: discord.Interaction) -> None:
        chart = discord.File(io.BytesIO(b"PNG"), filename="chart.png")
        first = await interaction.channel.send(
            embed=discord.Embed(title="Digest"), file=chart, nonce="digest-1"
        )
        again = await interaction.channel.send(
            embed=discord.Embed(title="Digest"), nonce="digest-1"
        )
        await interaction.response.send_message(f"{first.id == again.id}", ephemeral=True)


@pytest.fixture
async def features(start_bot, standin):
    await start_bot(cogs=[Features()])
    return standin


async def test_subcommand_options_are_typed_from_the_registered_schema(features):
    handle = await features.slash("deal show", {"company": "Junshi", "year": 2025})
    (subcommand,) = handle.payload["data"]["options"]
    assert subcommand["name"] == "show" and subcommand["type"] == 1
    assert {o["name"]: o["type"] for o in subcommand["options"]} == {"company": 3, "year": 4}
    reply = await handle.response()
    assert reply.embeds[0]["title"] == "Junshi"
    assert "year 2025" in reply.text


async def test_unknown_commands_and_options_fail_in_the_test(features):
    with pytest.raises(LookupError, match="registered"):
        await features.slash("nope")
    with pytest.raises(LookupError, match="no option"):
        await features.slash("deal show", {"firm": "x"})


async def test_autocomplete_returns_the_choices(features):
    choices = await features.autocomplete("deal show", "company", "in")
    assert [c["value"] for c in choices] == ["Innovent"]


async def test_button_and_select_clicks_edit_the_message(features):
    asked = await (await features.slash("ask")).response()
    assert asked.custom_ids() == ["agree", "pick"]
    clicked = await (await features.click(asked, "agree", user=features.admin)).response()
    assert clicked.type == 7
    assert features.messages[int(asked.message["id"])]["content"] == "agreed by alice"
    picked = await (await features.click(asked, "pick", values=["Hengrui"])).response()
    assert picked.message["content"] == "picked Hengrui"


async def test_modal_round_trip(features):
    opened = await (await features.slash("note")).response()
    assert opened.type == 9 and opened.custom_id
    submitted = await features.submit_modal(opened.custom_id, {"note_text": "check royalty"})
    reply = await submitted.response()
    assert reply.content == "noted: check royalty" and reply.ephemeral


async def test_attachment_option_is_downloaded_over_loopback_and_files_come_back(features):
    handle = await features.slash(
        "size", {"upload": UploadedFile("deal.txt", b"licence", "text/plain")}
    )
    reply = await handle.response()
    assert reply.content == "7 bytes"
    (upload,) = reply.files
    assert (upload.filename, upload.content) == ("upper.txt", b"LICENCE")
    assert reply.message["attachments"][0]["filename"] == "upper.txt"


async def test_defer_edit_followup_and_followup_edit(features):
    handle = await features.slash("slow")
    assert (await handle.response()).type == 5
    assert (await handle.answer()).content == "done"
    followup = await handle.followup()
    assert followup.content == "more" and followup.ephemeral
    edited = await handle.edit(1)
    assert edited.content == "more, edited"
    assert features.messages[int(followup.message["id"])]["content"] == "more, edited"


async def test_user_option_is_resolved_with_its_member(features):
    handle = await features.slash("who", {"member": features.admin})
    assert (await handle.response()).content == "alice in Deal Desk"


async def test_repeated_nonce_returns_the_original_message(features):
    reply = await (await features.slash("post")).response()
    assert reply.content == "True"
    (posted,) = features.channel_messages("general")
    assert posted["embeds"][0]["title"] == "Digest"
    assert posted["nonce"] == "digest-1"
    assert [f.filename for f in features.files_of(posted)] == ["chart.png"]
    assert len(features.find_requests("POST /channels/{id}/messages")) == 2


async def test_second_callback_to_one_interaction_is_refused(features):
    handle = await features.slash("ask")
    await handle.response()
    url = f"{features.api_base}/interactions/{handle.id}/{handle.token}/callback"
    body = {"type": 4, "data": {"content": "two"}}
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        assert response.status == 400
        assert (await response.json())["code"] == 40060
    assert [r.content for r in handle.replies] == ["agree?"]


async def test_an_expired_token_refuses_followups_and_edits(features):
    handle = await features.slash("ask")
    await handle.response()
    features.expire(handle)
    hook = f"{features.api_base}/webhooks/{features.application_id}/{handle.token}"
    async with aiohttp.ClientSession() as session:
        async with session.post(hook, json={"content": "late"}) as response:
            assert response.status == 401
            assert (await response.json())["code"] == 50027
        async with session.patch(f"{hook}/messages/@original", json={"content": "x"}) as response:
            assert response.status == 401
    assert [r.kind for r in handle.replies] == ["callback"]


async def test_member_and_admin_permissions_reach_the_bot(features):
    member = await features.slash("ask", user=features.member)
    admin = await features.slash("ask", user=features.admin)
    member_perms = discord.Permissions(int(member.payload["member"]["permissions"]))
    admin_perms = discord.Permissions(int(admin.payload["member"]["permissions"]))
    assert not member_perms.manage_guild and admin_perms.manage_guild
    await member.response()
    await admin.response()


async def test_unknown_routes_are_recorded_and_answered_404(running_bot):
    bot, standin = running_bot
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/nothing/here"))
    assert [r.path for r in standin.unknown_requests] == ["/nothing/here"]


async def test_rest_answers_are_exactly_application_json():
    async with StandIn() as standin, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {standin.token}"}
        async with session.get(standin.api_base + "/users/@me", headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
        async with session.get(standin.api_base + "/users/@me") as response:
            assert response.status == 401


async def _identify(ws: aiohttp.ClientWebSocketResponse) -> None:
    await ws.send_str(json.dumps({"op": 2, "d": {"token": "t", "intents": 1}}))


async def test_gateway_sends_text_frames_without_compression():
    async with (
        StandIn() as standin,
        aiohttp.ClientSession() as session,
        session.ws_connect(standin.gateway_url + "?v=10&encoding=json") as ws,
    ):
        hello = await ws.receive()
        assert hello.type is aiohttp.WSMsgType.TEXT
        assert json.loads(hello.data)["op"] == 10
        await _identify(ws)
        ready = json.loads((await ws.receive()).data)
        guild = json.loads((await ws.receive()).data)
    assert (ready["t"], ready["s"]) == ("READY", 1)
    assert ready["d"]["resume_gateway_url"] == standin.gateway_url
    assert (guild["t"], guild["d"]["name"]) == ("GUILD_CREATE", "Deal Desk")
    everyone = guild["d"]["roles"][0]
    assert everyone["id"] == guild["d"]["id"] and everyone["name"] == "@everyone"


async def test_gateway_zlib_stream_shares_one_context_and_flushes_each_message():
    async with StandIn() as standin, aiohttp.ClientSession() as session:
        url = standin.gateway_url + "?v=10&encoding=json&compress=zlib-stream"
        async with session.ws_connect(url) as ws:
            inflate = zlib.decompressobj()
            frames = [await ws.receive()]
            await _identify(ws)
            frames += [await ws.receive(), await ws.receive()]
    assert all(f.type is aiohttp.WSMsgType.BINARY for f in frames)
    assert all(f.data.endswith(b"\x00\x00\xff\xff") for f in frames)
    events = [json.loads(inflate.decompress(f.data)) for f in frames]
    assert [e["op"] for e in events] == [10, 0, 0]
    assert [e.get("t") for e in events[1:]] == ["READY", "GUILD_CREATE"]


async def test_role_options_resolve_the_guilds_role(standin):
    guild = standin.guild
    role = guild.role("Deal admins")
    schema = [{"name": "role", "type": ROLE}, {"name": "who", "type": MENTIONABLE}]
    resolved = Resolved()
    options = build_options(standin, guild.id, schema, {"role": role, "who": role}, resolved)
    assert [o["value"] for o in options] == [str(role.id), str(role.id)]
    sent = resolved.payload()["roles"][str(role.id)]
    assert sent["name"] == "Deal admins" and sent["permissions"] == str(role.permissions)
    assert sent["position"] == guild.roles.index(role) + 1
    with pytest.raises(LookupError):
        build_options(standin, guild.id, schema[:1], {"role": RoleSpec("Elsewhere")}, Resolved())
