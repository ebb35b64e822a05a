from __future__ import annotations

from django.urls import path

from switchboard.portal import views

urlpatterns = [
    path("<str:token>/", views.ticket, name="portal_ticket"),
    path("<str:token>/files/<int:attachment_id>/", views.ticket_file, name="portal_file"),
]
