from __future__ import annotations

import pytest

from switchboard.testing.webhook_receiver import start_webhook_receiver
from switchboard.webhooks.actions import EndpointValues, do_create_endpoint
from switchboard.webhooks.models import SUBSCRIBABLE


@pytest.fixture
def receiver():
    """A real HTTP receiver on 127.0.0.1."""
    server = start_webhook_receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def hook(receiver, dave_admin):
    """An endpoint for every event at the local receiver (loopback: private addresses allowed),
    and its secret."""
    values = EndpointValues(
        url=receiver.url, events=[event.value for event in SUBSCRIBABLE], allow_private_address=True
    )
    return do_create_endpoint(values, acting_user=dave_admin)
