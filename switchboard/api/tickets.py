"""Tickets over the API (API-01): each route parses, calls one selector or action (the same as
the ticket page's), and answers. A ticket the token's user may not see is 404, never 403."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as QueryField
from ninja import Query, Router, Schema
from ninja import Status as Answer

from switchboard.api.auth import user_of
from switchboard.api.errors import COMMON_ERRORS, WRITE_ERRORS, ApiError, not_found
from switchboard.api.paging import page
from switchboard.api.schemas import (
    ActivityIdOut,
    ActivityOut,
    CloseIn,
    MergeIn,
    MoveIn,
    NoteIn,
    ReplyIn,
    SourceName,
    StatusKindName,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketUpdateIn,
)
from switchboard.contacts.models import Contact
from switchboard.contacts.selectors import primary_email_of
from switchboard.tickets.actions import (
    Keep,
    TicketHeader,
    do_add_note,
    do_close_ticket,
    do_create_ticket,
    do_merge_tickets,
    do_move_ticket,
    do_update_ticket,
)
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Activity, Category, Group, Status, Ticket, TicketSource
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.selectors import get_ticket_for, list_timeline
from switchboard.tickets.ticket_filters import TicketFilters, list_filtered_tickets

router = Router(tags=["tickets"])

MAX_INT = 2**63 - 1


class TicketQuery(Schema):
    group_id: int | None = QueryField(None, ge=1, le=MAX_INT)
    status_kind: StatusKindName | None = None
    owner_id: int | None = QueryField(None, ge=1, le=MAX_INT, description="Tickets this user owns.")
    unowned: bool = QueryField(False, description="Only tickets without an owner.")
    channel: SourceName | None = QueryField(None, description="How the ticket came in.")
    updated_since: dt.datetime | None = None
    state: Literal["open", "closed", "all"] = "all"
    order: Literal["id", "updated"] = QueryField(
        "id", description="`id`: oldest first; `updated`: by last change, for syncing with `updated_since`."
    )
    cursor: str | None = QueryField(None, max_length=200)
    limit: int = QueryField(50, ge=1, le=100)


def ticket_out(ticket: Ticket) -> TicketOut:
    return TicketOut(
        number=ticket.number,
        title=ticket.title,
        group_id=ticket.group_id,
        status_id=ticket.status_id,
        status_kind=ticket.status.kind,
        status_name=str(ticket.status.display_name),
        owner_id=ticket.owner_id,
        contact_id=ticket.contact_id,
        source=ticket.source,
        next_action=ticket.next_action,
        due_at=ticket.due_at,
        category_id=ticket.category_id,
        version=ticket.version,
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        closed_at=ticket.closed_at,
        merged_into=ticket.merged_into.number if ticket.merged_into else None,
    )


def _ticket(request: HttpRequest, number: int) -> Ticket:
    if not 0 < number <= MAX_INT:
        raise not_found()
    try:
        return get_ticket_for(user_of(request), number=number)
    except Ticket.DoesNotExist:
        raise not_found() from None


def _group(request: HttpRequest, group_id: int) -> Group:
    group = visible_groups(user_of(request)).filter(pk=group_id).first() if 0 < group_id <= MAX_INT else None
    if group is None:
        raise not_found()
    return group


def _user(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first() if 0 < user_id <= MAX_INT else None
    if user is None:
        raise ApiError(422, "unknown_user", _("There is no active user with this id."))
    return user


def _status(ticket_or_group_id: int, status_id: int) -> Status:
    status = (
        Status.objects.filter(pk=status_id, group_id=ticket_or_group_id).first() if 0 < status_id <= MAX_INT else None
    )
    if status is None:
        raise ApiError(422, "unknown_status", _("That status is not one of this ticket's group."))
    return status


@router.get("/tickets", response={200: TicketPage, **COMMON_ERRORS}, summary="List tickets")
def list_tickets(request: HttpRequest, query: Query[TicketQuery]) -> TicketPage:
    filters = TicketFilters(
        group_id=query.group_id,
        status_kind=query.status_kind,
        owner_id=query.owner_id,
        unowned=query.unowned,
        source=query.channel,
        updated_since=query.updated_since,
        state=query.state,
    )
    rows, cursor = page(
        list_filtered_tickets(user_of(request), filters), order=query.order, cursor=query.cursor, limit=query.limit
    )
    return TicketPage(items=[ticket_out(ticket) for ticket in rows], next_cursor=cursor)


@router.post("/tickets", response={201: TicketOut, **WRITE_ERRORS}, summary="Create a ticket")
def create_ticket(request: HttpRequest, data: TicketIn) -> Answer[TicketOut]:
    group = _group(request, data.group_id)
    contact = None
    if data.contact_id is not None:
        contact = Contact.objects.filter(pk=data.contact_id, merged_into__isnull=True, erased_at__isnull=True).first()
        if contact is None:
            raise ApiError(422, "unknown_contact", _("There is no contact with this id."))
    owner = _user(data.owner_id)
    ticket = do_create_ticket(
        group,
        contact=contact,
        source=TicketSource(data.source),
        acting_user=user_of(request),
        title=data.title,
        owner=owner,
    )
    return Answer(201, ticket_out(ticket))


@router.get("/tickets/{number}", response={200: TicketOut, **COMMON_ERRORS}, summary="Read a ticket")
def read_ticket(request: HttpRequest, number: int) -> TicketOut:
    return ticket_out(_ticket(request, number))


@router.patch("/tickets/{number}", response={200: TicketOut, **WRITE_ERRORS}, summary="Update a ticket")
def update_ticket(request: HttpRequest, number: int, data: TicketUpdateIn) -> TicketOut:
    """The ticket page's header: only the fields sent change. ``version`` must be the ticket's
    current one, as read: if someone changed the ticket since, 409 ``stale_version`` and nothing
    changes (read it again, then decide)."""
    ticket = _ticket(request, number)
    sent = data.model_fields_set
    category: Category | None | Keep = Keep.AS_IT_IS
    if "category_id" in sent:
        category = None
        if data.category_id is not None:
            category = Category.objects.filter(pk=data.category_id, group_id=ticket.group_id).first()
            if category is None:
                raise ApiError(422, "unknown_category", _("That category is not one of this ticket's group."))
    header = TicketHeader(
        title=data.title if data.title is not None else ticket.title,
        status=_status(ticket.group_id, data.status_id) if data.status_id is not None else ticket.status,
        owner=_user(data.owner_id) if "owner_id" in sent else ticket.owner,
        next_action=data.next_action if data.next_action is not None else ticket.next_action,
        due_at=data.due_at if "due_at" in sent else ticket.due_at,
        source=TicketSource(data.source) if data.source else None,
        category=category,
    )
    return ticket_out(
        do_update_ticket(ticket, header=header, expected_version=data.version, acting_user=user_of(request))
    )


@router.get("/tickets/{number}/activities", response={200: list[ActivityOut], **COMMON_ERRORS}, summary="Timeline")
def list_activities(request: HttpRequest, number: int) -> list[Activity]:
    """The ticket's timeline, oldest first: messages, notes, calls and every change."""
    return list(list_timeline(_ticket(request, number)))


