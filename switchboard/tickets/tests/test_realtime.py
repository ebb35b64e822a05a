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


@pytest.mark.spec("MAIL-02")
@pytest.mark.django_db(transaction=True)
def test_a_batch_of_incoming_mail_pushes_each_changed_ticket_once_with_its_latest_version(volunteers, alice_agent):
    from email.message import EmailMessage

    from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages

    ticket = make_ticket(volunteers)
    address = ticket.contact.points.get().value

    def mail(n: int) -> bytes:
        message = EmailMessage()
        message["From"], message["Subject"], message["Message-ID"] = address, f"More {n}", f"<more{n}@x.example>"
        message.set_content(f"Part {n}")
        return message.as_bytes()

    async def scenario() -> None:
        watcher = viewer(alice_agent, ticket)
        assert (await watcher.connect())[0]
        items = [RawItem("email", f"batch:{n}", mail(n), volunteers) for n in range(3)]
        await sync_to_async(lambda: do_apply_raw_messages(do_store_raw_messages(items)))()
        event = await watcher.receive_json_from(timeout=5)
        assert (event["type"], event["ticket"], event["version"]) == ("ticket.changed", ticket.pk, 4)
        # Nothing else came for the batch: the next push the watcher gets is that of a later note.
        await sync_to_async(do_add_note)(ticket, body="Answered all three", acting_user=alice_agent)
        after = await watcher.receive_json_from(timeout=5)
        assert (after["type"], after["version"], after["actor"]) == ("ticket.changed", 5, alice_agent.pk), (
            "one push for the three messages"
        )
        await watcher.disconnect()

    async_to_sync(scenario)()
