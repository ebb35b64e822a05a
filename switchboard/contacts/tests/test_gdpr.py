"""Contacts' consents, merge, export and erasure (CC-01), through their pages."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Consent, ConsentPurpose, Contact, ContactEvent, ContactPoint
from switchboard.contacts.scrub import Scrubber
from switchboard.tickets.actions import do_add_note, do_close_ticket
from switchboard.tickets.models import Activity, ActivityKind, Membership, SearchEntry, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("CC-01")


@pytest.fixture
def mona_manager(volunteers, donations):
    """A manager of both groups."""
    return make_agent("mona", "MO", groups=[volunteers, donations], role=Membership.Role.MANAGER)


@pytest.fixture
def marketing(db):
    return ConsentPurpose.objects.create(name="Marketing calls", name_pl="Telefony marketingowe", position=1)


def person(first: str, last: str, *, email: str, phone: str = "") -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=first,
        last_name=last,
        emails=[email],
        phones=[phone] if phone else [],
        acting_user=None,
    )


# --- merge ------------------------------------------------------------------------------------


def test_merging_a_duplicate_merges_their_open_tickets_of_one_group_after_saying_so(
    client, volunteers, donations, mona_manager, marketing
):
    kept = person("Maria", "Garcia", email="maria@example.org")
    duplicate = person("Maria", "Garcia-Lopez", email="mgl@example.org", phone="+48601111222")
    duplicate_closed = make_ticket(volunteers, contact=duplicate)
    do_close_ticket(duplicate_closed, acting_user=mona_manager)
    kept_open = make_ticket(volunteers, contact=kept)
    duplicate_open = make_ticket(volunteers, contact=duplicate)  # the same group: one must go
    duplicate_other_group = make_ticket(donations, contact=duplicate)
    third = make_ticket(donations)
    third.cc_contacts.add(duplicate)
    Consent.objects.create(contact=duplicate, purpose=marketing, given=True, method=Consent.Method.PHONE)
    client.force_login(mona_manager)

    found = client.get(reverse("contact_merge", args=[kept.pk]), {"q": "601 111"})
    assert reverse("contact_merge_confirm", args=[kept.pk, duplicate.pk]) in found.content.decode()

    page = client.get(reverse("contact_merge_confirm", args=[kept.pk, duplicate.pk]))
    (conflict,) = page.context["conflicts"]
    assert (conflict.ticket, conflict.into) == (duplicate_open, kept_open)
    text = page.content.decode()
    assert f"#{duplicate_open.number}" in text and f"will be merged into #{kept_open.number}" in text
    assert f"#{duplicate_other_group.number}" not in text  # no conflict there: it simply moves

    response = client.post(
        reverse("contact_merge_confirm", args=[kept.pk, duplicate.pk]),
        {"pair": f"{duplicate_open.number}:{kept_open.number}"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contact", args=[kept.pk])

    duplicate_open.refresh_from_db()
    assert duplicate_open.merged_into == kept_open and not duplicate_open.is_open
    assert list(Ticket.objects.filter(contact=kept, group=volunteers, closed_at__isnull=True)) == [kept_open]
    assert set(Ticket.objects.filter(contact=kept)) == {
        kept_open,
        duplicate_open,
        duplicate_other_group,
        duplicate_closed,
    }
    assert list(third.cc_contacts.all()) == [kept]
    assert set(ContactPoint.objects.filter(contact=kept).values_list("value", flat=True)) == {
        "maria@example.org",
        "mgl@example.org",
        "+48601111222",
    }
    assert Consent.objects.get().contact == kept
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    # History: on the kept contact, on the moved ticket, and the tickets' merge.
    event = ContactEvent.objects.get(contact=kept, kind=ContactEvent.Kind.MERGED)
    assert f"Ticket #{duplicate_open.number} merged into #{kept_open.number}" in event.body
    moved = Activity.objects.filter(ticket=duplicate_other_group, kind=ActivityKind.CHANGED).last()
    assert moved.changes == [{"field": "contact", "old": "Maria Garcia-Lopez", "new": "Maria Garcia"}]
    assert Activity.objects.filter(ticket=kept_open, kind=ActivityKind.MERGED).exists()
    # The moved tickets are found by the kept contact's name.
    entries = SearchEntry.objects.filter(ticket=duplicate_other_group, source=SearchEntry.Source.CONTACT)
    assert list(entries.values_list("source_id", "text")) == [(kept.pk, "Maria Garcia")]
    # The merged contact's pages lead to the kept one.
    assert client.get(reverse("contact", args=[duplicate.pk]))["Location"] == reverse("contact", args=[kept.pk])


def test_a_merge_whose_tickets_changed_since_the_confirmation_is_refused(client, volunteers, mona_manager):
    kept, duplicate = make_contact("Jan", "Nowak"), make_contact("Jan", "Nowak")
    make_ticket(volunteers, contact=kept)
    make_ticket(volunteers, contact=duplicate)  # opened after the page was shown: not confirmed
    client.force_login(mona_manager)

    response = client.post(reverse("contact_merge_confirm", args=[kept.pk, duplicate.pk]), {})

    assert response.status_code == 400
    assert "open tickets changed since you looked" in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert Ticket.objects.filter(contact=duplicate).count() == 1


# --- consents ---------------------------------------------------------------------------------


def test_giving_withdrawing_and_giving_again_keeps_the_whole_history(client, volunteers, alice_agent, marketing):
    contact = make_contact("Ewa", "Lis")
    make_ticket(volunteers, contact=contact)
    client.force_login(alice_agent)
    url = reverse("contact_record_consent", args=[contact.pk])

    for given, method, note in [("1", "phone", "On the call"), ("0", "email", ""), ("1", "in_person", "At the desk")]:
        response = client.post(url, {"purpose": marketing.pk, "method": method, "given": given, "note": note})
        assert response.status_code == 302

    records = list(Consent.objects.filter(contact=contact).order_by("recorded_at", "id"))
    assert [(r.given, r.method, r.recorded_by) for r in records] == [
        (True, "phone", alice_agent),
        (False, "email", alice_agent),
        (True, "in_person", alice_agent),
    ]
    page = client.get(reverse("contact", args=[contact.pk]))
    (state,) = [s for s in page.context["states"] if s.purpose == marketing]
    assert state.given and len(state.history) == 3
    text = page.content.decode()
    assert 'data-state="given"' in text and "History (3 entries)" in text and "At the desk" in text


def test_the_consents_panel_speaks_polish(client, volunteers, alice_agent, marketing):
    contact = make_contact("Ewa", "Lis")
    make_ticket(volunteers, contact=contact)
    client.force_login(alice_agent)
    client.cookies["django_language"] = "pl"

    text = client.get(reverse("contact", args=[contact.pk])).content.decode()

    assert "Zgody" in text and "Telefony marketingowe" in text and "Nie pytano" in text


# --- export -----------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_contact_as_json_and_as_a_page(
    client, volunteers, mona_manager, marketing
):
    contact = person("Olga", "Wiśniewska", email="olga@example.org", phone="+48602333444")
    ticket = make_ticket(volunteers, contact=contact)
    do_add_note(ticket, body="She prefers calls after 17:00", acting_user=mona_manager)
    Consent.objects.create(contact=contact, purpose=marketing, given=True, method=Consent.Method.WEB_FORM)
    Consent.objects.create(contact=contact, purpose=marketing, given=False, method=Consent.Method.PHONE)
    client.force_login(mona_manager)

    response = client.get(reverse("contact_export_json", args=[contact.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="contact-{contact.pk}.json"'
    data = json.loads(response.content)
    assert data["contact"]["last_name"] == "Wiśniewska"
    assert {p["value"] for p in data["emails_and_phones"]} == {"olga@example.org", "+48602333444"}
    assert [c["given"] for c in data["consents"]] == [True, False]
    (exported,) = data["tickets"]
    assert exported["number"] == ticket.number
    assert "She prefers calls after 17:00" in [entry["text"] for entry in exported["timeline"]]

    page = client.get(reverse("contact_export", args=[contact.pk])).content.decode()
    for expected in [
        "Wiśniewska",
        "olga@example.org",
        "+48602333444",
        "Marketing calls",
        "She prefers calls after 17:00",
    ]:
        assert expected in page


def test_the_export_holds_the_address_own_fields_labels_and_form_values_in_words(client, volunteers, mona_manager):
    """Everything held includes what the contact's page and the campaign's form hold: the
    address, the installation's own fields, each phone's label, and the form's values under
    the fields' names (a choice by its words, never by its key)."""
    from switchboard.contacts.actions import ContactDetails, PointInput, do_add_contact
    from switchboard.contacts.models import ContactField
    from switchboard.tickets.group_forms import do_add_form_field, do_save_ticket_form

    segment = ContactField.objects.create(name="Segment", kind=ContactField.Kind.CHOICE, choices="Donor\nCompany")
    contact = do_add_contact(
        Contact.Kind.PERSON,
        details=ContactDetails(
            first_name="Olga",
            last_name="Wiśniewska",
            points=[PointInput("phone", "+48602333444", ContactPoint.Label.MOBILE)],
            street="ul. Lipowa 3",
            postcode="00-001",
            city="Warszawa",
            custom_values={str(segment.pk): "Donor"},
        ),
        acting_user=None,
    )
    interest = do_add_form_field(
        volunteers, label="Interest", kind="choice", choices=["Monthly gift", "Not now"], acting_user=mona_manager
    )
    ticket = make_ticket(volunteers, contact=contact)
    answers = QueryDict(mutable=True)
    answers[f"field-{interest.pk}"] = interest.choices[0]["key"]
    do_save_ticket_form(ticket, data=answers, expected_version=ticket.version, acting_user=mona_manager)
    client.force_login(mona_manager)

    data = json.loads(client.get(reverse("contact_export_json", args=[contact.pk])).content)
    assert (data["contact"]["street"], data["contact"]["city"]) == ("ul. Lipowa 3", "Warszawa")
    assert data["custom_fields"] == [{"field": "Segment", "value": "Donor"}]
    assert data["emails_and_phones"][0]["label"] == "Mobile"
    assert data["tickets"][0]["form"] == [{"field": "Interest", "value": "Monthly gift"}]

    page = client.get(reverse("contact_export", args=[contact.pk])).content.decode()
    for expected in ["ul. Lipowa 3", "00-001 Warszawa", "Segment", "Donor", "Mobile", "Interest", "Monthly gift"]:
        assert expected in page
    assert ": c1" not in page  # the choice's key


