"""Tickets over the API (API-01): the same actions as the ticket page, the same version check,
and paging that holds while tickets arrive."""

from __future__ import annotations

import pytest
from django.core import mail

from switchboard.api.tests.helpers import call, make_token
from switchboard.tickets.actions import do_add_note
from switchboard.tickets.models import Activity, ActivityKind, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("API-01")


@pytest.fixture
def token(alice_agent):
    return make_token(alice_agent)


def test_an_agent_lists_filters_and_reads_tickets(client, volunteers, donations, alice_agent, token):
    mine = make_ticket(volunteers, contact=make_contact("Ann", "Caller"), source="phone")
    other = make_ticket(volunteers)
    make_ticket(donations)  # not alice's group
    Ticket.objects.filter(pk=mine.pk).update(owner=alice_agent)
    listed = call(client, "GET", "/api/tickets", token).json()
    assert [t["number"] for t in listed["items"]] == [mine.number, other.number] and listed["next_cursor"] is None
    by = {"owner_id": alice_agent.pk, "channel": "phone", "group_id": volunteers.pk, "status_kind": "new"}
    for name, value in by.items():
        found = call(client, "GET", "/api/tickets", token, **{name: value}).json()["items"]
        assert mine.number in [t["number"] for t in found], name
    assert [t["number"] for t in call(client, "GET", "/api/tickets", token, unowned="true").json()["items"]] == [
        other.number
    ]
    one = call(client, "GET", f"/api/tickets/{mine.number}", token).json()
    assert one["title"] == "Ann Caller (Volunteers)" and one["source"] == "phone" and one["version"] >= 1
    timeline = call(client, "GET", f"/api/tickets/{mine.number}/activities", token).json()
    assert timeline[0]["kind"] == ActivityKind.CREATED


def test_an_agent_creates_updates_notes_replies_moves_merges_and_closes(
    client, volunteers, donations, alice_agent, token
):
    make_agent("alice2", "A2", groups=[donations])
    donations.memberships.create(user=alice_agent, role="agent")
    contact = make_contact("Maria", "Lopez", email="maria@example.org")
    made = call(
        client,
        "POST",
        "/api/tickets",
        token,
        {"group_id": volunteers.pk, "contact_id": contact.pk, "title": "Lost card"},
    )
    assert made.status_code == 201, made.json()
    number, version = made.json()["number"], made.json()["version"]
    again = call(client, "POST", "/api/tickets", token, {"group_id": volunteers.pk, "contact_id": contact.pk})
    assert again.status_code == 409 and again.json()["code"] == "open_ticket_exists"  # CORE-03, as on the page
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    body = {"version": version, "status_id": pending.pk, "owner_id": alice_agent.pk, "next_action": "Call back"}
    updated = call(client, "PATCH", f"/api/tickets/{number}", token, body)
    assert updated.status_code == 200 and updated.json()["status_kind"] == "pending"
    assert updated.json()["owner_id"] == alice_agent.pk and updated.json()["title"] == "Lost card"
    note = call(client, "POST", f"/api/tickets/{number}/notes", token, {"body": "Checked the ledger"})
    assert note.status_code == 201 and Activity.objects.get(pk=note.json()["id"]).kind == ActivityKind.NOTE
    replied = call(client, "POST", f"/api/tickets/{number}/replies", token, {"body_html": "<p>We found it.</p>"})
    assert replied.status_code == 201
    assert Activity.objects.get(pk=replied.json()["id"]).to_address == "maria@example.org"
    moved = call(client, "POST", f"/api/tickets/{number}/move", token, {"group_id": donations.pk})
    assert moved.status_code == 200 and moved.json()["group_id"] == donations.pk
    other = make_ticket(donations)
    merged = call(client, "POST", f"/api/tickets/{other.number}/merge", token, {"into": number})
    assert merged.status_code == 200 and merged.json()["number"] == number
    assert Ticket.objects.get(pk=other.pk).merged_into.number == number
    closed = call(client, "POST", f"/api/tickets/{number}/close", token, {})
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    twice = call(client, "POST", f"/api/tickets/{number}/close", token, {})
    assert twice.status_code == 422 and twice.json() == {"code": "refused", "message": "This ticket is already closed."}
    kinds = set(Ticket.objects.get(number=number).activities.values_list("kind", flat=True))
    assert {ActivityKind.CREATED, ActivityKind.NOTE, ActivityKind.EMAIL_OUT, ActivityKind.CLOSED} <= kinds
    assert mail.outbox == [] or all("maria@example.org" in m.to for m in mail.outbox)


def test_a_stale_version_is_refused_and_the_ticket_stays_as_it_is(client, volunteers, alice_agent, token):
    ticket = make_ticket(volunteers)
    read = call(client, "GET", f"/api/tickets/{ticket.number}", token).json()
    do_add_note(ticket, body="Someone else was quicker", acting_user=alice_agent)  # the version moves on
    before = Ticket.objects.values().get(pk=ticket.pk)
    stale = call(client, "PATCH", f"/api/tickets/{ticket.number}", token, {"version": read["version"], "title": "Mine"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert "changed by someone else" in stale.json()["message"]
    assert Ticket.objects.values().get(pk=ticket.pk) == before
    closing = call(client, "POST", f"/api/tickets/{ticket.number}/close", token, {"version": read["version"]})
    assert closing.status_code == 409 and Ticket.objects.get(pk=ticket.pk).is_open
    fresh = call(
        client, "PATCH", f"/api/tickets/{ticket.number}", token, {"version": before["version"], "title": "Mine"}
    )
    assert fresh.status_code == 200 and fresh.json()["title"] == "Mine"


@pytest.mark.parametrize("order", ["id", "updated"])
def test_paging_is_stable_while_tickets_arrive(client, volunteers, token, order):
    first = [make_ticket(volunteers).number for _ in range(5)]
    seen: list[int] = []
    arrived: list[int] = []
    cursor = None
    for _page in range(20):
        query = {"limit": 2, "order": order, **({"cursor": cursor} if cursor else {})}
        answer = call(client, "GET", "/api/tickets", token, **query).json()
        seen += [t["number"] for t in answer["items"]]
        if len(arrived) < 4:  # noqa: PLR2004
            arrived += [make_ticket(volunteers).number, make_ticket(volunteers).number]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "a ticket shown twice"
    assert set(first + arrived) == set(seen), "a ticket skipped"
    bad = call(client, "GET", "/api/tickets", token, cursor="not-a-cursor")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"


def test_invalid_input_is_a_422_with_a_message(client, volunteers, token):
    ticket = make_ticket(volunteers)
    answer = call(client, "PATCH", f"/api/tickets/{ticket.number}", token, {"title": "No version"})
    assert (
        answer.status_code == 422 and answer.json()["code"] == "invalid_input" and "version" in answer.json()["message"]
    )
    unknown = call(
        client, "PATCH", f"/api/tickets/{ticket.number}", token, {"version": ticket.version, "status_id": 999999}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_status"
    assert call(client, "GET", "/api/tickets/999999", token).json() == {"code": "not_found", "message": "Not found."}


def test_the_schemas_name_every_status_kind_and_channel():
    from typing import get_args

    from switchboard.api.schemas import SourceName, StatusKindName
    from switchboard.tickets.models import StatusKind, TicketSource

    assert set(get_args(StatusKindName)) == set(StatusKind.values)
    assert set(get_args(SourceName)) == set(TicketSource.values)
