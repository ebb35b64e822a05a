from __future__ import annotations

from django.urls import path

from switchboard.api import token_views

urlpatterns = [
    path("new/", token_views.create_token, name="api_token_create"),
    path("<int:token_id>/revoke/", token_views.revoke_token, name="api_token_revoke"),
]
