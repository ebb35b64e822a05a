"""The demo data in English and in Polish (issue 19): a Polish installation tries the desk out on
Polish groups, contacts, messages and canned responses, and seed 000's reply loop runs on it."""

from __future__ import annotations

import re

import pytest

from switchboard.contacts.models import Contact
from switchboard.phone.demo import load_phone_demo
from switchboard.tickets.demo import demo_choice, load_demo_data, offer_demo_data
from switchboard.tickets.models import Activity, CannedResponse, Group, StatusKind, Ticket

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = re.compile(r"\b(the|and|would|please|thank|ticket|voicemail)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.spec("CORE-01", "MAIL-05")
def test_the_polish_demo_has_polish_groups_contacts_messages_and_canned_responses(client):
    load_demo_data("pl")
    load_phone_demo("pl")

    assert {"Wolontariusze", "Darowizny", "Informacje"} <= set(Group.objects.values_list("name", flat=True))
    assert set(Group.objects.values_list("language", flat=True)) == {"pl"}
    assert set(Contact.objects.values_list("language", flat=True)) == {"pl"}
    assert Contact.objects.filter(first_name="Małgorzata", last_name="Wójcik").exists()
    assert all(
        phone.startswith("+48") for phone in Contact.objects.values_list("points__value", flat=True) if phone[0] == "+"
    )
    words = [
        *Ticket.objects.values_list("title", flat=True),
        *Activity.objects.exclude(body="").values_list("body", flat=True),
        *CannedResponse.objects.values_list("title", flat=True),
        *CannedResponse.objects.values_list("body_html", flat=True),
    ]
    assert words and not [text for text in words if ENGLISH_WORDS.search(text)]

    volunteers = Group.objects.get(name="Wolontariusze")
    assert volunteers.owner_on_open  # seed 000: whoever opens a ticket takes it
    assert volunteers.canned_responses.filter(body_html__contains="[Wpisz terminy]").exists()
    assert volunteers.tickets.filter(status__kind=StatusKind.NEEDS_CONTACT, owner=None).count() >= 3

    client.force_login(volunteers.memberships.get(user__username="grzegorz").user)
    page = client.get("/").content.decode()
    assert "Wolontariusze" in page
    assert "Pulpit" in page  # the demo's agents read Polish pages whatever their browser asks
    page = client.get(f"/groups/{volunteers.slug}/").content.decode()
    assert "Zadzwoń do kontaktu" in page and "Call the contact" not in page  # status pills in Polish


@pytest.mark.spec("MAIL-05")
def test_the_english_demo_stays_english_and_runs_seed_000s_loop_in_volunteers():
    load_demo_data()

    volunteers = Group.objects.get(name="Volunteers")
    assert volunteers.owner_on_open and volunteers.language == "en"
    assert volunteers.canned_responses.filter(body_html__contains="[Enter dates]").exists()
    assert set(Contact.objects.values_list("language", flat=True)) == {""}
    assert Ticket.objects.get(contact__first_name="Maria").title == "Joining the Saturday sorting shift"


def test_the_demo_language_is_named_or_follows_the_terminal(monkeypatch, capsys):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "pl_PL.UTF-8")
    assert demo_choice("--demo") == "pl"
    assert demo_choice("1") == "pl"
    assert demo_choice("--demo=en") == "en"
    assert demo_choice("--no-demo") == ""
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert demo_choice("yes") == "en"
    assert demo_choice("pl") == "pl"

    assert offer_demo_data(answer=None, default_from_env="pl") == "pl"
    assert Group.objects.filter(name="Wolontariusze").exists()
    assert offer_demo_data(answer="--demo=en", default_from_env="") == ""  # loaded once only
    assert "password" in capsys.readouterr().out
