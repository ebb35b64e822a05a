"""Demo data of the audit log (ADMIN-03): the morning's sign-ins (one mistyped password among
them), anna (a manager) changing how her group assigns tickets, renaming a status and a canned
response, and the administrator blocking a sender. Made through the actions, recorded as these
people's changes from their desks' addresses. Loaded with the demo (`switchboard run`), once."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.audit.context import acting_as
from switchboard.audit.models import AuditEntry
from switchboard.audit.recorder import record
from switchboard.intake.models import BlockedSender
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.models import Membership, StatusKind
from switchboard.tickets.settings_actions import GROUP_SETTINGS, do_update_group_settings
from switchboard.tickets.status_actions import StatusValues, do_update_status

TEXTS = {
    "en": {
        "status": "Waiting for the volunteer",
        "canned": " (short)",
        "note": "Promotional mail sent to every address",
    },
    "pl": {"status": "Czeka na wolontariusza", "canned": " (krótko)", "note": "Reklamy wysyłane na każdy adres"},
}


@transaction.atomic
def load_audit_demo(language: str = "en") -> None:
    """Nothing if the demo has no admin and anna, or if the log has a sign-in already."""
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    anna = User.objects.filter(username="anna").first()
    if admin is None or anna is None or AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN).exists():
        return
    texts = TEXTS.get(language, TEXTS["en"])
    membership = Membership.objects.filter(user=anna, role=Membership.Role.MANAGER).select_related("group").first()
    if membership is None:
        return
    group = membership.group
    record(AuditEntry.Action.SIGN_IN_FAILED, label="ana", actor_name="ana", address="10.20.4.31")
    record(AuditEntry.Action.SIGN_IN, instance=anna, actor_name="anna", address="10.20.4.31")
    with acting_as(anna, address="10.20.4.31"):
        values: dict[str, object] = {name: getattr(group, name) for name in GROUP_SETTINGS}
        values |= {"assignment_rule": group.AssignmentRule.LEAST_LOAD, "assignment_limit": 8}
        do_update_group_settings(
            group, values=values, workflow_people=list(group.workflow_people.all()), acting_user=anna
        )
        status = group.statuses.filter(kind=StatusKind.WAITING_CONTACT).first()
        if status is not None:
            do_update_status(
                status,
                values=StatusValues(name=texts["status"], kind=StatusKind(status.kind), colour=status.colour_value),
                acting_user=anna,
            )
        canned = group.canned_responses.order_by("id").first()
        if canned is not None:
            do_save_canned_response(
                group, title=canned.title + texts["canned"], body_html=canned.body_html, canned=canned, acting_user=anna
            )
    record(AuditEntry.Action.SIGN_IN, instance=admin, actor_name="admin", address="10.20.1.5")
    with acting_as(admin, address="10.20.1.5"):
        BlockedSender.objects.create(sender="@promo-offers.example", note=texts["note"])  # as the admin's form does
