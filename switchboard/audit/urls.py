from __future__ import annotations

from django.urls import path

from switchboard.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("audit-log.csv", views.audit_log_csv, name="audit_log_csv"),
]