# --- permissions ------------------------------------------------------------------------------


def test_an_agent_may_neither_erase_nor_merge_nor_export(client, volunteers, alice_agent):
    contact, other = make_contact("Ewa", "Lis"), make_contact("Ewa", "Lis")
    make_ticket(volunteers, contact=contact)
    make_ticket(volunteers, contact=other)
    client.force_login(alice_agent)

    assert client.get(reverse("contact_erase", args=[contact.pk])).status_code == 403
    assert client.post(reverse("contact_erase", args=[contact.pk]), {"confirm": "yes"}).status_code == 403
    assert client.post(reverse("contact_merge_confirm", args=[contact.pk, other.pk]), {}).status_code == 403
    assert client.get(reverse("contact_export_json", args=[contact.pk])).status_code == 403
    contact.refresh_from_db()
    other.refresh_from_db()
    assert contact.erased_at is None and other.merged_into is None
    assert "Erase" not in client.get(reverse("contact", args=[contact.pk])).content.decode()


def test_a_manager_of_only_one_of_the_contacts_groups_may_not_erase_it(client, volunteers, donations):
    manager = make_agent("vic", "VI", groups=[volunteers], role=Membership.Role.MANAGER)
    contact = make_contact("Ewa", "Lis")
    make_ticket(volunteers, contact=contact)
    make_ticket(donations, contact=contact)
    client.force_login(manager)

    assert client.post(reverse("contact_erase", args=[contact.pk]), {"confirm": "yes"}).status_code == 403
    contact.refresh_from_db()
    assert contact.erased_at is None


