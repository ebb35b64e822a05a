"""A group's members, managed by its managers in the UI (CORE-01, ADMIN-01)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.tickets.models import ActivityKind, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket

Role = Membership.Role

pytestmark = pytest.mark.spec("CORE-01", "ADMIN-01")


@pytest.fixture
def mona(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Role.MANAGER)


def members_page(client, group) -> str:
    response = client.get(reverse("group_members", args=[group.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_manager_adds_a_person_sets_role_and_level_and_removes_them(client, volunteers, mona, alice_agent):
    carl = make_agent("carl", "CA", groups=[])
    client.force_login(mona)
    page = members_page(client, volunteers)
    assert "from home: may own tickets, sees no reports" in page  # what a home agent is, in words
    person_menu = page[page.index('id="new-user"') : page.index("</select>", page.index('id="new-user"'))]
    assert ">Carl<" in person_menu and ">Alice<" not in person_menu and ">Mona<" not in person_menu

    added = client.post(
        reverse("group_members", args=[volunteers.slug]), {"user": carl.pk, "role": "home_agent", "level": "1"}
    )
    assert added.status_code == 302
    membership = Membership.objects.get(group=volunteers, user=carl)
    assert (membership.role, membership.level) == (Role.HOME_AGENT, 1)

    url = reverse("change_member", args=[volunteers.slug, membership.pk])
    assert client.post(url, {"role": "agent", "level": "2"}).status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.level) == (Role.AGENT, 2)

    ticket = make_ticket(volunteers)
    Ticket.objects.filter(pk=ticket.pk).update(owner=carl)
    client.post(reverse("remove_member", args=[volunteers.slug, membership.pk]))
    assert not Membership.objects.filter(group=volunteers, user=carl).exists()
    ticket.refresh_from_db()
    assert ticket.owner is None  # back with the group's waiting tickets, recorded
    history = ticket.activities.filter(kind=ActivityKind.CHANGED).latest("id")
    assert history.actor == mona and history.changes == [{"field": "owner", "old": "CA", "new": ""}]
    assert "Their 1 open ticket went back to the waiting tickets." in members_page(client, volunteers)


def test_only_managers_change_members_and_only_administrators_make_administrators(
    client, volunteers, mona, alice_agent
):
    alice = Membership.objects.get(group=volunteers, user=alice_agent)
    client.force_login(alice_agent)
    assert client.get(reverse("group_members", args=[volunteers.slug])).status_code == 403
    assert (
        client.post(
            reverse("change_member", args=[volunteers.slug, alice.pk]), {"role": "manager", "level": "1"}
        ).status_code
        == 403
    )
    alice.refresh_from_db()
    assert alice.role == Role.AGENT

    client.force_login(mona)
    client.post(reverse("change_member", args=[volunteers.slug, alice.pk]), {"role": "administrator", "level": "1"})
    alice.refresh_from_db()
    assert alice.role == Role.AGENT
    assert "Only an administrator makes someone an administrator." in members_page(client, volunteers)

    admin = make_agent("root", "RT", groups=[], superuser=True)
    client.force_login(admin)
    client.post(reverse("change_member", args=[volunteers.slug, alice.pk]), {"role": "administrator", "level": "1"})
    alice.refresh_from_db()
    assert alice.role == Role.ADMINISTRATOR


def test_the_group_keeps_a_manager(client, volunteers, mona):
    own = Membership.objects.get(group=volunteers, user=mona)
    client.force_login(mona)
    client.post(reverse("change_member", args=[volunteers.slug, own.pk]), {"role": "agent", "level": "1"})
    client.post(reverse("remove_member", args=[volunteers.slug, own.pk]))
    own.refresh_from_db()
    assert own.role == Role.MANAGER
    assert "The group needs a manager: make someone else its manager first." in members_page(client, volunteers)


def test_the_members_page_costs_the_same_queries_for_3_and_30_members(client, volunteers, mona):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            members_page(client, volunteers)
        return len(context.captured_queries)

    for n in range(2):
        make_agent(f"a{n}", f"A{n}", groups=[volunteers])
    client.force_login(mona)
    few = queries()
    for n in range(2, 29):
        agent = make_agent(f"a{n}", f"A{n}", groups=[volunteers])
        Ticket.objects.filter(pk=make_ticket(volunteers).pk).update(owner=agent)
    assert queries() == few
    assert Ticket.objects.filter(owner__isnull=False).count() == 27


@pytest.mark.spec("ADMIN-03")
def test_each_change_on_the_members_page_is_in_the_audit_log_once_with_who_and_from_where(client, volunteers, mona):
    from switchboard.audit.models import AuditEntry

    carl = make_agent("carl", "CA", groups=[])
    client.defaults["REMOTE_ADDR"] = "192.0.2.44"
    client.force_login(mona)
    client.post(reverse("group_members", args=[volunteers.slug]), {"user": carl.pk, "role": "agent", "level": "1"})
    membership = Membership.objects.get(group=volunteers, user=carl)
    client.post(reverse("change_member", args=[volunteers.slug, membership.pk]), {"role": "home_agent", "level": "2"})
    client.post(reverse("remove_member", args=[volunteers.slug, membership.pk]))

    logged = list(
        AuditEntry.objects.filter(object_type="tickets.membership", object_id=str(membership.pk)).order_by("id")
    )
    assert [entry.action for entry in logged] == ["create", "change", "delete"]
    assert {(entry.actor_id, entry.address) for entry in logged} == {(mona.pk, "192.0.2.44")}
    change = {item["field"]: (item["old"], item["new"]) for item in logged[1].changes}
    assert change == {"role": ("agent", "home_agent"), "level": (1, 2)}
