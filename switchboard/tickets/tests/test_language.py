"""One language per reader (ADMIN-04): built-in status names, history and dates in the agent's
language; mail to a contact in the contact's language (MAIL-07); the Polish terms of
docs/glossary-pl.md."""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from switchboard.contacts.actions import do_set_contact_language
from switchboard.intake.models import OutboundMessage
from switchboard.tickets.actions import do_change_ticket_status, do_create_group
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Group, Membership, Status, StatusKind
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

ANSWER = "<p>We can collect the sofa on Friday.</p>"


def speaking(agent, language):
    agent.agent_profile.language = language
    agent.agent_profile.save()
    return agent


@pytest.mark.spec("ADMIN-04", "CORE-04")
def test_a_polish_agent_sees_built_in_status_names_in_polish_and_a_renamed_status_as_the_group_named_it(
    client, volunteers, alice_agent
):
    renamed = volunteers.statuses.get(kind=StatusKind.PENDING)
    renamed.name = "Pick-up booked"
    renamed.save()
    ticket = make_ticket(volunteers)
    do_change_ticket_status(ticket, status=volunteers.statuses.get(kind=StatusKind.NEEDS_CONTACT), acting_user=None)
    client.force_login(speaking(alice_agent, "pl"))

    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()

    assert "Zadzwoń do kontaktu" in page and "Call the contact" not in page
    assert f'<option value="{renamed.pk}">Pick-up booked</option>' in page
    assert ">Nowa</option>" in page and ">New</option>" not in page
    # The history says what changed in the reader's words, whoever made the change.
    assert "Status</span>: Nowa → Zadzwoń do kontaktu" in page
    client.force_login(speaking(make_agent("eve", "EV", groups=[volunteers]), "en"))
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Status</span>: New → Call the contact" in page


@pytest.mark.spec("ADMIN-04")
def test_a_group_created_while_polish_was_active_keeps_english_built_in_names_shown_in_each_language(db):
    from django.utils import translation

    with translation.override("pl"):
        group = do_create_group("Darczyńcy", acting_user=None)
    new = group.statuses.get(kind=StatusKind.NEW)
    assert new.name == "New"
    with translation.override("pl"):
        assert str(new) == "Nowa"
    with translation.override("en"):
        assert str(new) == "New"


@pytest.mark.spec("ADMIN-04")
def test_the_migration_turns_polish_built_in_names_into_english_ones_and_keeps_the_groups_own(db):
    group = Group.objects.create(name="Stara", slug="stara")
    Status.objects.create(group=group, name="Nowa", kind=StatusKind.NEW, is_initial=True)
    Status.objects.create(group=group, name="Zamknięta", kind=StatusKind.CLOSED)
    Status.objects.create(group=group, name="Odebrane", kind=StatusKind.COMPLETED)
    migration = importlib.import_module("switchboard.tickets.migrations.0012_built_in_status_names_in_english")

    migration.store_built_in_names_in_english(apps, None)

    assert sorted(group.statuses.values_list("name", flat=True)) == ["Closed", "New", "Odebrane"]


@pytest.mark.spec("ADMIN-04", "CORE-07")
def test_a_polish_agent_types_the_due_time_as_dd_mm_rrrr_and_sees_it_so(client, volunteers, alice_agent):
    ticket = make_ticket(volunteers)
    client.force_login(speaking(alice_agent, "pl"))
    url = reverse("ticket", args=[ticket.number])
    page = client.get(url).content.decode()
    due = re.search(r'<input[^>]*name="due_at"[^>]*>', page).group(0)
    assert 'type="text"' in due and 'placeholder="dd.mm.rrrr gg:mm"' in due

    client.post(
        url,
        {
            "title": ticket.title,
            "status": ticket.status_id,
            "owner": "",
            "next_action": "Call back",
            "due_at": "05.12.2026 14:30",
            "version": ticket.version,
        },
    )

    ticket.refresh_from_db()
    assert timezone.localtime(ticket.due_at).replace(tzinfo=None) == dt.datetime(2026, 12, 5, 14, 30)  # noqa: DTZ001
    page = client.get(url).content.decode()
    assert 'value="05.12.2026 14:30"' in page
    assert "Termin</span>: — → 05.12.2026 14:30" in page  # the history, in the same format


@pytest.mark.spec("ADMIN-04")
def test_closed_tickets_are_searched_by_polish_dates(client, volunteers, alice_agent):
    client.force_login(speaking(alice_agent, "pl"))
    page = client.get(reverse("closed_tickets", args=[volunteers.slug]), {"closed_from": "01.11.2026"})
    field = re.search(r'<input[^>]*name="closed_from"[^>]*>', page.content.decode()).group(0)
    assert 'value="01.11.2026"' in field and 'placeholder="dd.mm.rrrr"' in field and 'type="text"' in field


