from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Use the signed-in agent's own language and time zone (CORE-12, ADMIN-04) for their request
    only: what runs after it in the same thread (the next request, a test) is not left in them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        profile = getattr(request.user, "agent_profile", None) if request.user.is_authenticated else None
        if profile is None:
            with timezone.override(None):
                return self.get_response(request)
        language = profile.language or translation.get_language()
        try:
            zone: zoneinfo.ZoneInfo | None = zoneinfo.ZoneInfo(profile.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        with translation.override(language), timezone.override(zone):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
        return response
