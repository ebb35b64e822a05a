from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import normalise_phone


def test_emails_and_phones_are_stored_normalised(db):
    contact = do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=" Maria ",
        last_name="Garcia",
        emails=["Maria.Garcia@Example.ORG"],
        phones=["+48 601 234 567"],
        acting_user=None,
    )
    assert set(contact.points.values_list("kind", "value")) == {
        ("email", "maria.garcia@example.org"),
        ("phone", "+48601234567"),
    }
    assert contact.display_name == "Maria Garcia" and contact.greeting_name == "Maria"


def test_a_national_number_is_read_in_the_given_region():
    assert normalise_phone("(541) 555-0101", region="US") == "+15415550101"


@pytest.mark.parametrize(("kind", "raw"), [("email", "not an address"), ("phone", "12"), ("phone", "call me")])
def test_a_malformed_address_or_number_is_refused_with_a_clear_error_and_nothing_is_stored(db, kind, raw):
    with pytest.raises(ValidationError) as refused:
        do_create_contact(
            kind=Contact.Kind.PERSON,
            first_name="X",
            emails=[raw] if kind == "email" else [],
            phones=[raw] if kind == "phone" else [],
            acting_user=None,
        )
    assert raw in str(refused.value)
    assert not Contact.objects.exists()


def test_an_address_belongs_to_one_contact_only(db):
    do_create_contact(kind=Contact.Kind.PERSON, first_name="A", emails=["a@example.org"], acting_user=None)
    with pytest.raises(IntegrityError):
        do_create_contact(kind=Contact.Kind.COMPANY, company_name="B", emails=["A@example.org"], acting_user=None)
    assert ContactPoint.objects.count() == 1


def test_a_company_is_named_by_its_company_name(db):
    acme = do_create_contact(kind=Contact.Kind.COMPANY, company_name="Acme Sp. z o.o.", acting_user=None)
    assert acme.display_name == acme.greeting_name == "Acme Sp. z o.o."


def test_the_admin_cannot_change_a_contacts_kind(client, dave_admin):
    contact = do_create_contact(kind=Contact.Kind.PERSON, first_name="Ewa", acting_user=None)
    client.force_login(dave_admin)
    page = client.get(f"/admin/contacts/contact/{contact.pk}/change/").content.decode()
    assert 'name="kind"' not in page
