"""Push delivery (MAIL-01): `switchboard lmtp` takes mail from the organisation's mail server
over LMTP (RFC 2033) for the groups' addresses, and answers 250 for a recipient only once the
message is stored and committed (MAIL-13); a job then applies it. A message the server delivers
again (after a lost answer) is stored once."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from switchboard.intake import tasks
from switchboard.intake.pipeline import RawItem, do_store_raw_messages
from switchboard.intake.trust import REPLY_ADDRESS
from switchboard.mail.models import Mailbox
from switchboard.tickets.models import Group

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def group_for_address(address: str) -> Group | None:
    """The group whose reply address or mailbox this is; "volunteers+t12@…" is volunteers@…."""
    local, _at, domain = address.strip().strip("<>").lower().partition("@")
    base = f"{local.split('+', 1)[0]}@{domain}"
    group = Group.objects.filter(reply_address__iexact=base).first()
    if group is None:
        mailbox = Mailbox.objects.select_related("group").filter(username__iexact=base).first()
        group = mailbox.group if mailbox else None
    return group


def store_for_recipients(data: bytes, recipients: list[str]) -> list[str]:
    """Store the message once per recipient group; one LMTP status per recipient."""
    digest = hashlib.sha256(data).hexdigest()
    groups = [group_for_address(address) for address in recipients]
    items = [
        RawItem("email", f"lmtp:{group.pk}:{digest}", _delivered_to(data, recipients, groups, group), group)
        for group in groups
        if group is not None
    ]
    try:
        stored = do_store_raw_messages(items)
    except Exception:  # the sending server keeps the message and tries again
        log.exception("LMTP: could not store a message")
        return ["451 4.3.0 Could not store the message; try again later"] * len(recipients)
    if stored:  # committed: the answer may say so; applying them is a job's work
        tasks.apply_raw_messages([raw.pk for raw in stored])
    return ["250 2.0.0 Stored" if group is not None else "550 5.1.1 No such mailbox here" for group in groups]


def _delivered_to(data: bytes, recipients: list[str], groups: list[Group | None], group: Group) -> bytes:
    """The message with a Delivered-To line for each agent's secret reply address of the group
    ("support+r…@…", mail trust) it was delivered to, as a mail server's local delivery adds
    them: the pipeline finds the address there also when it was only in the envelope (Bcc)."""
    lines = [
        f"Delivered-To: {address.strip().strip('<>')}\r\n".encode()
        for address, its_group in zip(recipients, groups, strict=True)
        if its_group == group and REPLY_ADDRESS.match(address.strip().strip("<>"))
    ]
    return b"".join(lines) + data


def _with_database(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Run ``function`` in a worker thread, like a request: its connections closed afterwards."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run)


class LmtpHandler:
    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if await _with_database(group_for_address)(address) is None:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        data = envelope.original_content or b""
        statuses = await _with_database(store_for_recipients)(bytes(data), list(envelope.rcpt_tos))
        return "\r\n".join(statuses)  # LMTP: one answer per recipient


class LmtpController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def start_lmtp(host: str, port: int) -> LmtpController:
    """The listener; a message over MAX_INBOUND_MESSAGE_BYTES is refused with 552, so the mail
    server keeps it or returns it to its sender, as for any mailbox over its limit."""
    controller = LmtpController(
        LmtpHandler(), hostname=host, port=port, data_size_limit=settings.MAX_INBOUND_MESSAGE_BYTES
    )
    controller.start()
    return controller
