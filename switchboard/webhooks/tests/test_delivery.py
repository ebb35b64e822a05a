"""Outbound webhooks (API-02) delivered to a real local HTTP receiver."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from switchboard.tickets.actions import do_assign_ticket, do_change_ticket_status, do_close_ticket, do_create_ticket
from switchboard.tickets.assignment import do_assign_waiting_tickets
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Group, StatusKind, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket
from switchboard.webhooks import jobs
from switchboard.webhooks.actions import EndpointValues, do_create_endpoint
from switchboard.webhooks.disabling import do_disable_failing_endpoints
from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint
from switchboard.webhooks.sending import BACKOFF, MAX_ATTEMPTS
from switchboard.webhooks.signing import verify

pytestmark = pytest.mark.spec("API-02")


def events_received(receiver) -> list[str]:
    return [request.headers["Switchboard-Event"] for request in receiver.received]


def test_a_new_ticket_is_delivered_with_a_signature_the_receiver_can_check(
    receiver, hook, volunteers, django_capture_on_commit_callbacks
):
    endpoint, secret = hook
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(volunteers)
    created = [r for r in receiver.received if r.headers["Switchboard-Event"] == "ticket.created"]
    assert len(created) == 1
    request = created[0]
    assert request.path == "/hooks/switchboard"
    assert verify(secret, header=request.headers["Switchboard-Signature"], body=request.body, now=int(time.time()))
    assert not verify(
        "whsec_wrong", header=request.headers["Switchboard-Signature"], body=request.body, now=int(time.time())
    )
    body = json.loads(request.body)
    assert body["event"] == "ticket.created"
    assert body["data"]["ticket"]["number"] == ticket.number
    assert body["data"]["ticket"]["group"] == "volunteers"
    assert body["data"]["ticket"]["url"].endswith(f"/tickets/{ticket.number}/")
    delivery = WebhookDelivery.objects.get(pk=request.headers["Switchboard-Delivery"])
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 1)
    assert str(delivery.event_id) == body["id"]


def test_the_ticket_and_contact_events_each_go_out_once(
    receiver, hook, volunteers, alice_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = make_contact("Ewa", "Lis", email="ewa@example.test")
    assert events_received(receiver) == ["contact.created"]
    assert json.loads(receiver.received[0].body)["data"]["contact"]["id"] == contact.pk
    with django_capture_on_commit_callbacks(execute=True):
        ticket = do_create_ticket(volunteers, contact=contact, source=TicketSource.PHONE, acting_user=alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = do_assign_ticket(ticket, owner=alice_agent, acting_user=alice_agent)
    pending = volunteers.statuses.get(kind=StatusKind.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = do_change_ticket_status(ticket, status=pending, acting_user=alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        do_reply_to_contact(ticket, to_address="ewa@example.test", body_html="<p>Done.</p>", acting_user=alice_agent)
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(ticket, acting_user=alice_agent)
    assert events_received(receiver)[1:] == [
        "ticket.created",
        "ticket.updated",
        "ticket.assigned",
        "ticket.updated",
        "ticket.status_changed",
        "ticket.updated",  # the reply sets "waiting for the contact"
        "ticket.status_changed",
        "ticket.replied",
        "ticket.closed",
    ]
    assigned = json.loads(receiver.received[3].body)["data"]["ticket"]
    assert assigned["owner"] == "alice"
    closed = json.loads(receiver.received[-1].body)["data"]["ticket"]
    assert closed["closed"] is True and closed["contact_id"] == contact.pk


def test_an_endpoint_gets_only_the_events_it_chose_and_nothing_is_written_for_others(
    receiver, dave_admin, volunteers, django_capture_on_commit_callbacks
):
    values = EndpointValues(url=receiver.url, events=["contact.created"], allow_private_address=True)
    do_create_endpoint(values, acting_user=dave_admin)
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(volunteers, contact=make_contact())
    assert events_received(receiver) == ["contact.created"]
    assert WebhookDelivery.objects.count() == 1


def test_nothing_is_sent_for_an_action_that_rolled_back(receiver, hook, volunteers, django_capture_on_commit_callbacks):
    contact = make_contact()
    WebhookDelivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            do_create_ticket(volunteers, contact=contact, source=TicketSource.EMAIL, acting_user=None)
            raise RuntimeError("the rest of the request failed")
    assert WebhookDelivery.objects.count() == 0
    assert [r for r in receiver.received if r.headers["Switchboard-Event"] == "ticket.created"] == []


def test_an_error_answer_without_a_body_is_logged_as_its_code_alone(
    receiver, hook, volunteers, django_capture_on_commit_callbacks
):
    contact = make_contact()
    WebhookDelivery.objects.all().delete()  # its contact.created, never sent here
    receiver.answers.extend([503])
    receiver.error_body = b""
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(volunteers, contact=contact)
    delivery = WebhookDelivery.objects.get(event="ticket.created")
    assert (delivery.response_code, delivery.last_error) == (503, "HTTP 503")  # was "HTTP 503:"


def test_a_delivery_answered_500_is_tried_again_after_the_wait_and_then_delivered(
    receiver, hook, volunteers, django_capture_on_commit_callbacks
):
    endpoint, secret = hook
    contact = make_contact()
    WebhookDelivery.objects.all().delete()  # its contact.created, never sent here
    receiver.answers.extend([500])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            make_ticket(volunteers, contact=contact)
        delivery = WebhookDelivery.objects.get(event="ticket.created")
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
        assert "receiver's database is down" in delivery.last_error
        assert delivery.next_attempt_at == start + BACKOFF[0]
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).failing_since == start
        jobs.send_due_webhook_deliveries.call_local()  # not yet due
        assert len(receiver.received) == 1
    with time_machine.travel(start + BACKOFF[0] + dt.timedelta(seconds=1), tick=False):
        jobs.send_due_webhook_deliveries.call_local()
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first.headers["Switchboard-Delivery"] == second.headers["Switchboard-Delivery"]  # receivers de-duplicate
    assert first.body == second.body
    assert verify(secret, header=second.headers["Switchboard-Signature"], body=second.body, now=int(time.time()))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 2, 200)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).failing_since is None


def test_after_the_last_attempt_the_delivery_fails(receiver, hook, volunteers, django_capture_on_commit_callbacks):
    receiver.always = 503
    contact = make_contact()
    moment = timezone.now()
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        make_ticket(volunteers, contact=contact)
    for wait in BACKOFF:
        moment += wait + dt.timedelta(seconds=1)
        with time_machine.travel(moment, tick=False):
            jobs.send_due_webhook_deliveries.call_local()
    delivery = WebhookDelivery.objects.get(event="ticket.created")
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(receiver, hook, volunteers, settings):
    """A listening socket that never answers: the timeout ends the attempt."""
    import socket

    endpoint, _secret = hook
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    settings.WEBHOOK_TIMEOUT = 1
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"http://127.0.0.1:{silent.getsockname()[1]}/")
    from switchboard.webhooks.actions import do_send_test_event
    from switchboard.webhooks.sending import do_send_delivery

    delivery = do_send_test_event(endpoint, acting_user=None)
    do_send_delivery(delivery.pk)
    silent.close()
    delivery.refresh_from_db()
    assert (
        delivery.status == "pending" and delivery.attempts == 1 and delivery.last_error == "No answer within 1 seconds."
    )


def test_an_endpoint_failing_for_days_is_switched_off_and_the_administrators_emailed_once(
    receiver, hook, volunteers, dave_admin, smtp_sink, settings, django_capture_on_commit_callbacks
):
    endpoint, _secret = hook
    receiver.always = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        make_ticket(volunteers)
    with (
        time_machine.travel(start + dt.timedelta(days=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert do_disable_failing_endpoints() == 0  # not long enough
    later = start + dt.timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS, minutes=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert do_disable_failing_endpoints() == 1
        assert do_disable_failing_endpoints() == 0
    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.disabled_at == later
    mail = smtp_sink.wait_for(1)
    assert len(mail) == 1 and mail[0]["To"] == dave_admin.email
    assert "Webhook switched off" in mail[0]["Subject"]
    assert f"/webhooks/{endpoint.pk}/" in mail[0].get_content()
    # Switched off: new events write nothing for it.
    count = WebhookDelivery.objects.count()
    make_ticket(volunteers)
    assert WebhookDelivery.objects.count() == count


def test_an_endpoint_with_a_success_in_between_is_not_switched_off(
    receiver, hook, volunteers, django_capture_on_commit_callbacks
):
    endpoint, _secret = hook
    start = timezone.now()
    receiver.answers.extend([500])
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        make_ticket(volunteers)  # contact.created fails, ticket.created goes through
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).failing_since is None
    with time_machine.travel(start + dt.timedelta(days=10), tick=False):
        assert do_disable_failing_endpoints() == 0


def test_a_ticket_opened_by_an_email_is_sent_like_any_other(
    receiver, hook, volunteers, smtp_sink, django_capture_on_commit_callbacks
):
    """The intake opens tickets through the domain's action: every channel sends the same events."""
    from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages

    mail = (
        b"From: Ola Nowak <ola@example.test>\r\nTo: volunteers@example.test\r\nSubject: Van keys\r\n"
        b"Message-ID: <van-keys@example.test>\r\nDate: Sat, 05 Dec 2026 10:00:00 +0000\r\n\r\n"
        b"Where do I leave the van keys?\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        [raw] = do_store_raw_messages([RawItem("email", "van-keys", mail, volunteers)])
        do_apply_raw_messages([raw])
    assert events_received(receiver)[:2] == ["contact.created", "ticket.created"]
    ticket = json.loads(receiver.received[1].body)["data"]["ticket"]
    assert (ticket["source"], ticket["subject"]) == ("email", "Van keys")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_delivery_at_once_send_it_once(receiver, dave_admin):
    """The claim is a conditional UPDATE: of two jobs for one delivery (the one started on commit
    and the minute's retry job, say), only one posts it."""
    import threading

    from django.db import connection

    from switchboard.webhooks.sending import do_send_delivery

    values = EndpointValues(url=receiver.url, events=["ticket.created"], allow_private_address=True)
    endpoint, _secret = do_create_endpoint(values, acting_user=dave_admin)
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="ping", payload={"data": {}})  # not started
    start = threading.Barrier(4)

    def send() -> None:
        start.wait()
        try:
            do_send_delivery(delivery.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_the_subscriptions_are_read_once_per_transaction_and_again_after_a_change(
    receiver, hook, volunteers, dave_admin
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from switchboard.webhooks.outbox import forget_subscriptions

    tickets = [make_ticket(volunteers) for _ in range(3)]
    forget_subscriptions()  # as at the start of a transaction (the test runs in one)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for ticket in tickets:
            do_close_ticket(ticket, acting_user=None)
    reads = [q for q in queries.captured_queries if 'FROM "webhooks_webhookendpoint"' in q["sql"]]
    assert len(reads) == 1
    assert WebhookDelivery.objects.filter(event="ticket.closed").count() == 3
    endpoint, _secret = hook
    narrower = EndpointValues(url=receiver.url, events=["contact.created"], allow_private_address=True)
    from switchboard.webhooks.actions import do_update_endpoint

    do_update_endpoint(endpoint, values=narrower, acting_user=dave_admin)  # no longer wants ticket events
    make_ticket(volunteers)
    assert WebhookDelivery.objects.filter(event="ticket.created").count() == 3


def test_tickets_routed_in_a_batch_are_each_sent_as_assigned(
    receiver, hook, volunteers, django_capture_on_commit_callbacks
):
    """The waiting tickets routed together (history written in bulk) tell the endpoint like one
    assignment each."""
    waiting = [make_ticket(volunteers) for _ in range(3)]
    make_agent("anna", "AN", groups=[volunteers])
    volunteers.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    volunteers.save()
    receiver.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert do_assign_waiting_tickets(volunteers) == 3
    assigned = [
        json.loads(r.body)["data"]["ticket"]
        for r in receiver.received
        if r.headers["Switchboard-Event"] == "ticket.assigned"
    ]
    assert sorted(ticket["number"] for ticket in assigned) == sorted(ticket.number for ticket in waiting)
    assert {ticket["owner"] for ticket in assigned} == {"anna"}
