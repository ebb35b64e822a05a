"""What the intake keeps of an erased contact (CC-01, GDPR): answered on ``contact_erasing``,
in the erasure's transaction (connected in ``IntakeConfig.ready``).

The raw messages of the contact's own tickets, and any from their addresses, are deleted: raw
mail encodes text in ways no search can read (base64, quoted-printable). Raw messages of tickets
they were in copy on keep the other person's message, with the contact's addresses and names
replaced where they are written plainly. The outbox keeps its rows, scrubbed.
"""

from __future__ import annotations

from django.db.models import Q

from switchboard.contacts.scrub import Scrubber
from switchboard.intake.models import OutboundMessage, RawMessage

_OUTBOUND_TEXT = ["from_address", "to_address", "cc", "reply_to", "subject", "text", "html", "in_reply_to"]
_OUTBOUND_TEXT += ["references", "last_error"]


def erase_contact_messages(
    *,
    ticket_ids: list[int],
    other_ticket_ids: list[int],
    addresses: list[str],
    scrubber: Scrubber,
    **_signal: object,
) -> dict[str, int]:
    own = RawMessage.objects.filter(Q(ticket_id__in=ticket_ids) | Q(sender__in=addresses))
    deleted = own.delete()[0]
    kept = list(RawMessage.objects.filter(ticket_id__in=other_ticket_ids))
    for raw in kept:
        raw.data = scrubber.raw(bytes(raw.data))
        raw.sender = scrubber.text(raw.sender)
        raw.reason = scrubber.text(raw.reason)
    RawMessage.objects.bulk_update(kept, ["data", "sender", "reason"], batch_size=200)
    outbound = list(
        OutboundMessage.objects.filter(Q(ticket_id__in=[*ticket_ids, *other_ticket_ids]) | Q(to_address__in=addresses))
    )
    for message in outbound:
        for field in _OUTBOUND_TEXT:
            setattr(message, field, scrubber.text(getattr(message, field)))
    OutboundMessage.objects.bulk_update(outbound, _OUTBOUND_TEXT, batch_size=200)
    return {"raw_messages": deleted, "outgoing_messages": len(outbound)}
