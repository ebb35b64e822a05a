from __future__ import annotations

from django.urls import path

from switchboard.contacts import search_views

urlpatterns = [
    path("", search_views.contacts, name="contacts"),
    path("suggestions/", search_views.contact_suggestions, name="contact_suggestions"),
    # TEMPORARY: the contact page (CC-01) replaces this stub under the same name and address.
    path("<int:pk>/", search_views.contact_stub, name="contact"),
]
