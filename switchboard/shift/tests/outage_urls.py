"""The project's URLs and a stand-in for the outage page (``new_outage``), built by another
engineer: the queue report only links to it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urls

urlpatterns = [*project_urls, path("shift/outages/new/", lambda request: HttpResponse("outage"), name="new_outage")]
