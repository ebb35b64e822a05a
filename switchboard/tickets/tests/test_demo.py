"""The demo data in English and in Polish (issue 19): a Polish installation tries the desk out on
Polish groups, contacts, messages and canned responses, and seed 000's reply loop runs on it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from switchboard.contacts.models import Contact
from switchboard.phone.demo import load_phone_demo
from switchboard.tickets.demo import demo_choice, load_demo_data, offer_demo_data
from switchboard.tickets.models import Activity, ActivityKind, CannedResponse, Group, StatusKind, Ticket

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


# --- the contact center of seed 001 (issue 13) ---------------------------------------------------

CENTER_WORDS = {
    "en": {
        "campaign": "Fundraising",
        "purposes": ["Processing for the service", "Marketing calls", "Newsletter"],
        "fields": ["Customer number", "Segment"],
        "segment": "Volunteer",
        "street": "12 Orchard Lane",
        "callbacks": ["Private callback", "Public callback"],
        "success": "Pledged",
        "cancelled": "Pledge withdrawn",
        "form": ["Interest", "Amount pledged ($)", "First gift on", "Send a thank-you letter", "Call notes"],
        "choice": "Monthly gift",
        "contact": "Shah",
        "page": ["Call list", "Overdue", "Marketing calls", "Withdrawn"],
        "outbound": "Outbound campaign",
    },
    "pl": {
        "campaign": "Pozyskiwanie darczyńców",
        "purposes": ["Przetwarzanie w celu obsługi", "Telefony marketingowe", "Newsletter"],
        "fields": ["Numer klienta", "Segment"],
        "segment": "Wolontariusz",
        "street": "ul. Ogrodowa 12 m. 4",
        "callbacks": ["Oddzwonienie prywatne", "Oddzwonienie publiczne"],
        "success": "Wsparcie zadeklarowane",
        "cancelled": "Deklaracja wycofana",
        "form": ["Zainteresowanie", "Zadeklarowana kwota (zł)", "Pierwsza wpłata", "Wysłać list z podziękowaniem"],
        "choice": "Darowizna co miesiąc",
        "contact": "Krawczyk",
        "page": ["Lista połączeń", "Po terminie", "Telefony marketingowe", "Wycofana"],
        "outbound": "Kampania wychodząca",
    },
}


@pytest.mark.spec("CC-01", "CC-03", "CC-04", "CC-06", "CORE-04")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_shows_the_contact_center_in_its_language(client, language):
    """`--demo` and `--demo=pl` show seed 001: consents given and withdrawn by agents, the
    contacts' own fields with values, labelled phones and an address, a campaign with callback
    statuses, a form with typed fields and status buttons, outbound tickets with the form filled
    in, callbacks overdue, later today (Anna's, private) and tomorrow, and pledges closed with
    success and cancelled."""
    from switchboard.contacts.models import Consent, ConsentPurpose, ContactField, ContactPoint
    from switchboard.tickets.models import Callback, TicketSource

    words = CENTER_WORDS[language]
    load_demo_data(language)

    with translation.override(language):
        assert [purpose.display_name for purpose in ConsentPurpose.objects.all()] == words["purposes"]
    assert Consent.objects.filter(given=True).exists() and Consent.objects.filter(given=False).exists()
    assert not Consent.objects.filter(recorded_by=None).exists()  # each recorded by a demo agent
    assert list(ContactField.objects.values_list("name", flat=True)) == words["fields"]
    contact = Contact.objects.get(last_name=words["contact"])
    assert words["segment"] in contact.custom_values.values() and contact.street == words["street"]
    assert set(contact.points.values_list("label", flat=True)) >= {ContactPoint.Label.HOME, ContactPoint.Label.WORK}

    campaign = Group.objects.get(name=words["campaign"])
    assert campaign.contact_titles  # seed 001: "Contact (Campaign)"
    assert [campaign.callback_status_private.name, campaign.callback_status_public.name] == words["callbacks"]
    fields = list(campaign.form_fields.order_by("position"))
    kinds = {field.kind for field in fields}
    assert kinds >= {"choice", "number", "date", "checkbox", "long_text", "status_button"}
    assert [field.label for field in fields if field.required] == [words["form"][0]]
    (sale,) = [field for field in fields if field.status and field.status.kind == StatusKind.CLOSED_SUCCESS]
    assert sale.status.name == words["success"]

    tickets = campaign.tickets.all()
    assert {ticket.source for ticket in tickets} == {TicketSource.OUTBOUND}
    created = Activity.objects.filter(ticket__group=campaign, kind=ActivityKind.CREATED)
    assert set(created.values_list("body", flat=True)) == {words["outbound"]}  # in the demo's language
    assert tickets.filter(status__name=words["success"], closed_at__isnull=False).count() == 1
    assert tickets.filter(status__name=words["cancelled"], closed_at__isnull=False).count() == 1
    filled = tickets.filter(closed_at__isnull=True).exclude(form_data={})
    assert filled.count() >= 2
    now = timezone.now()
    pending = Callback.objects.filter(state=Callback.State.PENDING, ticket__group=campaign)
    overdue = pending.get(due_at__lt=now)
    assert not overdue.private and overdue.ticket.status == campaign.callback_status_public
    anna = User.objects.get(username="anna")
    today = pending.get(private=True)
    assert today.agent == anna and today.ticket.owner == anna and now < today.due_at <= now + dt.timedelta(hours=3)
    assert today.ticket.status == campaign.callback_status_private
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    assert pending.filter(private=False, due_at__date=tomorrow).count() == 1

    client.force_login(anna)
    with translation.override(language):
        pages = [
            client.get(f"/contacts/{contact.pk}/"),
            client.get(f"/groups/{campaign.slug}/calls/"),
            client.get(f"/tickets/{today.ticket.number}/"),
        ]
    assert all(page.status_code == 200 for page in pages)
    text = "".join(page.content.decode() for page in pages)
    for word in [words["street"], words["segment"], *words["page"], *words["callbacks"], *words["form"]]:
        assert word in text, word
    assert words["choice"] in pages[2].content.decode()  # the form's choice, chosen on the call
    if language == "pl":
        assert not re.search(r"Private callback|Public callback|Overdue|Marketing calls|Fundraising", text)
