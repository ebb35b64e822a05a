"""Broadcasts (ADMIN-05): who may post and clear the agents' banner, posting and clearing it (each
pushed live, on commit, to every signed-in agent's open pages), and which banners a page shows.

An administrator's banner goes to every agent; a manager's to the agents of the groups they
manage and chose (at least one). A banner stays until it is cleared, by whoever posted it, an
administrator, or a manager of all its groups; cleared banners are kept as history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.shift.models import Broadcast
from switchboard.tickets.models import Group, Membership
from switchboard.tickets.permissions import User as AnyUser

# The channel group every signed-in agent's pages join (consumers.BroadcastsConsumer).
BROADCASTS_CHANNEL_GROUP = "broadcasts"
MANAGING_ROLES = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]


@dataclass(frozen=True)
class BroadcastDraft:
    """What a banner says: the message, the procedure to follow, whom to call."""

    text: str
    procedure: str = ""
    contact_name: str = ""
    contact_phone: str = ""


def managed_groups(user: AnyUser) -> QuerySet[Group]:
    """The groups whose agents ``user`` may post a banner to: all of them for an administrator."""
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(memberships__user=user, memberships__role__in=MANAGING_ROLES)


def can_post_broadcast(user: AnyUser) -> bool:
    return managed_groups(user).exists()


def can_clear_broadcast(user: AnyUser, broadcast: Broadcast) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or broadcast.posted_by_id == user.pk:
        return True
    groups = {group.pk for group in broadcast.groups.all()}
    return bool(groups) and groups <= set(managed_groups(user).values_list("pk", flat=True))


def active_banner_events(user: AnyUser) -> list[dict[str, object]]:
    """What a banner socket sends when it opens (again): the banners on ``user``'s pages now, so
    a page that was offline a while shows what was posted and drops what was cleared meanwhile."""
    banners = list_active_broadcasts(user).prefetch_related("groups")
    return [_event(banner, group_ids=[group.pk for group in banner.groups.all()]) for banner in banners]


def _event(broadcast: Broadcast, *, group_ids: list[int]) -> dict[str, object]:
    return {
        "type": "broadcast.changed",
        "id": broadcast.pk,
        "active": broadcast.is_active,
        "groups": group_ids,
        "text": broadcast.text,
        "procedure": broadcast.procedure,
        "contact_name": broadcast.contact_name,
        "contact_phone": broadcast.contact_phone,
        "posted_at": broadcast.posted_at.isoformat(),
    }


def _push_on_commit(event: dict[str, object]) -> None:
    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(BROADCASTS_CHANNEL_GROUP, event)

    transaction.on_commit(send)


@transaction.atomic
def do_post_broadcast(draft: BroadcastDraft, *, groups: Iterable[Group], acting_user: User) -> Broadcast:
    """Post a banner to the agents of ``groups`` (an administrator: none means everyone). A
    manager must name groups, all of them managed by them."""
    chosen = list(groups)
    allowed = set(managed_groups(acting_user).values_list("pk", flat=True))
    if not allowed:
        raise PermissionDenied(_("Only administrators and managers post banners."))
    if not acting_user.is_superuser and (not chosen or not {group.pk for group in chosen} <= allowed):
        raise PermissionDenied(_("You may post banners only to the groups you manage."))
    broadcast = Broadcast.objects.create(
        text=draft.text.strip(),
        procedure=draft.procedure.strip(),
        contact_name=draft.contact_name.strip(),
        contact_phone=draft.contact_phone.strip(),
        posted_at=timezone.now(),
        posted_by=acting_user,
    )
    broadcast.groups.set(chosen)
    _push_on_commit(_event(broadcast, group_ids=[group.pk for group in chosen]))
    return broadcast


@transaction.atomic
def do_clear_broadcast(broadcast: Broadcast, *, acting_user: User) -> Broadcast:
    """Take a banner off the agents' pages (at once, on every open page); kept as history."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if not can_clear_broadcast(acting_user, broadcast):
        raise PermissionDenied(_("You may not clear this banner."))
    return _clear(broadcast, acting_user=acting_user)


@transaction.atomic
def do_clear_outage_broadcast(broadcast: Broadcast, *, acting_user: User) -> Broadcast:
    """An outage's banner, cleared by whoever ends the outage (any agent may: it is over)."""
    return _clear(Broadcast.objects.select_for_update().get(pk=broadcast.pk), acting_user=acting_user)


def _clear(broadcast: Broadcast, *, acting_user: User) -> Broadcast:
    if broadcast.cleared_at is not None:
        return broadcast
    broadcast.cleared_at = timezone.now()
    broadcast.cleared_by = acting_user
    broadcast.save(update_fields=["cleared_at", "cleared_by"])
    _push_on_commit(_event(broadcast, group_ids=list(broadcast.groups.values_list("pk", flat=True))))
    return broadcast


# --- reads ------------------------------------------------------------------------------------


def list_active_broadcasts(user: AnyUser) -> QuerySet[Broadcast]:
    """The banners on an agent's pages: everyone's (for those who work in a group: ``is_agent``)
    and their groups'. One query."""
    if not user.is_authenticated or not user.is_active:
        return Broadcast.objects.none()
    active = Broadcast.objects.filter(cleared_at__isnull=True)
    if not user.is_superuser:
        works_in_a_group = Exists(Membership.objects.filter(user=user))
        active = active.filter((Q(groups=None) & works_in_a_group) | Q(groups__memberships__user=user))
    return active.distinct().order_by("-posted_at", "-pk")


def list_broadcast_history(user: AnyUser) -> QuerySet[Broadcast]:
    """Every banner ``user`` could see or has posted, newest first, with who posted and cleared it."""
    if not user.is_authenticated or not user.is_active:
        return Broadcast.objects.none()
    every = Broadcast.objects.select_related("posted_by", "cleared_by").prefetch_related("groups")
    if not user.is_superuser:
        every = every.filter(Q(groups=None) | Q(groups__memberships__user=user) | Q(posted_by=user))
    return every.distinct().order_by("-posted_at", "-pk")


def reaches(user: AnyUser, group_ids: list[int]) -> bool:
    """Whether a banner for ``group_ids`` (empty: everyone) belongs on ``user``'s pages, asked of
    the database (a WebSocket's user is as loaded when it connected). One query."""
    if not user.is_authenticated:
        return False
    agent = User.objects.filter(pk=user.pk, is_active=True)
    if group_ids:
        return agent.filter(Q(is_superuser=True) | Q(memberships__group_id__in=group_ids)).exists()
    return agent.filter(Q(is_superuser=True) | Q(memberships__isnull=False)).exists()  # every agent
