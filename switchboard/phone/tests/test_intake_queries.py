"""The phone's two channels (calls and texts) share the intake's batch: what they have in
common is read once a batch, not once a channel."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.phone.tests.test_sms import sid, sms_params
from switchboard.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.spec("PHONE-07")
def test_a_batch_of_texts_reads_our_phone_numbers_once(phone_number, volunteers):
    senders = [f"+4860123450{n}" for n in range(3)]
    raws = do_store_raw_messages(
        [
            RawItem(
                "sms", f"sms:{sid(n)}", urlencode(sms_params(sid(n), "Can I help?", sender=sender)).encode(), volunteers
            )
            for n, sender in enumerate(senders)
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        do_apply_raw_messages(raws)

    reads = [query["sql"] for query in queries.captured_queries if 'FROM "phone_phonenumber"' in query["sql"]]
    assert len(reads) == 1, reads
    assert {raw.state for raw in RawMessage.objects.filter(pk__in=[raw.pk for raw in raws])} == {
        RawMessage.State.APPLIED
    }
    assert Ticket.objects.filter(contact__points__value__in=senders).count() == 3
