"""Live updates stop when an agent leaves a group (issue 18, item 14): the sockets check the
membership again for every event, not only when they connect. The membership is removed the way
an administrator removes it, on the group's page in the admin; the channel layer is the
configured one (in memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse

from switchboard.tickets.actions import do_add_note
from switchboard.tickets.models import Group, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket
from switchboard.tickets.tests.test_realtime import application, viewer

pytestmark = pytest.mark.django_db(transaction=True)


class FormFields(HTMLParser):
    """The values a browser would submit with the admin's change form, as it is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name", "")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            ticked = attributes.get("type") in {"checkbox", "radio"}
            if ticked and "checked" not in attributes:
                return
            self.values.setdefault(name, []).append(attributes.get("value", "on" if ticked else ""))
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select].append(attributes.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data.removeprefix("\n")


def remove_in_the_admin(membership: Membership, *, administrator) -> None:  # type: ignore[no-untyped-def]
    """Tick "Delete" on the membership's row of its group's admin page and save."""
    client = Client()
    client.force_login(administrator)
    url = reverse("admin:tickets_group_change", args=[membership.group_id])
    form = FormFields()
    form.feed(client.get(url).content.decode())
    (row,) = [name for name, value in form.values.items() if name.startswith("memberships-") and name.endswith("-id")
              and value == [str(membership.pk)]]  # fmt: skip
    form.values[row.removesuffix("-id") + "-DELETE"] = ["on"]
    response = client.post(url, form.values)
    assert response.status_code == 302, [line for line in response.content.decode().splitlines() if "error" in line]
    assert not Membership.objects.filter(pk=membership.pk).exists()


def watching_lists(user) -> WebsocketCommunicator:  # type: ignore[no-untyped-def]
    communicator = WebsocketCommunicator(application, "/ws/groups/")
    communicator.scope["user"] = user
    return communicator


def test_an_agent_removed_from_the_group_is_cut_off_from_the_ticket_at_its_next_event(
    volunteers: Group, alice_agent, dave_admin
):
    anna = make_agent("anna", "AK", groups=[volunteers])
    ticket = make_ticket(volunteers)

    async def scenario() -> None:
        alices, annas = viewer(alice_agent, ticket), viewer(anna, ticket)
        assert (await alices.connect())[0]
        assert (await annas.connect())[0]
        assert (await alices.receive_json_from(timeout=5))["name"] == "Anna"
        assert (await annas.receive_json_from(timeout=5))["name"] == "Alice"

        membership = await sync_to_async(Membership.objects.get)(user=alice_agent, group=volunteers)
        await sync_to_async(remove_in_the_admin)(membership, administrator=dave_admin)
        await sync_to_async(do_add_note)(ticket, body="Maria's new address", acting_user=anna)

        assert await alices.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
        changed = await annas.receive_json_from(timeout=5)
        assert (changed["type"], changed["version"]) == ("ticket.changed", ticket.version + 1)
        left = await annas.receive_json_from(timeout=5)  # Anna's page stops saying Alice is here
        assert (left["type"], left["state"], left["name"]) == ("ticket.viewer", "left", "Alice")
        await annas.disconnect()

    async_to_sync(scenario)()


def test_an_agent_removed_from_a_group_no_longer_hears_of_its_tickets_but_still_of_her_other_groups(
    volunteers: Group, donations: Group, alice_agent, dave_admin
):
    Membership.objects.create(user=alice_agent, group=donations)
    volunteers_ticket, donations_ticket = make_ticket(volunteers), make_ticket(donations)

    async def scenario() -> None:
        lists = watching_lists(alice_agent)
        assert (await lists.connect())[0]
        membership = await sync_to_async(Membership.objects.get)(user=alice_agent, group=volunteers)
        await sync_to_async(remove_in_the_admin)(membership, administrator=dave_admin)

        await sync_to_async(do_add_note)(volunteers_ticket, body="Not for Alice any more", acting_user=None)
        await sync_to_async(do_add_note)(donations_ticket, body="Still hers", acting_user=None)

        first = await lists.receive_json_from(timeout=5)
        assert (first["type"], first["group"], first["ticket"]) == ("ticket.changed", donations.pk, donations_ticket.pk)
        await lists.disconnect()

    async_to_sync(scenario)()


def test_in_a_group_of_own_tickets_only_an_agent_hears_of_hers_and_unowned_ones_and_nothing_once_switched_off(
    volunteers: Group, alice_agent
):
    """The check made at every event (one statement, not the ORM's) keeps the ticket rule:
    another agent's ticket is not passed on, the group's manager hears of every ticket, and an
    agent whose account is switched off is cut off at the next event."""
    Group.objects.filter(pk=volunteers.pk).update(own_tickets_only=True)
    bob = make_agent("bob", "BO", groups=[volunteers])
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    bobs, unowned, alices = make_ticket(volunteers), make_ticket(volunteers), make_ticket(volunteers)
    Ticket.objects.filter(pk=bobs.pk).update(owner=bob)
    Ticket.objects.filter(pk=alices.pk).update(owner=alice_agent)

    async def scenario() -> None:
        alice_lists, mona_lists, alice_page = (
            watching_lists(alice_agent),
            watching_lists(manager),
            viewer(alice_agent, alices),
        )
        for socket in (alice_lists, mona_lists, alice_page):
            assert (await socket.connect())[0]
        await sync_to_async(do_add_note)(bobs, body="Bob's only", acting_user=None)
        await sync_to_async(do_add_note)(unowned, body="Anyone's", acting_user=None)
        assert (await alice_lists.receive_json_from(timeout=5))["ticket"] == unowned.pk
        assert [(await mona_lists.receive_json_from(timeout=5))["ticket"] for _ in range(2)] == [bobs.pk, unowned.pk]

        await sync_to_async(type(alice_agent).objects.filter(pk=alice_agent.pk).update)(is_active=False)
        await sync_to_async(do_add_note)(alices, body="Alice's, after she left", acting_user=None)
        assert await alice_page.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
        assert (await mona_lists.receive_json_from(timeout=5))["ticket"] == alices.pk
        await alice_lists.disconnect()
        await mona_lists.disconnect()

    async_to_sync(scenario)()
