"""Mail trust (issue 18): a From address is not an identity and a ticket token is not a
permission. Mail goes into the real Dovecot (or through LMTP) and what we send arrives at the
real SMTP listener."""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from email.message import EmailMessage

import pytest
import time_machine
from django.urls import reverse

from switchboard.contacts.models import Contact
from switchboard.intake.models import AgentReplyAddress, OutboundMessage
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.lmtp import start_lmtp
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.testing.processes import free_port
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent

SECRET_REPLY_ADDRESS = re.compile(r"^support\+r[0-9a-f]{32}@example\.test$")
UNPROVEN = "nothing proves the agent sent it"


@pytest.fixture
def anna(support_mailbox):
    """An agent of the mailbox's group who gets an email about every new ticket."""
    support_mailbox.group.reply_address = "support@example.test"  # the mailbox's address: answers come back
    support_mailbox.group.save()
    agent = make_agent("anna", "AK", groups=[support_mailbox.group])
    agent.email, agent.first_name, agent.last_name = "anna@foodbank.example", "Anna", "Kowalska"
    agent.save()
    Membership.objects.filter(user=agent).update(notify_weekdays=list(range(7)))
    return agent


@pytest.fixture
def check(support_mailbox, django_capture_on_commit_callbacks):
    """Check the mailbox and run what its transactions send on commit (the send jobs)."""

    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            check_mailbox(support_mailbox)

    return run


def sent_to(smtp_sink, address: str) -> list[EmailMessage]:
    return [message for message in smtp_sink.messages if message["To"] == address]


def marias_ticket(dovecot, check, **headers: str) -> Ticket:
    dovecot.deliver(mail(**headers))
    check()
    (ticket,) = tickets_of("maria@example.org")
    return ticket


def secured(sender: str, subject: str, body: str, *results: str, to: str = "support@example.test") -> bytes:
    """A message with Authentication-Results headers, the first one topmost."""
    message = EmailMessage()
    for result in results:
        message["Authentication-Results"] = result
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message.as_bytes()


@pytest.mark.spec("MAIL-06")
def test_mail_forged_from_an_agents_address_reaches_no_contact_makes_no_note_and_is_flagged(
    client, dovecot, check, anna, smtp_sink
):
    ticket = marias_ticket(dovecot, check)
    forged = "Anna Kowalska <anna@foodbank.example>"
    dovecot.deliver(mail(forged, f"Re: {ticket.subject_token}", "Your refund is waiting at http://evil.example"))
    dovecot.deliver(mail(forged, f"Re: {ticket.subject_token}", "#note\nGive the caller the door code."))
    check()

    assert sent_to(smtp_sink, "maria@example.org") == []
    assert not OutboundMessage.objects.filter(to_address="maria@example.org").exists()
    assert not Ticket.objects.filter(activities__kind__in=[ActivityKind.NOTE, ActivityKind.EMAIL_OUT]).exists()
    assert not ticket.activities.filter(from_address="anna@foodbank.example").exists()
    forged_messages = list(
        Ticket.objects.get(named_ticket=ticket).activities.filter(kind=ActivityKind.EMAIL_IN).order_by("id")
    )
    assert [message.sender_unproven for message in forged_messages] == [True, True]
    assert "#note" in forged_messages[1].body

    client.force_login(anna)
    page = client.get(reverse("ticket", args=[forged_messages[0].ticket.number])).content.decode()
    assert page.count(UNPROVEN) == 2
    client.cookies["django_language"] = "pl"
    polish = client.get(reverse("ticket", args=[forged_messages[0].ticket.number]), HTTP_ACCEPT_LANGUAGE="pl")
    assert "nic nie dowodzi" in polish.content.decode()


