from __future__ import annotations

from django.urls import include, path

from switchboard.phone import views

urlpatterns = [
    path("voice/", views.voice, name="phone_voice"),
    path("voice/menu/", views.voice_menu, name="phone_voice_menu"),
    path("voice/recording/", views.voice_recording, name="phone_voice_recording"),
    path("voice/status/", views.voice_status, name="phone_voice_status"),
    path("", include("switchboard.phone.sms_urls")),
]
