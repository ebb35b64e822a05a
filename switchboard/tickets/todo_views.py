"""Pages of to-dos (AGENT-02): add one (on home, or tied to a ticket from its page), tick it off
or open it again, delete it. Another agent's to-do is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.forms import TicketHeaderForm
from switchboard.tickets.models import Todo
from switchboard.tickets.todo_forms import TodoForm
from switchboard.tickets.todos import TodoError, do_add_todo, do_delete_todo, do_set_todo_done
from switchboard.tickets.views import _render_ticket, _ticket_for, back_to


@login_required
@require_POST
def add_todo(request: AgentRequest) -> HttpResponse:
    """Home's small form. Refused, home says why."""
    form = TodoForm(request.POST)
    if form.is_valid():
        try:
            do_add_todo(text=form.cleaned_data["text"], due_at=form.cleaned_data["due_at"], acting_user=request.user)
        except TodoError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("To-do added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back_to(request, reverse("home")))


@login_required
@require_POST
def add_ticket_todo(request: AgentRequest, number: int) -> HttpResponse:
    """The ticket page's to-do form (key t): a to-do tied to the ticket, back on the same page.
    Refused, the form is shown again, open, with what was typed and why."""
    ticket = _ticket_for(request, number)
    form = TodoForm(request.POST)
    if form.is_valid():
        try:
            do_add_todo(
                text=form.cleaned_data["text"],
                due_at=form.cleaned_data["due_at"],
                ticket=ticket,
                acting_user=request.user,
            )
        except (TodoError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("To-do added: it is on your home page."))
            return redirect("ticket", number=number)
    header = TicketHeaderForm(ticket=ticket)
    return _render_ticket(request, ticket, header, status=400, extra={"todo_form": form})


@login_required
@require_POST
def set_todo_done(request: AgentRequest, todo_id: int) -> HttpResponse:
    todo = get_object_or_404(Todo, pk=todo_id, agent=request.user)
    do_set_todo_done(todo, done=request.POST.get("done") == "1", acting_user=request.user)
    return redirect(back_to(request, reverse("home")))


@login_required
@require_POST
def delete_todo(request: AgentRequest, todo_id: int) -> HttpResponse:
    todo = get_object_or_404(Todo, pk=todo_id, agent=request.user)
    do_delete_todo(todo, acting_user=request.user)
    messages.success(request, _("To-do deleted."))
    return redirect(back_to(request, reverse("home")))