def test_erasure_needs_the_box_ticked(client, volunteers, mona_manager):
    contact = make_contact("Ewa", "Lis")
    make_ticket(volunteers, contact=contact)
    client.force_login(mona_manager)

    response = client.post(reverse("contact_erase", args=[contact.pk]), {})

    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    contact.refresh_from_db()
    assert contact.erased_at is None


# --- the scrubber -----------------------------------------------------------------------------


def test_names_addresses_and_numbers_are_found_in_the_ways_people_write_them():
    scrubber = Scrubber(
        names=["Zbigniew", "Żółkiewski"], emails=["zz@example.org"], phones=["+48601999888"], placeholder="[x]"
    )
    text = (
        "Panie Zbigniewie, pan Żółkiewskiego i ZOLKIEWSKI, ZZ@Example.org, "
        "+48 601 999 888, 0048601999888, 601-999-888; January 601999887"
    )

    assert scrubber.text(text) == "Panie [x], pan [x] i [x], [x], [x], [x], [x]; January 601999887"


def test_the_export_costs_the_same_queries_for_many_tickets_as_for_few(volunteers, donations, mona_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from switchboard.tickets.contact_export import export_contact

    def queries_for(tickets: int) -> int:
        contact = make_contact("Ewa", "Lis")
        for n in range(tickets):
            ticket = make_ticket(volunteers if n % 2 else donations, contact=contact)
            do_add_note(ticket, body=f"Note {n}", acting_user=mona_manager)
            do_close_ticket(ticket, acting_user=mona_manager)
        with CaptureQueriesContext(connection) as captured:
            data = export_contact(contact)
        assert len(data["tickets"]) == tickets
        return len(captured)

    assert queries_for(2) == queries_for(20)
