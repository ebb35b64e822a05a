"""Real-world mail that used to be quarantined or mishandled (issue 18, items 4-9), from
hard_cases/*.eml (README.md there): bounces from Postfix, Gmail, qmail, Exim, Exchange and
Sendmail with and without a domain in From, internationalised, quoted and dotless addresses, and a
60-level nested message. Through a real Dovecot, the pipeline and the ticket page."""

from __future__ import annotations

import io
import logging
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image

from switchboard.contacts.points import normalise_email
from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.parse import parse_email
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import ActivityKind, Attachment, Ticket

HARD_CASES = Path(__file__).parent / "hard_cases"
CORPUS = Path(__file__).parent / "corpus"


def case(name: str, **fill: str) -> bytes:
    """A hard case's bytes, with the {{ placeholders }} of the message it returns filled in."""
    text = next(HARD_CASES.glob(f"{name}*.eml")).read_bytes()
    for key, value in fill.items():
        text = text.replace(f"{{{{ {key} }}}}".encode(), value.encode())
    return text


def answered_ticket(dovecot, mailbox, agent, smtp_sink, capture) -> tuple[Ticket, OutboundMessage, EmailMessage]:  # type: ignore[no-untyped-def]
    """Maria's ticket with the agent's answer sent to her through the SMTP listener."""
    dovecot.deliver(mail())
    check_mailbox(mailbox)
    (ticket,) = tickets_of("maria@example.org")
    with capture(execute=True):
        do_reply_to_contact(ticket, to_address="maria@example.org", body_html="<p>Come at 9.</p>", acting_user=agent)
    (sent,) = smtp_sink.wait_for(1)
    outbound = OutboundMessage.objects.get(ticket=ticket)
    assert outbound.state == OutboundMessage.State.SENT and sent["Message-ID"] == outbound.message_id
    return ticket, outbound, sent


