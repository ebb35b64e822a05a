"""The agent's contact book (AGENT-03, book_views.py), under /book/."""

from __future__ import annotations

from django.urls import path

from switchboard.tickets import book_views

urlpatterns = [
    path("", book_views.book, name="book"),
    path("new/", book_views.new_entry, name="book_new"),
    path("<int:entry_id>/", book_views.edit_entry, name="book_edit"),
    path("<int:entry_id>/delete/", book_views.delete_entry, name="book_delete"),
    path("suggestions/", book_views.book_suggestions, name="book_suggestions"),
]
