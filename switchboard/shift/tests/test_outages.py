"""Outages and banners (ADMIN-05) through the actions, the pages and the banner's socket."""

from __future__ import annotations

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from switchboard.shift.broadcasts import (
    BroadcastDraft,
    do_clear_broadcast,
    do_post_broadcast,
    list_active_broadcasts,
)
from switchboard.shift.models import Area, Broadcast, Outage
from switchboard.shift.outages import NewOutage, OutageError, do_end_outage, do_open_outage, do_open_outage_incident
from switchboard.shift.routing import websocket_urlpatterns
from switchboard.tickets.links import do_link_to_parent, get_ticket_links
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.spec("ADMIN-05")

STORM = BroadcastDraft(
    text="Kraków node down: no internet in Kraków",
    procedure="Apologise, give the repair estimate (4 p.m.), open no technician visits.",
    contact_name="Bradley",
    contact_phone="954-464-3859",
)


@pytest.fixture
def mona_manager(volunteers):
    """The manager of Volunteers."""
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


@pytest.fixture
def krakow(db):
    return Area.objects.create(name="Kraków")


def banner_texts(client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    return [text for text in (STORM.text, "Everyone: fire drill at 3 p.m.") if text in page]


def test_an_agent_may_not_post_a_banner(client, alice_agent):
    with pytest.raises(PermissionDenied):
        do_post_broadcast(STORM, groups=[], acting_user=alice_agent)
    client.force_login(alice_agent)
    assert client.post(reverse("broadcasts"), {"text": STORM.text}).status_code == 403
    assert not Broadcast.objects.exists()


def test_a_manager_posts_only_to_their_groups_and_their_agents_alone_see_it(
    client, volunteers, donations, mona_manager, alice_agent, bob_agent, dave_admin
):
    with pytest.raises(PermissionDenied):
        do_post_broadcast(STORM, groups=[donations], acting_user=mona_manager)
    with pytest.raises(PermissionDenied):  # a manager names their groups; "everyone" is the administrators'
        do_post_broadcast(STORM, groups=[], acting_user=mona_manager)
    client.force_login(mona_manager)
    response = client.post(reverse("broadcasts"), {"text": STORM.text, "groups": [donations.pk]})
    assert response.status_code == 200 and not Broadcast.objects.exists()

    response = client.post(
        reverse("broadcasts"),
        {
            "text": STORM.text,
            "procedure": STORM.procedure,
            "contact_name": "Bradley",
            "contact_phone": "954-464-3859",
            "groups": [volunteers.pk],
        },
    )
    assert response.status_code == 302
    for user, sees in ((alice_agent, True), (mona_manager, True), (bob_agent, False), (dave_admin, True)):
        client.force_login(user)
        assert banner_texts(client) == ([STORM.text] if sees else []), user
    client.force_login(alice_agent)
    page = client.get(reverse("home")).content.decode()
    assert STORM.procedure in page and 'href="tel:954-464-3859"' in page


def test_an_administrators_banner_reaches_every_agent_and_nobody_else(client, dave_admin, alice_agent, bob_agent):
    from django.contrib.auth.models import User

    from switchboard.shift.broadcasts import reaches

    do_post_broadcast(BroadcastDraft(text="Everyone: fire drill at 3 p.m."), groups=[], acting_user=dave_admin)
    for user in (alice_agent, bob_agent):
        client.force_login(user)
        assert banner_texts(client) == ["Everyone: fire drill at 3 p.m."]
    stranger = User.objects.create_user("stranger", password="x")  # signed in, but in no group
    assert list(list_active_broadcasts(stranger)) == [] and not reaches(stranger, [])
    assert reaches(alice_agent, [])


def test_a_banner_stays_until_cleared_and_its_history_says_who_posted_and_cleared_it(
    client, volunteers, mona_manager, alice_agent, bob_agent, dave_admin
):
    broadcast = do_post_broadcast(STORM, groups=[volunteers], acting_user=mona_manager)
    with pytest.raises(PermissionDenied):
        do_clear_broadcast(broadcast, acting_user=alice_agent)
    client.force_login(bob_agent)
    assert client.post(reverse("clear_broadcast", args=[broadcast.pk])).status_code == 403
    client.force_login(dave_admin)
    assert client.post(reverse("clear_broadcast", args=[broadcast.pk])).status_code == 302

    broadcast.refresh_from_db()
    assert broadcast.cleared_by == dave_admin and broadcast.cleared_at is not None
    assert broadcast.posted_by == mona_manager
    assert list(list_active_broadcasts(alice_agent)) == []
    client.force_login(alice_agent)
    assert banner_texts(client) == []
    history = client.get(reverse("broadcasts")).content.decode()
    assert STORM.text in history and "Posted by Mona" in history and "cleared by Dave" in history
    client.force_login(bob_agent)  # not for his group: not in his history either
    assert STORM.text not in client.get(reverse("broadcasts")).content.decode()


@pytest.fixture
def fresh_channel_layer():
    """A channel layer for this test's event loop (a Redis layer keeps locks bound to its loop)."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_the_banner_socket_passes_a_groups_banner_to_its_agents_only(
    fresh_channel_layer, volunteers, mona_manager, alice_agent, bob_agent
):
    from asgiref.sync import async_to_sync, sync_to_async

    async def scenario() -> None:
        application = URLRouter(websocket_urlpatterns)
        sockets = {}
        for user in (alice_agent, bob_agent):
            socket = WebsocketCommunicator(application, "/ws/broadcasts/")
            socket.scope["user"] = user
            assert (await socket.connect())[0]
            assert await socket.receive_json_from(timeout=5) == {"type": "broadcast.snapshot", "banners": []}
            sockets[user.username] = socket
        broadcast = await sync_to_async(do_post_broadcast)(STORM, groups=[volunteers], acting_user=mona_manager)
        event = await sockets["alice"].receive_json_from(timeout=5)
        assert event["id"] == broadcast.pk and event["active"] and event["text"] == STORM.text
        assert event["contact_phone"] == "954-464-3859"
        await sync_to_async(do_clear_broadcast)(broadcast, acting_user=mona_manager)
        assert (await sockets["alice"].receive_json_from(timeout=5))["active"] is False
        assert await sockets["bob"].receive_nothing(timeout=0.3)
        for socket in sockets.values():
            await socket.disconnect()

    async_to_sync(scenario)()


def test_an_anonymous_socket_is_refused(fresh_channel_layer):
    from asgiref.sync import async_to_sync
    from django.contrib.auth.models import AnonymousUser

    async def connect() -> tuple[bool, object]:
        socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/broadcasts/")
        socket.scope["user"] = AnonymousUser()
        return await socket.connect()

    assert async_to_sync(connect)() == (False, 4403)


def test_an_agent_opens_an_outage_from_the_page_with_its_area_preselected_and_ends_it(client, alice_agent, krakow):
    client.force_login(alice_agent)
    form = client.get(reverse("new_outage") + f"?area={krakow.pk}").content.decode()
    assert f'<option value="{krakow.pk}" selected>Kraków</option>' in form
    assert "Post a banner" not in form  # an agent's manager posts the banner
    response = client.post(reverse("new_outage"), {"area": krakow.pk, "description": "Node KR-7 down"})
    assert response.status_code == 302
    outage = Outage.objects.get()
    assert outage.opened_by == alice_agent and outage.is_open and outage.broadcast is None
    page = client.get(reverse("outages")).content.decode()
    assert "Node KR-7 down" in page and "End outage" in page

    again = client.post(reverse("new_outage"), {"area": krakow.pk})
    assert "An outage in Kraków is open already." in again.content.decode()

    client.post(reverse("end_outage", args=[outage.pk]))
    outage.refresh_from_db()
    assert outage.ended_at is not None and outage.ended_by == alice_agent
    page = client.get(reverse("outages")).content.decode()
    assert "No outage is going on." in page and "Past outages" in page and "Kraków" in page
    with pytest.raises(OutageError):
        do_end_outage(outage, acting_user=alice_agent)


def test_someone_who_is_no_agent_sees_no_outages(client, db, krakow):
    from django.contrib.auth.models import User

    stranger = User.objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert client.get(reverse("outages")).status_code == 403
    with pytest.raises(PermissionDenied):
        do_open_outage(NewOutage(area=krakow), acting_user=stranger)


def test_a_manager_opens_an_outage_with_its_banner_in_one_step_and_ending_it_clears_the_banner(
    client, volunteers, mona_manager, alice_agent, krakow
):
    client.force_login(mona_manager)
    response = client.post(
        reverse("new_outage"),
        {
            "area": krakow.pk,
            "description": "Node KR-7 down",
            "post_banner": "on",
            "text": STORM.text,
            "procedure": STORM.procedure,
            "contact_name": "Bradley",
            "contact_phone": "954-464-3859",
            "groups": [volunteers.pk],
        },
    )
    assert response.status_code == 302
    outage = Outage.objects.select_related("broadcast").get()
    assert outage.broadcast is not None and outage.broadcast.posted_by == mona_manager
    client.force_login(alice_agent)
    assert banner_texts(client) == [STORM.text]

    do_end_outage(outage, acting_user=alice_agent)  # the agent ends it: its banner goes with it
    outage.broadcast.refresh_from_db()
    assert outage.broadcast.cleared_by == alice_agent
    assert banner_texts(client) == []


def test_an_outage_banner_needs_its_message(client, volunteers, mona_manager, krakow):
    client.force_login(mona_manager)
    response = client.post(reverse("new_outage"), {"area": krakow.pk, "post_banner": "on", "groups": [volunteers.pk]})
    assert response.status_code == 200 and "Write the banner&#x27;s message." in response.content.decode()
    assert not Outage.objects.exists()


def test_the_parent_incident_ticket_of_an_outage_is_opened_linked_and_takes_the_calls_tickets(
    client, volunteers, alice_agent, bob_agent, krakow
):
    outage = do_open_outage(NewOutage(area=krakow, description="Node KR-7 down"), acting_user=alice_agent)
    client.force_login(bob_agent)  # not his group
    client.post(reverse("open_outage_incident", args=[outage.pk]), {"group": volunteers.pk})
    outage.refresh_from_db()
    assert outage.incident is None

    client.force_login(alice_agent)
    response = client.post(reverse("open_outage_incident", args=[outage.pk]), {"group": volunteers.pk})
    outage.refresh_from_db()
    incident = outage.incident
    assert incident is not None and incident.group == volunteers and incident.contact is None
    assert response["Location"] == reverse("ticket", args=[incident.number])
    assert incident.title == "Outage in Kraków"
    assert incident.activities.filter(body__contains="Node KR-7 down").exists()
    with pytest.raises(OutageError):
        do_open_outage_incident(outage, group=volunteers, acting_user=alice_agent)

    call = make_ticket(volunteers)  # a caller about it: linked with the tickets' own links
    do_link_to_parent(call, parent=incident, acting_user=alice_agent)
    assert get_ticket_links(incident).children == [call]
    page = client.get(reverse("outages")).content.decode()
    assert f"Parent incident #{incident.number}" in page


def test_the_outages_page_costs_a_fixed_number_of_queries(
    client, volunteers, alice_agent, django_assert_max_num_queries
):
    for name in ("Kraków", "Warszawa", "Gdańsk"):
        outage = do_open_outage(NewOutage(area=Area.objects.create(name=name)), acting_user=alice_agent)
        do_open_outage_incident(outage, group=volunteers, acting_user=alice_agent)
        if name != "Gdańsk":
            do_end_outage(outage, acting_user=alice_agent)
    client.force_login(alice_agent)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("outages")).content.decode()
    assert "Gdańsk" in page and "Warszawa" in page


def test_the_outages_page_and_the_banner_speak_polish(client, volunteers, mona_manager, krakow):
    do_post_broadcast(STORM, groups=[volunteers], acting_user=mona_manager)
    client.force_login(mona_manager)
    page = client.get(reverse("outages"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Awarie" in page and "Zgłoś awarię" in page and "Procedura" in page and "Dyżur:" in page
    form = client.get(reverse("new_outage"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Opublikuj komunikat dla konsultantów" in form and "Osoba dyżurna" in form


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_agents_opening_an_outage_in_one_area_at_once_open_one(volunteers, alice_agent, krakow):
    import threading

    from django.db import close_old_connections, transaction

    from switchboard.testing.database import wait_for_blocked_connections

    amir = make_agent("amir", "AM", groups=[volunteers])
    outcomes: list[str] = []

    def open_one(agent) -> None:
        try:
            do_open_outage(NewOutage(area=krakow), acting_user=agent)
            outcomes.append("opened")
        except OutageError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=open_one, args=(agent,)) for agent in (alice_agent, amir)]
    with transaction.atomic():
        Area.objects.select_for_update().get(pk=krakow.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(2)
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["opened", "refused"]
    assert Outage.objects.count() == 1
