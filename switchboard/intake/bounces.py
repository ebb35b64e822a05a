"""Bounces and delivery reports in the intake pipeline (MAIL-11, MAIL-13).

A report that returns one of OUR messages (found by the returned message's Message-ID, which is
random and ours, or by the ticket token together with the failed recipient's address) goes on
that message's ticket as "Delivery to X failed: reason", and the outbound message is marked not
sent, which its timeline entry shows. Automatic mail without a sender address (a domainless
MAILER-DAEMON, "<>") that returns nothing of ours is kept, applied to no ticket and never
quarantined. Everything else goes on through the pipeline as automatic mail.
"""

from __future__ import annotations

import dataclasses
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint
from switchboard.intake.inbound import DeliveryReport, Inbound
from switchboard.intake.models import OutboundMessage, RawMessage
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import SUBJECT_TOKEN, Activity, Ticket

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ReportOutcome:
    """How a delivery report ends: on a ticket (applied), or kept without one (dropped)."""

    state: RawMessage.State
    reason: str = ""
    ticket: Ticket | None = None
    activity: Activity | None = None


def do_apply_delivery_report(inbound: Inbound, *, contact_point_kind: str) -> ReportOutcome | None:
    """What ``inbound`` ends as if it is a report on our mail or automatic mail without a sender
    address (of its channel's ``contact_point_kind``); None for the pipeline's usual way, which a
    person's call with a withheld number takes too (a new ticket of an unknown caller)."""
    report = inbound.delivery_report
    outbound = _returned_outbound(inbound, report) if report is not None and report.failed else None
    if report is not None and outbound is not None and outbound.ticket is not None:
        activity = _record_failure(outbound, outbound.ticket, inbound, report)
        return ReportOutcome(RawMessage.State.APPLIED, ticket=outbound.ticket, activity=activity)
    address = inbound.sender.address
    is_email = contact_point_kind == ContactPoint.Kind.EMAIL
    if (not address and (is_email or inbound.automatic)) or (is_email and address and "@" not in address):
        log.info("Automatic mail without a sender address kept without a ticket (%s)", inbound.automatic)
        return ReportOutcome(
            RawMessage.State.DROPPED,
            reason=_("Automatic mail without a sender address (%(why)s): kept here, not put on a ticket.")
            % {"why": inbound.automatic},
        )
    return None


def _returned_outbound(inbound: Inbound, report: DeliveryReport) -> OutboundMessage | None:
    ours = OutboundMessage.objects.select_related("ticket").filter(ticket__isnull=False)
    if report.returned_message_ids:
        found = ours.filter(message_id__in=list(report.returned_message_ids)).order_by("-pk").first()
        if found is not None:
            return found

    numbers = [int(number) for number in SUBJECT_TOKEN.findall(f"{report.returned_subject} {inbound.subject}")]
    if not numbers or not report.recipients:  # a token alone is easily written: the recipient must match too
        return None
    candidates = ours.filter(ticket__number__in=numbers, to_address__in=list(report.recipients))
    return candidates.exclude(state=OutboundMessage.State.QUEUED).order_by("-pk").first()


@transaction.atomic
def _record_failure(outbound: OutboundMessage, ticket: Ticket, inbound: Inbound, report: DeliveryReport) -> Activity:
    reason = report.reason or _("the receiving server gave no reason")
    address = next((address for address in report.recipients if address in outbound.to_address.lower()), "")
    summary = _("Delivery to %(address)s failed: %(reason)s") % {
        "address": address or outbound.to_address,
        "reason": reason,
    }
    outbound.state, outbound.last_error = OutboundMessage.State.FAILED, reason
    outbound.save(update_fields=["state", "last_error", "updated_at"])
    log.info("Delivery report on ticket #%s: %s", ticket.number, summary)
    noted = dataclasses.replace(inbound, text=f"{summary}\n\n{inbound.text}".strip(), html="")
    return do_add_inbound_message(ticket, inbound=noted, cc=[])
