"""The shift's pages, under /shift/."""

from __future__ import annotations

from django.urls import URLPattern, path

from switchboard.shift import queue_report_views

urlpatterns: list[URLPattern] = [
    path("queue-report/", queue_report_views.queue_report_dialog, name="queue_report_dialog"),
    path("queue-report/<int:report_id>/", queue_report_views.file_queue_report, name="file_queue_report"),
    path("groups/<slug:slug>/queue-reports/", queue_report_views.queue_reports, name="queue_reports"),
    path("groups/<slug:slug>/queue-reports.csv", queue_report_views.export_queue_reports, name="export_queue_reports"),
    path("groups/<slug:slug>/queue-figures/", queue_report_views.enter_queue_figures, name="enter_queue_figures"),
]
