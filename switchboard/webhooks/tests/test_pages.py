"""The administrators' webhook pages (API-02)."""

from __future__ import annotations

import pytest

from switchboard.audit.models import AuditEntry
from switchboard.tickets.tests.factories import make_ticket
from switchboard.webhooks.actions import do_send_test_event
from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.spec("API-02")


def test_an_administrator_adds_an_endpoint_sees_its_secret_once_and_it_is_audited(client, dave_admin, receiver):
    client.force_login(dave_admin)
    assert "Add endpoint" in client.get("/webhooks/").content.decode()
    response = client.post(
        "/webhooks/new/",
        {
            "url": receiver.url,
            "description": "Donor CRM",
            "events": ["ticket.created", "ticket.closed"],
            "active": "on",
            "allow_private_address": "on",
        },
    )
    page = response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["ticket.closed", "ticket.created"]
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page
    assert endpoint.secret not in endpoint.secret_encrypted  # encrypted at rest
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.pk}/").content.decode()  # shown once
    old = endpoint.secret
    rotated = client.post(f"/webhooks/{endpoint.pk}/secret/").content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in rotated
    entries = AuditEntry.objects.filter(object_type="webhooks.webhookendpoint").order_by("at", "pk")
    assert [entry.action for entry in entries] == ["create", "change"]
    assert {"field": "secret_encrypted", "old": "•••", "new": "•••"} in entries[1].changes
    assert "Donor CRM" in client.get("/audit/").content.decode()


def test_the_log_shows_deliveries_and_a_failed_one_is_sent_again_by_hand(
    client, dave_admin, hook, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = hook
    receiver.always = 500
    with django_capture_on_commit_callbacks(execute=True):
        delivery = do_send_test_event(endpoint, acting_user=dave_admin)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    client.force_login(dave_admin)
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "HTTP 500" in page and "Retry now" in page and "Failed" in page
    receiver.always = 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/webhooks/deliveries/{delivery.pk}/retry/")
    assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 2)
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Retry now" not in page
    assert "Delivered" in page and "HTTP 200" in page


def test_send_a_test_event_from_the_page(client, dave_admin, hook, receiver, django_capture_on_commit_callbacks):
    endpoint, _secret = hook
    client.force_login(dave_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/webhooks/{endpoint.pk}/test/")
    assert [r.headers["Switchboard-Event"] for r in receiver.received] == ["ping"]


def test_only_administrators_see_the_webhook_pages(client, alice_agent, hook, volunteers):
    endpoint, _secret = hook
    delivery = do_send_test_event(endpoint, acting_user=None)
    gets = ["/webhooks/", "/webhooks/new/", f"/webhooks/{endpoint.pk}/"]
    posts = [
        f"/webhooks/{endpoint.pk}/",
        f"/webhooks/{endpoint.pk}/secret/",
        f"/webhooks/{endpoint.pk}/test/",
        f"/webhooks/{endpoint.pk}/remove/",
        f"/webhooks/deliveries/{delivery.pk}/retry/",
        "/webhooks/new/",
    ]
    for url in gets:
        assert client.get(url).status_code == 302  # to the sign-in
    client.force_login(alice_agent)
    for url in gets:
        assert client.get(url).status_code == 403
    for url in posts:
        assert client.post(url, {"url": "http://10.0.0.1/", "events": ["ping"]}).status_code == 403
    assert "data-webhooks-link" not in client.get("/").content.decode()
    endpoint.refresh_from_db()
    assert endpoint.active and WebhookEndpoint.objects.count() == 1


def test_the_administrator_removes_an_endpoint(client, dave_admin, hook, volunteers):
    endpoint, _secret = hook
    make_ticket(volunteers)
    client.force_login(dave_admin)
    assert "data-webhooks-link" in client.get("/").content.decode()
    client.post(f"/webhooks/{endpoint.pk}/remove/")
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
