"""Signing in to the customer portal by an emailed link, and out (SELF-03).

The link's page asks for one click before it signs in: mail programs and virus scanners open
links in mail by themselves, which must not use up a link that works once."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from switchboard.portal.actions import SignInLinkError, check_sign_in_link, do_request_sign_in_link, do_use_sign_in_link
from switchboard.portal.forms import SignInForm
from switchboard.portal.sessions import sign_in, sign_out, signed_in

NEXT_KEY = "portal_next"


def _safe_next(request: HttpRequest, value: str) -> str:
    ok = value.startswith("/portal/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    return value if ok else reverse("portal_home")


@require_http_methods(["GET", "POST"])
def sign_in_page(request: HttpRequest) -> HttpResponse:
    if signed_in(request) is not None:
        return redirect(_safe_next(request, request.GET.get("next", "")))
    if "next" in request.GET:  # where to go once signed in, in this browser
        request.session[NEXT_KEY] = _safe_next(request, request.GET["next"])
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = do_request_sign_in_link(
            form.cleaned_data["email"], ip=request.META.get("REMOTE_ADDR"), language=translation.get_language()
        )
        context = {"address": form.cleaned_data["email"], "limited": not sent, "minutes": settings.PORTAL_LINK_MINUTES}
        return render(request, "portal/sign_in_sent.html", context, status=200 if sent else 429)
    return render(request, "portal/sign_in.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            check_sign_in_link(token)
            page = render(request, "portal/sign_in_link.html")
            # The token stays out of other sites' logs; not "no-referrer", with which browsers
            # send the form's Origin as "null", which the CSRF check refuses.
            page["Referrer-Policy"] = "same-origin"
            return page
        sign_in(request, do_use_sign_in_link(token))
    except SignInLinkError as error:
        return render(request, "portal/sign_in.html", {"form": SignInForm(), "link_error": str(error)}, status=410)
    return HttpResponseRedirect(request.session.pop(NEXT_KEY, reverse("portal_home")))


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    return redirect("portal_sign_in")
