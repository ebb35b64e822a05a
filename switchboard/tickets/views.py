from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from switchboard.core.html import html_to_text, sanitise_html
from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import (
    OpenTicketExistsError,
    StaleTicketError,
    TicketError,
    do_add_note,
    do_close_completed_tickets,
    do_merge_tickets,
    do_move_ticket,
    do_reopen_ticket,
    do_update_ticket,
)
from switchboard.tickets.activity_views import activities_context
from switchboard.tickets.assignment import do_claim_ticket, do_escalate_ticket, do_open_ticket
from switchboard.tickets.bulk import do_bulk_change_tickets
from switchboard.tickets.downloads import file_response
from switchboard.tickets.forms import (
    AgentSettingsForm,
    BulkChangeForm,
    CategoryFilterForm,
    ClosedSearchForm,
    EscalateForm,
    LinkTicketForm,
    NewContactForm,
    NewTicketForm,
    NoteForm,
    ReassignForm,
    ReplyForm,
    TicketHeaderForm,
)
from switchboard.tickets.links import do_close_with_children, get_ticket_links
from switchboard.tickets.messages import compose_reply_to_contact, do_email_ticket_owner, do_reply_to_contact
from switchboard.tickets.models import ActivityKind, Attachment, Group, StatusKind, Ticket
from switchboard.tickets.new_tickets import NewTicket, do_open_ticket_for_contact
from switchboard.tickets.people_in_copy import do_add_offered_people_in_copy
from switchboard.tickets.permissions import can_manage, visible_groups, visible_ticket_q
from switchboard.tickets.placeholders import PLACEHOLDER_JS, find_placeholders
from switchboard.tickets.selectors import (
    OPEN_TICKET_ORDERINGS,
    count_closed_by_kind,
    get_my_work,
    get_needs_reply,
    get_ticket_addresses,
    get_ticket_for,
    list_closed_tickets,
    list_composer_solutions,
    list_group_counts,
    list_group_members,
    list_memberships,
    list_merge_targets,
    list_my_tickets,
    list_open_tickets,
    list_timeline,
    list_waiting_tickets,
)
from switchboard.tickets.settings_actions import do_update_agent_settings

TICKETS_PER_PAGE = 50


def group_for(request: AgentRequest, slug: str) -> Group:
    return get_object_or_404(visible_groups(request.user), slug=slug)


def _ticket_for(request: AgentRequest, number: int) -> Ticket:
    try:
        return get_ticket_for(request.user, number=number)
    except Ticket.DoesNotExist:
        raise Http404 from None


@login_required
def home(request: AgentRequest) -> HttpResponse:
    """Call center home: first the next job (how many tickets need a reply, and a button to the
    one to answer next); a button per group with its counts (CORE-06); the agent's own tickets,
    the tickets waiting for an agent and the availability switches (AGENT-01). Due callbacks and
    the agent's to-dos (AGENT-02) come from their template tags (callbacks, todos)."""
    group_counts = list_group_counts(request.user)
    needs_reply = get_needs_reply(request.user, group_counts=group_counts)
    if request.headers.get("HX-Request"):
        live = {"group_counts": group_counts, "needs_reply": needs_reply}
        return render(request, "tickets/_group_buttons.html", live)
    context = {
        "group_counts": group_counts,
        "needs_reply": needs_reply,
        "my_work": get_my_work(request.user),
        "my_tickets": list_my_tickets(request.user),
        "waiting_tickets": list_waiting_tickets(request.user),
        "memberships": list_memberships(request.user),
    }
    return render(request, "tickets/home.html", context)


