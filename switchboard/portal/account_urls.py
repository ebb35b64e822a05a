"""The customer portal (SELF-03), under /portal/."""

from __future__ import annotations

from django.urls import path

from switchboard.portal import account_views, sign_in_views

urlpatterns = [
    path("", account_views.home, name="portal_home"),
    path("sign-in/", sign_in_views.sign_in_page, name="portal_sign_in"),
    path("sign-in/<str:token>/", sign_in_views.sign_in_link, name="portal_sign_in_link"),
    path("sign-out/", sign_in_views.sign_out_view, name="portal_sign_out"),
    path("new/", account_views.new_ticket, name="portal_new_ticket"),
    path("tickets/<int:number>/", account_views.ticket_page, name="portal_contact_ticket"),
    path("tickets/<int:number>/files/<int:attachment_id>/", account_views.ticket_file, name="portal_contact_file"),
]
