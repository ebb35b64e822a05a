"""The intake's step for emailed queue reports (PHONE-08): mail to a group's report address
(``shift/report_mail.py``) is handed to the shift as the agent's report instead of making a ticket.

Mail trust decides as it does for an agent's emailed answer (``trust.py``): a From address proves
nothing, so the report is filed only when our own mail servers' Authentication-Results show DKIM
or SPF passing for the domain of an active agent's address, and that agent is a member of the
group on shift with a report due. Otherwise the message is quarantined with the reason, for an
administrator to look at; it never becomes a ticket.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from switchboard.core.quotes import split_quoted
from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.inbound import Inbound
from switchboard.intake.models import RawMessage
from switchboard.intake.outbound import compose_agent_email
from switchboard.intake.trust import Authentication
from switchboard.shift.models import QueueReport
from switchboard.shift.queue_reports import Figures, QueueReportError, do_file_queue_report, find_report_to_file
from switchboard.shift.report_mail import REPORT_FORMAT_HELP, ReportFormatError, is_report_address, parse_report
from switchboard.tickets.models import Group, Membership

Outcome = tuple[RawMessage.State, str]


def apply_queue_report(
    inbound: Inbound, *, group: Group, agent: User | None, authentication: Authentication
) -> Outcome | None:
    """``None`` when the message is not to the group's report address; else what became of it."""
    if not any(is_report_address(address, group) for address in inbound.recipients):
        return None
    sender = inbound.sender.address
    if agent is None or not agent.is_active or inbound.automatic or not authentication.proves(agent.email):
        return RawMessage.State.QUARANTINED, _(
            "A queue report from %(sender)s was not filed: nothing proves that an agent sent it "
            "(our mail server did not authenticate the sender's domain)."
        ) % {"sender": sender}
    if not Membership.objects.filter(user=agent, group=group).exists():
        return RawMessage.State.QUARANTINED, _("A queue report from %(sender)s: not a member of %(group)s.") % {
            "sender": sender,
            "group": group.name,
        }
    report = find_report_to_file(group, agent)
    if report is None:
        return RawMessage.State.QUARANTINED, _(
            "A queue report from %(sender)s was not filed: no report of theirs is due (not on shift, or filed already)."
        ) % {"sender": sender}
    text, _quoted = split_quoted(inbound.text)
    try:
        parsed = parse_report(text)
        do_file_queue_report(
            report,
            Figures(parsed.calls_waiting, parsed.minutes_waiting, parsed.outage, parsed.area, parsed.comment),
            via=QueueReport.Via.EMAIL,
            acting_user=agent,
        )
    except (ReportFormatError, QueueReportError) as error:
        body = f"{error}\n\n{REPORT_FORMAT_HELP}"
        subject = _("Your queue report was not filed")
        do_queue_outbound(compose_agent_email(group, to=agent, subject=subject, text=body), ticket=None, activity=None)
        return RawMessage.State.QUARANTINED, _("A queue report from %(sender)s was not filed: %(error)s") % {
            "sender": sender,
            "error": error,
        }
    return RawMessage.State.APPLIED, _("Queue report of %(agent)s filed.") % {"agent": agent.get_username()}
