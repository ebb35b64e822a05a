from __future__ import annotations

from django.urls import path

from switchboard.tickets import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
]
