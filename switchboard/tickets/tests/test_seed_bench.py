"""`switchboard seed-bench`: benchmark data that the pages and search treat like real data."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Min

from switchboard.contacts.models import Contact
from switchboard.tickets.models import Activity, ActivityKind, Group, StatusKind, Ticket
from switchboard.tickets.selectors import list_closed_tickets, list_group_counts, list_open_tickets


def seed(tickets: int, seed: int) -> str:
    out = io.StringIO()
    call_command("seed_bench", tickets=tickets, groups=3, agents=6, seed=seed, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_seeded_tickets_keep_the_rules_of_real_ones(dave_admin):
    report = seed(400, seed=7)
    assert "tickets #1–#400" in report
    assert Ticket.objects.count() == 400
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 401))

    open_tickets = Ticket.objects.filter(closed_at__isnull=True)
    closed_tickets = Ticket.objects.filter(closed_at__isnull=False)
    assert open_tickets.exists() and closed_tickets.exists()
    assert not open_tickets.filter(status__kind__in=StatusKind.closed_kinds()).exists()
    assert not closed_tickets.exclude(status__kind__in=StatusKind.closed_kinds()).exists()
    # CORE-03: never two open tickets for one contact in one group.
    pairs = open_tickets.exclude(contact=None).values("contact", "group").annotate(n=Count("id"))
    assert max(pair["n"] for pair in pairs) == 1
    # Every ticket has a timeline that starts with its creation and a first message.
    per_ticket = Activity.objects.values("ticket").annotate(n=Count("id"))
    assert min(row["n"] for row in per_ticket) >= 5
    assert Activity.objects.filter(kind=ActivityKind.CREATED).count() == 400
    # The reports' first response: each ticket's first answer from an agent, as a reply keeps it.
    answers = Activity.objects.filter(kind__in=ActivityKind.answer_kinds(), actor__isnull=False)
    first_answers = dict(answers.values("ticket").annotate(first=Min("created_at")).values_list("ticket", "first"))
    assert first_answers, "some seeded tickets are answered"
    assert dict(Ticket.objects.values_list("pk", "first_replied_at")) == {
        pk: first_answers.get(pk) for pk in Ticket.objects.values_list("pk", flat=True)
    }

    counts = {row.group.pk: row.open_total for row in list_group_counts(dave_admin)}
    for group in Group.objects.all():
        assert len(list_open_tickets(group, user=dave_admin)) == counts[group.pk]


@pytest.mark.django_db
def test_seeded_correspondence_and_names_are_searchable(dave_admin):
    seed(200, seed=11)
    groups = Group.objects.all()
    closed = Ticket.objects.filter(closed_at__isnull=False).select_related("contact")
    person = next(ticket.contact for ticket in closed if ticket.contact and ticket.contact.last_name)
    found = list_closed_tickets(groups, user=dave_admin, text=person.last_name, limit=1000)
    assert found and all(person.last_name in ticket.contact.display_name for ticket in found if ticket.contact)
    assert list_closed_tickets(groups, user=dave_admin, text="refund", limit=1000)


@pytest.mark.django_db
def test_a_second_run_adds_to_what_is_there(dave_admin):
    seed(50, seed=1)
    contacts = Contact.objects.count()
    report = seed(50, seed=1)  # the same seed again: taken names and addresses get another form
    assert "tickets #51–#100" in report
    assert Ticket.objects.count() == 100
    assert Contact.objects.count() == 2 * contacts
    assert Group.objects.count() == 6


@pytest.mark.django_db
def test_refuses_nonsense_sizes():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_bench", tickets=0)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_on_postgresql_the_text_indexes_are_there_after_a_seed_that_rebuilt_them(dave_admin):
    seed(60, seed=3)  # more than the database held: COPY, and the GIN indexes built after the rows
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '% USING gin %'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"tickets_searchentry_text_fts", "contacts_contact_search_trgm"} <= indexes
    assert list_closed_tickets(Group.objects.all(), user=dave_admin, text="refund", limit=1000)
