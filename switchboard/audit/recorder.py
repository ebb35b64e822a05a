"""The recorder: every save and removal of an audited model, and its many-to-many changes, writes
one ``AuditEntry`` in the same transaction, with the fields that changed (old → new).

Saves go through Django's model signals, so the Django admin, the actions and the command line
are all recorded. A queryset ``update()``/``bulk_update()`` sends no signal: the actions that change
audited fields save the rows instead (the few that remain touch only the operational fields left
out below). The audited models are named by label, so this module imports no other app.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from switchboard.audit.context import current_actor, request_address
from switchboard.audit.models import AuditEntry

HIDDEN = "•••"  # secrets and password hashes: that they changed, never their values
ALWAYS_LEFT_OUT = frozenset({"id", "created_at", "updated_at", "last_login", "date_joined"})


@dataclass(frozen=True)
class Audited:
    """An audited model: the operational fields left out (they change as the center works, not
    because someone set it up differently) and the secrets recorded as changed without values."""

    left_out: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    many: tuple[str, ...] = ()


AUDITED: dict[str, Audited] = {
    "tickets.Group": Audited(many=("workflow_people",)),
    # Availability (the agent's own toggle) and the round-robin clock are operational.
    "tickets.Membership": Audited(left_out=frozenset({"available", "last_assigned_at"})),
    "tickets.Status": Audited(),
    "tickets.FormField": Audited(),  # a choice field's choices are its "choices" list
    "tickets.CannedResponse": Audited(left_out=frozenset({"use_count", "last_used_at", "saved_from"})),
    "tickets.Category": Audited(),
    "tickets.ServiceLevel": Audited(),  # targets, calendar and breach rule (ROUTE-07)
    "intake.MessageTemplate": Audited(),
    "intake.BlockedSender": Audited(left_out=frozenset({"dropped", "last_dropped_at"})),
    "mail.Mailbox": Audited(
        left_out=frozenset(
            {
                "uid_validity",
                "last_checked_at",
                "last_error",
                "oauth_access_token_encrypted",
                "oauth_access_token_expires_at",
                "oauth_refresh_token_encrypted",
            }
        ),
        hidden=frozenset({"password_encrypted", "oauth_client_secret_encrypted"}),
    ),
    "phone.PhoneNumber": Audited(hidden=frozenset({"auth_token_encrypted"})),
    "phone.MenuEntry": Audited(),
    # When it started failing is operational; the signing secret is recorded as changed, never shown.
    "webhooks.WebhookEndpoint": Audited(left_out=frozenset({"failing_since"}), hidden=frozenset({"secret_encrypted"})),
    "auth.User": Audited(hidden=frozenset({"password"}), many=("groups", "user_permissions")),
    # A person's API tokens (API-01): made and revoked; the hash never shown, each use operational.
    "api.ApiToken": Audited(
        left_out=frozenset({"last_used_at", "window_start", "window_count"}), hidden=frozenset({"secret_hash"})
    ),
}


def audited_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in AUDITED]


def spec_of(model: type[models.Model]) -> Audited | None:
    return AUDITED.get(f"{model._meta.app_label}.{model._meta.object_name}")


def object_type(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


# --- values ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON keeps it."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | dt.timedelta):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def _related_name(model_field: models.ForeignKey[Any, Any], pk: Any) -> str | None:
    if pk is None:
        return None
    related = model_field.related_model._base_manager.filter(pk=pk).first()  # type: ignore[union-attr]
    return str(related) if related is not None else f"#{pk}"


def _fields(model: type[models.Model], spec: Audited) -> Iterator[models.Field[Any, Any]]:
    for model_field in model._meta.concrete_fields:
        if model_field.name not in ALWAYS_LEFT_OUT and model_field.name not in spec.left_out:
            yield model_field


def _snapshot(instance: models.Model, spec: Audited) -> dict[str, Any]:
    return {f.name: _plain(getattr(instance, f.attname)) for f in _fields(type(instance), spec)}


def _change(model_field: models.Field[Any, Any], spec: Audited, old: Any, new: Any) -> dict[str, Any]:
    if model_field.name in spec.hidden:
        return {"field": model_field.name, "old": HIDDEN if old else None, "new": HIDDEN if new else None}
    if model_field.is_relation:
        return {
            "field": model_field.name,
            "old": _related_name(model_field, old),  # type: ignore[arg-type]
            "new": _related_name(model_field, new),  # type: ignore[arg-type]
        }
    return {"field": model_field.name, "old": old, "new": new}


def _changes(
    instance: models.Model, spec: Audited, before: dict[str, Any] | None, saved: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    after = _snapshot(instance, spec)
    changes = []
    for model_field in _fields(type(instance), spec):
        if saved is not None and model_field.name not in saved and model_field.attname not in saved:
            continue
        old = None if before is None else before.get(model_field.name)
        new = after[model_field.name]
        if old != new and not (before is None and new in (None, "", [], {})):
            changes.append(_change(model_field, spec, old, new))
    return changes


# --- writing --------------------------------------------------------------------------------


def record(
    action: str,
    *,
    instance: models.Model | None = None,
    changes: list[dict[str, Any]] | None = None,
    label: str = "",
    actor_name: str | None = None,
    address: str | None = None,
) -> AuditEntry:
    """Write one entry (in the caller's transaction); the actor is the request's user, if any."""
    actor = current_actor()
    return AuditEntry.objects.create(
        actor_id=actor.user_id,
        actor_name=actor.name if actor_name is None else actor_name,
        address=actor.address if address is None else address,
        action=action,
        object_type=object_type(type(instance)) if instance is not None else "",
        object_id=str(instance.pk) if instance is not None else "",
        object_label=(str(instance) if instance is not None else label)[:255],
        changes=changes or [],
    )


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    spec = spec_of(sender)
    if spec is None or raw:
        return
    before = None
    if not instance._state.adding and instance.pk is not None:
        stored = sender._base_manager.filter(pk=instance.pk).first()
        before = _snapshot(stored, spec) if stored is not None else None
    instance._audit_before = before  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    spec = spec_of(sender)
    if spec is None or raw:
        return
    before = None if created else getattr(instance, "_audit_before", None)
    changes = _changes(instance, spec, before, None if created else update_fields)
    if created or before is None:
        record(AuditEntry.Action.CREATE, instance=instance, changes=changes)
    elif changes:
        record(AuditEntry.Action.CHANGE, instance=instance, changes=changes)
    instance._audit_before = None  # type: ignore[attr-defined]


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if spec_of(sender) is not None:
        record(AuditEntry.Action.DELETE, instance=instance)


# --- many-to-many ---------------------------------------------------------------------------


@dataclass
class _Batch:
    """The many-to-many fields being set as one change (``recording_many``): their lists before."""

    before: dict[tuple[str, Any, str], list[str]] = field(default_factory=dict)


_batch: ContextVar[_Batch | None] = ContextVar("audit_many_batch", default=None)


def _names(instance: models.Model, name: str) -> list[str]:
    return sorted(str(related) for related in getattr(instance, name).all())


def _many_field(sender: type[models.Model], instance: models.Model) -> str | None:
    spec = spec_of(type(instance))
    if spec is None:
        return None
    for name in spec.many:
        if getattr(type(instance), name).through is sender:
            return name
    return None


def _many_changed(
    sender: type[models.Model], instance: models.Model, action: str, reverse: bool, **kwargs: Any
) -> None:
    if reverse:
        return
    name = _many_field(sender, instance)
    if name is None:
        return
    key = (object_type(type(instance)), instance.pk, name)
    batch = _batch.get()
    if action.startswith("pre_"):
        if batch is not None:
            batch.before.setdefault(key, _names(instance, name))
        else:
            instance._audit_many = _names(instance, name)  # type: ignore[attr-defined]
        return
    if batch is not None:
        return  # written once when the batch ends
    old, new = getattr(instance, "_audit_many", []), _names(instance, name)
    if old != new:
        record(AuditEntry.Action.CHANGE, instance=instance, changes=[{"field": name, "old": old, "new": new}])


@contextmanager
def recording_many(instance: models.Model, *names: str) -> Iterator[None]:
    """Many-to-many changes made inside (``set()`` removes, then adds) as one entry per field."""
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    for name in names:
        key = (object_type(type(instance)), instance.pk, name)
        if key in batch.before and (new := _names(instance, name)) != (old := batch.before[key]):
            record(AuditEntry.Action.CHANGE, instance=instance, changes=[{"field": name, "old": old, "new": new}])


# --- sign-ins -------------------------------------------------------------------------------


def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    address = request_address(request) if request is not None else None
    record(AuditEntry.Action.SIGN_IN, instance=user, actor_name=user.get_username(), address=address)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    name = str(credentials.get("username") or "")[:150]
    address = request_address(request) if request is not None else None
    record(AuditEntry.Action.SIGN_IN_FAILED, label=name, actor_name=name, address=address)


def connect() -> None:
    for model in audited_models():
        uid = f"audit-{object_type(model)}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
        for name in AUDITED[f"{model._meta.app_label}.{model._meta.object_name}"].many:
            m2m_changed.connect(_many_changed, sender=getattr(model, name).through, dispatch_uid=f"{uid}-{name}")
    user_logged_in.connect(_signed_in, dispatch_uid="audit-sign-in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit-sign-in-failed")
