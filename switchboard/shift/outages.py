"""Outages (ADMIN-05): opening one in an area (with its banner in the same step, for those who
may post one), ending it (which clears its banner), and opening its parent incident ticket, to
which the agents link the tickets of the calls about it (CORE-17, tickets.links)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.shift.broadcasts import BroadcastDraft, do_clear_outage_broadcast, do_post_broadcast, managed_groups
from switchboard.shift.models import Area, Outage
from switchboard.tickets.actions import TicketError, do_add_note, do_create_ticket
from switchboard.tickets.models import Group, Ticket, TicketSource
from switchboard.tickets.permissions import User as AnyUser
from switchboard.tickets.permissions import is_agent


class OutageError(Exception):
    """A refusal the agent can act on, in words."""


@dataclass(frozen=True)
class NewOutage:
    area: Area
    description: str = ""
    banner: BroadcastDraft | None = None  # posted with the outage, to ``banner_groups``
    banner_groups: tuple[Group, ...] = ()


def _ensure_agent(user: AnyUser) -> None:
    if not is_agent(user):
        raise PermissionDenied(_("Only agents open and end outages."))


@transaction.atomic
def do_open_outage(new: NewOutage, *, acting_user: User) -> Outage:
    """Any agent opens an outage (they hear of it first, on the phone); its banner, if any, is
    posted by the rules of banners (an administrator or the groups' manager)."""
    _ensure_agent(acting_user)
    Area.objects.select_for_update().get(pk=new.area.pk)  # two agents opening one at once: one waits, then is refused
    if Outage.objects.filter(area=new.area, ended_at__isnull=True).exists():
        raise OutageError(_("An outage in %(area)s is open already.") % {"area": new.area})
    broadcast = None
    if new.banner is not None:
        broadcast = do_post_broadcast(new.banner, groups=new.banner_groups, acting_user=acting_user)
    try:
        with transaction.atomic():
            return Outage.objects.create(
                area=new.area,
                description=new.description.strip(),
                started_at=timezone.now(),
                opened_by=acting_user,
                broadcast=broadcast,
            )
    except IntegrityError:  # another agent opened it a moment ago
        raise OutageError(_("An outage in %(area)s is open already.") % {"area": new.area}) from None


@transaction.atomic
def do_end_outage(outage: Outage, *, acting_user: User) -> Outage:
    """The outage is over: it ends now, and its banner comes off every page."""
    _ensure_agent(acting_user)
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.ended_at is not None:
        raise OutageError(_("This outage has ended already."))
    outage.ended_at = timezone.now()
    outage.ended_by = acting_user
    outage.save(update_fields=["ended_at", "ended_by"])
    if outage.broadcast_id is not None:
        do_clear_outage_broadcast(outage.broadcast, acting_user=acting_user)  # type: ignore[arg-type]  # an id: a row
    return outage


@transaction.atomic
def do_open_outage_incident(outage: Outage, *, group: Group, acting_user: User) -> Ticket:
    """A parent incident ticket for the outage in ``group`` (one of the agent's), with the
    outage's description as its first note; the agents link the calls' tickets to it."""
    outage = Outage.objects.select_for_update().select_related("area").get(pk=outage.pk)
    if outage.incident_id is not None:
        raise OutageError(_("This outage has its incident ticket already."))
    title = _("Outage in %(area)s") % {"area": outage.area}
    try:
        ticket = do_create_ticket(group, contact=None, source=TicketSource.AGENT, title=title, acting_user=acting_user)
    except TicketError as error:
        raise OutageError(str(error)) from error
    if outage.description:
        do_add_note(ticket, body=outage.description, acting_user=acting_user)
    outage.incident = ticket
    outage.save(update_fields=["incident"])
    return ticket


# --- reads ------------------------------------------------------------------------------------


def _outages() -> QuerySet[Outage]:
    return Outage.objects.select_related("area", "opened_by", "ended_by", "broadcast", "incident")


def list_open_outages() -> QuerySet[Outage]:
    """The outages going on, newest first, each with its area, people, banner and incident ticket."""
    return _outages().filter(ended_at__isnull=True).order_by("-started_at")


def list_past_outages(*, limit: int = 100) -> QuerySet[Outage]:
    """The latest ``limit`` outages that have ended, last ended first."""
    return _outages().filter(ended_at__isnull=False).order_by("-ended_at")[:limit]


def list_areas() -> QuerySet[Area]:
    return Area.objects.all()


def banner_groups_for(user: AnyUser) -> QuerySet[Group]:
    return managed_groups(user).order_by("name")
