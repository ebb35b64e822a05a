"""Server-side request forgery (API-02): private, loopback, link-local and reserved addresses
are refused when an endpoint is saved and again when a delivery is sent, unless allowed."""

from __future__ import annotations

import pytest

from switchboard.webhooks.actions import EndpointValues, do_create_endpoint, do_send_test_event, do_update_endpoint
from switchboard.webhooks.addresses import AddressRefusedError, resolve
from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint
from switchboard.webhooks.sending import do_send_delivery

pytestmark = pytest.mark.spec("API-02")

REFUSED = [
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "https://192.168.0.10/hook",
    "http://172.16.5.5:8080/hook",
    "http://[::1]:9000/hook",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://localhost:8000/hook",  # a name that resolves to 127.0.0.1
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_private_address_is_refused_when_the_endpoint_is_saved(url, dave_admin):
    with pytest.raises(AddressRefusedError, match="private, local or reserved"):
        do_create_endpoint(EndpointValues(url=url, events=["ticket.created"]), acting_user=dave_admin)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("url", ["ftp://example.org/", "example.org/hook", "http:///nohost", "javascript:alert(1)"])
def test_only_http_and_https_addresses_are_taken(url, dave_admin):
    with pytest.raises(AddressRefusedError):
        do_create_endpoint(EndpointValues(url=url, events=["ticket.created"]), acting_user=dave_admin)


def test_a_private_address_is_taken_when_the_administrator_allows_it(dave_admin):
    values = EndpointValues(url="http://10.1.2.3/hook", events=["ticket.created"], allow_private_address=True)
    endpoint, _secret = do_create_endpoint(values, acting_user=dave_admin)
    assert endpoint.allow_private_address is True
    unticked = EndpointValues(url="http://10.1.2.3/hook", events=["ticket.created"], allow_private_address=False)
    with pytest.raises(AddressRefusedError):
        do_update_endpoint(endpoint, values=unticked, acting_user=dave_admin)


def test_a_public_address_is_judged_public():
    assert str(resolve("https://93.184.215.14/hook", allow_private=False)) == "93.184.215.14"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_the_address_is_checked_again_when_sending(receiver, dave_admin, host):
    """Saved while allowed (or while the name pointed elsewhere): at send time the rule of that
    moment holds, and nothing reaches the receiver."""
    values = EndpointValues(url=receiver.url, events=["ticket.created"], allow_private_address=True)
    endpoint, _secret = do_create_endpoint(values, acting_user=dave_admin)
    url = receiver.url.replace("127.0.0.1", host)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=url, allow_private_address=False)
    endpoint.refresh_from_db()
    delivery = do_send_test_event(endpoint, acting_user=dave_admin)
    do_send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert receiver.received == []
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert "private, local or reserved" in delivery.last_error


def test_the_page_says_why_an_address_is_refused(client, dave_admin):
    client.force_login(dave_admin)
    response = client.post(
        "/webhooks/new/", {"url": "http://10.0.0.7/hook", "events": ["ticket.created"], "active": "on"}
    )
    assert response.status_code == 200
    assert "private, local or reserved" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
