"""The Audit log page (ADMIN-03): administrators only, searchable, paged, in words a person reads,
with a CSV; entries cannot be changed or removed, not even through the admin."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError, InternalError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.audit.context import acting_request
from switchboard.audit.models import AuditEntry, AuditError
from switchboard.audit.recorder import record
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent

pytestmark = pytest.mark.spec("ADMIN-03")


@pytest.fixture
def mona_manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


def test_only_administrators_see_the_log_and_its_link(client, alice_agent, mona_manager, dave_admin):
    url = reverse("audit_log")
    assert client.get(url).status_code == 302  # to the sign-in page
    for person in (alice_agent, mona_manager):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.get(reverse("audit_log_csv")).status_code == 403
        assert url not in client.get(reverse("agent_settings")).content.decode()
    client.force_login(dave_admin)
    assert client.get(url).status_code == 200
    assert f'href="{url}"' in client.get(reverse("agent_settings")).content.decode()


def test_the_page_shows_changes_in_words_and_searches_by_who_kind_text_and_dates(client, volunteers, dave_admin):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        volunteers.assignment_rule = "least_load"
        volunteers.retention_days = 30
        volunteers.save()
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        request = RequestFactory().post("/admin/", REMOTE_ADDR="192.0.2.1")
        request.user = dave_admin
        with acting_request(request):  # as AuditMiddleware does for a page's request
            membership = Membership.objects.create(user=dave_admin, group=volunteers, role=Membership.Role.MANAGER)
    client.force_login(dave_admin)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Assign new tickets to" in page  # the field's name, not assignment_rule
    assert "Do not assign" in page and "The available agent with the fewest open tickets" in page  # choice labels
    assert "the system" in page

    def found(**query: str) -> str:
        return client.get(reverse("audit_log"), query).content.decode()

    fewest = "The available agent with the fewest open tickets"  # only the change of 2 March says it
    assert fewest not in found(kind="tickets.membership") and "Manager" in found(kind="tickets.membership")
    assert fewest in found(since="2026-03-01", until="2026-03-03")
    assert fewest not in found(since="2026-03-04") and fewest not in found(until="2026-03-01")
    assert fewest in found(text="least_load") and fewest not in found(text="nothing-like-it")
    assert "data-audit-entry" not in found(who="dave", kind="tickets.group")
    assert str(membership) in found(who="dave") and "192.0.2.1" in found(who="dave")


def test_the_page_is_paged_and_costs_the_same_queries_for_ten_or_a_thousand_entries(client, dave_admin):
    client.force_login(dave_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audit_log")).status_code == 200
        return len(captured)

    AuditEntry.objects.bulk_create(
        AuditEntry(
            action="change",
            object_type="tickets.group",
            object_label=f"Group {n}",
            changes=[{"field": "name", "old": "a", "new": "b"}],
        )
        for n in range(10)
    )
    few = queries()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action="change",
            object_type="tickets.group",
            object_label=f"Group {n}",
            changes=[{"field": "name", "old": "a", "new": "b"}],
        )
        for n in range(990)
    )
    assert queries() == few
    page = client.get(reverse("audit_log"), {"page": 2}).content.decode()
    assert page.count("data-audit-entry=") == 50 and "2 / 21" in page


def test_the_csv_has_one_row_per_field_changed_in_words(client, volunteers, dave_admin):
    volunteers.assignment_rule = "least_load"
    volunteers.save()
    record("sign_in_failed", label="mallory", actor_name="mallory", address="198.51.100.9")
    client.force_login(dave_admin)
    response = client.get(reverse("audit_log_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["When", "Who", "Address", "Action", "Kind", "Object", "Field", "Before", "After"]
    by_object = {(row[5], row[6], row[3]): row for row in rows[1:]}
    change = by_object[("Volunteers", "Assign new tickets to", "Changed")]
    assert change[1:5] == ["", "system", "Changed", "Group"]
    assert change[7:] == ["Do not assign", "The available agent with the fewest open tickets"]
    failed = by_object[("mallory", "", "Failed sign-in")]
    assert failed[1:5] == ["mallory", "198.51.100.9", "Failed sign-in", "Sign-in"]


def test_entries_cannot_be_changed_or_removed(client, volunteers, dave_admin):
    volunteers.signature = "Hello"
    volunteers.save()
    entry = AuditEntry.objects.get(object_type="tickets.group", action="change")
    entry.address = "forged"
    with pytest.raises(AuditError):
        entry.save()
    with pytest.raises(AuditError):
        entry.delete()
    with pytest.raises(AuditError):
        AuditEntry.objects.filter(pk=entry.pk).update(address="forged")
    with pytest.raises(AuditError):
        AuditEntry.objects.filter(pk=entry.pk).delete()

    client.force_login(dave_admin)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.post(change_url, {"address": "forged"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.address == "system"


@pytest.mark.postgres_only
def test_the_database_refuses_to_change_an_entry(volunteers):
    volunteers.signature = "Hello"
    volunteers.save()
    table = AuditEntry._meta.db_table
    for statement in (f"UPDATE {table} SET address = 'forged'", f"DELETE FROM {table}"):  # noqa: S608 - our own table's name
        with pytest.raises((InternalError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEntry.objects.filter(address="system").count() == AuditEntry.objects.count() > 0


def test_the_page_speaks_polish_with_field_names_choices_and_built_in_statuses_translated(
    client, volunteers, dave_admin
):
    volunteers.assignment_rule = "least_load"
    volunteers.save()
    status = volunteers.statuses.get(kind="waiting_contact")
    status.name = "Czeka na wolontariusza"
    status.save()
    dave_admin.agent_profile.language = "pl"
    dave_admin.agent_profile.save()
    client.force_login(dave_admin)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Dziennik zmian" in page and "Przydzielaj nowe sprawy" in page and "Nie przydzielaj" in page
    assert "Czeka na kontakt" in page and "Waiting for the contact" not in page  # the built-in name, in Polish
    assert "Grupa" in page and ">Group<" not in page


def test_working_hours_and_a_canned_responses_paragraphs_read_as_words_in_english_and_polish(
    client, volunteers, dave_admin
):
    from switchboard.tickets.models import CannedResponse, ServiceLevel

    week = {str(day): [["08:00", "18:00"]] for day in range(5)} | {"5": [["09:00", "13:00"]]}
    level = ServiceLevel.objects.create(group=volunteers, week=week)
    level.week = {}
    level.save()
    CannedResponse.objects.create(group=volunteers, title="Tour", body_html="<p>Friday at 9.</p><p>Wear shoes.</p>")
    client.force_login(dave_admin)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Mon–Fri 08:00–18:00, Sat 09:00–13:00" in page and "round the clock" in page
    assert "[[" not in page and "&#x27;08:00&#x27;" not in page  # no stored form
    assert "Friday at 9.\n\nWear shoes." in page  # two paragraphs, not "9.Wear"
    dave_admin.agent_profile.language = "pl"
    dave_admin.agent_profile.save()
    page = client.get(reverse("audit_log")).content.decode()
    assert "pon–pt 08:00–18:00, sob 09:00–13:00" in page and "całą dobę" in page
