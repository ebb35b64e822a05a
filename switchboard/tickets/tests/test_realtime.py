"""Live updates through the configured channel layer (in memory, or Redis when REDIS_URL is set)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from switchboard.tickets.actions import do_add_note
from switchboard.tickets.routing import websocket_urlpatterns
from switchboard.tickets.tests.factories import make_ticket

application = URLRouter(websocket_urlpatterns)


def viewer(user, ticket) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/tickets/{ticket.pk}/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.spec("CORE-13")
@pytest.mark.django_db(transaction=True)
def test_viewers_of_a_ticket_see_each_other_and_every_saved_change(volunteers, alice_agent):
    from switchboard.tickets.tests.factories import make_agent

    anna = make_agent("anna", "AK", groups=[volunteers])
    ticket = make_ticket(volunteers)

    async def scenario() -> None:
        alice, annas = viewer(alice_agent, ticket), viewer(anna, ticket)
        assert (await alice.connect())[0]
        assert (await annas.connect())[0]
        notice = await alice.receive_json_from(timeout=5)
        assert (notice["type"], notice["state"], notice["name"]) == ("ticket.viewer", "viewing", "Anna")
        answer = await annas.receive_json_from(timeout=5)
        assert (answer["state"], answer["name"]) == ("viewing", "Alice"), "those already here answer a newcomer"

        await sync_to_async(do_add_note)(ticket, body="Called back", acting_user=anna)
        for communicator in (alice, annas):
            event = await communicator.receive_json_from(timeout=5)
            assert (event["type"], event["ticket"], event["version"], event["actor"]) == (
                "ticket.changed",
                ticket.pk,
                2,
                anna.pk,
            )

        await annas.disconnect()
        left = await alice.receive_json_from(timeout=5)
        assert (left["state"], left["name"]) == ("left", "Anna")
        await alice.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_an_agent_outside_the_group_cannot_listen_to_its_tickets(volunteers, bob_agent):
    ticket = make_ticket(volunteers)

    async def scenario() -> None:
        connected, code = await viewer(bob_agent, ticket).connect()
        assert not connected and code == 4403

    async_to_sync(scenario)()