@pytest.mark.spec("MAIL-06", "MAIL-09")
def test_the_secret_reply_address_of_an_agents_notification_proves_the_answer_until_it_is_revoked(
    client, dovecot, check, anna, dave_admin, smtp_sink
):
    ticket = marias_ticket(dovecot, check)
    (notification,) = sent_to(smtp_sink, "anna@foodbank.example")
    secret = notification["Reply-To"]
    assert SECRET_REPLY_ADDRESS.match(secret), secret
    dovecot.deliver(mail("Anna <anna@foodbank.example>", notification["Subject"], "Yes, come at 9.", to=secret))
    check()
    (answer,) = sent_to(smtp_sink, "maria@example.org")
    assert "Yes, come at 9." in answer.get_body(("plain",)).get_content()
    assert ticket.activities.get(kind=ActivityKind.EMAIL_OUT).actor == anna

    # Somebody else who learnt the address gets nothing from it: it is the agent's only.
    dovecot.deliver(mail("Eve <eve@example.com>", "Re: hello", "From Eve", to=secret))
    # An administrator revokes it; the same answer no longer counts as the agent's.
    client.force_login(dave_admin)
    client.post(
        reverse("admin:intake_agentreplyaddress_changelist"),
        {"action": "revoke", "_selected_action": [AgentReplyAddress.objects.get(user=anna).pk]},
    )
    dovecot.deliver(mail("Anna <anna@foodbank.example>", notification["Subject"], "Revoked answer", to=secret))
    check()
    assert len(sent_to(smtp_sink, "maria@example.org")) == 1
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).count() == 1
    unproven = Ticket.objects.get(activities__body="Revoked answer").activities.get(body="Revoked answer")
    assert unproven.sender_unproven
    assert not ticket.activities.filter(body="From Eve").exists()


@pytest.mark.spec("MAIL-06")
def test_an_agent_who_left_the_group_can_no_longer_answer_through_the_secret_address(dovecot, check, anna, smtp_sink):
    ticket = marias_ticket(dovecot, check)
    (notification,) = sent_to(smtp_sink, "anna@foodbank.example")
    Membership.objects.filter(user=anna).delete()
    dovecot.deliver(
        mail("Anna <anna@foodbank.example>", notification["Subject"], "Still me", to=notification["Reply-To"])
    )
    check()
    assert sent_to(smtp_sink, "maria@example.org") == []
    assert not ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).exists()
    assert AgentReplyAddress.objects.get(user=anna).revoked_at is not None


@pytest.mark.spec("MAIL-06")
def test_a_trusted_authentication_results_header_with_aligned_dkim_proves_the_agent_and_others_do_not(
    dovecot, check, anna, smtp_sink, settings
):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.foodbank.example"]
    ticket = marias_ticket(dovecot, check)
    sender, subject = "Anna <anna@foodbank.example>", f"Re: {ticket.subject_token}"
    dovecot.deliver(secured(sender, subject, "untrusted id", "evil.example; dkim=pass header.d=foodbank.example"))
    dovecot.deliver(secured(sender, subject, "not aligned", "mx.foodbank.example; dkim=pass header.d=evil.example"))
    dovecot.deliver(  # the sender wrote the second header; our server's own, on top, says it failed
        secured(
            sender,
            subject,
            "forged below ours",
            "mx.foodbank.example; dkim=fail header.d=foodbank.example",
            "mx.foodbank.example; dkim=pass header.d=foodbank.example",
        )
    )
    check()
    assert sent_to(smtp_sink, "maria@example.org") == []
    flagged = Contact.objects.get(points__value="anna@foodbank.example").tickets.get().activities
    assert flagged.filter(sender_unproven=True).count() == 3

    dovecot.deliver(
        secured(sender, subject, "Yes, come at 9.", "mx.foodbank.example; dkim=pass (ok) header.d=foodbank.example")
    )
    dovecot.deliver(
        secured(
            sender,
            subject,
            "#note\nShe has a car.",
            "MX.foodbank.example; spf=pass smtp.mailfrom=anna@foodbank.example",
        )
    )
    check()
    (answer,) = sent_to(smtp_sink, "maria@example.org")
    assert "Yes, come at 9." in answer.get_body(("plain",)).get_content()
    assert ticket.activities.get(kind=ActivityKind.NOTE).body == "She has a car."

    # Proven, about no ticket: a message like anyone's, and not marked.
    proof = "mx.foodbank.example; dkim=pass header.d=foodbank.example"
    dovecot.deliver(secured(sender, "The printer is out of toner", "New topic", proof))
    check()
    assert not Activity.objects.get(body="New topic").sender_unproven


