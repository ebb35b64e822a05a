"""Demo data of the SMS channel: a donor's text with a photo on a Donations ticket, and the
agent's answer by SMS, delivered (as the provider would have reported it)."""

from __future__ import annotations

import io

from django.contrib.auth.models import User
from django.db import transaction
from PIL import Image, ImageDraw

from switchboard.contacts.actions import do_create_contact, do_set_contact_language
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import OutboundMessage
from switchboard.intake.outbound import new_message_id
from switchboard.phone.models import PhoneNumber, SmsDelivery
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.demo_texts import ENGLISH, DemoTexts
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import Activity, ActivityKind, Group, TicketSource

DONOR_MOBILE = ENGLISH.sms_donor[2]


@transaction.atomic
def load_sms_demo(group: Group, *, number: PhoneNumber, texts: DemoTexts = ENGLISH) -> None:
    agent = User.objects.filter(memberships__group=group).order_by("pk").first()
    first, last, mobile = texts.sms_donor
    donor = do_create_contact(
        kind=Contact.Kind.PERSON, first_name=first, last_name=last, phones=[mobile], acting_user=None
    )
    if texts.language != "en":
        do_set_contact_language(donor, language=texts.language, acting_user=None)
    ticket = do_create_ticket(
        group, contact=donor, source=TicketSource.SMS, acting_user=None, subject=texts.sms_subject
    )
    inbound = Inbound(channel="sms", sender=Person(address=mobile), text=texts.sms_text, recipients=[number.number])
    message = do_add_inbound_message(ticket, inbound=inbound, cc=[])
    do_attach_file(message, filename="photo-1.jpg", content_type="image/jpeg", content=_fridge_photo())
    answer = texts.sms_answer
    reply = Activity.objects.create(
        ticket=ticket,
        kind=ActivityKind.SMS_OUT,
        actor=agent,
        body=answer,
        from_address=number.number,
        to_address=mobile,
    )
    sent = OutboundMessage.objects.create(
        ticket=ticket,
        activity=reply,
        channel="sms",
        from_address=number.number,
        to_address=mobile,
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
