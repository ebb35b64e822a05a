"""The emailed queue report (PHONE-08) through the real intake: mail into the real Dovecot, the
mailbox checked, the report filed only when our own mail server authenticated the agent's domain
(mail trust), else quarantined with the reason; never a ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from switchboard.intake.models import RawMessage
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.tests.test_mail_trust import secured
from switchboard.shift.models import Area, QueueReport, Shift
from switchboard.tickets.models import Ticket
from switchboard.tickets.tests.factories import make_agent

REPORT_ADDRESS = "support+queue@example.test"
TRUSTED = "mx.foodbank.example; dkim=pass header.d=foodbank.example"


@pytest.fixture
def anna(support_mailbox, settings):
    settings.TRUSTED_AUTHSERV_IDS = ["mx.foodbank.example"]
    group = support_mailbox.group
    group.reply_address, group.queue_report_minutes = "support@example.test", 30
    group.save()
    agent = make_agent("anna", "AK", groups=[group])
    agent.email = "anna@foodbank.example"
    agent.save()
    Shift.objects.create(agent=agent, started_at=timezone.now() - dt.timedelta(minutes=31))
    return agent


@pytest.fixture
def check(support_mailbox, django_capture_on_commit_callbacks):
    def run() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            check_mailbox(support_mailbox)

    return run


@pytest.mark.spec("PHONE-08")
def test_an_authenticated_emailed_report_is_filed_as_the_agents_report(dovecot, check, anna):
    area = Area.objects.create(name="Kraków")
    body = "Calls: 4 / Waiting: 6 / Outage: yes Kraków / Comment: the dialog would not open"
    dovecot.deliver(secured("Anna <anna@foodbank.example>", "Queue report", body, TRUSTED, to=REPORT_ADDRESS))
    check()
    report = QueueReport.objects.get(agent=anna)
    assert (report.calls_waiting, report.minutes_waiting, report.outage, report.area) == (4, 6, True, area)
    assert report.via == QueueReport.Via.EMAIL and report.filed_at is not None
    assert report.comment == "the dialog would not open"
    assert RawMessage.objects.get().state == RawMessage.State.APPLIED
    assert not Ticket.objects.exists()


@pytest.mark.spec("PHONE-08")
def test_a_report_from_an_agents_address_without_proof_is_refused_with_the_reason(dovecot, check, anna, smtp_sink):
    body = "Calls: 0 / Waiting: 0 / Outage: no"
    forged = "Anna <anna@foodbank.example>"
    dovecot.deliver(secured(forged, "Queue report", body, to=REPORT_ADDRESS))
    dovecot.deliver(secured(forged, "Queue report", body, "evil.example; dkim=pass header.d=foodbank.example",
                            to=REPORT_ADDRESS))  # fmt: skip
    check()
    assert not QueueReport.objects.filter(filed_at__isnull=False).exists()
    raws = list(RawMessage.objects.order_by("pk"))
    assert [raw.state for raw in raws] == [RawMessage.State.QUARANTINED] * 2
    assert all("nothing proves that an agent sent it" in raw.reason for raw in raws)
    assert not Ticket.objects.exists()
    assert smtp_sink.messages == []


@pytest.mark.spec("PHONE-08")
def test_a_malformed_report_is_not_filed_and_the_agent_is_told_why(dovecot, check, anna, smtp_sink):
    body = "Calls: four / Waiting: 6 / Outage: no"
    dovecot.deliver(secured("Anna <anna@foodbank.example>", "Queue report", body, TRUSTED, to=REPORT_ADDRESS))
    check()
    assert RawMessage.objects.get().state == RawMessage.State.QUARANTINED
    (answer,) = smtp_sink.messages
    assert answer["To"] == "anna@foodbank.example"
    assert "Calls: a whole number is missing." in answer.get_body(("plain",)).get_content()
