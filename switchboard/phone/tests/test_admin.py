"""An administrator sets a number up: the number, its account, the auth token (stored
encrypted) and its menu (PHONE-01)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.phone.models import PhoneNumber
from switchboard.phone.tests.conftest import ACCOUNT_SID, AUTH_TOKEN

pytestmark = pytest.mark.django_db


@pytest.mark.spec("PHONE-01")
def test_an_administrator_adds_a_number_with_its_menu(client, dave_admin, volunteers, donations, settings):
    settings.PHONE_REGION = "PL"
    client.force_login(dave_admin)
    form = {
        "number": "22 123 45 67",
        "account_sid": ACCOUNT_SID,
        "new_auth_token": AUTH_TOKEN,
        "language": "pl",
        "default_group": volunteers.pk,
        "enabled": "on",
        "menu-TOTAL_FORMS": "2",
        "menu-INITIAL_FORMS": "0",
        "menu-MIN_NUM_FORMS": "0",
        "menu-MAX_NUM_FORMS": "1000",
        "menu-0-digit": "1",
        "menu-0-group": volunteers.pk,
        "menu-1-digit": "2",
        "menu-1-group": donations.pk,
    }
    response = client.post(reverse("admin:phone_phonenumber_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    number = PhoneNumber.objects.get()
    assert number.number == "+48221234567"
    assert number.auth_token == AUTH_TOKEN and AUTH_TOKEN not in number.auth_token_encrypted
    assert [(entry.digit, entry.group) for entry in number.menu.all()] == [("1", volunteers), ("2", donations)]
    page = client.get(reverse("admin:phone_phonenumber_change", args=[number.pk])).content.decode()
    assert AUTH_TOKEN not in page  # never shown again


def test_a_number_without_a_token_is_refused(client, dave_admin, volunteers):
    client.force_login(dave_admin)
    form = {
        "number": "+48221234567",
        "account_sid": ACCOUNT_SID,
        "language": "en",
        "default_group": volunteers.pk,
        "menu-TOTAL_FORMS": "0",
        "menu-INITIAL_FORMS": "0",
        "menu-MIN_NUM_FORMS": "0",
        "menu-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:phone_phonenumber_add"), form)
    assert response.status_code == 200
    assert "Needed to check that calls and texts come from the provider." in response.content.decode()
    assert not PhoneNumber.objects.exists()


@pytest.mark.spec("PHONE-02")
def test_an_administrator_marks_a_contact_as_having_an_appointment(client, dave_admin):
    from switchboard.contacts.actions import do_create_contact
    from switchboard.contacts.models import Contact

    contact = do_create_contact(kind=Contact.Kind.PERSON, last_name="Nowak", phones=["+48601234567"], acting_user=None)
    point = contact.points.get()
    client.force_login(dave_admin)
    form = {
        "first_name": "",
        "last_name": "Nowak",
        "company_name": "",
        "has_appointment": "on",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "1",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-id": point.pk,
        "points-0-contact": contact.pk,
        "points-0-kind": "phone",
        "points-0-value": "+48601234567",
        "points-0-is_primary": "on",
    }
    response = client.post(reverse("admin:contacts_contact_change", args=[contact.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact.refresh_from_db()
    assert contact.has_appointment


def test_the_demo_has_a_number_with_a_menu_and_a_voicemail_with_audio_and_transcript(db, settings, tmp_path):
    from switchboard.phone.demo import DEMO_NUMBER, load_phone_demo
    from switchboard.tickets.demo import load_demo_data
    from switchboard.tickets.models import Activity, ActivityKind, Group

    settings.DATA_DIR = tmp_path
    load_demo_data()
    load_phone_demo()
    number = PhoneNumber.objects.get(number=DEMO_NUMBER)
    assert number.menu.count() == Group.objects.count() == 6  # a digit for each group, the campaign's too
    voicemail = Activity.objects.get(kind=ActivityKind.VOICEMAIL)
    assert "volunteer" in voicemail.body and voicemail.attachments.get().is_audio
    load_phone_demo()  # once only
    assert PhoneNumber.objects.count() == 1
