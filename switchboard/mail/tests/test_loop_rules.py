"""Loop protection (MAIL-11) for the two rules that catch our own mail coming back: an X-Loop
header, and a Message-ID in our own domain. Such mail is kept on the timeline, but nothing
answers it: no acknowledgement, no agent notification, no agent's answer sent on."""

from __future__ import annotations

import pytest
from django.conf import settings

from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.models import ActivityKind, Membership
from switchboard.tickets.tests.factories import make_agent


@pytest.fixture
def answering_group(support_mailbox):
    """The mailbox's group acknowledges new tickets, and Anna hears of every one."""
    group = support_mailbox.group
    group.autoresponder = True
    group.save()
    anna = make_agent("anna", "AN", groups=[group])
    Membership.objects.filter(user=anna).update(notify_weekdays=list(range(7)))
    return group


@pytest.mark.spec("MAIL-11")
def test_mail_with_an_x_loop_header_or_our_own_message_id_is_kept_but_never_answered(
    dovecot, support_mailbox, answering_group, smtp_sink, django_capture_on_commit_callbacks
):
    ours = f"<ticket7.1764406800.42@{settings.MESSAGE_ID_DOMAIN}>"
    dovecot.deliver(mail("Lists <robot@lists.example>", "Saturday shift", "Looped", X_Loop="support@example.test"))
    dovecot.deliver(mail("Forwarder <fwd@relay.example>", "Your ticket", "Our own mail, back", message_id=ours))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    reasons = dict(RawMessage.objects.values_list("sender", "automatic"))
    assert "X-Loop" in reasons["robot@lists.example"] and reasons["fwd@relay.example"]
    assert RawMessage.objects.filter(state=RawMessage.State.APPLIED).count() == 2, "both kept on the timeline"
    assert len(tickets_of("robot@lists.example")) == len(tickets_of("fwd@relay.example")) == 1
    assert not OutboundMessage.objects.exists(), "nobody was answered or told"

    dovecot.deliver(mail("Maria Garcia <maria@example.org>", "Saturday shift", "Can I help?"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)
    # What a person's mail gets, and only that: the loops before it sent nothing.
    assert sorted(message["To"] for message in smtp_sink.wait_for(2)) == ["anna@example.test", "maria@example.org"]
    assert OutboundMessage.objects.count() == 2


@pytest.mark.spec("MAIL-11")
def test_an_agents_looped_mail_on_a_ticket_is_not_sent_on_to_the_contact(
    dovecot, support_mailbox, answering_group, smtp_sink, django_capture_on_commit_callbacks
):
    dovecot.deliver(mail("Maria Garcia <maria@example.org>", "Saturday shift", "Can I help?"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)
    (ticket,) = tickets_of("maria@example.org")
    smtp_sink.wait_for(2)  # the acknowledgement, and Anna's notification
    subject = f"Re: {ticket.subject_token}"
    dovecot.deliver(mail("Anna <anna@example.test>", subject, "Auto-forwarded", X_Loop="support@example.test"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    assert OutboundMessage.objects.count() == 2, "nothing sent to Maria"
    assert not ticket.activities.filter(kind=ActivityKind.EMAIL_OUT).exists()
    assert RawMessage.objects.get(sender="anna@example.test").automatic