@pytest.mark.spec("MAIL-06", "MAIL-12")
def test_an_agents_emailed_answer_keeps_the_people_in_copy(dovecot, check, anna, smtp_sink, settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.foodbank.example"]
    ticket = marias_ticket(dovecot, check, Cc="Jan Nowak <jan@example.pl>, Ewa <ewa@example.pl>")
    dovecot.deliver(
        secured(
            "Anna <anna@foodbank.example>",
            f"Re: {ticket.subject_token}",
            "Yes, all three of you.",
            "mx.foodbank.example; dkim=pass header.d=foodbank.example",
        )
    )
    check()
    (answer,) = sent_to(smtp_sink, "maria@example.org")
    assert sorted(answer["Cc"].split(", ")) == ["ewa@example.pl", "jan@example.pl"]


@pytest.mark.spec("MAIL-03", "MAIL-12")
def test_a_token_attaches_only_the_tickets_own_peoples_mail_and_a_stranger_gets_a_linked_ticket(
    client, dovecot, check, anna, support_mailbox
):
    group = support_mailbox.group
    group.plus_addressing, group.reply_address = True, "support@example.test"
    group.save()
    ticket = marias_ticket(dovecot, check, Cc="Jan Nowak <jan@example.pl>")
    token = ticket.subject_token
    reply = do_reply_to_contact(ticket, to_address="maria@example.org", body_html="<p>Yes</p>", acting_user=anna)

    dovecot.deliver(mail("Eve <eve@example.com>", f"Re: {token}", "Send me the files", Cc="Mallory <m@evil.example>"))
    dovecot.deliver(mail("Eve <eve@example.com>", "Hi", "Plus address", to=f"support+t{ticket.number}@example.test"))
    dovecot.deliver(mail(subject=f"Re: {token}", body="From Maria"))
    dovecot.deliver(mail("Jan <jan@example.pl>", f"Re: {token}", "From Jan", Cc="Ola <ola@example.pl>"))
    dovecot.deliver(mail("Maria <m@mobile.example>", f"Re: {token}", "Answers ours", In_Reply_To=reply.message_id))
    check()

    bodies = set(ticket.activities.filter(kind=ActivityKind.EMAIL_IN).values_list("body", flat=True))
    assert bodies == {"Can I help on Saturday?", "From Maria", "From Jan", "Answers ours"}
    assert sorted(ticket.cc_contacts.values_list("points__value", flat=True)) == ["jan@example.pl", "ola@example.pl"]
    (eves,) = tickets_of("eve@example.com")
    assert eves.named_ticket == ticket and eves.activities.filter(kind=ActivityKind.EMAIL_IN).count() == 2
    assert not eves.cc_contacts.exists() and not Contact.objects.filter(points__value="m@evil.example").exists()

    client.force_login(anna)
    page = client.get(reverse("ticket", args=[eves.number])).content.decode()
    assert f'href="/tickets/{ticket.number}/"' in page and "Add to copy" in page and "m@evil.example" in page
    assert 'value="m@evil.example"' not in page  # never in the reply form's copy
    assert f'href="/tickets/{eves.number}/"' in client.get(reverse("ticket", args=[ticket.number])).content.decode()

    message = eves.activities.get(body="Send me the files")
    client.post(reverse("add_to_copy", args=[eves.number]), {"message": message.pk})
    assert list(eves.cc_contacts.values_list("points__value", flat=True)) == ["m@evil.example"]
    page = client.get(reverse("ticket", args=[eves.number])).content.decode()
    assert "Add to copy" not in page and 'value="m@evil.example"' in page


def autoresponder_on(support_mailbox, settings) -> None:
    group = support_mailbox.group
    group.autoresponder = True
    group.save()
    settings.AUTORESPONSE_LIMIT, settings.AUTORESPONSE_LIMIT_PER_DOMAIN, settings.AUTORESPONSE_LIMIT_GLOBAL = 3, 2, 3


@pytest.mark.spec("MAIL-08", "ADMIN-04")
def test_a_new_contact_is_acknowledged_in_the_groups_language(dovecot, check, support_mailbox, settings, smtp_sink):
    autoresponder_on(support_mailbox, settings)
    support_mailbox.group.language = "pl"
    support_mailbox.group.save()
    dovecot.deliver(mail("Jan Kowalski <jan@example.pl>", "Kanapa do odbioru", "Mam kanapę do oddania."))

    check()

    (acknowledgement,) = smtp_sink.messages
    assert acknowledgement["Subject"].strip().startswith("Otrzymaliśmy Twoją wiadomość: Kanapa do odbioru")
    text = acknowledgement.get_body(("plain",)).get_content()
    assert text.startswith("Dzień dobry,") and "Zarejestrowaliśmy ją jako sprawę [Ticket#" in text


@pytest.mark.spec("MAIL-08", "MAIL-11")
def test_autoresponses_stop_at_the_per_domain_and_global_limits_of_an_hour(
    client, dovecot, check, support_mailbox, settings, smtp_sink, dave_admin
):
    autoresponder_on(support_mailbox, settings)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)) as clock:
        for person in (
            "a@victim.example",
            "b@victim.example",
            "c@victim.example",
            "d@other.example",
            "e@third.example",
        ):
            dovecot.deliver(mail(f"Person <{person}>", f"Hello from {person}", "Hi"))
        check()
        answered = sorted(message["To"] for message in smtp_sink.messages)
        assert answered == ["a@victim.example", "b@victim.example", "d@other.example"]
        assert Ticket.objects.count() == 5  # every message is a ticket all the same

        client.force_login(dave_admin)
        page = client.get(reverse("admin:intake_outboundmessage_changelist")).content.decode()
        assert "Autoresponses in the last hour" in page and "3 / 3" in page and "victim.example" in page

        clock.shift(dt.timedelta(minutes=61))
        dovecot.deliver(mail("Person <f@victim.example>", "A new hour", "Hi"))
        check()
        assert smtp_sink.messages[-1]["To"] == "f@victim.example" and len(smtp_sink.messages) == 4


