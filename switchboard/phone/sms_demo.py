"""Demo data of the SMS channel: a donor's text with a photo on a Donations ticket, and the
agent's answer by SMS, delivered (as the provider would have reported it)."""

from __future__ import annotations

import io

from django.contrib.auth.models import User
from django.db import transaction
from PIL import Image, ImageDraw

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import OutboundMessage
from switchboard.intake.outbound import new_message_id
from switchboard.phone.models import PhoneNumber, SmsDelivery
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, Group, TicketSource

DONOR_MOBILE = "+15415550123"


@transaction.atomic
def load_sms_demo(group: Group, *, number: PhoneNumber) -> None:
    agent = User.objects.filter(memberships__group=group).order_by("pk").first()
    donor = do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Ewa", last_name="Zielinski", phones=[DONOR_MOBILE], acting_user=None
    )
    text = "Hi, we are moving out and would like to give away our fridge. It works fine. Here is a photo."
    ticket = do_create_ticket(
        group, contact=donor, source=TicketSource.SMS, acting_user=None, subject="Fridge to give away"
    )
    inbound = Inbound(channel="sms", sender=Person(address=DONOR_MOBILE), text=text, recipients=[number.number])
    message = do_add_inbound_message(ticket, inbound=inbound, cc=[])
    do_attach_file(message, filename="photo-1.jpg", content_type="image/jpeg", content=_fridge_photo())
    answer = "Thank you, Ewa! Our van can collect the fridge on Friday between 9 and 12. Please empty and defrost it."
    reply = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.SMS_OUT,
        actor=agent,
        body=answer,
        from_address=number.number,
        to_address=DONOR_MOBILE,
    )
    sent = OutboundMessage.objects.create(
        ticket=ticket,
        activity=reply,
        channel="sms",
        from_address=number.number,
        to_address=DONOR_MOBILE,
        text=answer,
        message_id=new_message_id(ticket),
        state=OutboundMessage.State.SENT,
        attempts=1,
        sent_at=reply.created_at,
    )
    SmsDelivery.objects.create(outbound=sent, sid="SM" + "d" * 32, status=SmsDelivery.Status.DELIVERED)


def _fridge_photo() -> bytes:
    """A drawn stand-in for the photo a donor texts of what they give away."""
    image = Image.new("RGB", (900, 1200), (214, 222, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 1050, 900, 1200), fill=(160, 130, 100))  # floor
    draw.rounded_rectangle((230, 120, 670, 1080), radius=30, fill=(245, 245, 242), outline=(170, 170, 170), width=6)
    draw.line((230, 480, 670, 480), fill=(170, 170, 170), width=6)  # freezer door
    for top, bottom in ((200, 420), (540, 800)):
        draw.rounded_rectangle((600, top, 625, bottom), radius=10, fill=(150, 150, 150))  # handles
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
