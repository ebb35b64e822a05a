"""The shift's pages, under /shift/."""

from __future__ import annotations

from django.urls import URLPattern, path

from switchboard.shift import views

urlpatterns: list[URLPattern] = [
    path("clock-in/", views.clock_in, name="clock_in"),
    path("break/start/", views.start_break, name="start_break"),
    path("break/end/", views.end_break, name="end_break"),
    path("clock-out/", views.clock_out, name="clock_out"),
    path("end/", views.end_of_shift, name="end_of_shift"),
    path("hours/", views.my_hours, name="my_hours"),
    path("hours/<slug:slug>/", views.group_hours, name="group_hours"),
    path("shifts/<int:shift_id>/correct/", views.correct_shift, name="correct_shift"),
]
