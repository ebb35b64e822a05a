"""What the API reads and writes: one schema per shape, typed, in the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

# The enums' values, spelled out for the schema and for mypy (a test checks that they match).
StatusKindName = Literal[
    "new",
    "needs_contact",
    "waiting_contact",
    "scheduled",
    "pending",
    "completed",
    "closed",
    "closed_success",
    "success_cancelled",
]
SourceName = Literal["outbound", "phone", "email", "chat", "web", "sms", "agent"]


class GroupOut(Schema):
    id: int
    slug: str
    name: str
    own_tickets_only: bool


class StatusOut(Schema):
    id: int
    group_id: int
    name: str
    kind: str
    is_initial: bool
    position: int


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    is_active: bool


class TicketOut(Schema):
    number: int
    title: str
    group_id: int
    status_id: int
    status_kind: str
    status_name: str
    owner_id: int | None
    contact_id: int | None
    source: str
    next_action: str
    due_at: dt.datetime | None
    category_id: int | None
    version: int = Field(description="Send it back with an update: a stale one is refused with 409.")
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    merged_into: int | None = Field(description="The number of the ticket this one was merged into.")


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class TicketIn(Schema):
    group_id: int
    title: str = Field("", max_length=300)
    contact_id: int | None = None
    owner_id: int | None = None
    source: SourceName = "agent"


class TicketUpdateIn(Schema):
    """Only the fields sent change; ``version`` is the one the client read (optimistic locking)."""

    version: int = Field(ge=0, le=2**31 - 1)
    title: str | None = Field(None, max_length=300)
    status_id: int | None = None
    owner_id: int | None = None
    next_action: str | None = Field(None, max_length=300)
    due_at: dt.datetime | None = None
    source: SourceName | None = None
    category_id: int | None = None


class ReplyIn(Schema):
    body_html: str = Field(min_length=1, max_length=200_000)
    to_address: str | None = Field(None, max_length=254, description="Default: the contact's primary address.")
    cc: list[str] = Field(default_factory=list, max_length=20)


class NoteIn(Schema):
    body: str = Field(min_length=1, max_length=100_000)


class CloseIn(Schema):
    version: int | None = Field(None, ge=0, le=2**31 - 1)
    status_id: int | None = Field(None, description="One of the group's closed statuses; default the first.")


class MergeIn(Schema):
    into: int = Field(description="The number of the ticket that stays.")


class MoveIn(Schema):
    group_id: int
    reset_status_and_form: bool = False
    version: int | None = Field(None, ge=0, le=2**31 - 1)


class ActivityOut(Schema):
    id: int
    kind: str
    actor_id: int | None
    created_at: dt.datetime
    body: str
    body_html: str
    from_address: str
    to_address: str
    duration: int | None
    changes: list[dict[str, Any]] = Field(description="For a change: [{field, old, new}].")


class ActivityIdOut(Schema):
    id: int
    kind: str


class PointOut(Schema):
    id: int
    kind: str
    value: str
    label: str
    is_primary: bool


class PointIn(Schema):
    kind: Literal["email", "phone"]
    value: str = Field(max_length=254)
    label: str = Field("", max_length=50)
    is_primary: bool = False


class ContactOut(Schema):
    id: int
    kind: str
    first_name: str
    last_name: str
    company_name: str
    language: str
    street: str
    postcode: str
    city: str
    country: str
    points: list[PointOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactIn(Schema):
    kind: Literal["person", "company"] = "person"
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    company_name: str = Field("", max_length=200)
    points: list[PointIn] = Field(default_factory=list, max_length=50)
    street: str = Field("", max_length=200)
    postcode: str = Field("", max_length=20)
    city: str = Field("", max_length=100)
    country: str = Field("", max_length=100)
    language: str = Field("", max_length=10)


class ContactUpdateIn(Schema):
    """Only the fields sent change; ``points``, when sent, replace the contact's points."""

    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    company_name: str | None = Field(None, max_length=200)
    points: list[PointIn] | None = Field(None, max_length=50)
    street: str | None = Field(None, max_length=200)
    postcode: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=10)


class ContactMergeIn(Schema):
    into: int = Field(description="The id of the contact that stays.")
    merge_open_tickets: bool = Field(
        False, description="Both have an open ticket in a group: merge them too (else refused with 409)."
    )


class ArticleOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    body_html: str
    visibility: str
    state: str
    language: str
    category_id: int | None
    updated_at: dt.datetime
    published_at: dt.datetime | None
