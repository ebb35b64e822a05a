"""The administrators' webhook pages (API-02): endpoints, each with its settings and its
delivery log; a failed delivery sent again by hand, a test event, a new signing secret."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from switchboard.core.http import AgentRequest
from switchboard.webhooks.actions import (
    WebhookError,
    do_create_endpoint,
    do_remove_endpoint,
    do_retry_delivery,
    do_rotate_secret,
    do_send_test_event,
    do_update_endpoint,
)
from switchboard.webhooks.addresses import AddressRefusedError
from switchboard.webhooks.forms import EndpointForm
from switchboard.webhooks.models import WebhookDelivery, WebhookEndpoint
from switchboard.webhooks.selectors import list_deliveries, list_endpoints

DELIVERIES_PER_PAGE = 50


def _for_administrators(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied


@login_required
@require_GET
def endpoints(request: AgentRequest) -> HttpResponse:
    _for_administrators(request)
    return render(request, "webhooks/endpoints.html", {"endpoints": list_endpoints()})


@login_required
@require_http_methods(["GET", "POST"])
def new_endpoint(request: AgentRequest) -> HttpResponse:
    _for_administrators(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = do_create_endpoint(form.values(), acting_user=request.user)
        except (AddressRefusedError, WebhookError) as error:
            form.add_error("url", str(error))
        else:  # the secret is shown on this answer only: it is never stored readable nor sent again
            return render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "new": True})
    return render(request, "webhooks/endpoint_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def endpoint(request: AgentRequest, pk: int) -> HttpResponse:
    _for_administrators(request)
    hook = get_object_or_404(WebhookEndpoint, pk=pk)
    form = EndpointForm(request.POST) if request.method == "POST" else EndpointForm.for_endpoint(hook)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_endpoint(hook, values=form.values(), acting_user=request.user)
        except (AddressRefusedError, WebhookError) as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("webhook_endpoint", pk=hook.pk)
    status = request.GET.get("status", "")
    status = status if status in WebhookDelivery.Status.values else ""
    page = Paginator(list_deliveries(hook, status=status), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"endpoint": hook, "form": form, "page": page, "status": status, "statuses": WebhookDelivery.Status}
    return render(request, "webhooks/endpoint.html", context)


@login_required
@require_POST
def rotate_secret(request: AgentRequest, pk: int) -> HttpResponse:
    _for_administrators(request)
    hook = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = do_rotate_secret(hook, acting_user=request.user)
    return render(request, "webhooks/secret.html", {"endpoint": hook, "secret": secret, "new": False})


@login_required
@require_POST
def send_test_event(request: AgentRequest, pk: int) -> HttpResponse:
    _for_administrators(request)
    hook = get_object_or_404(WebhookEndpoint, pk=pk)
    try:
        do_send_test_event(hook, acting_user=request.user)
    except WebhookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A test event is on its way; its delivery is at the top of the log."))
    return redirect("webhook_endpoint", pk=hook.pk)


@login_required
@require_POST
def retry_delivery(request: AgentRequest, pk: int) -> HttpResponse:
    _for_administrators(request)
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        do_retry_delivery(delivery, acting_user=request.user)
    except WebhookError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The delivery is being sent again."))
    return redirect("webhook_endpoint", pk=delivery.endpoint_id)


@login_required
@require_POST
def remove_endpoint(request: AgentRequest, pk: int) -> HttpResponse:
    _for_administrators(request)
    hook = get_object_or_404(WebhookEndpoint, pk=pk)
    do_remove_endpoint(hook, acting_user=request.user)
    messages.success(request, _("The endpoint was removed, with its delivery log."))
    return redirect("webhooks")
