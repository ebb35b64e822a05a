"""The API tokens section of the personal settings page (API-01): make a token (shown once,
on the answer to the form), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from switchboard.api.forms import ApiTokenForm
from switchboard.api.models import ApiToken
from switchboard.api.tokens import do_create_api_token, do_revoke_api_token, find_api_token
from switchboard.core.http import AgentRequest


@never_cache
@login_required
@require_POST
def create_token(request: AgentRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "api/token_new.html", {"form": form}, status=400)
    new = do_create_api_token(
        request.user,
        name=form.cleaned_data["name"],
        scope=ApiToken.Scope(form.cleaned_data["scope"]),
        expires_in_days=form.cleaned_data["expires_in_days"],
        acting_user=request.user,
    )
    return render(request, "api/token_created.html", {"token": new.token, "plain": new.plain})


@login_required
@require_POST
def revoke_token(request: AgentRequest, token_id: int) -> HttpResponse:
    token = find_api_token(request.user, token_id=token_id)
    if token is None:
        raise Http404
    do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("The API token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("agent_settings")
