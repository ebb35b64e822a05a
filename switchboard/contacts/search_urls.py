from __future__ import annotations

from django.urls import path

from switchboard.contacts import search_views

urlpatterns = [
    path("", search_views.contacts, name="contacts"),
    path("suggestions/", search_views.contact_suggestions, name="contact_suggestions"),
]
