"""What each role may do (ADMIN-01, CORE-01): agents and home agents work the group's tickets and
read its canned responses and team; managers and the group's administrators also run the group
(settings, members, statuses, form, categories, hours, queue reports, service levels); only a
superuser reads the audit log; an outsider reaches nothing of the group."""

from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.tickets.models import Group
from switchboard.tickets.tests.factories import make_agent, make_ticket

ROLES = ["agent", "home_agent", "manager", "administrator", "superuser", "outsider"]
Y, N = True, False

# page → allowed per role, in the order of ROLES
TABLE: dict[str, tuple[bool, ...]] = {
    "group_settings": (N, N, Y, Y, Y, N),
    "group_members": (N, N, Y, Y, Y, N),
    "group_statuses": (N, N, Y, Y, Y, N),
    "group_form": (N, N, Y, Y, Y, N),
    "group_categories": (N, N, Y, Y, Y, N),
    "canned_responses": (Y, Y, Y, Y, Y, N),
    "team": (Y, Y, Y, Y, Y, N),
    "group_hours": (N, N, Y, Y, Y, N),
    "queue_reports": (N, N, Y, Y, Y, N),
    "group_service_levels": (N, N, Y, Y, Y, N),
    "audit_log": (N, N, N, N, Y, N),
    "ticket": (Y, Y, Y, Y, Y, N),
}


def person(role: str, group: Group, other: Group):  # type: ignore[no-untyped-def]
    if role == "superuser":
        return make_agent("sue", "SU", groups=[], superuser=True)
    if role == "outsider":
        return make_agent("otto", "OT", groups=[other])
    return make_agent(role.replace("_", ""), role[:2].upper(), groups=[group], role=role)


@pytest.mark.spec("ADMIN-01", "CORE-01")
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages(client, volunteers, donations, role):
    ticket = make_ticket(volunteers)
    client.force_login(person(role, volunteers, donations))
    refused = []
    for page, allowed in TABLE.items():
        if page == "audit_log":
            url = reverse(page)
        elif page == "ticket":
            url = reverse(page, args=[ticket.number])
        else:
            url = reverse(page, args=[volunteers.slug])
        status = client.get(url).status_code
        assert status in {200, 302, 403, 404}, (page, status)
        if (status == 200) != allowed[ROLES.index(role)]:
            refused.append((page, status))
    assert not refused, refused
