"""The views across an agent's groups (view_pages.py), under /views/."""

from __future__ import annotations

from django.urls import path

from switchboard.tickets import view_pages

urlpatterns = [
    path("", view_pages.ticket_view, name="ticket_views"),
    path("menu/", view_pages.views_menu, name="views_menu"),
    path("save/", view_pages.save_view, name="save_view"),
    path("saved/<int:view_id>/", view_pages.saved_view, name="saved_view"),
    path("saved/<int:view_id>/delete/", view_pages.delete_view, name="delete_view"),
    path("<slug:key>/", view_pages.ticket_view, name="ticket_view"),
]
