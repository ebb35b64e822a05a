"""The shift's pages, under /shift/."""

from __future__ import annotations

from django.urls import URLPattern, path

from switchboard.shift import outage_views

urlpatterns: list[URLPattern] = [
    path("outages/", outage_views.outages, name="outages"),
    path("outages/new/", outage_views.new_outage, name="new_outage"),
    path("outages/<int:outage_id>/end/", outage_views.end_outage, name="end_outage"),
    path("outages/<int:outage_id>/incident/", outage_views.open_outage_incident, name="open_outage_incident"),
    path("banners/", outage_views.broadcasts, name="broadcasts"),
    path("banners/<int:broadcast_id>/clear/", outage_views.clear_broadcast, name="clear_broadcast"),
]
