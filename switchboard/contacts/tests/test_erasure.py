"""Erasure (CC-01, GDPR): after it, the contact's name, email and phone are nowhere in the
database. The contact writes in by email (with an attachment), texts and calls through the real
intake; an agent answers, notes and retitles; someone else copies them in. Then every text,
character, JSON, file-name and binary column of every table is read back."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Consent, ConsentPurpose, Contact, ErasureRecord
from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.phone.tests.conftest import CALLER, phone_number  # noqa: F401 (a fixture)
from switchboard.phone.tests.test_call_intake import missed_call
from switchboard.phone.tests.test_sms import sms_params
from switchboard.phone.tests.test_voice import post_hook
from switchboard.tickets.actions import TicketHeader, do_add_note, do_update_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import ActivityKind, Attachment, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent

pytestmark = [pytest.mark.spec("CC-01"), pytest.mark.django_db]

FIRST, LAST, EMAIL = "Zbigniew", "Żółkiewski", "zbigniew.zolkiewski@example.org"
# What must be gone: the name as written and without its marks, the address, the number in the
# ways it is stored and written.
TRACES = [FIRST, LAST, "Zolkiewski", EMAIL, CALLER, CALLER.removeprefix("+48"), "601 234 567"]


def mail(sender: str, subject: str, text: str, *, cc: str = "", attachment: tuple[str, bytes] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@example.test"
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash(subject))}@example.org>"
    message.set_content(text)
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    return message.as_bytes()


def receive(group, key: str, data: bytes) -> None:
    do_apply_raw_messages(do_store_raw_messages([RawItem("email", key, data, group)]))


def traces_left() -> list[str]:
    """Every (table.column: trace) where a trace is still written, in any table of any app."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField | models.BinaryField)
            or isinstance(field, models.FileField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*[field.attname for field in fields]):
            for field, value in zip(fields, row, strict=True):
                if value is None:
                    continue
                if isinstance(field, models.JSONField):
                    text = json.dumps(value, ensure_ascii=False)
                elif isinstance(value, bytes | memoryview):
                    text = bytes(value).decode("utf-8", errors="replace")
                else:
                    text = str(value)
                found += [
                    f"{model._meta.db_table}.{field.column}: {trace}"
                    for trace in TRACES
                    if trace.lower() in text.lower()
                ]
    return found


@pytest.mark.usefixtures("phone_number")
def test_an_erased_contacts_name_email_and_phone_are_nowhere_in_the_database(
    client, volunteers, donations, dave_admin, django_capture_on_commit_callbacks
):
    agent = make_agent("mona", "MO", groups=[volunteers, donations], role=Membership.Role.MANAGER)
    contact = do_create_contact(
        kind=Contact.Kind.PERSON, first_name=FIRST, last_name=LAST, emails=[EMAIL], phones=[CALLER], acting_user=None
    )
    purpose = ConsentPurpose.objects.create(name="Newsletter")
    Consent.objects.create(
        contact=contact, purpose=purpose, given=True, method=Consent.Method.PHONE, note=f"{FIRST} agreed"
    )
    # By email, with a scan attached.
    receive(
        volunteers,
        "mail:1",
        mail(
            f"{FIRST} {LAST} <{EMAIL}>",
            f"{LAST}: zmiana adresu",
            f"Dzień dobry, tu {FIRST} {LAST}, tel. 601 234 567.\n-- \n{FIRST} {LAST}\n{EMAIL}",
            attachment=(f"{LAST.lower()}-skan.pdf", f"%PDF-1.4 {FIRST} {LAST}".encode()),
        ),
    )
    ticket = Ticket.objects.get(contact=contact, group=volunteers)
    scan = Attachment.objects.get(activity__ticket=ticket)
    assert default_storage.exists(scan.file.name)
    # An agent answers, notes and retitles.
    do_reply_to_contact(
        ticket,
        to_address=EMAIL,
        body_html=f"<p>Dzień dobry Panie {FIRST}ie, oddzwonimy na +48 601 234 567.</p>",
        acting_user=agent,
    )
    do_add_note(ticket, body=f"Pan {LAST} ({CALLER}) prosi o telefon.", acting_user=agent)
    ticket.refresh_from_db()
    header = TicketHeader(
        title=f"{FIRST} {LAST}: adres",
        status=ticket.status,
        owner=None,
        next_action=f"Oddzwonić do p. {LAST}ego",
        due_at=None,
    )
    do_update_ticket(ticket, header=header, expected_version=ticket.version, acting_user=agent)
    # A text and a missed call from the contact's number, through the provider's webhooks.
    assert (
        post_hook(client, "/phone/sms/", sms_params("SM" + "9" * 32, f"{FIRST} here, please call")).status_code == 200
    )
    missed_call(client)
    assert Ticket.objects.filter(contact=contact, group=donations).exists()  # the call chose Donations
    # Someone else writes with the contact in copy.
    receive(
        volunteers, "mail:2", mail("Anna Nowak <anna@example.org>", "Sąsiad", f"Proszę pomóc {FIRST}owi.", cc=EMAIL)
    )
    anna_ticket = Ticket.objects.get(contact__last_name="Nowak")
    assert contact in anna_ticket.cc_contacts.all()
    # The admin's change list names the contact.
    LogEntry.objects.log_actions(dave_admin.pk, [contact], CHANGE, change_message=f"Changed {LAST}")
    assert traces_left()  # the traces are there before

    client.force_login(agent)
    page = client.get(reverse("contact_erase", args=[contact.pk]))
    assert "cannot be undone" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the erasure is committed
        response = client.post(reverse("contact_erase", args=[contact.pk]), {"confirm": "yes"})
    assert response.status_code == 302

    assert traces_left() == []
    contact.refresh_from_db()
    assert contact.erased_at is not None and contact.display_name == f"Erased contact #{contact.pk}"
    assert (
        not default_storage.exists(scan.file.name) and not Attachment.objects.filter(activity__ticket=ticket).exists()
    )
    # The tickets stay, anonymised, with their conversation.
    ticket.refresh_from_db()
    assert ticket.contact == contact and ticket.title == "[erased]: adres"
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).exists()
    assert "oddzwonimy na [erased]" in ticket.activities.get(kind=ActivityKind.EMAIL_OUT).body
    assert Ticket.objects.filter(contact=contact).count() == 2
    assert list(anna_ticket.cc_contacts.all()) == []
    assert RawMessage.objects.filter(sender__icontains="anna").exists()  # another person's message stays
    assert OutboundMessage.objects.exists()
    record = ErasureRecord.objects.get()
    assert (record.contact_number, record.erased_by) == (contact.pk, agent)
    assert record.counts["tickets"] == 2 and record.counts["consent_records"] == 1 and record.counts["files"] == 1
    assert record.counts["raw_messages"] >= 3  # the mail, the text and the call
