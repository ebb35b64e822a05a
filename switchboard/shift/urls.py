"""The shift's pages, under /shift/."""

from __future__ import annotations

from django.urls import URLPattern, path

from switchboard.shift import clock_views, outage_views, queue_report_views

urlpatterns: list[URLPattern] = [
    path("clock-in/", clock_views.clock_in, name="clock_in"),
    path("break/start/", clock_views.start_break, name="start_break"),
    path("break/end/", clock_views.end_break, name="end_break"),
    path("clock-out/", clock_views.clock_out, name="clock_out"),
    path("end/", clock_views.end_of_shift, name="end_of_shift"),
    path("hours/", clock_views.my_hours, name="my_hours"),
    path("hours/<slug:slug>/", clock_views.group_hours, name="group_hours"),
    path("shifts/<int:shift_id>/correct/", clock_views.correct_shift, name="correct_shift"),
    path("outages/", outage_views.outages, name="outages"),
    path("outages/new/", outage_views.new_outage, name="new_outage"),
    path("outages/<int:outage_id>/end/", outage_views.end_outage, name="end_outage"),
    path("outages/<int:outage_id>/incident/", outage_views.open_outage_incident, name="open_outage_incident"),
    path("banners/", outage_views.broadcasts, name="broadcasts"),
    path("banners/<int:broadcast_id>/clear/", outage_views.clear_broadcast, name="clear_broadcast"),
    path("queue-report/", queue_report_views.queue_report_dialog, name="queue_report_dialog"),
    path("queue-report/<int:report_id>/", queue_report_views.file_queue_report, name="file_queue_report"),
    path("groups/<slug:slug>/queue-reports/", queue_report_views.queue_reports, name="queue_reports"),
    path("groups/<slug:slug>/queue-reports.csv", queue_report_views.export_queue_reports, name="export_queue_reports"),
    path("groups/<slug:slug>/queue-figures/", queue_report_views.enter_queue_figures, name="enter_queue_figures"),
]
