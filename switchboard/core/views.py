"""Pages of the core: the sign-in page's answer when sign-ins are locked out (django-axes)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, str] | None = None
) -> HttpResponse:
    """The sign-in page again, saying that sign-ins are refused for a while (AXES_LOCKOUT_CALLABLE):
    too many failures for this user name or from this address."""
    username = request.POST.get("username", "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
