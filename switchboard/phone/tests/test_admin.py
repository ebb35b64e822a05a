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
