"""Sending an outbox message as email, through Django's mail backend (SMTP in production)."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMultiAlternatives

from switchboard.intake.models import OutboundMessage


def send_email(message: OutboundMessage) -> None:
    """Send ``message``; raises smtplib.SMTPException or OSError when it could not be handed over."""
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
    email.send()


def is_permanent_failure(error: Exception) -> bool:
    """The server refused for good (a 5xx answer): trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _split(addresses: str) -> list[str]:
    return [address.strip() for address in addresses.split(",") if address.strip()]
