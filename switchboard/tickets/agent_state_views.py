"""The agent's own phone state (PHONE-09), switched from the navbar's shift menu."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.agent_states import PhoneState, PhoneStateError, do_set_phone_state
from switchboard.tickets.views import back_to


@login_required
@require_POST
def set_phone_state(request: AgentRequest) -> HttpResponse:
    """One of the menu's buttons: a state, or a reason (then "not ready" for that reason)."""
    reason = request.POST.get("reason", "")
    state = request.POST.get("state") or (PhoneState.NOT_READY if reason else "")
    if state not in PhoneState.values:
        messages.error(request, _("Choose a phone state."))
    else:
        try:
            do_set_phone_state(request.user, state, reason=reason, acting_user=request.user)
        except PhoneStateError as error:
            messages.error(request, str(error))
    return redirect(back_to(request, reverse("home")))