@router.post("/tickets/{number}/replies", response={201: ActivityIdOut, **WRITE_ERRORS}, summary="Reply by email")
def reply(request: HttpRequest, number: int, data: ReplyIn) -> Answer[Activity]:
    """Email the contact, as Send on the ticket page does (without its Undo delay)."""
    ticket = _ticket(request, number)
    to_address = (data.to_address or primary_email_of(ticket.contact)).strip()
    for address in [to_address, *data.cc]:
        try:
            validate_email(address)
        except ValidationError:
            message = _("“%(address)s” is not an email address.") % {"address": address}
            raise ApiError(422, "invalid_address", message) from None
    activity = do_reply_to_contact(
        ticket, to_address=to_address, body_html=data.body_html, cc=data.cc or None, acting_user=user_of(request)
    )
    return Answer(201, activity)


@router.post("/tickets/{number}/notes", response={201: ActivityIdOut, **WRITE_ERRORS}, summary="Add a note")
def add_note(request: HttpRequest, number: int, data: NoteIn) -> Answer[Activity]:
    return Answer(201, do_add_note(_ticket(request, number), body=data.body, acting_user=user_of(request)))


@router.post("/tickets/{number}/close", response={200: TicketOut, **WRITE_ERRORS}, summary="Close a ticket")
def close_ticket(request: HttpRequest, number: int, data: CloseIn) -> TicketOut:
    ticket = _ticket(request, number)
    status = _status(ticket.group_id, data.status_id) if data.status_id is not None else None
    return ticket_out(
        do_close_ticket(ticket, status=status, expected_version=data.version, acting_user=user_of(request))
    )


@router.post("/tickets/{number}/merge", response={200: TicketOut, **WRITE_ERRORS}, summary="Merge into another")
def merge_ticket(request: HttpRequest, number: int, data: MergeIn) -> TicketOut:
    """Merge this ticket into ``into``: its timeline moves there and it closes. Returns the survivor."""
    ticket = _ticket(request, number)
    into = _ticket(request, data.into)
    return ticket_out(do_merge_tickets(ticket, into=into, acting_user=user_of(request)))


@router.post("/tickets/{number}/move", response={200: TicketOut, **WRITE_ERRORS}, summary="Move to another group")
def move_ticket(request: HttpRequest, number: int, data: MoveIn) -> TicketOut:
    ticket = _ticket(request, number)
    group = _group(request, data.group_id)
    moved = do_move_ticket(
        ticket,
        group=group,
        reset_status_and_form=data.reset_status_and_form,
        expected_version=data.version,
        acting_user=user_of(request),
    )
    return ticket_out(moved)
