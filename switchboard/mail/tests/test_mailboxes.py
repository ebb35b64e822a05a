"""Mailboxes against a real Dovecot, through the intake pipeline, with replies to a real SMTP
listener: what reaches the mailbox ends up on exactly one ticket, and nothing is lost."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.db import connection

from switchboard.contacts.models import Contact
from switchboard.intake.models import BlockedSender, OutboundMessage, RawMessage
from switchboard.intake.trust import reply_address_for
from switchboard.mail.fetch import MailboxError, check_mailbox, try_connection
from switchboard.mail.models import Mailbox
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import ActivityKind, StatusKind, Ticket
from switchboard.tickets.tests.factories import make_agent

_serial = itertools.count(1)


def mail(
    sender: str = "Maria Garcia <maria@example.org>",
    subject: str = "Saturday shift",
    body: str = "Can I help on Saturday?",
    *,
    to: str = "support@example.test",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = headers.pop("message_id", None) or make_msgid(f"m{next(_serial)}", "client.example")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def tickets_of(address: str) -> list[Ticket]:
    return list(Ticket.objects.filter(contact__points__value=address).order_by("number"))


@pytest.mark.spec("MAIL-01", "MAIL-02", "MAIL-13")
def test_new_mail_becomes_a_ticket_with_its_contact_and_is_marked_read_only_after_it_is_stored(
    dovecot, support_mailbox
):
    dovecot.deliver(mail(body="Can I help on Saturday?\n\nMaria"))
    assert len(dovecot.inbox()["unseen"]) == 1

    report = check_mailbox(support_mailbox)

    (ticket,) = tickets_of("maria@example.org")
    assert ticket.group == support_mailbox.group and ticket.title == "Saturday shift"
    assert ticket.contact.first_name == "Maria" and ticket.contact.last_name == "Garcia"
    message = ticket.activities.get(kind=ActivityKind.EMAIL_IN)
    assert "Can I help on Saturday?" in message.body and message.from_address == "maria@example.org"
    raw = RawMessage.objects.get()
    assert raw.state == RawMessage.State.APPLIED and raw.ticket == ticket and raw.activity == message
    assert report.stored == 1 and dovecot.inbox()["unseen"] == [] and len(dovecot.inbox()["all"]) == 1
    assert check_mailbox(support_mailbox).stored == 0  # nothing new: nothing twice


@pytest.mark.spec("MAIL-03", "CORE-03")
def test_replies_find_their_ticket_by_token_by_headers_alone_or_by_the_open_ticket(dovecot, support_mailbox):
    first = mail(message_id="<first@client.example>")
    dovecot.deliver(first)
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")

    dovecot.deliver(mail(subject=f"Odp: Saturday shift {ticket.subject_token}", body="token"))
    dovecot.deliver(mail(subject="something else entirely", body="headers", In_Reply_To="<first@client.example>"))
    dovecot.deliver(mail(subject="AW: VS: SV: new words", body="open ticket of the contact"))
    check_mailbox(support_mailbox)

    assert tickets_of("maria@example.org") == [ticket]
    bodies = list(ticket.activities.filter(kind=ActivityKind.EMAIL_IN).values_list("body", flat=True))
    assert bodies[1:] == ["token", "headers", "open ticket of the contact"]


@pytest.mark.spec("MAIL-03")
def test_a_reply_to_our_reply_threads_by_our_message_id_even_from_another_address(
    dovecot, support_mailbox, alice_agent
):
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    reply = do_reply_to_contact(
        ticket, to_address="maria@example.org", body_html="<p>Yes, 9:00.</p>", acting_user=alice_agent
    )
    # Maria answers from her phone's other address, with a stripped subject: only the headers link it.
    dovecot.deliver(mail("Maria <maria.g@mobile.example>", "Re:", "Thanks!", In_Reply_To=reply.message_id))
    check_mailbox(support_mailbox)
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN, body="Thanks!").exists()
    assert not tickets_of("maria.g@mobile.example")


@pytest.mark.spec("MAIL-03")
def test_a_token_of_another_groups_ticket_or_of_no_ticket_attaches_to_nothing_wrong(
    dovecot, support_mailbox, donations
):
    from switchboard.tickets.tests.factories import make_ticket

    other = make_ticket(donations)
    dovecot.deliver(mail("Eve <eve@example.com>", f"Re: {other.subject_token}", "guessing"))
    dovecot.deliver(mail("Eve <eve@example.com>", "Re: [Ticket#999999]", "no such ticket"))
    check_mailbox(support_mailbox)
    assert not other.activities.filter(kind=ActivityKind.EMAIL_IN).exists()
    (ticket,) = tickets_of("eve@example.com")
    assert ticket.group == support_mailbox.group
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN).count() == 2


@pytest.mark.spec("MAIL-03", "CORE-03")
def test_a_reply_to_a_closed_ticket_reopens_it_or_opens_a_linked_one_where_the_group_says_so(dovecot, support_mailbox):
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    do_close_ticket(ticket, acting_user=None)
    dovecot.deliver(mail(subject=f"Re: {ticket.subject_token}", body="One more question"))
    check_mailbox(support_mailbox)
    ticket.refresh_from_db()
    assert ticket.is_open and ticket.activities.filter(kind=ActivityKind.REOPENED).exists()
    assert ticket.status.kind in StatusKind.needing_action()

    group = support_mailbox.group
    group.reply_to_closed = group.ReplyToClosed.NEW_TICKET
    group.save()
    do_close_ticket(ticket, acting_user=None)
    dovecot.deliver(mail(subject=f"Re: {ticket.subject_token}", body="And another"))
    check_mailbox(support_mailbox)
    old, new = tickets_of("maria@example.org")
    assert old == ticket and not Ticket.objects.get(pk=old.pk).is_open
    assert new.is_open and new.follows == old and new.activities.filter(body="And another").exists()


@pytest.mark.spec("MAIL-10")
def test_a_blocked_sender_makes_no_ticket_and_the_message_leaves_the_server(dovecot, support_mailbox):
    BlockedSender.objects.create(sender="@spam.example")
    BlockedSender.objects.create(sender="offers@shop.example", subject_pattern=r"\bdiscount\b")
    dovecot.deliver(mail("Spam <a@spam.example>", "You won"))
    dovecot.deliver(mail("Spam <b@mx.spam.example>", "You won again"))
    dovecot.deliver(mail("Shop <offers@shop.example>", "Big DISCOUNT today"))
    dovecot.deliver(mail("Shop <offers@shop.example>", "Your order has shipped"))
    check_mailbox(support_mailbox)
    assert not tickets_of("a@spam.example") and not tickets_of("b@mx.spam.example")
    assert [t.title for t in tickets_of("offers@shop.example")] == ["Your order has shipped"]
    assert RawMessage.objects.filter(state=RawMessage.State.BLOCKED).count() == 3  # logged
    assert len(dovecot.inbox()["all"]) == 1  # the blocked three were deleted, the order kept (read)
    assert BlockedSender.objects.get(sender="@spam.example").dropped == 2


AUTOMATIC = (  # (subject, the header that says a machine sent it)
    ("Out of office", {"Auto_Submitted": "auto-replied"}),
    ("Abwesenheitsnotiz", {"X_Autoreply": "yes"}),
    ("Newsletter", {"Precedence": "bulk"}),
    ("[list] digest", {"List_Id": "<volunteers.lists.example>"}),
    ("Automatic reply: Saturday", {"X_Auto_Response_Suppress": "All"}),
)


@pytest.mark.spec("MAIL-11")
def test_automatic_mail_and_bounces_go_on_the_timeline_but_are_never_answered(
    dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    group = support_mailbox.group
    group.autoresponder = True
    group.save()
    for n, (subject, headers) in enumerate(AUTOMATIC):
        dovecot.deliver(mail(f"Robot {n} <robot{n}@example.com>", subject, "I am away.", **headers))
    dovecot.deliver(mail("Mail Delivery System <MAILER-DAEMON@mx.example.com>", "Undelivered Mail", "bounce"))
    dovecot.deliver(mail("Maria <maria@example.org>", "A person", "Hello"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    assert RawMessage.objects.filter(state=RawMessage.State.APPLIED).count() == 7  # all on tickets
    assert RawMessage.objects.exclude(automatic="").count() == 6
    (acknowledgement,) = smtp_sink.wait_for(1)
    assert acknowledgement["To"] == "maria@example.org" and acknowledgement["Auto-Submitted"] == "auto-replied"
    (ticket,) = tickets_of("maria@example.org")
    assert ticket.subject_token in acknowledgement["Subject"]
    assert OutboundMessage.objects.count() == 1


@pytest.mark.spec("MAIL-11")
def test_two_autoresponders_answering_each_other_stop_within_the_rate_limit(
    dovecot, support_mailbox, settings, django_capture_on_commit_callbacks, smtp_sink
):
    """Their robot answers ours; ours answers nothing automatic, and after AUTOMATIC_MAIL_LIMIT
    messages in an hour their mail is only stored."""
    settings.AUTOMATIC_MAIL_LIMIT = 3
    group = support_mailbox.group
    group.autoresponder = True
    group.save()
    dovecot.deliver(mail("Robot <robot@example.com>", "Hello", "Hi"))  # a person's first mail to a robot account
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)
    for _round in range(6):  # their autoresponder answers each message it gets
        dovecot.deliver(mail("Robot <robot@example.com>", "Auto: received", "Got it", Auto_Submitted="auto-replied"))
        with django_capture_on_commit_callbacks(execute=True):
            check_mailbox(support_mailbox)
    assert OutboundMessage.objects.filter(to_address="robot@example.com").count() == 1
    (ticket,) = tickets_of("robot@example.com")
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN).count() == 1 + 3
    assert RawMessage.objects.filter(state=RawMessage.State.DROPPED, sender="robot@example.com").count() == 3


@pytest.mark.spec("MAIL-12")
def test_people_in_copy_become_contacts_linked_to_the_ticket(dovecot, support_mailbox):
    dovecot.deliver(mail(Cc='Jan Nowak <jan@example.pl>, Support <support@example.test>, "Ewa" <ewa@example.pl>'))
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    cc = sorted(contact.first_name for contact in ticket.cc_contacts.all())
    assert cc == ["Ewa", "Jan"]  # never our own mailbox
    assert not Contact.objects.filter(points__value="support@example.test").exists()


@pytest.mark.spec("MAIL-06", "MAIL-07")
def test_an_agent_answers_by_email_and_the_contact_receives_it_with_greeting_and_sign_off(
    dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    agent = make_agent("anna", "AK", groups=[support_mailbox.group])
    agent.email, agent.first_name, agent.last_name = "anna@foodbank.example", "Anna", "Kowalska"
    agent.save()
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    secret = reply_address_for(agent, ticket)  # the Reply-To of her notifications (test_mail_trust.py)
    answer = "Yes, come at 9.\n\nOn Mon, 2 Nov 2026 at 10:14, Maria <maria@example.org> wrote:\n> Can I help?\n"
    dovecot.deliver(mail("Anna <Anna@foodbank.example>", f"Re: {ticket.subject_token}", answer, to=secret))
    dovecot.deliver(
        mail("Anna <anna@foodbank.example>", f"Re: {ticket.subject_token}", "#note\nShe has a car.", to=secret)
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    (sent,) = smtp_sink.wait_for(1)
    text = sent.get_body(("plain",)).get_content()
    assert sent["To"] == "maria@example.org" and ticket.subject_token in sent["Subject"]
    assert text.startswith("Hello Maria,") and "Yes, come at 9." in text and "Anna Kowalska (AK)" in text
    assert "Can I help?" not in text  # the quoted mail stays out
    reply = ticket.activities.get(kind=ActivityKind.EMAIL_OUT)
    note = ticket.activities.get(kind=ActivityKind.NOTE)
    assert reply.actor == agent and note.actor == agent and note.body == "She has a car."


@pytest.mark.spec("MAIL-06")
def test_an_agent_outside_the_tickets_group_is_told_why_the_answer_was_not_sent(
    dovecot, support_mailbox, donations, smtp_sink, django_capture_on_commit_callbacks, settings
):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.foodbank.example"]
    outsider = make_agent("bartek", "BN", groups=[donations])
    outsider.email = "bartek@foodbank.example"
    outsider.save()
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    proof = "mx.foodbank.example; dkim=pass header.d=foodbank.example"  # our mail server checked it
    dovecot.deliver(
        mail("Bartek <bartek@foodbank.example>", f"Re: {ticket.subject_token}", "Sure!", Authentication_Results=proof)
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)
    (refusal,) = smtp_sink.wait_for(1)
    assert refusal["To"] == "bartek@foodbank.example" and "not a member" in refusal.get_content()
    assert not ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).exists()


@pytest.mark.spec("MAIL-01", "MAIL-13")
def test_pop3_fetches_into_tickets_and_deletes_only_what_is_stored(dovecot, volunteers):
    mailbox = dovecot.mailbox(volunteers, name="POP", protocol=Mailbox.Protocol.POP3)
    mailbox.password = "secret1"
    mailbox.save()
    dovecot.deliver(mail())
    dovecot.deliver(mail("Jan <jan@example.pl>", "Paczka", "Dzień dobry"))
    assert check_mailbox(mailbox).stored == 2
    assert {t.title for t in Ticket.objects.all()} == {"Saturday shift", "Paczka"}
    assert dovecot.inbox()["all"] == []
    assert "2 messages" not in try_connection(mailbox) and "0 messages" in try_connection(mailbox)


@pytest.mark.spec("MAIL-13")
def test_a_message_stored_before_a_crash_is_only_acknowledged_the_next_time(dovecot, support_mailbox):
    """A check that stored a message and died before telling the server: the next check finds it
    stored, adds nothing and marks it read."""
    from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
    from switchboard.mail.fetch import ImapServer

    dovecot.deliver(mail())
    server = ImapServer(support_mailbox)
    keys = server.list_keys()
    fetched = server.fetch(list(keys.values()))
    stored = do_store_raw_messages(
        [RawItem("email", key, fetched[handle], support_mailbox.group) for key, handle in keys.items()]
    )
    do_apply_raw_messages(stored)
    server.imap.shutdown()  # the process dies here: the server was never told

    assert dovecot.inbox()["unseen"] != []
    report = check_mailbox(support_mailbox)
    assert (report.stored, report.acknowledged) == (0, 1)
    assert dovecot.inbox()["unseen"] == [] and RawMessage.objects.count() == 1 and Ticket.objects.count() == 1


@pytest.mark.spec("MAIL-13")
def test_a_redelivered_message_with_the_same_message_id_adds_nothing(dovecot, support_mailbox):
    message = mail(message_id="<once@client.example>")
    dovecot.deliver(message)
    check_mailbox(support_mailbox)
    dovecot.deliver(message)  # the sender's server delivered it again: a new UID, the same message
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN).count() == 1
    assert RawMessage.objects.filter(state=RawMessage.State.DROPPED).count() == 1


@pytest.mark.spec("MAIL-04", "MAIL-13")
def test_a_windows_path_in_an_8bit_body_is_kept_byte_exact(dovecot, support_mailbox):
    raw = (
        b"From: Jan Nowak <jan@example.pl>\r\nTo: support@example.test\r\nSubject: plik\r\n"
        b"Message-ID: <path@example.pl>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87: C:\\Users\\nowak\\new\\x41.txt\r\n"
    )
    dovecot.deliver(raw)
    check_mailbox(support_mailbox)
    assert bytes(RawMessage.objects.get().data) == raw
    (ticket,) = tickets_of("jan@example.pl")
    assert ticket.activities.get(kind=ActivityKind.EMAIL_IN).body == "Zażółć: C:\\Users\\nowak\\new\\x41.txt"


@pytest.mark.spec("MAIL-04", "MAIL-13")
def test_one_unreadable_message_among_twenty_is_quarantined_once_and_holds_up_nothing(
    dovecot, support_mailbox, settings
):
    settings.MAILBOX_FETCH_BATCH = 5  # four batches: parsed in the background process
    bad = (
        b"From: Odd <odd@example.com>\r\nTo: support@example.test\r\nSubject: ???\r\n"
        b"Message-ID: <bad@example.com>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: 8bit\r\n"
        b"\r\n\xff\xfe\xfa\r\n"
    )
    for n in range(20):
        dovecot.deliver(bad if n == 7 else mail(f"Person {n} <p{n}@example.org>", f"Message {n}"))
    check_mailbox(support_mailbox)
    check_mailbox(support_mailbox)
    assert Ticket.objects.count() == 19
    (quarantined,) = RawMessage.objects.filter(state=RawMessage.State.QUARANTINED)
    assert "x-no-such-charset" in quarantined.reason and bytes(quarantined.data) == bad
    assert RawMessage.objects.count() == 20 and dovecot.inbox()["unseen"] == []


@pytest.mark.spec("MAIL-01")
def test_try_connection_reports_the_servers_answer_in_plain_words(dovecot, support_mailbox):
    dovecot.deliver(mail())
    assert try_connection(support_mailbox) == (
        "Connected to 127.0.0.1 as support@example.test: 1 messages in INBOX, 1 unread."
    )
    support_mailbox.password = "wrong"  # one wrong password only: Dovecot slows down repeated failures
    with pytest.raises(MailboxError, match="refused the user name or password"):
        try_connection(support_mailbox)
    support_mailbox.port = dovecot.pop3_port + 1000 if dovecot.pop3_port < 64000 else 1
    with pytest.raises(MailboxError, match="refused the connection"):
        check_mailbox(support_mailbox)
    assert "refused the connection" in Mailbox.objects.get(pk=support_mailbox.pk).last_error


@pytest.mark.spec("MAIL-01")
def test_mailbox_passwords_are_stored_encrypted(support_mailbox):
    with connection.cursor() as cursor:
        cursor.execute("SELECT password_encrypted FROM mail_mailbox WHERE id = %s", [support_mailbox.pk])
        (stored,) = cursor.fetchone()
    assert "secret1" not in stored and Mailbox.objects.get(pk=support_mailbox.pk).password == "secret1"


@pytest.mark.spec("MAIL-03")
def test_with_plus_addressing_the_contacts_mail_to_the_tickets_own_address_finds_it_without_subject_or_headers(
    dovecot, support_mailbox, alice_agent
):
    group = support_mailbox.group
    group.plus_addressing, group.reply_address = True, "support@example.test"
    group.save()
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    reply = do_reply_to_contact(ticket, to_address="maria@example.org", body_html="<p>Yes</p>", acting_user=alice_agent)
    assert f"support+t{ticket.number}@example.test" in reply.from_address
    # Her new message goes to that address: no token, no In-Reply-To.
    dovecot.deliver(mail(subject="One more thing", body="Parking?", to=f"support+t{ticket.number}@example.test"))
    # The same from an address that is not on the ticket proves nothing: a new ticket, linked.
    dovecot.deliver(
        mail("Maria <m@other.example>", "One more thing", "Lunch?", to=f"support+t{ticket.number}@example.test")
    )
    check_mailbox(support_mailbox)
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_IN, body="Parking?").exists()
    (other,) = tickets_of("m@other.example")
    assert other.named_ticket == ticket and other.activities.filter(body="Lunch?").exists()


@pytest.mark.spec("MAIL-06", "MAIL-13")
def test_a_redelivered_answer_of_an_agent_is_sent_to_the_contact_once(
    dovecot, support_mailbox, smtp_sink, django_capture_on_commit_callbacks
):
    agent = make_agent("anna", "AK", groups=[support_mailbox.group])
    agent.email = "anna@foodbank.example"
    agent.save()
    dovecot.deliver(mail())
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    secret = reply_address_for(agent, ticket)
    answer = mail(
        "Anna <anna@foodbank.example>", f"Re: {ticket.subject_token}", "See you!", message_id="<a@fb>", to=secret
    )
    for _delivery in range(2):
        dovecot.deliver(answer)
        with django_capture_on_commit_callbacks(execute=True):
            check_mailbox(support_mailbox)
    assert len(smtp_sink.wait_for(1)) == 1
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).count() == 1


@pytest.mark.spec("MAIL-13")
def test_large_messages_are_fetched_in_batches_of_bounded_size(dovecot, support_mailbox, settings):
    from switchboard.mail.fetch import ImapServer, _chunks

    settings.MAILBOX_FETCH_BYTES = 1_000_000
    for n in range(3):
        message = EmailMessage()
        message["From"], message["Subject"] = f"P{n} <p{n}@example.org>", f"Scan {n}"
        message.set_content("Scanned documents attached.")
        message.add_attachment(bytes(range(256)) * 3000, maintype="application", subtype="pdf", filename=f"{n}.pdf")
        dovecot.deliver(message.as_bytes())  # ~1 MB each once encoded
    dovecot.deliver(mail())
    server = ImapServer(support_mailbox)
    keys = server.list_keys()
    chunks = _chunks(list(keys), server.sizes(list(keys.values())), keys)
    server.close()
    assert [len(chunk) for chunk in chunks] == [1, 1, 1, 1]  # each large one alone, never two together

    assert check_mailbox(support_mailbox).stored == 4
    assert Ticket.objects.count() == 4 and RawMessage.objects.filter(state=RawMessage.State.APPLIED).count() == 4


@pytest.mark.spec("MAIL-11")
def test_a_burst_of_automatic_mail_arriving_at_once_is_stopped_at_the_limit_too(dovecot, support_mailbox, settings):
    settings.AUTOMATIC_MAIL_LIMIT = 3
    for n in range(8):
        dovecot.deliver(mail("Robot <robot@example.com>", f"Auto {n}", "Got it", Auto_Submitted="auto-replied"))
    check_mailbox(support_mailbox)
    assert RawMessage.objects.filter(state=RawMessage.State.APPLIED).count() == 3
    assert RawMessage.objects.filter(state=RawMessage.State.DROPPED, sender="robot@example.com").count() == 5


@pytest.mark.spec("MAIL-12")
def test_people_in_copy_stay_in_copy_of_the_agents_reply(
    client, dovecot, support_mailbox, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    dovecot.deliver(mail(Cc="Jan Nowak <jan@example.pl>, Ewa <ewa@example.pl>"))
    check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert 'value="jan@example.pl, ewa@example.pl"' in page or 'value="ewa@example.pl, jan@example.pl"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reply_to_contact", args=[ticket.number]),
            {"to_address": "maria@example.org", "cc": "jan@example.pl, ewa@example.pl", "body_html": "<p>Yes!</p>"},
        )
    (sent,) = smtp_sink.wait_for(1)
    assert sent["To"] == "maria@example.org" and sorted(sent["Cc"].split(", ")) == ["ewa@example.pl", "jan@example.pl"]
    response = client.post(
        reverse("reply_to_contact", args=[ticket.number]),
        {"to_address": "maria@example.org", "cc": "not an address", "body_html": "<p>Again</p>"},
    )
    assert response.status_code == 400 and "Enter a valid email address" in response.content.decode()
