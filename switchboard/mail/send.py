"""Sending an outbox message as email, through Django's mail backend (SMTP in production)."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives

from switchboard.intake.delivery import DeliveryError
from switchboard.intake.models import OutboundMessage

Failure = OutboundMessage.Failure


def send_email(message: OutboundMessage) -> None:
    """Send ``message`` with its stored files; raises DeliveryError when it could not be handed over, saying whether
    it never can be: a header email does not allow, or a 5xx answer of the server."""
    headers = {"Message-ID": message.message_id}
    if message.automatic:
        headers["Auto-Submitted"] = "auto-replied"  # RFC 3834: other systems must not answer it
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_address,
        to=_split(message.to_address),
        cc=_split(message.cc),
        headers=headers,
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    if message.html:
        email.attach_alternative(f"<!DOCTYPE html><html><body>{message.html}</body></html>", "text/html")
    try:
        for attachment in message.attachments.all():  # read from storage at every attempt (CORE-16)
            with attachment.file.open("rb") as file:
                email.attach(attachment.filename, file.read(), attachment.content_type)
        email.send()
    except ValueError as error:  # BadHeaderError (a line break in a header) or an address it cannot write
        raise DeliveryError(str(error), failure=Failure.UNSENDABLE) from error
    except smtplib.SMTPRecipientsRefused as error:
        answers = error.recipients.values()
        detail = "; ".join(f"{address}: {_answer(code, text)}" for address, (code, text) in error.recipients.items())
        permanent = all(code >= 500 for code, _text in answers)
        raise DeliveryError(detail, failure=Failure.REFUSED if permanent else None) from error
    except smtplib.SMTPResponseException as error:
        permanent = error.smtp_code >= 500
        detail = _answer(error.smtp_code, error.smtp_error)
        raise DeliveryError(detail, failure=Failure.REFUSED if permanent else None) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(str(error) or error.__class__.__name__, failure=None) from error


def _answer(code: int, text: bytes | str) -> str:
    """A server's answer as it said it: "550 5.1.1 No such user here"."""
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"


def _split(addresses: str) -> list[str]:
    return [address.strip() for address in addresses.split(",") if address.strip()]