@login_required
def open_tickets(request: AgentRequest, slug: str) -> HttpResponse:
    """A group's open tickets (CORE-05)."""
    group = group_for(request, slug)
    order = request.GET.get("sort", "-updated")
    if order.lstrip("-") not in OPEN_TICKET_ORDERINGS:
        order = "-updated"
    mine = request.GET.get("mine") == "1"
    category_form = CategoryFilterForm(request.GET, group=group)
    category = category_form.chosen()
    tickets = list_open_tickets(group, user=request.user, mine=mine, order=order, category=category)
    page = Paginator(tickets, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    bulk_form = BulkChangeForm(group=group, groups=visible_groups(request.user), user=request.user, numbers=[])
    context = {
        "group": group,
        "page": page,
        "order": order,
        "mine": mine,
        "columns": _columns(order, keep=f"category={category}" if category else ""),
        "bulk": bulk_form,
        "category_form": category_form,
        "category": category,
    }
    return render(request, "tickets/open_tickets.html", context)


def _columns(order: str, *, keep: str = "") -> list[dict[str, str]]:
    """The list's columns with their sort links; ``keep``: the list's filters, kept by the links."""
    labels = {  # in the order of the row's cells (tickets/_ticket_table.html)
        "number": "#",
        "status": _("Status"),
        "source": _("Channel"),
        "title": _("Title"),
        "contact": _("Contact"),
        "owner": _("Owner"),
        "due": _("Due"),
        "sla": _("Service level"),
        "created": _("Created"),
        "updated": _("Updated"),
    }
    columns = []
    for key, label in labels.items():
        current = order.lstrip("-") == key
        descending = order.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "sort": (f"-{key}" if current and not descending else key) + (f"&{keep}" if keep else ""),
                "aria": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@login_required
def new_ticket(request: AgentRequest, slug: str) -> HttpResponse:
    """Create new ticket (CORE-05)."""
    group = group_for(request, slug)
    form = NewTicketForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = do_open_ticket_for_contact(group, new=NewTicket(**form.cleaned_data), acting_user=request.user)
        except OpenTicketExistsError as error:
            messages.warning(request, str(error))
            if error.existing is not None:
                return redirect("ticket", number=error.existing.number)
        else:
            return redirect("ticket", number=ticket.number)
    return render(request, "tickets/new_ticket.html", {"group": group, "form": form})


@login_required
@require_POST
def bulk_change(request: AgentRequest, slug: str) -> HttpResponse:
    """Bulk actions on the selected tickets of the list (CORE-15)."""
    group = group_for(request, slug)
    selected = [int(n) for n in request.POST.getlist("tickets") if n.isdigit()]
    tickets = list(list_open_tickets(group, user=request.user).filter(number__in=selected))
    form = BulkChangeForm(
        request.POST,
        group=group,
        groups=visible_groups(request.user),
        user=request.user,
        numbers=[t.number for t in tickets],
    )
    if not form.is_valid():
        messages.error(request, _("Select tickets and what to change."))
    else:
        try:
            changed = do_bulk_change_tickets(tickets, change=form.change(), acting_user=request.user)
            messages.success(request, _("%(count)s ticket(s) changed.") % {"count": changed})
        except (TicketError, PermissionDenied) as error:
            messages.error(request, str(error))
    return redirect("open_tickets", slug=group.slug)


@login_required
@require_POST
def close_completed(request: AgentRequest, slug: str) -> HttpResponse:
    group = group_for(request, slug)
    closed = do_close_completed_tickets(group, acting_user=request.user)
    messages.success(request, _("%(count)s completed ticket(s) closed.") % {"count": closed})
    return redirect("open_tickets", slug=group.slug)


@login_required
def closed_tickets(request: AgentRequest, slug: str) -> HttpResponse:
    """Find closed tickets (CORE-10): the last 100, a date range, full-text search."""
    group = group_for(request, slug)
    form = ClosedSearchForm(request.GET or None, group=group)
    filters = form.cleaned_data if form.is_valid() else {}
    tickets = list_closed_tickets(
        Group.objects.filter(pk=group.pk),
        user=request.user,
        text=filters.get("q", ""),
        closed_from=filters.get("closed_from"),
        closed_to=filters.get("closed_to"),
        category=filters.get("category"),
    )
    counts = count_closed_by_kind(
        group,
        user=request.user,
        text=filters.get("q", ""),
        closed_from=filters.get("closed_from"),
        closed_to=filters.get("closed_to"),
        category=filters.get("category"),
    )
    context = {"group": group, "form": form, "tickets": tickets, "closed_counts": counts}
    return render(request, "tickets/closed_tickets.html", context)


@login_required
def ticket_page(request: AgentRequest, number: int) -> HttpResponse:
    """The ticket page (CORE-07): header form, actions, timeline. POST saves the header. Showing
    it changes nothing: the page itself tells ``ticket_opened`` once a person sees it."""
    ticket = _ticket_for(request, number)
    if request.method == "POST":
        form = TicketHeaderForm(request.POST, ticket=ticket)
        if form.is_valid():
            try:
                do_update_ticket(
                    ticket,
                    header=form.header(),
                    expected_version=form.cleaned_data["version"],
                    acting_user=request.user,
                )
            except (TicketError, PermissionDenied) as error:
                form.add_error(None, str(error))
                stale = isinstance(error, StaleTicketError)
                return _render_ticket(request, _ticket_for(request, number), form, stale=stale, status=409)
            messages.success(request, _("Ticket #%(number)s updated.") % {"number": number})
            return redirect("ticket", number=number)
        return _render_ticket(request, ticket, form, status=400)
    return _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket))


@login_required
@require_POST
def ticket_opened(request: AgentRequest, number: int) -> JsonResponse:
    """The ticket page, once shown in a browser, says it was opened (CORE-14, ROUTE-03); whether
    that changed the ticket (the page then shows it anew)."""
    ticket = _ticket_for(request, number)
    opened = do_open_ticket(ticket, acting_user=request.user)
    return JsonResponse({"changed": opened.version != ticket.version})