@pytest.mark.spec("MAIL-11", "MAIL-13")
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("01-postfix", "550 5.1.1 <maria@example.org>: Recipient address rejected: User unknown in virtual mailbox"),
        ("02-gmail", "550-5.1.1 The email account that you tried to reach does not exist."),
        ("03-qmail", "550 5.2.1 Mailbox disabled for this recipient"),
    ],
)
def test_a_bounce_of_our_answer_goes_on_its_ticket_and_shows_the_answer_not_delivered(  # noqa: PLR0913
    name, reason, client, dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    ticket, outbound, sent = answered_ticket(
        dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
    )
    dovecot.deliver(case(name, to="maria@example.org", subject=sent["Subject"], message_id=sent["Message-ID"]))

    check_mailbox(support_mailbox)

    raw = RawMessage.objects.get(state=RawMessage.State.APPLIED, automatic__gt="", ticket=ticket)
    assert raw.activity.body.startswith(f"Delivery to maria@example.org failed: {reason}")
    outbound.refresh_from_db()
    assert outbound.state == OutboundMessage.State.FAILED and reason in outbound.last_error
    assert Ticket.objects.count() == 1  # no ticket for the mail system
    assert not RawMessage.objects.filter(state=RawMessage.State.QUARANTINED).exists()
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert "Not sent to maria@example.org:" in page and "Delivery to maria@example.org failed:" in page
    assert dovecot.inbox()["unseen"] == []


@pytest.mark.spec("MAIL-11", "MAIL-13")
def test_a_bounce_of_our_answer_is_reported_in_polish_too(
    dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    ticket, outbound, sent = answered_ticket(
        dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
    )
    dovecot.deliver(case("01-postfix", to="maria@example.org", subject=sent["Subject"], message_id=sent["Message-ID"]))
    with translation.override("pl"):
        check_mailbox(support_mailbox)
    raw = RawMessage.objects.get(ticket=ticket, automatic__gt="")
    assert raw.activity.body.startswith("Doręczenie do maria@example.org nie powiodło się: 550 5.1.1")


@pytest.mark.spec("MAIL-11")
def test_a_token_alone_fails_nothing_when_the_failed_recipient_is_not_whom_we_wrote_to(
    dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    ticket, outbound, sent = answered_ticket(
        dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
    )
    dovecot.deliver(case("03-qmail", to="stranger@example.net", subject=sent["Subject"]))
    check_mailbox(support_mailbox)
    outbound.refresh_from_db()
    assert outbound.state == OutboundMessage.State.SENT
    assert not ticket.activities.filter(body__startswith="Delivery to").exists()
    assert not RawMessage.objects.filter(state=RawMessage.State.QUARANTINED).exists()


@pytest.mark.spec("MAIL-11", "MAIL-13")
def test_reports_on_mail_we_did_not_send_are_kept_as_automatic_and_never_quarantined(dovecot, support_mailbox):
    for name in ("04-exim", "05-exchange", "06-sendmail", "07-exim-delay"):
        dovecot.deliver(case(name))

    check_mailbox(support_mailbox)

    raws = {raw.sender: raw for raw in RawMessage.objects.all()}
    assert not RawMessage.objects.filter(state=RawMessage.State.QUARANTINED).exists()
    assert all(raw.automatic for raw in raws.values())
    # with a domain: on the mail system's ticket, as automatic mail always was
    assert raws["mailer-daemon@mx.example.net"].state == RawMessage.State.APPLIED
    assert raws["postmaster@outlook.example"].state == RawMessage.State.APPLIED
    # without one: kept, on no ticket
    domainless = RawMessage.objects.filter(sender="mailer-daemon")
    assert domainless.count() == 2 and {raw.state for raw in domainless} == {RawMessage.State.DROPPED}
    assert all("without a sender address" in raw.reason for raw in domainless)
    assert Ticket.objects.count() == 2
    assert dovecot.inbox()["unseen"] == []


@pytest.mark.spec("MAIL-02", "MAIL-13")
def test_internationalised_quoted_and_dotless_addresses_become_contacts(dovecot, support_mailbox, caplog):
    for name in ("08-rfc6532", "09-quoted", "10-dotless"):
        dovecot.deliver(case(name))

    with caplog.at_level(logging.INFO):
        check_mailbox(support_mailbox)

    assert not RawMessage.objects.exclude(state=RawMessage.State.APPLIED).exists()
    for address, first_name in [
        ("jdöe@mächine.example", "Jörg"),
        ('"big bug bb"@bug.com', "Big"),
        ("warehouse@intranet", "Warehouse"),
    ]:
        (ticket,) = tickets_of(address)
        assert ticket.contact.first_name == first_name
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    for typed in ('"big bug bb"@bug.com', "warehouse@intranet"):  # what an agent types is checked strictly
        with pytest.raises(Exception, match="not a valid email address"):
            normalise_email(typed)


@pytest.mark.spec("MAIL-04", "MAIL-13")
def test_a_message_nested_60_levels_keeps_its_outer_text_and_file_and_says_what_was_left_out(dovecot, support_mailbox):
    dovecot.deliver(case("11-nested"))

    check_mailbox(support_mailbox)

    (ticket,) = tickets_of("anna@example.pl")
    message = ticket.activities.get(kind=ActivityKind.EMAIL_IN)
    assert message.body.startswith("Please see the list of donors below.")
    assert "Forwarded at level 19." in message.body and "level 20" not in message.body
    assert [file.filename for file in Attachment.objects.filter(activity=message)] == ["donors.csv"]
    note = ticket.activities.get(kind=ActivityKind.NOTE)
    assert note.body == "41 parts nested deeper than 20 levels were not read."


@pytest.mark.spec("MAIL-04", "MAIL-13")
def test_a_message_nested_beyond_pythons_recursion_limit_is_read_not_quarantined(volunteers, caplog):
    body = b"".join(
        b'Content-Type: multipart/mixed; boundary="l%d"\n\n--l%d\nContent-Type: text/plain\n\nlevel %d\n--l%d\n'
        % (level, level, level, level)
        for level in range(1500)
    )
    deep = b"From: Maria <maria@example.org>\nSubject: deep\nMIME-Version: 1.0\n" + body + b"\n\nbottom\n"

    with caplog.at_level(logging.INFO):
        do_apply_raw_messages(do_store_raw_messages([RawItem("email", "deep", deep, volunteers)]))

    stored = RawMessage.objects.get()
    assert stored.state == RawMessage.State.APPLIED, stored.reason
    ticket = stored.ticket
    assert ticket.activities.get(kind=ActivityKind.EMAIL_IN).body.startswith("level 0")
    assert "only its outer parts were read" in ticket.activities.get(kind=ActivityKind.NOTE).body
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.spec("MAIL-01", "MAIL-13")
@pytest.mark.parametrize("protocol", ["imap", "pop3"])
def test_a_message_over_the_size_limit_is_not_fetched_stays_on_the_server_and_is_listed_with_its_reason(
    protocol, dovecot, volunteers, settings, client, dave_admin
):
    settings.MAX_INBOUND_MESSAGE_BYTES = 200_000
    mailbox = dovecot.mailbox(volunteers, name="Support", protocol=protocol)
    mailbox.password = "secret1"
    mailbox.save()
    scan = EmailMessage()
    scan["From"], scan["To"], scan["Subject"] = "Maria <maria@example.org>", "support@example.test", "Scans"
    scan["Message-ID"] = "<scans@client.example>"
    scan.set_content("All the scans.")
    scan.add_attachment(bytes(range(256)) * 1200, maintype="application", subtype="pdf", filename="scans.pdf")
    dovecot.deliver(scan.as_bytes())  # ~420 kB once encoded
    dovecot.deliver(mail(body="A small one"))

    check_mailbox(mailbox)
    check_mailbox(mailbox)  # again: listed once, still not fetched

    (record,) = RawMessage.objects.filter(state=RawMessage.State.QUARANTINED)
    assert record.sender == "maria@example.org" and record.message_id == "<scans@client.example>"
    assert "Not fetched: the message is" in record.reason and "It stays on the server." in record.reason
    assert "Subject: Scans" in record.reason
    assert b"All the scans." not in bytes(record.data) and len(bytes(record.data)) < 2000  # headers only
    assert RawMessage.objects.filter(state=RawMessage.State.APPLIED).count() == 1
    assert len(dovecot.inbox()["all"]) == 1 + (protocol == "imap")  # POP3 deletes the small one only
    if protocol == "imap":
        assert len(dovecot.inbox()["unseen"]) == 1  # the large one is not even marked read

    client.force_login(dave_admin)  # "retry" has nothing to apply: only the headers are here
    page = client.post(
        "/admin/intake/rawmessage/", {"action": "retry", "_selected_action": [record.pk]}, follow=True
    ).content.decode()
    assert "is still on the server, not here: raise the size limit" in page
    assert not Ticket.objects.filter(contact__points__value="maria@example.org", title="Scans").exists()

    settings.MAX_INBOUND_MESSAGE_BYTES = 1_000_000  # the administrator raises the limit
    check_mailbox(mailbox)
    (ticket,) = tickets_of("maria@example.org")
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN, body="All the scans.").exists()
    assert dovecot.inbox()["unseen"] == []


@pytest.mark.spec("MAIL-04")
def test_text_parts_and_attachments_over_the_caps_are_left_out_with_a_note(volunteers, settings):
    settings.MAX_INBOUND_TEXT_CHARS, settings.MAX_INBOUND_ATTACHMENTS = 1000, 3
    message = EmailMessage()
    message["From"], message["Subject"] = "Maria <maria@example.org>", "Photos"
    message.set_content("x" * 5000)
    for n in range(5):
        message.add_attachment(b"%d" % n, maintype="application", subtype="octet-stream", filename=f"{n}.bin")

    do_apply_raw_messages(do_store_raw_messages([RawItem("email", "caps", message.as_bytes(), volunteers)]))

    (ticket,) = tickets_of("maria@example.org")
    email_in = ticket.activities.get(kind=ActivityKind.EMAIL_IN)
    assert len(email_in.body) == 1000
    assert sorted(Attachment.objects.filter(activity=email_in).values_list("filename", flat=True)) == [
        "0.bin",
        "1.bin",
        "2.bin",
    ]
    assert ticket.activities.get(kind=ActivityKind.NOTE).body == (
        "2 more attachments were not kept: the limit is 3 per message.\n"
        "The text is longer than 1000 characters: the rest was left out."
    )
    settings.MAX_INBOUND_PARTS = 2
    inbound = parse_email(message.as_bytes())
    assert "The message has more than 2 parts: 5 more were not read." in inbound.problems


@pytest.mark.spec("CORE-16")
def test_an_image_over_the_thumbnail_pixel_cap_is_kept_without_a_thumbnail(volunteers):
    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("1", (width, height)).save(out, "PNG")
        return out.getvalue()

    message = EmailMessage()
    message["From"], message["Subject"] = "Maria <maria@example.org>", "Scans"
    message.set_content("Two scans.")
    message.add_attachment(png(7200, 7200), maintype="image", subtype="png", filename="huge.png")  # 51.8 MP
    message.add_attachment(png(4000, 3000), maintype="image", subtype="png", filename="photo.png")  # 12 MP

    do_apply_raw_messages(do_store_raw_messages([RawItem("email", "scans", message.as_bytes(), volunteers)]))

    files = {file.filename: file for file in Attachment.objects.all()}
    assert files["huge.png"].size > 0 and not files["huge.png"].thumbnail
    assert files["photo.png"].thumbnail


@pytest.mark.spec("MAIL-13")
def test_handled_fallbacks_and_quarantines_log_one_line_without_a_traceback(volunteers, caplog):
    adjacent_words = (CORPUS / "44-roundcube-subject-split-encoded-words.eml").read_bytes()
    invalid_sender = mail("Someone <some..one@example.com>", "Hello", "Hi")
    unknown_charset = (
        b"From: Jan <jan@example.pl>\nSubject: Paczka\nContent-Type: text/plain; charset=x-unknown-9\n"
        b"Content-Transfer-Encoding: 8bit\n\n\xff\xfe paczka\n"
    )
    items = [
        RawItem("email", f"k{n}", data, volunteers)
        for n, data in enumerate([adjacent_words, invalid_sender, unknown_charset])
    ]

    with caplog.at_level(logging.INFO):
        do_apply_raw_messages(do_store_raw_messages(items))

    states = dict(RawMessage.objects.values_list("source_key", "state"))
    assert states == {"k0": "applied", "k1": "quarantined", "k2": "quarantined"}
    assert "is not a valid email address" in RawMessage.objects.get(source_key="k1").reason
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR or record.exc_info]
    quarantined = [record.getMessage() for record in caplog.records if "quarantined" in record.getMessage()]
    assert len(quarantined) == 2 and all("\n" not in line for line in quarantined)
    assert "From read with the classic parser" in caplog.text  # the adjacent encoded words' fallback


def test_the_import_command_reads_the_hard_cases_without_quarantine(tmp_path, volunteers):
    out = io.StringIO()
    call_command("import_mail", str(HARD_CASES), group=volunteers.slug, stdout=out, verbosity=0)
    assert "0 quarantined" in out.getvalue(), out.getvalue()
