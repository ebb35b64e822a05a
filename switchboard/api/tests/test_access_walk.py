"""Every route of the API, read from its own schema, called with tokens that must get nothing:
an outsider's (an agent of another group), an agent's in an "own tickets only" group, an expired
token, a revoked one, and a read-only one for writes. Nothing leaks into the answers and nothing
changes in the database. A new route is walked as soon as it is in the schema (a write route
needs a body in BODIES, or this test says so)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from switchboard.api.models import ApiToken
from switchboard.api.tests.helpers import call, make_token
from switchboard.api.tokens import do_revoke_api_token
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.knowledge.actions import ArticleText, do_create_article
from switchboard.knowledge.models import Article
from switchboard.tickets.actions import do_add_note, do_assign_ticket, do_create_group
from switchboard.tickets.models import Activity, Group, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("API-01")

SECRET = "Quokka-7319"  # in the hidden tickets' titles and notes, and the hidden group's name


def every_route(client: Any) -> list[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


# What each write route is sent: a function of the targets (the hidden things, or the caller's own).
BODIES: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("POST", "/api/tickets"): lambda t: {"group_id": t["group_id"], "title": "Planted", "contact_id": t["contact_id"]},
    ("PATCH", "/api/tickets/{number}"): lambda t: {
        "version": t["version"],
        "title": "Changed",
        "owner_id": t["user_id"],
    },
    ("POST", "/api/tickets/{number}/replies"): lambda t: {"body_html": "<p>Hello</p>", "to_address": "x@example.org"},
    ("POST", "/api/tickets/{number}/notes"): lambda t: {"body": "Planted note"},
    ("POST", "/api/tickets/{number}/close"): lambda t: {},
    ("POST", "/api/tickets/{number}/merge"): lambda t: {"into": t["other_number"]},
    ("POST", "/api/tickets/{number}/move"): lambda t: {"group_id": t["group_id"]},
    ("POST", "/api/contacts"): lambda t: {
        "first_name": "Planted",
        "points": [{"kind": "email", "value": "p@example.org"}],
    },
    ("PATCH", "/api/contacts/{contact_id}"): lambda t: {"city": "Elsewhere"},
    ("POST", "/api/contacts/{contact_id}/merge"): lambda t: {"into": t["other_contact_id"]},
}


def url(path: str, targets: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in targets, f"the walk has no value for the path parameter {name!r}: add one"
        return str(targets[name])

    return re.sub(r"\{(\w+)\}", value, path)


def snapshot() -> dict[str, Any]:
    """Everything a route could change that a refused caller must not."""
    return {
        "tickets": list(
            Ticket.objects.order_by("pk").values_list(
                "pk", "version", "title", "status_id", "owner_id", "group_id", "closed_at", "merged_into_id"
            )
        ),
        "activities": list(Activity.objects.order_by("pk").values_list("pk", "ticket_id", "kind", "body")),
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", "first_name", "city", "merged_into_id")),
        "points": list(ContactPoint.objects.order_by("pk").values_list("pk", "contact_id", "value")),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name", "own_tickets_only")),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "user_id", "group_id", "role")),
        "articles": list(Article.objects.order_by("pk").values_list("pk", "title", "state")),
    }


def hidden_snapshot(tickets: list[Ticket], group: Group | None) -> dict[str, Any]:
    ids = [ticket.pk for ticket in tickets]
    return {
        "tickets": list(
            Ticket.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "version", "title", "status_id", "owner_id", "group_id", "closed_at", "merged_into_id")
        ),
        "activities": list(Activity.objects.filter(ticket_id__in=ids).order_by("pk").values_list("pk", "body")),
        "in_group": Ticket.objects.filter(group=group).count() if group else None,
        "group": list(Group.objects.filter(pk=group.pk).values_list("name", "own_tickets_only")) if group else None,
    }


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    """The hidden group (alice's) with two tickets and a group keeping its agents to their own
    tickets, where mona's tickets are hidden from olga; bob works in another group."""
    hidden = do_create_group(f"Crisis line {SECRET}", acting_user=None)
    other = do_create_group("Donations", acting_user=None)
    field = do_create_group("Field team", acting_user=None)
    field.own_tickets_only = True
    field.save()
    alice = make_agent("alice", "AL", groups=[hidden])
    bob = make_agent("bob", "BO", groups=[other])
    olga = make_agent("olga", "OL", groups=[field])
    mona = make_agent("mona", "MO", groups=[field], role=Membership.Role.MANAGER)
    hidden_tickets = []
    for n in range(2):
        ticket = make_ticket(hidden, contact=make_contact("Hidden", f"Person{n}"))
        ticket.title = f"Ticket {SECRET} {n}"
        ticket.save()
        do_add_note(ticket, body=f"Note {SECRET} {n}", acting_user=alice)
        hidden_tickets.append(ticket)
    monas = []
    for n in range(2):
        ticket = make_ticket(field, contact=make_contact("Field", f"Person{n}"))
        ticket.title = f"Field ticket {SECRET} {n}"
        ticket.save()
        ticket = do_assign_ticket(ticket, owner=mona, acting_user=mona)
        do_add_note(ticket, body=f"Field note {SECRET} {n}", acting_user=mona)
        monas.append(ticket)
    bobs = make_ticket(other, contact=make_contact("Bob's", "Caller"))
    olgas = do_assign_ticket(make_ticket(field, contact=make_contact("Olga's", "Caller")), owner=olga, acting_user=olga)
    do_create_article(
        ArticleText(title="Agents only", body_html="<p>Inside</p>", visibility="internal", state="published"),
        acting_user=alice,
    )
    return {
        "alice": alice, "bob": bob, "olga": olga, "mona": mona, "hidden": hidden, "field": field, "other": other,
        "hidden_tickets": hidden_tickets, "monas": monas, "bobs": bobs, "olgas": olgas,
    }  # fmt: skip


def targets_of(tickets: list[Ticket], *, group: Group, user: User) -> dict[str, Any]:
    first, second = (Ticket.objects.get(pk=ticket.pk) for ticket in tickets)
    return {
        "number": first.number,
        "other_number": second.number,
        "version": first.version,
        "group_id": group.pk,
        "user_id": user.pk,
        "contact_id": first.contact_id,
        "other_contact_id": second.contact_id,
        "slug": Article.objects.get().slug,
    }


def walk(client: Any, token: str, targets: dict[str, Any], check: Callable[[str, str, Any], None]) -> int:
    walked = 0
    for method, path in every_route(client):
        body = None
        if method != "GET":
            assert (method, path) in BODIES, f"add a body for the new route {method} {path} to BODIES"
            body = BODIES[(method, path)](targets)
        response = call(client, method, url(path, targets), token, body)
        assert response.status_code < 500, (method, path, response.status_code)
        if response.status_code >= 400:  # noqa: PLR2004
            assert set(response.json()) == {"code", "message"}, (method, path, response.json())
        check(method, path, response)
        walked += 1
    return walked


def no_secret(method: str, path: str, response: Any) -> None:
    assert SECRET not in response.content.decode(), (method, path, response.content[:300])


@pytest.mark.parametrize("who", ["outsider", "own_tickets_only"])
def test_a_token_sees_and_changes_nothing_its_user_may_not(client, world, who):
    if who == "outsider":  # bob, an agent of another group, against alice's group and its tickets
        user, hidden, group = world["bob"], world["hidden_tickets"], world["hidden"]
        own = targets_of([world["bobs"], world["bobs"]], group=world["other"], user=user)
    else:  # olga, in the field team that keeps agents to their own tickets, against mona's
        user, hidden, group = world["olga"], world["monas"], None
        own = targets_of([world["olgas"], world["olgas"]], group=world["field"], user=user)
    token = make_token(user, scope="write")
    before = hidden_snapshot(hidden, group)
    targets = targets_of(hidden, group=group or world["field"], user=world["mona"] if group is None else world["alice"])

    def refused_or_shared(method: str, path: str, response: Any) -> None:
        no_secret(method, path, response)
        if "{number}" in path or "{group_id}" in path or "{user_id}" in path:
            if not (who == "own_tickets_only" and "{number}" not in path):  # olga's own group is hers to see
                assert response.status_code == 404, (method, path, response.status_code)

    # The hidden things in the path, and again in the body with the caller's own in the path.
    assert walk(client, token, targets, refused_or_shared) >= 20
    mixed = {**own, "other_number": targets["number"], "group_id": targets["group_id"] if group else own["group_id"]}
    walk(client, token, mixed, no_secret)
    assert hidden_snapshot(hidden, group) == before
    listed = call(client, "GET", "/api/tickets", token, limit=100).json()["items"]
    assert {t["number"] for t in listed}.isdisjoint({t.number for t in hidden})


@pytest.mark.parametrize("kind", ["expired", "revoked", "read_only"])
def test_a_refused_token_changes_nothing_on_any_route(client, world, kind):
    alice = world["alice"]
    token = make_token(alice, scope="read" if kind == "read_only" else "write", days=1)
    if kind == "revoked":
        do_revoke_api_token(ApiToken.objects.get(user=alice), acting_user=alice)
    targets = targets_of(world["hidden_tickets"], group=world["hidden"], user=alice)
    before = snapshot()
    statuses: dict[str, set[int]] = {"GET": set(), "write": set()}

    def refused(method: str, path: str, response: Any) -> None:
        statuses["GET" if method == "GET" else "write"].add(response.status_code)
        if kind == "read_only" and method != "GET":
            assert response.json()["code"] == "insufficient_scope", (method, path)

    later = timezone.now() + dt.timedelta(days=2 if kind == "expired" else 0)
    with time_machine.travel(later):
        walk(client, token, targets, refused)
    assert snapshot() == before
    if kind == "read_only":
        assert statuses == {"GET": {200}, "write": {403}}  # alice reads her own group's things
    else:
        assert statuses == {"GET": {401}, "write": {401}}