def _render_ticket(
    request: AgentRequest,
    ticket: Ticket,
    form: TicketHeaderForm,
    *,
    stale: bool = False,
    reply_form: ReplyForm | None = None,
    status: int = 200,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    timeline = list(list_timeline(ticket))
    addresses = get_ticket_addresses(ticket)
    # The header's menu and Close's, read once; in the group's order (Meta's, by the group's name
    # first, joins the groups table for one group's rows).
    statuses = list(ticket.group.statuses.order_by("position", "id"))
    form.show_statuses(statuses)
    reply_form = reply_form or ReplyForm(initial={"to_address": addresses.to, "cc": ", ".join(addresses.cc)})
    context = {
        "ticket": ticket,
        "form": form,
        "reply_form": reply_form,
        # What the agent wrote, sanitised, back into the editor after a refused Send.
        "reply_html": sanitise_html(reply_form.data.get("body_html", "")) if reply_form.is_bound else "",
        "canned_responses": list_composer_solutions(ticket),  # published only (AGENT-04)
        "can_manage": can_manage(request.user, ticket.group),
        "placeholder_pattern": PLACEHOLDER_JS,
        "upload_limits": {"size": settings.MAX_UPLOAD_FILE_BYTES, "count": settings.MAX_UPLOAD_FILES},
        "stale": stale,
        "timeline": timeline,
        "history": [a for a in timeline if a.kind in ActivityKind.history_kinds()],
        **activities_context(request, ticket, timeline),  # the activities tab (CC-07)
        "photos": [f for a in timeline for f in a.attachments.all() if f.is_photo],
        "note_form": NoteForm(),
        "new_contact": NewContactForm(),
        "escalate_form": EscalateForm(members=[agent for agent in form.members() if agent.pk != request.user.pk]),
        # The Move menu's groups and the warnings' tickets: only what they show.
        "groups": visible_groups(request.user).exclude(pk=ticket.group_id).only("name").order_by("name"),
        "merge_targets": list_merge_targets(ticket, user=request.user),
        "addresses_on_ticket": addresses.on_ticket,
        "named_by": list(ticket.named_by.only("number", "title").order_by("number")),
        "links": get_ticket_links(ticket),  # CORE-17
        "link_form": LinkTicketForm(),
        # Close's menu (seed 001): closed, closed with success, success cancelled.
        "closed_statuses": [status for status in statuses if status.kind in StatusKind.closed_kinds()],
        **(extra or {}),
    }
    return render(request, "tickets/ticket.html", context, status=status)


@login_required
@require_POST
def add_note(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        do_add_note(ticket, body=form.cleaned_data["body"], acting_user=request.user)
    return redirect("ticket", number=number)


@login_required
@require_POST
def add_to_copy(request: AgentRequest, number: int) -> HttpResponse:
    """ "Add to copy" on a message whose people in copy were only offered (mail trust)."""
    ticket = _ticket_for(request, number)
    message_id = request.POST.get("message", "")
    message = get_object_or_404(ticket.activities, pk=int(message_id) if message_id.isdigit() else 0)
    try:
        added = do_add_offered_people_in_copy(message, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("In copy now: %(addresses)s") % {"addresses": ", ".join(added)})
    return redirect("ticket", number=number)


@login_required
@require_POST
def reply_to_contact(request: AgentRequest, number: int) -> HttpResponse:
    """Send: the reply goes on the timeline and into the outbox (MAIL-05)."""
    ticket = _ticket_for(request, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_reply_to_contact(ticket, **form.cleaned_data, acting_user=request.user)
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Reply sent to %(address)s.") % {"address": form.cleaned_data["to_address"]})
            return redirect("ticket", number=number)
    return _render_ticket(request, ticket, TicketHeaderForm(ticket=ticket), reply_form=form, status=400)


@login_required
@require_POST
def email_owner(request: AgentRequest, number: int) -> HttpResponse:
    """Email ticket owner (MAIL-09)."""
    ticket = _ticket_for(request, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            do_email_ticket_owner(ticket, message=form.cleaned_data["body"], acting_user=request.user)
            messages.success(request, _("The owner was emailed."))
        except TicketError as error:
            messages.error(request, str(error))
    return redirect("ticket", number=number)


@login_required
@require_POST
def reply_preview(request: AgentRequest, number: int) -> HttpResponse:
    """Email view: exactly the email Send would send now."""
    ticket = _ticket_for(request, number)
    to_address = request.POST.get("to_address", "")
    body_html = request.POST.get("body_html", "")
    cc = [address.strip() for address in request.POST.get("cc", "").split(",") if address.strip()]
    outbound = compose_reply_to_contact(ticket, to_address=to_address, body_html=body_html, agent=request.user, cc=cc)
    placeholders = find_placeholders(html_to_text(outbound.html))
    field = ReplyForm(request.POST, request.FILES)["attachments"]  # the files it would carry, or why not
    context = {
        "email": outbound,
        "placeholders": placeholders,
        "files": request.FILES.getlist("attachments"),
        "field": field,
    }
    return render(request, "tickets/_email_view.html", context)


def back_to(request: AgentRequest, default: str) -> str:
    """Where a small form on another page returns to: its ``next``, if it is one of our pages."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if target and allowed else default


@login_required
@require_POST
def claim_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """ "Claim" (ROUTE-05)."""
    try:
        do_claim_ticket(_ticket_for(request, number), acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ticket #%(number)s is yours.") % {"number": number})
    return redirect(back_to(request, reverse("ticket", args=[number])))


@login_required
@require_POST
def escalate_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """ "Escalate" (ROUTE-04) and "Reassign to supervisor" (ROUTE-05)."""
    ticket = _ticket_for(request, number)
    form = EscalateForm(request.POST, members=list(list_group_members(ticket.group).exclude(pk=request.user.pk)))
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("ticket", number=number)
    try:
        ticket = do_escalate_ticket(
            ticket,
            to=form.destination(),
            note=form.cleaned_data["note"],
            notify_contact=form.cleaned_data["notify_contact"],
            acting_user=request.user,
        )
    except TicketError as error:
        messages.error(request, str(error))
        return redirect("ticket", number=number)
    owner = ticket.owner.get_full_name() or ticket.owner.get_username() if ticket.owner else ""
    messages.success(request, _("Ticket #%(number)s passed to %(owner)s.") % {"number": number, "owner": owner})
    return redirect("open_tickets", slug=ticket.group.slug)


@login_required
@require_POST
def close_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """Close, in the group's status the agent chose: closed, closed with success or success
    cancelled (seed 001); the group's plain "closed" one by default."""
    ticket = _ticket_for(request, number)
    chosen = request.POST.get("status", "")
    status = ticket.group.statuses.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    try:
        children = do_close_with_children(ticket, status=status, acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
        return redirect("ticket", number=number)
    if children:
        messages.success(
            request,
            _("Ticket #%(number)s and its %(count)s linked ticket(s) closed.") % {"number": number, "count": children},
        )
    else:
        messages.success(request, _("Ticket #%(number)s closed.") % {"number": number})
    return redirect("open_tickets", slug=ticket.group.slug)


@login_required
@require_POST
def reopen_ticket(request: AgentRequest, number: int) -> HttpResponse:
    try:
        do_reopen_ticket(_ticket_for(request, number), acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    return redirect("ticket", number=number)


@login_required
@require_POST
def reassign_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """ "Assign to different group / ticket": move (CORE-08, CC-05) or merge (CORE-08)."""
    ticket = _ticket_for(request, number)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return redirect("ticket", number=number)
    try:
        if (group := form.target_group(visible_groups(request.user))) is not None:
            do_move_ticket(
                ticket, group=group, reset_status_and_form=form.cleaned_data["reset"], acting_user=request.user
            )
            messages.success(request, _("Ticket moved to %(group)s.") % {"group": group.name})
        elif (target := form.target_number()) is not None:
            survivor = do_merge_tickets(ticket, into=_ticket_for(request, target), acting_user=request.user)
            messages.success(request, _("Ticket merged into #%(number)s.") % {"number": survivor.number})
            return redirect("ticket", number=survivor.number)
    except TicketError as error:
        messages.error(request, str(error))
    return redirect("ticket", number=number)


@login_required
def agent_settings(request: AgentRequest) -> HttpResponse:
    """Personal settings (CORE-12)."""
    form = AgentSettingsForm(request.POST or None, agent=request.user)
    if request.method == "POST" and form.is_valid():
        do_update_agent_settings(request.user, settings=form.agent_settings())
        messages.success(request, _("Your settings are saved."))
        return redirect("agent_settings")
    return render(request, "tickets/settings.html", {"form": form})


@login_required
def attachment(request: AgentRequest, attachment_id: int, thumbnail: bool = False) -> FileResponse:
    """A ticket's file or its photo's thumbnail, to members of the ticket's group only (CORE-16)."""
    file = get_object_or_404(
        Attachment.objects.select_related("activity__ticket").filter(
            visible_ticket_q(request.user, "activity__ticket__")
        ),
        pk=attachment_id,
    )
    if thumbnail and file.thumbnail:
        response = file_response(file.thumbnail, filename=file.filename)
        response["Cache-Control"] = "private, max-age=86400"
        return response
    return file_response(file.file, filename=file.filename)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the start-up check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
