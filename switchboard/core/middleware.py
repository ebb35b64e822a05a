from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Use the signed-in agent's own language and time zone (CORE-12, ADMIN-04)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        profile = getattr(request.user, "agent_profile", None) if request.user.is_authenticated else None
        if profile is None:
            timezone.deactivate()
            return self.get_response(request)
        if profile.language:
            translation.activate(profile.language)
            request.LANGUAGE_CODE = profile.language
        try:
            timezone.activate(zoneinfo.ZoneInfo(profile.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
