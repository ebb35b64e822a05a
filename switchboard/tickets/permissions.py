"""Who may see and work on which tickets: the one helper every view, API and action asks.

An agent reaches the groups they are a member of; an administrator (superuser) reaches all.
In a group that keeps its agents to their own tickets (``Group.own_tickets_only``, ADMIN-01), a
member with the agent or home-agent role reaches only the tickets they own and the unowned ones
to take; its managers and administrators reach every ticket. ``visible_tickets`` (a queryset),
``visible_ticket_q`` (the same rule as a filter through a relation) and ``can_see_ticket`` (one
ticket) are that rule, written once.
The helper lives with the tickets app because groups and memberships do.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Agent
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, Field, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.tickets.models import Group, Membership, Ticket

User = Agent | AnonymousUser


def visible_groups(user: User) -> QuerySet[Group]:
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(memberships__user=user)


# The roles a group's "own tickets only" setting restricts.
RESTRICTED_ROLES = (Membership.Role.AGENT, Membership.Role.HOME_AGENT)


def restricted_groups(user: User) -> QuerySet[Group]:
    """The groups where ``user`` sees only their own tickets and the unowned ones."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return Group.objects.none()
    return Group.objects.filter(own_tickets_only=True, memberships__user=user, memberships__role__in=RESTRICTED_ROLES)


def visible_ticket_q(user: User, prefix: str = "") -> Q:
    """The ticket rule as a filter; ``prefix`` reaches the ticket through a relation
    (``"ticket__"`` for activities, ``"activity__ticket__"`` for files). Subqueries only: it adds
    no query to a page."""
    if not user.is_authenticated or not user.is_active:
        return Q(**{f"{prefix}pk__in": []})
    if user.is_superuser:
        return Q()
    # The groups' condition stays first and alone, as before the rule: the planner still reaches
    # the tickets by their group (an OR of two group sets read the tickets' index whole).
    in_groups = Q(**{f"{prefix}group__in": visible_groups(user)})
    unrestricted = ~Q(**{f"{prefix}group__in": restricted_groups(user).values("pk")})
    own = Q(**{f"{prefix}owner__isnull": True}) | Q(**{f"{prefix}owner_id": user.pk})
    return in_groups & (unrestricted | own)


def visible_tickets(user: User) -> QuerySet[Ticket]:
    """Every ticket ``user`` may see (and, being a member, work on)."""
    return Ticket.objects.filter(visible_ticket_q(user))


def can_see_ticket(user: User, ticket: Ticket) -> bool:
    """``visible_tickets`` for one ticket already loaded: one query at most."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    membership = (
        Membership.objects.filter(user=user, group_id=ticket.group_id)
        .values_list("role", "group__own_tickets_only")
        .first()
    )
    if membership is None:
        return False
    role, own_only = membership
    return not (own_only and role in RESTRICTED_ROLES and ticket.owner_id not in (None, user.pk))


def visible_contacts(user: User) -> QuerySet[Contact]:
    """The contacts ``user`` may see: those of a ticket in one of their groups, or in copy on one
    (MAIL-12); an administrator sees every contact. Filter a narrowed set with it: each contact
    costs two index lookups."""
    if not user.is_authenticated or not user.is_active:
        return Contact.objects.none()
    if user.is_superuser:
        return Contact.objects.all()
    has_ticket = Ticket.objects.filter(visible_ticket_q(user), contact_id=OuterRef("pk"))
    in_copy = Ticket.cc_contacts.through.objects.filter(visible_ticket_q(user, "ticket__"), contact_id=OuterRef("pk"))
    return Contact.objects.filter(Exists(has_ticket) | Exists(in_copy))


def is_agent(user: User) -> bool:
    """Whether ``user`` works in at least one group (or is an administrator): agents see and edit
    every contact (CC-01), as they call and write to people who have no ticket yet; the tickets
    shown with a contact are still only those of their own groups."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def can_work_in(user: User, group: Group | int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    group_id = group if isinstance(group, int) else group.pk
    return Membership.objects.filter(user=user, group_id=group_id).exists()


