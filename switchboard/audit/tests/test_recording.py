"""The audit log records every administrative change once, with old → new, who and from where
(ADMIN-03), made through the real pages: the group's managers' pages and the Django admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as PermissionGroup
from django.urls import reverse

from switchboard.audit.models import SYSTEM, AuditEntry
from switchboard.audit.tests.helpers import admin_data, form_data
from switchboard.intake.models import BlockedSender, MessageTemplate
from switchboard.mail.models import Mailbox
from switchboard.phone.models import PhoneNumber
from switchboard.tickets.forms import GroupSettingsForm
from switchboard.tickets.models import CannedResponse, FormField, Membership, Status, StatusKind
from switchboard.tickets.tests.factories import make_agent

pytestmark = pytest.mark.spec("ADMIN-03")
ADDRESS = "203.0.113.7"


@pytest.fixture
def mona_manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


@pytest.fixture
def from_address(client):
    client.defaults["REMOTE_ADDR"] = ADDRESS
    return client


def entries(object_type: str, action: str | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(object_type=object_type).order_by("id")
    return list(found.filter(action=action) if action else found)


def changed(entry: AuditEntry) -> dict[str, tuple[object, object]]:
    return {change["field"]: (change["old"], change["new"]) for change in entry.changes}


def only_change(object_type: str, field: str) -> tuple[AuditEntry, tuple[object, object]]:
    """The one entry that changed ``field`` of an object of the type (none other did)."""
    found = [e for e in entries(object_type, AuditEntry.Action.CHANGE) if field in changed(e)]
    assert len(found) == 1, [e.changes for e in found]
    return found[0], changed(found[0])[field]


def after(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=mark).order_by("id"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_group_settings_page_records_each_setting_changed_once(from_address, volunteers, mona_manager, alice_agent):
    client = from_address
    client.force_login(mona_manager)
    mark = last_id()
    form = GroupSettingsForm(instance=volunteers)
    data = form_data(form, assignment_rule="least_load", signature="Volunteers' desk", workflow_people=[alice_agent.pk])
    assert client.post(reverse("group_settings", args=[volunteers.slug]), data).status_code == 302
    written = after(mark)
    assert [e.object_type for e in written] == ["tickets.group", "tickets.group"]
    settings_entry, people_entry = written
    assert changed(settings_entry) == {"assignment_rule": ("none", "least_load"), "signature": ("", "Volunteers' desk")}
    assert changed(people_entry) == {"workflow_people": ([], [str(alice_agent)])}
    for entry in written:
        assert (entry.actor_name, entry.actor_id, entry.address) == ("mona", mona_manager.pk, ADDRESS)
        assert entry.object_label == "Volunteers" and entry.object_id == str(volunteers.pk)

    mark = last_id()
    volunteers.refresh_from_db()
    client.post(reverse("group_settings", args=[volunteers.slug]), form_data(GroupSettingsForm(instance=volunteers)))
    assert after(mark) == []  # saved as it was: nothing changed, nothing written


def test_the_statuses_page_records_added_renamed_moved_initial_and_removed_statuses(
    from_address, volunteers, mona_manager
):
    client = from_address
    client.force_login(mona_manager)
    url = reverse("group_statuses", args=[volunteers.slug])
    mark = last_id()
    client.post(url, {"name": "Lead to call", "kind": StatusKind.NEEDS_CONTACT})
    lead = Status.objects.get(name="Lead to call")
    (created,) = after(mark)
    assert created.action == AuditEntry.Action.CREATE and created.object_type == "tickets.status"
    assert changed(created)["name"] == (None, "Lead to call") and changed(created)["kind"] == (None, "needs_contact")

    update = reverse("update_status", args=[volunteers.slug, lead.pk])
    client.post(update, {"name": "Leads", "kind": StatusKind.NEEDS_CONTACT, "colour": lead.colour_value})
    assert only_change("tickets.status", "name")[1] == ("Lead to call", "Leads")

    initial_before = volunteers.statuses.get(is_initial=True)
    client.post(reverse("make_initial_status", args=[volunteers.slug, lead.pk]))
    initials = [e for e in entries("tickets.status", "change") if "is_initial" in changed(e)]
    assert {(e.object_id, changed(e)["is_initial"]) for e in initials} == {
        (str(initial_before.pk), (True, False)),
        (str(lead.pk), (False, True)),
    }

    mark = last_id()
    client.post(reverse("move_status", args=[volunteers.slug, lead.pk]), {"direction": "up"})
    moves = after(mark)
    assert len(moves) == 2 and all(set(changed(e)) == {"position"} for e in moves)  # the two swapped places

    client.post(reverse("make_initial_status", args=[volunteers.slug, initial_before.pk]))
    mark = last_id()
    client.post(reverse("remove_status", args=[volunteers.slug, lead.pk]))
    (removed,) = after(mark)
    assert (removed.action, removed.object_id, removed.address) == ("delete", str(lead.pk), ADDRESS)


def test_the_form_page_records_fields_and_choices(from_address, volunteers, mona_manager):
    client = from_address
    client.force_login(mona_manager)
    url = reverse("group_form", args=[volunteers.slug])
    client.post(url, {"op": "add", "label": "Product", "kind": "choice", "choices": "Fibre\nCable"})
    product = FormField.objects.get(label="Product")
    (created,) = entries("tickets.formfield", "create")
    assert changed(created)["label"] == (None, "Product")
    assert [c["label"] for c in changed(created)["choices"][1]] == ["Fibre", "Cable"]

    client.post(url, {"op": "update", "field": product.pk, "label": "Our product", "required": "on"})
    entry = entries("tickets.formfield", "change")[-1]
    assert changed(entry) == {"label": ("Product", "Our product"), "required": (False, True)}
    client.post(url, {"op": "add_choice", "field": product.pk, "label": "Radio"})
    old, new = only_change("tickets.formfield", "choices")[1]
    assert [c["label"] for c in old] == ["Fibre", "Cable"] and [c["label"] for c in new] == ["Fibre", "Cable", "Radio"]


def test_canned_responses_and_message_templates_are_recorded(from_address, volunteers, mona_manager):
    client = from_address
    client.force_login(mona_manager)
    url = reverse("canned_responses", args=[volunteers.slug])
    client.post(url, {"title": "Thanks", "body_html": "<p>Thank you!</p>"})
    canned = CannedResponse.objects.get(title="Thanks")
    assert changed(entries("tickets.cannedresponse", "create")[0])["title"] == (None, "Thanks")
    client.post(
        reverse("edit_canned_response", args=[volunteers.slug, canned.pk]),
        {"title": "Thank you", "body_html": "<p>Thank you!</p>"},
    )
    assert only_change("tickets.cannedresponse", "title")[1] == ("Thanks", "Thank you")

    template_url = reverse("message_template", args=[volunteers.slug, "resolution"])
    client.post(template_url, {"subject": "Done", "body": "{greeting}\n\nAll done.", "send": "on"})
    (template,) = entries("intake.messagetemplate", "create")
    assert changed(template)["subject"] == (None, "Done") and template.actor_name == "mona"
    assert only_change("tickets.group", "resolution_notice")[1] == (False, True)
    client.post(template_url, {"subject": "Solved", "body": "{greeting}\n\nAll done.", "send": "on"})
    assert only_change("intake.messagetemplate", "subject")[1] == ("Done", "Solved")
    assert MessageTemplate.objects.count() == 1


def test_the_admin_records_blocked_senders_added_changed_and_removed(from_address, dave_admin):
    client = from_address
    client.force_login(dave_admin)
    add = client.get(reverse("admin:intake_blockedsender_add"))
    client.post(reverse("admin:intake_blockedsender_add"), admin_data(add, sender="@spam.example", note="Spam"))
    rule = BlockedSender.objects.get()
    (created,) = entries("intake.blockedsender")
    assert changed(created) == {"sender": (None, "@spam.example"), "note": (None, "Spam")}
    assert (created.actor_name, created.address) == ("dave", ADDRESS)

    change_url = reverse("admin:intake_blockedsender_change", args=[rule.pk])
    client.post(change_url, admin_data(client.get(change_url), note="Spam wave"))
    assert only_change("intake.blockedsender", "note")[1] == ("Spam", "Spam wave")
    client.post(reverse("admin:intake_blockedsender_delete", args=[rule.pk]), {"post": "yes"})
    (removed,) = entries("intake.blockedsender", "delete")
    assert removed.object_label == "@spam.example"


def test_the_admin_records_phone_numbers_and_their_menu_without_the_token(
    from_address, dave_admin, volunteers, donations
):
    client = from_address
    client.force_login(dave_admin)
    add_url = reverse("admin:phone_phonenumber_add")
    data = admin_data(
        client.get(add_url),
        number="+48221234567",
        account_sid="AC1",
        new_auth_token="secret-token",
        default_group=volunteers.pk,
    )
    data["menu-0-digit"], data["menu-0-group"] = "1", str(donations.pk)
    assert client.post(add_url, data).status_code == 302
    number = PhoneNumber.objects.get()
    (created,) = entries("phone.phonenumber")
    assert changed(created)["default_group"] == (None, "Volunteers")
    assert changed(created)["auth_token_encrypted"] == (None, "•••")
    assert "secret-token" not in str(created.changes)
    (menu,) = entries("phone.menuentry")
    assert changed(menu)["group"] == (None, "Donations") and changed(menu)["digit"] == (None, "1")

    change_url = reverse("admin:phone_phonenumber_change", args=[number.pk])
    client.post(change_url, admin_data(client.get(change_url), default_group=donations.pk, enabled=False))
    (entry,) = entries("phone.phonenumber", "change")
    assert changed(entry) == {"default_group": ("Volunteers", "Donations"), "enabled": (True, False)}


def test_the_admin_records_mailboxes_with_the_password_only_as_changed(from_address, dave_admin, volunteers):
    client = from_address
    client.force_login(dave_admin)
    add_url = reverse("admin:mail_mailbox_add")
    data = admin_data(
        client.get(add_url),
        name="Support",
        group=volunteers.pk,
        host="imap.example.org",
        username="support",
        new_password="hunter2",
    )
    assert client.post(add_url, data).status_code == 302, client.post(add_url, data).context["adminform"].form.errors
    mailbox = Mailbox.objects.get()
    (created,) = entries("mail.mailbox")
    assert changed(created)["host"] == (None, "imap.example.org") and changed(created)["password_encrypted"] == (
        None,
        "•••",
    )
    assert "hunter2" not in str(created.changes) and "last_checked_at" not in changed(created)

    change_url = reverse("admin:mail_mailbox_change", args=[mailbox.pk])
    client.post(change_url, admin_data(client.get(change_url), interval_seconds=300, new_password="new-secret"))
    (entry,) = entries("mail.mailbox", "change")
    assert changed(entry) == {"interval_seconds": (60, 300), "password_encrypted": ("•••", "•••")}


def test_the_admin_records_members_and_roles(from_address, dave_admin, volunteers, alice_agent):
    client = from_address
    client.force_login(dave_admin)
    change_url = reverse("admin:tickets_group_change", args=[volunteers.pk])
    data = admin_data(client.get(change_url))
    prefix = next(key for key in data if key.endswith("-role")).rsplit("-", 1)[0]
    data[f"{prefix}-role"] = Membership.Role.MANAGER
    assert client.post(change_url, data).status_code == 302
    (entry,) = entries("tickets.membership", "change")
    assert changed(entry) == {"role": ("agent", "manager")}
    assert entries("tickets.status", "change") == [] and entries("tickets.group", "change") == []


def test_the_admin_records_users_created_changed_and_deactivated_never_the_password(from_address, dave_admin):
    client = from_address
    client.force_login(dave_admin)
    user_model = get_user_model()
    supervisors = PermissionGroup.objects.create(name="Supervisors")
    add_url = reverse("admin:auth_user_add")
    client.post(
        add_url,
        {
            "username": "erin",
            "password1": "A-long-passphrase-9",
            "password2": "A-long-passphrase-9",
            "usable_password": "true",
        },
    )
    erin = user_model.objects.get(username="erin")
    (created,) = [e for e in entries("auth.user", "create") if e.object_id == str(erin.pk)]
    assert changed(created)["username"] == (None, "erin") and changed(created)["password"] == (None, "•••")
    assert erin.password not in str(created.changes)

    change_url = reverse("admin:auth_user_change", args=[erin.pk])
    mark = last_id()
    client.post(
        change_url, admin_data(client.get(change_url), first_name="Erin", is_superuser=True, groups=[supervisors.pk])
    )
    written = after(mark)
    assert [changed(e) for e in written] == [
        {"first_name": ("", "Erin"), "is_superuser": (False, True)},
        {"groups": ([], ["Supervisors"])},
    ]
    client.post(change_url, admin_data(client.get(change_url), is_active=False))
    assert only_change("auth.user", "is_active")[1] == (True, False)


def test_changes_outside_a_request_are_the_systems(volunteers):
    volunteers.signature = "From the command line"
    volunteers.save()
    (entry,) = entries("tickets.group", "change")
    assert (entry.actor_id, entry.actor_name, entry.address) == (None, "", SYSTEM)


def test_sign_ins_and_failed_sign_ins_are_recorded_with_the_address(from_address, alice_agent):
    client = from_address
    client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    client.post(reverse("login"), {"username": "alice", "password": "pw-alice"})
    failed, signed_in = AuditEntry.objects.filter(action__in=["sign_in", "sign_in_failed"]).order_by("id")
    assert (failed.action, failed.actor_name, failed.address, failed.actor_id) == (
        "sign_in_failed",
        "alice",
        ADDRESS,
        None,
    )
    assert (signed_in.action, signed_in.actor_name, signed_in.address) == ("sign_in", "alice", ADDRESS)
    assert signed_in.actor_id == alice_agent.pk and signed_in.changes == []  # last_login is not a change


def test_availability_is_operational_and_not_recorded(volunteers, alice_agent):
    from switchboard.tickets.assignment import do_set_availability

    mark = last_id()
    membership = Membership.objects.get(user=alice_agent, group=volunteers)
    do_set_availability(membership, available=False, acting_user=alice_agent)
    assert after(mark) == []