@pytest.fixture
def sent_mail(smtp_sink, django_capture_on_commit_callbacks):
    def send(ticket, agent):
        with django_capture_on_commit_callbacks(execute=True):
            do_reply_to_contact(
                ticket, to_address=ticket.contact.points.get().value, body_html=ANSWER, acting_user=agent
            )
        (received,) = smtp_sink.wait_for(1)
        smtp_sink.messages.clear()
        return received.get_body(("plain",)).get_content().replace("\r\n", "\n")

    return send


@pytest.mark.spec("MAIL-07", "ADMIN-04")
def test_a_polish_contact_answered_by_an_english_agent_is_greeted_and_signed_off_in_polish(
    volunteers, alice_agent, sent_mail
):
    contact = make_contact("Jan", "Kowalski", email="jan@example.pl")
    do_set_contact_language(contact, language="pl", acting_user=None)
    text = sent_mail(make_ticket(volunteers, contact=contact), speaking(alice_agent, "en"))
    assert text.startswith("Dzień dobry,\n\nWe can collect the sofa on Friday.\n\nZ pozdrowieniami,\nAlice (AL)")
    assert "Jan" not in text.split("\n")[0]  # no name to decline


@pytest.mark.spec("MAIL-07", "ADMIN-04")
def test_an_english_contact_answered_by_a_polish_agent_is_greeted_in_english(volunteers, alice_agent, sent_mail):
    ticket = make_ticket(volunteers, contact=make_contact("John", "Miller", email="john@example.org"))
    text = sent_mail(ticket, speaking(alice_agent, "pl"))
    assert text.startswith("Hello John,\n\nWe can collect the sofa on Friday.\n\nKind regards,\nAlice (AL)")


@pytest.mark.spec("MAIL-07", "ADMIN-04")
def test_a_contact_without_a_language_is_written_to_in_the_groups(volunteers, alice_agent, sent_mail):
    volunteers.language = "pl"
    volunteers.save()
    ticket = make_ticket(volunteers, contact=make_contact("John", "Miller", email="john@example.org"))
    assert sent_mail(ticket, speaking(alice_agent, "en")).startswith("Dzień dobry,")
    assert OutboundMessage.objects.get().text.startswith("Dzień dobry,")


@pytest.mark.spec("ADMIN-04")
def test_polish_messages_use_one_word_for_a_ticket_and_one_for_an_agent():
    """docs/glossary-pl.md: "sprawa" and "konsultant", never "zgłoszenie" or "agent"."""
    po = (Path(__file__).parents[2] / "locale" / "pl" / "LC_MESSAGES" / "django.po").read_text()
    translations = "\n".join(re.findall(r'^msgstr(?:\[\d\])? (".*"(?:\n".*")*)', po, flags=re.MULTILINE))
    translations = re.sub(r"%\(\w+\)s|\{\w+\}", "", translations)  # placeholders are not words
    assert not re.search(r"zgłosze", translations, re.IGNORECASE)
    assert not re.search(r"\bagent", translations, re.IGNORECASE)
    assert "Call Center" not in translations and '"Sts"' not in translations


def test_no_spec_id_shows_in_user_visible_text():
    po = (Path(__file__).parents[2] / "locale" / "pl" / "LC_MESSAGES" / "django.po").read_text()
    msgids = "\n".join(re.findall(r'^msgid (".*"(?:\n".*")*)', po, flags=re.MULTILINE))
    assert not re.findall(r"\b[A-Z]+-\d\d\b", msgids)


def test_the_group_settings_help_names_options_as_the_select_does_and_shows_no_spec_id(client, volunteers):
    client.force_login(make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER))
    page = html.unescape(client.get(reverse("group_settings", args=["volunteers"])).content.decode())
    assert not re.findall(r"\b[A-Z]+-\d\d\b", page)
    options = re.findall(r"<option[^>]*>([^<]+)</option>", page)
    assert "Nobody: tell the workflow's people" in options
    assert "With “Nobody: tell the workflow's people”: who is told of each new ticket." in page
    assert "“nobody”" not in page
    assert '<select name="language"' in page  # the language of the group's mail


@pytest.mark.spec("CORE-05", "MAIL-07")
def test_an_agent_opening_a_ticket_by_hand_gives_the_contacts_language(client, volunteers, alice_agent):
    client.force_login(alice_agent)
    client.post(
        reverse("new_ticket", args=["volunteers"]),
        {"first_name": "Jan", "last_name": "Kowalski", "email": "jan@example.pl", "language": "pl", "source": "phone"},
    )
    ticket = volunteers.tickets.get()
    assert ticket.contact.language == "pl" and ticket.contact_language == "pl"
    client.post(
        reverse("new_ticket", args=["volunteers"]),
        {"email": "john@example.org", "language": "", "source": "phone"},
    )
    assert volunteers.tickets.get(contact__points__value="john@example.org").contact_language == "en"  # the group's
