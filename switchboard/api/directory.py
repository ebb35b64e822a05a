"""Groups, their statuses and the people in them (API-01): read only, and only the groups the
token's user works in (every group for an administrator)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router

from switchboard.api.auth import user_of
from switchboard.api.errors import COMMON_ERRORS, not_found
from switchboard.api.schemas import GroupOut, StatusOut, UserOut
from switchboard.tickets.models import Group, Status
from switchboard.tickets.permissions import visible_groups

router = Router(tags=["groups and people"])

MAX_INT = 2**63 - 1


def _visible_users(request: HttpRequest) -> QuerySet[User]:
    """The token's user and the members of their groups (everyone, for an administrator)."""
    if user_of(request).is_superuser:
        return User.objects.all()
    return User.objects.filter(
        Q(pk=user_of(request).pk) | Q(memberships__group__in=visible_groups(user_of(request)))
    ).distinct()


@router.get("/groups", response={200: list[GroupOut], **COMMON_ERRORS}, summary="List groups")
def list_groups(request: HttpRequest) -> QuerySet[Group]:
    return visible_groups(user_of(request)).order_by("name", "id")


@router.get("/groups/{group_id}", response={200: GroupOut, **COMMON_ERRORS}, summary="Read a group")
def read_group(request: HttpRequest, group_id: int) -> Group:
    group = visible_groups(user_of(request)).filter(pk=group_id).first() if 0 < group_id <= MAX_INT else None
    if group is None:
        raise not_found()
    return group


@router.get("/groups/{group_id}/statuses", response={200: list[StatusOut], **COMMON_ERRORS}, summary="Statuses")
def list_group_statuses(request: HttpRequest, group_id: int) -> QuerySet[Status]:
    group = read_group(request, group_id)
    return Status.objects.filter(group=group).order_by("position", "id")


@router.get("/statuses", response={200: list[StatusOut], **COMMON_ERRORS}, summary="List statuses")
def list_statuses(request: HttpRequest) -> QuerySet[Status]:
    """The statuses of every group the token's user works in."""
    return Status.objects.filter(group__in=visible_groups(user_of(request))).order_by("group_id", "position", "id")


@router.get("/users", response={200: list[UserOut], **COMMON_ERRORS}, summary="List users")
def list_users(request: HttpRequest) -> QuerySet[User]:
    return _visible_users(request).order_by("username")


@router.get("/users/me", response={200: UserOut, **COMMON_ERRORS}, summary="The token's user")
def read_me(request: HttpRequest) -> User:
    return user_of(request)


@router.get("/users/{user_id}", response={200: UserOut, **COMMON_ERRORS}, summary="Read a user")
def read_user(request: HttpRequest, user_id: int) -> User:
    user = _visible_users(request).filter(pk=user_id).first() if 0 < user_id <= MAX_INT else None
    if user is None:
        raise not_found()
    return user
