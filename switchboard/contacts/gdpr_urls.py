"""The contact's GDPR and merge pages (CC-01), under /contacts/."""

from __future__ import annotations

from django.urls import path

from switchboard.contacts import gdpr_views

urlpatterns = [
    path("<int:pk>/consents/", gdpr_views.record_consent, name="contact_record_consent"),
    path("<int:pk>/export/", gdpr_views.export_page, name="contact_export"),
    path("<int:pk>/export.json", gdpr_views.export_json, name="contact_export_json"),
    path("<int:pk>/erase/", gdpr_views.erase, name="contact_erase"),
    path("<int:pk>/merge/", gdpr_views.merge_pick, name="contact_merge"),
    path("<int:pk>/merge/<int:other_pk>/", gdpr_views.merge_confirm, name="contact_merge_confirm"),
]
