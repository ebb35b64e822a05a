"""Outbound campaigns (CC-06): "create tickets" for the contacts selected in a list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.tickets.models import Activity, ActivityKind, Group, SearchEntry, StatusKind, Ticket, TicketSource
from switchboard.tickets.numbers import take_ticket_number
from switchboard.tickets.outbound import do_create_outbound_tickets
from switchboard.tickets.search import matching_ticket_ids
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket


def many_contacts(count: int, *, reachable: bool = True) -> list[Contact]:
    """``count`` contacts, written in bulk (making 500 one by one would be the slow part)."""
    start = Contact.objects.count()
    contacts = Contact.objects.bulk_create(
        Contact(first_name=f"Lead{start + index}", last_name="Nowak") for index in range(count)
    )
    if reachable:
        ContactPoint.objects.bulk_create(
            ContactPoint(contact=contact, kind=ContactPoint.Kind.PHONE, value=f"+4860{contact.pk:07d}", is_primary=True)
            for contact in contacts
        )
    return contacts


@pytest.mark.spec("CC-06")
def test_tickets_for_500_contacts_are_made_in_one_action_with_a_fixed_number_of_queries(volunteers, alice_agent):
    sales = volunteers
    sales.statuses.filter(is_initial=True).update(is_initial=False)
    to_call = sales.statuses.get(kind=StatusKind.NEEDS_CONTACT)
    to_call.is_initial = True
    to_call.save()
    busy = many_contacts(3)
    open_ones = {contact.pk: make_ticket(sales, contact=contact) for contact in busy}
    unreachable = many_contacts(2, reachable=False)
    fresh = many_contacts(495)
    selected = [*fresh[:250], *busy, *unreachable, *fresh[250:], fresh[0]]  # one chosen twice

    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        summary = do_create_outbound_tickets(sales, selected, title="", acting_user=alice_agent)

    assert len(summary.created) == 495
    assert [(skip.contact.pk, skip.reason) for skip in summary.skipped] == [
        *((c.pk, f"already has an open ticket #{open_ones[c.pk].number}") for c in busy),
        *((c.pk, "no phone and no email to reach them at") for c in unreachable),
    ]
    # A fixed number of queries, and the inserts of three tables, which the database takes in
    # batches: PostgreSQL all 500 rows at once, SQLite (999 parameters a statement) ~45 at a time.
    batches = 3 if connection.vendor == "postgresql" else 3 * 12
    assert len(queries) <= 12 + batches, [q["sql"][:80] for q in queries]
    tickets = Ticket.objects.filter(source=TicketSource.OUTBOUND).select_related("contact", "status")
    assert tickets.count() == 495
    first = tickets.get(contact=fresh[0])
    assert (first.title, first.status, first.is_open) == ("Lead" + first.title[4:], to_call, True)
    assert first.title == f"{fresh[0].first_name} Nowak (Volunteers)"
    numbers = sorted(t.number for t in tickets)
    assert numbers == list(range(numbers[0], numbers[0] + 495))  # consecutive
    assert take_ticket_number() == numbers[-1] + 1  # the next ticket goes on from there
    assert Activity.objects.filter(ticket__in=tickets, kind=ActivityKind.CREATED, actor=alice_agent).count() == 495
    assert SearchEntry.objects.filter(ticket__in=tickets).count() == 990
    found = Ticket.objects.filter(id__in=matching_ticket_ids(fresh[-1].first_name))
    assert list(found) == [tickets.get(contact=fresh[-1])]  # searchable by the contact's name
    # Again for the same contacts: everyone has an open ticket now.
    again = do_create_outbound_tickets(sales, selected, title="Spring offer", acting_user=alice_agent)
    assert again.created == [] and len(again.skipped) == 500


@pytest.mark.spec("CC-06")
def test_the_queries_do_not_grow_with_the_number_of_contacts(volunteers, alice_agent):
    def count_queries(contacts: list[Contact]) -> int:
        with CaptureQueriesContext(connection) as queries:
            do_create_outbound_tickets(volunteers, contacts, title="Spring offer", acting_user=alice_agent)
        return len(queries)

    count_queries(many_contacts(1))  # the ticket counter's row exists from now on
    ten = count_queries(many_contacts(10))
    five_hundred = count_queries(many_contacts(500))
    if connection.vendor == "postgresql":
        assert five_hundred == ten
    else:  # only the batched inserts add statements: 3 tables, ~45 rows a statement
        assert ten < five_hundred <= ten + 3 * 11


@pytest.mark.spec("CC-06")
def test_create_tickets_form_posts_the_checked_contacts_and_shows_what_was_created_and_skipped(
    client, volunteers, donations, alice_agent
):
    maria, jan, nobody = make_contact("Maria", "Lis"), make_contact("Jan", "Kos"), many_contacts(1, reachable=False)[0]
    existing = make_ticket(volunteers, contact=jan)
    client.force_login(alice_agent)
    form = {"group": volunteers.pk, "title": "Spring offer", "contact": [maria.pk, jan.pk, nobody.pk]}

    response = client.post(reverse("create_outbound_tickets"), form)

    page = response.content.decode()
    created = Ticket.objects.get(contact=maria, group=volunteers)
    assert (created.title, created.source) == ("Spring offer", TicketSource.OUTBOUND)
    assert "1 ticket created, 2 contacts skipped." in page
    assert f'<a href="{reverse("ticket", args=[created.number])}">#{created.number}</a> Spring offer' in page
    assert f'Jan Kos: <a href="{reverse("ticket", args=[existing.number])}">already has an open ticket #' in page
    assert "no phone and no email to reach them at" in page
    # A group the agent does not work in is refused, and nothing is made.
    refused = client.post(reverse("create_outbound_tickets"), {**form, "group": donations.pk}, follow=True)
    assert "Select a valid choice" in refused.content.decode()
    assert not Ticket.objects.filter(group=donations).exists()
    nothing = client.post(reverse("create_outbound_tickets"), {"group": volunteers.pk}, follow=True)
    assert "Select the contacts to create tickets for." in nothing.content.decode()


@pytest.mark.spec("CC-06")
def test_the_create_tickets_include_offers_the_agents_groups_and_takes_checkboxes_from_elsewhere(
    volunteers, donations, alice_agent
):
    make_agent("zoe", "ZO", groups=[donations])
    request = RequestFactory().get("/")
    request.user = alice_agent
    page = Template(
        '<input type="checkbox" name="contact" value="1" form="create-tickets">'
        '{% include "contacts/_create_tickets.html" %}'
    ).render(RequestContext(request, {}))
    assert '<form id="create-tickets" method="post" action="/campaigns/create-tickets/"' in page
    assert f'<option value="{volunteers.pk}">Volunteers</option>' in page
    assert "Donations" not in page
    assert "Create tickets</button>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Donations" not in Template('{% include "contacts/_create_tickets.html" %}').render(Context({}))


@pytest.mark.spec("CC-06", "CORE-03")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_ticket_opened_meanwhile_for_a_selected_contact_is_skipped_not_an_error(volunteers, alice_agent):
    import threading

    from django.db import close_old_connections, transaction

    from switchboard.testing.database import wait_for_blocked_connections
    from switchboard.tickets.actions import OpenTicketExistsError, do_create_ticket

    make_ticket(volunteers)  # the ticket number counter exists
    maria, jan = make_contact("Maria", "Lis"), make_contact("Jan", "Kos")
    outcomes: dict[str, object] = {}

    def one_by_one() -> None:
        try:
            outcomes["single"] = do_create_ticket(volunteers, contact=maria, source="phone", acting_user=None)
        except OpenTicketExistsError:
            outcomes["single"] = "refused"
        finally:
            close_old_connections()

    def campaign() -> None:
        try:
            outcomes["campaign"] = do_create_outbound_tickets(volunteers, [maria, jan], acting_user=alice_agent)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=one_by_one), threading.Thread(target=campaign)]
    # Both have found no open ticket of Maria's and wait to insert theirs: the insert's check of
    # its group waits for this lock on the group's row.
    with transaction.atomic():
        Group.objects.select_for_update().get(pk=volunteers.pk)
        for thread in threads:
            thread.start()
        wait_for_blocked_connections(2)
    for thread in threads:
        thread.join(timeout=60)

    summary = outcomes["campaign"]
    assert Ticket.objects.filter(contact=maria, group=volunteers, closed_at__isnull=True).count() == 1
    assert Ticket.objects.filter(contact=jan, group=volunteers, closed_at__isnull=True).count() == 1
    if outcomes["single"] == "refused":  # the campaign was first
        assert {t.contact_id for t in summary.created} == {maria.pk, jan.pk}
    else:
        assert [t.contact_id for t in summary.created] == [jan.pk]
        assert [s.contact.pk for s in summary.skipped] == [maria.pk]
