from __future__ import annotations

from django.urls import path

from switchboard.contacts import views

urlpatterns = [
    path("new/", views.new_contact, name="new_contact"),
    path("<int:pk>/", views.contact_page, name="contact"),
    path("<int:pk>/edit/", views.edit_contact, name="edit_contact"),
]
