"""The emailed queue report (PHONE-08): where the dialog cannot be used, an agent emails the
group's report address, ``<the group's mailbox>+queue@<its domain>``, and the intake hands the
message here (``intake/queue_reports.py``) instead of making a ticket.

The body is one line, or one line per field, in English or Polish (upper or lower case):

    Calls: 4 / Waiting: 6 / Outage: yes Kraków / Comment: lines down on Długa street

``Calls`` (Połączenia): calls in the queue; ``Waiting`` (Czekanie): minutes the longest caller has
waited; ``Outage`` (Awaria): ``no``/``nie``, or ``yes``/``tak`` followed by the area's name;
``Comment`` (Komentarz): optional. Pure: reads no database except to look the area up by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.shift.models import Area
from switchboard.tickets.models import Group

REPORT_TAG = "queue"
REPORT_ADDRESS = re.compile(r"^[^@+]+\+queue@", re.IGNORECASE)
REPORT_FORMAT_HELP = gettext_lazy(
    "Write one line: Calls: 4 / Waiting: 6 / Outage: yes Kraków / Comment: anything else "
    "(Outage: no, where nothing is out)."
)
KEYS = {
    "calls": "calls",
    "połączenia": "calls",
    "waiting": "waiting",
    "czekanie": "waiting",
    "outage": "outage",
    "awaria": "outage",
    "comment": "comment",
    "komentarz": "comment",
}
_KEY = "|".join(KEYS)
FIELD = re.compile(rf"(?P<key>{_KEY})\s*:\s*(?P<value>.*?)\s*(?=(?:/\s*)?(?:{_KEY})\s*:|$)", re.IGNORECASE | re.DOTALL)
YES, NO = {"yes", "tak", "y", "t"}, {"no", "nie", "n"}


def report_address(group: Group) -> str:
    """The address at which the group accepts emailed queue reports."""
    local, _at, domain = group.from_address.partition("@")
    return f"{local.split('+', 1)[0]}+{REPORT_TAG}@{domain}"


def is_report_address(address: str, group: Group) -> bool:
    return bool(group.queue_report_minutes) and address.lower() == report_address(group).lower()


class ReportFormatError(ValueError):
    """What is wrong with an emailed report, in words for the agent."""


@dataclass(frozen=True)
class ParsedReport:
    calls_waiting: int
    minutes_waiting: int
    outage: bool
    area: Area | None
    comment: str


def parse_report(text: str) -> ParsedReport:
    """The figures of an emailed report; raises ReportFormatError saying what is missing."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            break  # the quoted message below an answer
        for match in FIELD.finditer(line):
            values.setdefault(KEYS[match.group("key").lower()], match.group("value").strip().rstrip("/").strip())
    calls = _number(values.get("calls"), _("Calls"))
    waiting = _number(values.get("waiting"), _("Waiting"))
    outage_text = values.get("outage", "")
    answer, _space, place = outage_text.partition(" ")
    if answer.lower() in NO:
        outage, area = False, None
    elif answer.lower() in YES:
        outage = True
        area = Area.objects.filter(name__iexact=place.strip()).first()
        if area is None:
            names = ", ".join(Area.objects.values_list("name", flat=True))
            raise ReportFormatError(_("Name the outage's area after “yes”, one of: %(names)s.") % {"names": names})
    else:
        raise ReportFormatError(_("Say “Outage: yes <area>” or “Outage: no”."))
    return ParsedReport(calls, waiting, outage, area, values.get("comment", "")[:2000])


def _number(value: str | None, label: str) -> int:
    if value is None or not value.isdigit() or int(value) > 9999:
        raise ReportFormatError(_("%(field)s: a whole number is missing.") % {"field": label})
    return int(value)
