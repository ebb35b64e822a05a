"""The agent's contact book (AGENT-03): who sees, edits and finds its entries, and saving them.

An entry is private (``group`` empty: its owner alone sees and edits it) or shared with one group:
the group's members see it, its managers and the entry's owner edit it. An administrator sees every
shared entry and their own private ones. Entries are found like contacts are (contacts/search.py):
their words folded without accents, a phone number typed in any format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from switchboard.contacts.models import ContactPoint
from switchboard.contacts.points import normalise_email, normalise_phone
from switchboard.contacts.search import Terms, search_text_of
from switchboard.tickets.models import BookEntry, Group, Membership
from switchboard.tickets.permissions import User as AnyUser
from switchboard.tickets.permissions import visible_groups

MAX_POINTS = 10  # phone numbers, and email addresses, per entry

# --- reading --------------------------------------------------------------------------------


def visible_book_entries(user: AnyUser) -> QuerySet[BookEntry]:
    """The entries ``user`` sees: their private ones and those shared with their groups."""
    if not user.is_authenticated or not user.is_active:
        return BookEntry.objects.none()
    return BookEntry.objects.filter(Q(owner=user, group__isnull=True) | Q(group__in=visible_groups(user)))


def search_book_entries(user: AnyUser, text: str, *, limit: int, with_email: bool = False) -> list[BookEntry]:
    """The entries ``user`` sees that ``text`` finds (all without it), by name, one query: every
    typed word begins a word of the entry's name, organisation or addresses, accents aside; a phone
    number typed any way finds its entry. ``with_email``: only entries with an address."""
    entries = visible_book_entries(user).select_related("group", "owner")
    if with_email:
        entries = entries.exclude(emails=[])
    for group in Terms.parse(text).groups:
        any_word = Q()
        for word in group:
            any_word |= Q(search_text__contains=f" {word}")
        entries = entries.filter(any_word)
    return list(entries.order_by("name", "id")[:limit])


def editable_group_ids(user: AnyUser) -> set[int]:
    """The groups whose shared entries ``user`` edits, whoever made them (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Group.objects.values_list("pk", flat=True))
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return set(Membership.objects.filter(user=user, role__in=roles).values_list("group_id", flat=True))


def can_edit_entry(user: AnyUser, entry: BookEntry) -> bool:
    """The owner edits their entry while they see it; a shared one also the group's managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if entry.group_id is None:
        return entry.owner_id == user.pk
    if entry.group_id in editable_group_ids(user):
        return True
    return entry.owner_id == user.pk and visible_groups(user).filter(pk=entry.group_id).exists()


def editable_entry_ids(user: AnyUser, seen: list[BookEntry]) -> set[int]:
    """Which of the entries ``user`` sees (found by visible_book_entries) they may edit: one query
    however many (can_edit_entry's rule, their seeing them taken as known)."""
    managed = editable_group_ids(user)
    return {entry.pk for entry in seen if entry.owner_id == user.pk or entry.group_id in managed}


# --- writing --------------------------------------------------------------------------------


def _normalised(values: Sequence[str], normalise: Callable[[str], str], field: str) -> list[str]:
    """Each value in its stored form, once, in the order given; a ValidationError names ``field``."""
    result: list[str] = []
    errors: list[ValidationError] = []
    for value in values:
        try:
            stored = normalise(value)
        except ValidationError as problem:
            errors.append(problem)
        else:
            if stored not in result:
                result.append(stored)
    if len(result) > MAX_POINTS:
        errors.append(ValidationError(_("At most %(count)s per entry.") % {"count": MAX_POINTS}))
    if errors:
        raise ValidationError({field: errors})
    return result


@transaction.atomic
def do_save_book_entry(  # noqa: PLR0913
    *,
    acting_user: User,
    entry: BookEntry | None = None,
    name: str,
    organisation: str = "",
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    notes: str = "",
    group: Group | None = None,
) -> BookEntry:
    """Add an entry (``entry`` None: ``acting_user`` owns it) or change one ``acting_user`` may
    edit. ``group`` None keeps it private to its owner; a group shares it, and must be one of
    ``acting_user``'s. Bad values raise ValidationError by field and change nothing."""
    if entry is None:
        entry = BookEntry(owner=acting_user)
    elif not can_edit_entry(acting_user, entry):
        raise PermissionDenied(_("Only its owner and the group's managers change this entry."))
    if group is None and entry.owner_id != acting_user.pk:
        raise PermissionDenied(_("Only its owner makes an entry private."))
    errors: dict[str, list[ValidationError]] = {}
    if group is not None and not visible_groups(acting_user).filter(pk=group.pk).exists():
        errors["group"] = [ValidationError(_("You can only share an entry with a group of yours."))]
    if not name.strip():
        errors["name"] = [ValidationError(_("An entry needs a name."))]
    points: dict[str, list[str]] = {}
    for field, values, normalise in [
        ("phones", phones, lambda raw: normalise_phone(raw, region=settings.PHONE_REGION)),
        ("emails", emails, normalise_email),
    ]:
        try:
            points[field] = _normalised([value for value in values if value.strip()], normalise, field)
        except ValidationError as problem:
            errors.update(problem.error_dict)
    if errors:
        raise ValidationError(errors)
    entry.name, entry.organisation, entry.notes = name.strip(), organisation.strip(), notes.strip()
    entry.phones, entry.emails, entry.group = points["phones"], points["emails"], group
    entry.search_text = search_text_of(
        first_name=entry.name,
        last_name="",
        company_name=entry.organisation,
        points=[(ContactPoint.Kind.PHONE, phone) for phone in entry.phones]
        + [(ContactPoint.Kind.EMAIL, email) for email in entry.emails],
    )
    entry.save()
    return entry


@transaction.atomic
def do_delete_book_entry(entry: BookEntry, *, acting_user: User) -> None:
    if not can_edit_entry(acting_user, entry):
        raise PermissionDenied(_("Only its owner and the group's managers change this entry."))
    entry.delete()
