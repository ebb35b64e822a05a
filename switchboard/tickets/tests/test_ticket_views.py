"""Views across an agent's groups: what each view holds, filters, counts, saved views, access and
query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.tickets.actions import (
    TicketHeader,
    do_assign_ticket,
    do_change_ticket_status,
    do_close_ticket,
    do_update_ticket,
)
from switchboard.tickets.models import SavedView, StatusKind, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.tickets.ticket_views import BUILT_IN_VIEWS, ViewFilters, count_views, list_view_tickets

NOON = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def numbers(tickets) -> set[int]:
    return {ticket.number for ticket in tickets}


def set_due(ticket: Ticket, due_at: dt.datetime, *, by) -> Ticket:
    header = TicketHeader(
        title=ticket.title, status=ticket.status, owner=ticket.owner, next_action="Call back", due_at=due_at
    )
    return do_update_ticket(ticket, header=header, expected_version=ticket.version, acting_user=by)


@pytest.fixture
def carol_agent(volunteers, donations):
    """An agent of both Volunteers and Donations."""
    return make_agent("carol", "CA", groups=[volunteers, donations])


@pytest.mark.spec("AGENT-01", "CORE-05")
def test_each_built_in_view_holds_its_tickets_across_the_agents_groups(volunteers, donations, carol_agent, bob_agent):
    statuses = {status.kind: status for status in volunteers.statuses.all()}
    with time_machine.travel(NOON, tick=False):
        new_mail = make_ticket(volunteers, source=TicketSource.EMAIL)
        call = make_ticket(donations, source=TicketSource.PHONE)
        do_change_ticket_status(call, status=donations.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
        mine_waiting = make_ticket(volunteers, source=TicketSource.SMS)
        do_change_ticket_status(mine_waiting, status=statuses[StatusKind.WAITING_CONTACT], acting_user=None)
        do_assign_ticket(mine_waiting, owner=carol_agent, acting_user=None)
        bobs = make_ticket(donations, source=TicketSource.WEB)
        do_assign_ticket(bobs, owner=bob_agent, acting_user=None)
        due_later_today = set_due(make_ticket(volunteers), NOON + dt.timedelta(hours=3), by=carol_agent)
        overdue_today = set_due(make_ticket(volunteers), NOON - dt.timedelta(hours=1), by=carol_agent)
        overdue_last_week = set_due(make_ticket(donations), NOON - dt.timedelta(days=7), by=carol_agent)
        due_tomorrow = set_due(make_ticket(volunteers), NOON + dt.timedelta(days=1), by=carol_agent)
        do_close_ticket(make_ticket(volunteers), acting_user=None)

        def view(key: str, **filters: str) -> set[int]:
            tickets = list_view_tickets(carol_agent, view=BUILT_IN_VIEWS[key], filters=ViewFilters.from_data(filters))
            return numbers(tickets)

        everything = numbers(
            [new_mail, call, mine_waiting, bobs, due_later_today, overdue_today, overdue_last_week, due_tomorrow]
        )
        assert view("open") == everything
        assert view("needs-reply") == everything - numbers([mine_waiting])
        assert view("mine") == numbers([mine_waiting])
        assert view("unassigned") == everything - numbers([mine_waiting, bobs])
        assert view("due-today") == numbers([due_later_today, overdue_today])
        assert view("overdue") == numbers([overdue_today, overdue_last_week])
        assert view("status-waiting_contact") == numbers([mine_waiting])
        assert view("status-needs_contact") == numbers([call])
        assert view("source-phone") == numbers([call])
        assert view("source-sms") == numbers([mine_waiting])
        assert view("source-web") == numbers([bobs])
        # Filters narrow any view: the Cases view with an Owner filter (seed 001), a group, a channel.
        assert view("open", owner=str(bob_agent.pk)) == numbers([bobs])
        assert view("open", owner="none", group=str(donations.pk)) == numbers([call, overdue_last_week])
        assert view("needs-reply", source="email", status="new") == everything - numbers([call, mine_waiting, bobs])

        counts = count_views(carol_agent, [])
        assert counts["open"] == 8 and counts["needs-reply"] == 7 and counts["mine"] == 1
        assert counts["due-today"] == 2 and counts["overdue"] == 2 and counts["source-phone"] == 1
        assert counts["status-completed"] == 0 and counts["source-chat"] == 0


@pytest.mark.spec("AGENT-01")
def test_another_groups_tickets_never_show_or_count_in_views(client, volunteers, donations, alice_agent, bob_agent):
    ours = make_ticket(volunteers, contact=make_contact("Maria", "Ours"), source=TicketSource.PHONE)
    theirs = make_ticket(donations, contact=make_contact("Tomasz", "Theirs"), source=TicketSource.PHONE)
    do_assign_ticket(theirs, owner=bob_agent, acting_user=None)
    client.force_login(alice_agent)

    for url in [
        reverse("ticket_views"),
        reverse("ticket_view", args=["source-phone"]),
        reverse("ticket_view", args=["open"]) + f"?group={donations.pk}",
        reverse("ticket_view", args=["open"]) + f"?owner={bob_agent.pk}",
    ]:
        page = client.get(url).content.decode()
        assert f'data-number="{theirs.number}"' not in page and "Theirs" not in page, url
    assert f'data-number="{ours.number}"' in client.get(reverse("ticket_view", args=["source-phone"])).content.decode()
    assert "Donations" not in client.get(reverse("ticket_views")).content.decode(), "nor among the group filters"
    menu = client.get(reverse("views_menu")).content.decode()
    assert re.search(r'data-view="source-phone">[^\n]*data-count>1</span></a>', menu)
    counts = count_views(alice_agent, [])
    assert counts["open"] == 1 and counts["source-phone"] == 1 and counts["unassigned"] == 1
    # A saved view naming the other group's id still counts nothing of it.
    client.post(reverse("save_view"), {"name": "Theirs", "base": "open", "group": donations.pk})
    saved = SavedView.objects.get(owner=alice_agent)
    assert saved.filters == {}, "a group the agent is not in is not a filter they can save"
    SavedView.objects.filter(pk=saved.pk).update(filters={"group": str(donations.pk)})
    saved.refresh_from_db()
    assert count_views(alice_agent, [saved])[f"saved-{saved.pk}"] == 0


@pytest.mark.spec("CORE-05")
def test_view_page_has_labelled_filters_a_count_and_sort_links_that_keep_the_filters(client, volunteers, alice_agent):
    for _ in range(3):
        make_ticket(volunteers, source=TicketSource.EMAIL)
    make_ticket(volunteers, source=TicketSource.PHONE)
    client.force_login(alice_agent)
    page = client.get(reverse("ticket_view", args=["open"]), {"source": "email", "owner": "none"}).content.decode()
    assert "---------" not in page
    for empty_choice in ("All my groups", "Any owner", "Any status", "Any channel"):
        assert re.search(f'<option value=""( selected)?>{empty_choice}</option>', page), empty_choice
    assert '<option value="email" selected>Email</option>' in page
    assert '<span class="badge text-bg-light border" data-view-count>3</span>' in page
    assert "?sort=number&amp;owner=none&amp;source=email" in page
    assert "Clear filters" in page


@pytest.mark.spec("CORE-05")
def test_view_pages_page_through_many_tickets_keeping_filters_and_order(client, volunteers, alice_agent):
    calls = [make_ticket(volunteers, source=TicketSource.PHONE) for _ in range(55)]
    client.force_login(alice_agent)
    url = reverse("ticket_view", args=["source-phone"])
    first = client.get(url, {"sort": "number", "group": volunteers.pk}).content.decode()
    assert first.count("<tr data-href") == 50 and "1 / 2" in first
    shown = [int(n) for n in re.findall(r'<tr data-href="[^"]*" data-number="(\d+)"', first)]
    assert shown == [call.number for call in calls[:50]], "the page's rows come in the chosen order"
    assert f"?sort=number&amp;group={volunteers.pk}&amp;page=2" in first
    second = client.get(url, {"sort": "number", "group": volunteers.pk, "page": 2}).content.decode()
    assert second.count("<tr data-href") == 5


@pytest.mark.spec("AGENT-01")
def test_an_agent_saves_a_view_sees_it_counted_and_deletes_it_and_nobody_else_reaches_it(
    client, volunteers, alice_agent
):
    mine = make_ticket(volunteers, source=TicketSource.SMS)
    do_assign_ticket(mine, owner=alice_agent, acting_user=None)
    make_ticket(volunteers, source=TicketSource.SMS)
    client.force_login(alice_agent)
    response = client.post(
        reverse("save_view"), {"name": "  My   texts ", "base": "open", "owner": "me", "source": "sms"}
    )
    saved = SavedView.objects.get(owner=alice_agent)
    assert response.url == reverse("saved_view", args=[saved.pk])
    assert saved.name == "My texts" and saved.base == "open" and saved.filters == {"owner": "me", "source": "sms"}
    page = client.get(response.url).content.decode()
    assert "View “My texts” saved." in page and f'data-number="{mine.number}"' in page
    assert '<span class="badge text-bg-light border" data-view-count>1</span>' in page
    menu = client.get(reverse("views_menu")).content.decode()
    assert 'data-saved-view="My texts"' in menu

    refused = client.post(reverse("save_view"), {"name": "   ", "base": "open"}, follow=True)
    assert "Give the view a name." in refused.content.decode() and SavedView.objects.count() == 1

    other = make_agent("erin", "ER", groups=[volunteers])
    client.force_login(other)
    assert client.get(reverse("saved_view", args=[saved.pk])).status_code == 404
    assert client.post(reverse("delete_view", args=[saved.pk])).status_code == 404
    assert 'data-saved-view="My texts"' not in client.get(reverse("views_menu")).content.decode()

    client.force_login(alice_agent)
    client.post(reverse("delete_view", args=[saved.pk]))
    assert not SavedView.objects.exists()


def test_view_pages_are_for_signed_in_agents_and_unknown_views_are_not_found(client, volunteers, alice_agent):
    assert client.get(reverse("ticket_views")).status_code == 302
    assert client.get(reverse("views_menu")).status_code == 302
    client.force_login(alice_agent)
    assert client.get(reverse("ticket_view", args=["nonsense"])).status_code == 404


def test_views_speak_polish_with_seed_001s_words(client, volunteers, alice_agent):
    alice_agent.agent_profile.language = "pl"
    alice_agent.agent_profile.save()
    client.force_login(alice_agent)
    menu = client.get(reverse("views_menu")).content.decode()
    for word in ("Sprawy", "Połączenia", "Poczta", "SMS", "Do odpowiedzi", "Moje sprawy"):
        assert word in menu, word
    page = client.get(reverse("ticket_views")).content.decode()
    assert "Każdy właściciel" in page and "Wszystkie moje grupy" in page


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.spec("CORE-05", "AGENT-01")
def test_view_page_menu_and_counts_cost_the_same_queries_for_10_and_1000_tickets(
    client, volunteers, donations, carol_agent
):
    for n in range(10):
        make_ticket(volunteers if n % 2 else donations, source=TicketSource.PHONE)
    for name in ("Calls", "Mail"):
        SavedView.objects.create(owner=carol_agent, name=name, base="open", filters={"source": "phone"})
    client.force_login(carol_agent)
    urls = [
        reverse("ticket_views"),
        reverse("ticket_view", args=["needs-reply"]) + f"?owner=none&group={volunteers.pk}",
        reverse("saved_view", args=[SavedView.objects.first().pk]),
        reverse("views_menu"),
    ]
    small = [queries(client, url) for url in urls]
    Ticket.objects.bulk_create(
        [
            Ticket(number=10_000 + n, group=volunteers, title=f"t{n}", status=volunteers.statuses.first())
            for n in range(990)
        ]
    )
    SavedView.objects.create(owner=carol_agent, name="SMS", base="mine", filters={"source": "sms"})
    assert [queries(client, url) for url in urls] == small
    saved_views = list(SavedView.objects.filter(owner=carol_agent))
    with CaptureQueriesContext(connection) as counting:
        counts = count_views(carol_agent, saved_views)
    assert len(counting.captured_queries) == 1, "every view's count comes from one aggregate query"
    assert counts["open"] == 1000
