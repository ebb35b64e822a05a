"""The pages where a group is set up: its canned responses (MAIL-05), the wording of its mail
(MAIL-08), its team and availability (ROUTE-02) and its settings."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.contacts.selectors import primary_email_of
from switchboard.core.html import sanitise_html
from switchboard.core.http import AgentRequest
from switchboard.intake.actions import (
    NOTICE_SWITCHES,
    TemplateError,
    do_restore_default_template,
    do_save_message_template,
)
from switchboard.intake.message_templates import tags_for, unknown_tags
from switchboard.intake.models import MessageTemplate, TemplateKind
from switchboard.intake.outbound import compose_notice, compose_reply
from switchboard.intake.selectors import get_preview_ticket, list_message_templates
from switchboard.tickets.actions import TicketError
from switchboard.tickets.agent_states import NOT_READY_REASONS, state_looks
from switchboard.tickets.assignment import do_set_availability
from switchboard.tickets.canned_responses import do_delete_canned_response, do_save_canned_response
from switchboard.tickets.forms import CannedResponseForm, GroupSettingsForm, MessageTemplateForm
from switchboard.tickets.models import Activity, CannedResponse, Membership
from switchboard.tickets.permissions import can_manage, visible_ticket_q
from switchboard.tickets.placeholders import PLACEHOLDER_JS
from switchboard.tickets.selectors import list_canned_responses, list_team
from switchboard.tickets.settings_actions import do_update_group_settings
from switchboard.tickets.solutions import can_edit_solution, do_save_reply_as_solution
from switchboard.tickets.views import back_to, group_for


@login_required
def canned_responses(request: AgentRequest, slug: str, canned_id: int | None = None) -> HttpResponse:
    """A group's canned responses and solutions (MAIL-05, AGENT-04): everyone in the group reads
    them, managers edit and publish them, an agent edits their own draft."""
    group = group_for(request, slug)
    canned = get_object_or_404(CannedResponse, pk=canned_id, group=group) if canned_id else None
    form = CannedResponseForm(request.POST or None, instance=canned, group=group)
    manager = can_manage(request.user, group)
    if not manager:
        form.fields.pop("draft")  # managers alone publish: an agent's draft stays one
    if request.method == "POST":
        if form.is_valid():
            try:
                published = form.published()
                do_save_canned_response(
                    group, **form.cleaned_data, published=published, canned=canned, acting_user=request.user
                )
            except TicketError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Canned response “%(title)s” saved.") % form.cleaned_data)
                return redirect("canned_responses", slug=group.slug)
    context = {
        "group": group,
        "canned_responses": list_canned_responses(group),
        "form": form,
        "editing": canned,
        "editor_html": sanitise_html(form["body_html"].value() or ""),
        "can_manage": manager,
        "can_edit": manager or (canned is not None and can_edit_solution(request.user, canned)),
        "placeholder_pattern": PLACEHOLDER_JS,
    }
    return render(request, "tickets/canned_responses.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def save_reply_as_solution(request: AgentRequest, activity_id: int) -> HttpResponse:
    """ "Save this answer as a solution" on a sent reply (AGENT-04): a draft, opened to be checked."""
    reply = get_object_or_404(
        Activity.objects.select_related("ticket__group").filter(visible_ticket_q(request.user, "ticket__")),
        pk=activity_id,
    )
    try:
        solution, taken_out = do_save_reply_as_solution(reply, acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
        return redirect("ticket", number=reply.ticket.number)
    messages.success(request, _("Saved as a draft solution. Check it; a manager of the group publishes it."))
    if taken_out:
        messages.warning(
            request, _("Replaced by placeholders or to check: %(items)s") % {"items": ", ".join(taken_out)}
        )
    return redirect("edit_canned_response", slug=reply.ticket.group.slug, canned_id=solution.pk)


@login_required
@require_POST
def delete_canned_response(request: AgentRequest, slug: str, canned_id: int) -> HttpResponse:
    group = group_for(request, slug)
    canned = get_object_or_404(CannedResponse, pk=canned_id, group=group)
    do_delete_canned_response(canned, acting_user=request.user)
    messages.success(request, _("Canned response “%(title)s” deleted.") % {"title": canned.title})
    return redirect("canned_responses", slug=group.slug)


def _template_kind(kind: str) -> TemplateKind:
    try:
        return TemplateKind(kind)
    except ValueError:
        raise Http404 from None


@login_required
def message_templates(request: AgentRequest, slug: str, kind: str = TemplateKind.AUTORESPONSE) -> HttpResponse:
    """The group's email templates (MAIL-08): everyone in the group reads them, managers edit
    them, with the tags beside the text and a preview of the email."""
    group = group_for(request, slug)
    kind = _template_kind(kind)
    templates = list_message_templates(group)
    current = next(template for template in templates if template.kind == kind)
    switch = NOTICE_SWITCHES.get(kind)
    initial = {"subject": current.subject, "body": current.body, "send": getattr(group, switch) if switch else None}
    form = MessageTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_message_template(
                group,
                kind=kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                send=form.cleaned_data["send"] if switch else None,
                acting_user=request.user,
            )
        except TemplateError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, _("Template “%(kind)s” saved.") % {"kind": kind.label})
            return redirect("message_template", slug=group.slug, kind=kind)
    context = {
        "group": group,
        "templates": templates,
        "current": current,
        "form": form,
        "switch": switch,
        "tags": tags_for(kind),
        "can_manage": can_manage(request.user, group),
    }
    return render(request, "tickets/message_templates.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def message_template_preview(request: AgentRequest, slug: str, kind: str) -> HttpResponse:
    """The email the template being edited gives, filled in from the group's latest ticket."""
    group = group_for(request, slug)
    template = MessageTemplate(
        group=group,
        kind=_template_kind(kind),
        subject=request.POST.get("subject", ""),
        body=request.POST.get("body", ""),
    )
    ticket = get_preview_ticket(group, user=request.user)
    to_address = primary_email_of(ticket.contact) if ticket.pk else "maria.nowak@example.org"
    answer = "<p>" + _("The agent's answer appears here.") + "</p>"
    with translation.override(ticket.contact_language):  # as the contact gets it
        if template.kind == TemplateKind.REPLY:
            email = compose_reply(
                ticket, agent=request.user, answer_html=answer, to_address=to_address, thread=[], template=template
            )
        else:
            email = compose_notice(ticket, template, to_address=to_address, agent=request.user)
    unknown = unknown_tags(f"{template.subject}\n{template.body}", template.kind)
    return render(request, "tickets/_email_view.html", {"email": email, "unknown_tags": unknown})