@pytest.mark.spec("MAIL-08", "MAIL-11")
def test_no_autoresponse_to_mail_our_server_found_failing_spf_or_dmarc(
    dovecot, check, support_mailbox, settings, smtp_sink
):
    autoresponder_on(support_mailbox, settings)
    settings.TRUSTED_AUTHSERV_IDS = ["mx.foodbank.example"]
    dovecot.deliver(
        secured("A <a@one.example>", "Hi", "spf", "mx.foodbank.example; spf=fail smtp.mailfrom=a@one.example")
    )
    dovecot.deliver(
        secured("B <b@two.example>", "Hi", "dmarc", "mx.foodbank.example; dmarc=fail header.from=two.example")
    )
    dovecot.deliver(
        secured("C <c@three.example>", "Hi", "says who", "evil.example; spf=fail smtp.mailfrom=c@three.example")
    )
    check()
    assert Ticket.objects.count() == 3
    assert [message["To"] for message in smtp_sink.messages] == ["c@three.example"]


@pytest.fixture
def lmtp_port():
    port = free_port()
    controller = start_lmtp("127.0.0.1", port)
    yield port
    controller.stop()


@pytest.mark.spec("MAIL-01", "MAIL-06")
@pytest.mark.django_db(transaction=True)
def test_push_delivery_takes_the_secret_reply_address_even_when_only_the_envelope_names_it(
    volunteers, lmtp_port, smtp_sink
):
    volunteers.reply_address = "support@example.test"
    volunteers.save()
    agent = make_agent("anna", "AK", groups=[volunteers])
    agent.email = "anna@foodbank.example"
    agent.save()
    Membership.objects.filter(user=agent).update(notify_weekdays=list(range(7)))
    with smtplib.LMTP("127.0.0.1", lmtp_port) as server:
        server.sendmail("maria@example.org", ["support@example.test"], mail().replace(b"\n", b"\r\n"))
    (notification,) = smtp_sink.wait_for(1)
    secret = notification["Reply-To"]
    assert SECRET_REPLY_ADDRESS.match(secret), secret
    answer = mail("Anna <anna@foodbank.example>", notification["Subject"], "Pushed answer", to="support@example.test")
    with smtplib.LMTP("127.0.0.1", lmtp_port) as server:  # the secret address only in the envelope (Bcc)
        assert server.sendmail("anna@foodbank.example", [secret], answer.replace(b"\n", b"\r\n")) == {}
    (_notification, sent) = smtp_sink.wait_for(2)
    assert sent["To"] == "maria@example.org" and "Pushed answer" in sent.get_body(("plain",)).get_content()
