"""A message that fails midway in a batch (intake/pipeline.py) is quarantined, and what the batch
remembered of it goes with its savepoint: the batch's later messages never point at a contact or
a ticket that was rolled back, so the batch commits and the mailbox goes on."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.db import connection

from switchboard.contacts.models import Contact
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.models import Activity, Ticket


def mail(number: int, body: str, *, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "Ola Nowak <ola@example.org>"
    message["To"] = "help@example.test"
    message["Subject"] = f"Parcel {number}"
    message["Message-ID"] = f"<parcel-{number}@example.org>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def refused_body():
    """The database refuses to store an entry whose text says FAULT: a fault of ours (a bug, a
    full disk) that stops one message after its contact and ticket were made."""
    table = Activity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_fault() RETURNS trigger AS $$ BEGIN "
            "IF NEW.body LIKE '%FAULT%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ "
            "LANGUAGE plpgsql"
        )
        cursor.execute(
            f'CREATE TRIGGER refuse_fault BEFORE INSERT ON "{table}" FOR EACH ROW EXECUTE FUNCTION refuse_fault()'
        )


@pytest.mark.postgres_only
@pytest.mark.spec("MAIL-13")
def test_a_message_failing_midway_leaves_no_trace_the_batchs_next_messages_would_use(volunteers, refused_body):
    items = [
        RawItem("email", "one", mail(1, "FAULT"), volunteers),  # a new contact, then a new ticket: rolled back
        RawItem("email", "two", mail(2, "Where is my parcel?"), volunteers),  # the same sender
        RawItem("email", "three", mail(3, "Any news?", in_reply_to="<parcel-1@example.org>"), volunteers),
    ]
    do_apply_raw_messages(do_store_raw_messages(items))
    connection.check_constraints()  # what its commit checks: every row it points at exists

    states = dict(RawMessage.objects.values_list("source_key", "state"))
    assert states == {"one": "quarantined", "two": "applied", "three": "applied"}
    assert "refused by the test" in RawMessage.objects.get(source_key="one").reason
    (ola,) = Contact.objects.filter(points__value="ola@example.org")
    (ticket,) = Ticket.objects.all()
    assert ticket.contact == ola and ticket.title == "Parcel 2"
    assert list(ticket.activities.filter(kind="email_in").values_list("body", flat=True)) == [
        "Where is my parcel?",
        "Any news?",
    ]