@login_required
@require_POST
def restore_message_template(request: AgentRequest, slug: str, kind: str) -> HttpResponse:
    group = group_for(request, slug)
    kind = _template_kind(kind)
    do_restore_default_template(group, kind=kind, acting_user=request.user)
    messages.success(request, _("Template “%(kind)s” is back to the built-in wording.") % {"kind": kind.label})
    return redirect("message_template", slug=group.slug, kind=kind)


@login_required
def team(request: AgentRequest, slug: str) -> HttpResponse:
    """The group's members: phone state and time in it, live (PHONE-09), level, load, last
    assignment and availability, which managers switch for them (ROUTE-02)."""
    group = group_for(request, slug)
    context = {
        "group": group,
        "members": list_team(group),
        "can_manage": can_manage(request.user, group),
        "now": timezone.now(),
        "state_looks": state_looks(),
        "reason_labels": json.dumps({key: str(label) for key, label in NOT_READY_REASONS.items()}),
    }
    return render(request, "tickets/team.html", context)


@login_required
def group_settings(request: AgentRequest, slug: str) -> HttpResponse:
    """How the group works, for its managers: mail, assignment rule, tickets."""
    group = group_for(request, slug)
    if not can_manage(request.user, group):
        raise PermissionDenied(_("Only the group's managers change its settings."))
    form = GroupSettingsForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_group_settings(
                group,
                values=form.cleaned_data,
                workflow_people=list(form.cleaned_data["workflow_people"]),
                acting_user=request.user,
            )
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Settings of %(group)s saved.") % {"group": group.name})
            return redirect("team", slug=group.slug)
    sections = [
        (_("Assignment"), ["assignment_rule", "assignment_limit", "reassign_unopened_minutes", "workflow_people"]),
        (
            _("Email"),
            ["language", "signature", "reply_to_closed", "autoresponder", "resolution_notice", "plus_addressing"],
        ),
        (
            _("Tickets"),
            [
                "contact_titles",
                "owner_on_open",
                "own_tickets_only",
                "timer_starts_on_open",
                "purge_photos_on_close",
                "retention_days",
            ],
        ),
        (_("Callbacks"), ["callback_status_private", "callback_status_public"]),
        (_("Website"), ["website"]),
        (_("Shift"), ["shift_hours", "wrap_up_seconds", "queue_report_minutes"]),
    ]
    context = {"group": group, "form": form, "sections": sections}
    return render(request, "tickets/group_settings.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def set_availability(request: AgentRequest, slug: str) -> HttpResponse:
    """An agent's availability in a group (ROUTE-02); a manager may set another member's."""
    group = group_for(request, slug)
    user_id = request.POST.get("user") or request.user.pk
    membership = get_object_or_404(Membership.objects.select_related("group", "user"), group=group, user_id=user_id)
    do_set_availability(membership, available=request.POST.get("available") == "1", acting_user=request.user)
    return redirect(back_to(request, reverse("home")))
