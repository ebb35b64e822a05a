from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from switchboard.tickets.selectors import list_group_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Call center home: a button per group with its counts (CORE-06)."""
    return render(request, "tickets/home.html", {"group_counts": list_group_counts(request.user)})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the start-up check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