@cache
def _standing_sql() -> str:
    """The statement of ``_standing``, written once from the models' tables and columns."""
    q = connection.ops.quote_name

    def columns(model: type[Model], *names: str) -> list[str]:
        fields = [model._meta.get_field(name) for name in names]
        return [q(field.column) for field in fields if isinstance(field, Field)]

    users, memberships, groups = (q(model._meta.db_table) for model in (Agent, Membership, Group))
    superuser, active, user_pk = columns(Agent, "is_superuser", "is_active", "id")
    role, member, in_group = columns(Membership, "role", "user", "group")
    own_only, group_pk = columns(Group, "own_tickets_only", "id")
    # The models' own table and column names; the values are parameters.
    sql = f"SELECT u.{superuser}, m.{role}, g.{own_only} FROM {users} u"  # noqa: S608
    sql += f" LEFT JOIN {memberships} m ON m.{member} = u.{user_pk} AND m.{in_group} = %s"
    sql += f" LEFT JOIN {groups} g ON g.{group_pk} = m.{in_group}"
    return sql + f" WHERE u.{user_pk} = %s AND u.{active} = %s"


def _standing(user_id: int, group_id: int) -> tuple[bool, str | None, bool] | None:
    """Asked of the database: whether the user is an administrator, their role in the group
    (None: not a member) and whether the group keeps agents to their own tickets; None when the
    account is switched off or gone. One statement written out, not built through the ORM: live
    sockets ask it at every event, and through the ORM a check cost 1-2.4 ms of CPU, the
    statement 0.15-0.3 ms (bench/results/2026-12-06-load.txt)."""
    with connection.cursor() as cursor:
        cursor.execute(_standing_sql(), [group_id, user_id, True])
        row = cursor.fetchone()
    if row is None:
        return None
    superuser, role, own_only = row
    return bool(superuser), role, bool(own_only)


def can_still_work_in(user: User, group_id: int) -> bool:
    """``can_work_in`` asked of the database, not of the user as loaded when a long-lived
    connection (a WebSocket) began: a membership removed, an account switched off or an
    administrator's rights taken away since then count. One query."""
    if not user.is_authenticated:
        return False
    standing = _standing(user.pk, group_id)
    return standing is not None and (standing[0] or standing[1] is not None)


def can_still_see_ticket(user: User, *, group_id: int, owner_id: int | None) -> bool:
    """``can_see_ticket`` asked of the database for a ticket in ``group_id`` owned by ``owner_id``
    (as a live event names them), like ``can_still_work_in``. One query."""
    if not user.is_authenticated:
        return False
    standing = _standing(user.pk, group_id)
    if standing is None:
        return False
    superuser, role, own_only = standing
    if superuser:
        return True
    if role is None:
        return False
    kept_to_own = own_only and role in RESTRICTED_ROLES
    return not (kept_to_own and owner_id is not None and owner_id != user.pk)


def can_manage(user: User, group: Group) -> bool:
    """Managers and administrators of a group edit its statuses, forms and canned responses."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return Membership.objects.filter(user=user, group=group, role__in=roles).exists()


def ensure_can_work_in(user: User | None, group: Group | int) -> None:
    """Raise PermissionDenied unless ``user`` may work in ``group``; ``None`` is the system itself."""
    if user is not None and not can_work_in(user, group):
        raise PermissionDenied(_("You are not a member of this ticket's group."))


def ensure_can_work_on(user: User | None, ticket: Ticket) -> None:
    """Raise PermissionDenied unless ``user`` may see ``ticket`` (its group, and in a group that
    keeps agents to their own tickets, theirs or unowned); ``None`` is the system itself."""
    if user is not None and not can_see_ticket(user, ticket):
        raise PermissionDenied(_("You are not a member of this ticket's group."))


def can_manage_contact(user: User, contact: Contact) -> bool:
    """Who may merge, erase and export a contact (CC-01, GDPR): an administrator, or a manager of
    every group that has a ticket of the contact or has them in copy. These change or reveal
    what every such team holds about the person, so no team's manager decides alone for another."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    groups = set(Ticket.objects.filter(contact=contact).values_list("group_id", flat=True).distinct())
    in_copy = Ticket.cc_contacts.through.objects.filter(contact=contact).values_list("ticket__group_id", flat=True)
    groups.update(in_copy.distinct())
    if not groups:
        return False
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    managed = set(Membership.objects.filter(user=user, role__in=roles).values_list("group_id", flat=True))
    return groups <= managed


def report_groups(user: User) -> QuerySet[Group]:
    """The groups whose reports ``user`` may read (ADMIN-02): every group for an administrator,
    those they manage (or administer) for a manager; none for agents and home agents."""
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return Group.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()
