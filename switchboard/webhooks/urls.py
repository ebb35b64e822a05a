from __future__ import annotations

from django.urls import path

from switchboard.webhooks import views

urlpatterns = [
    path("", views.endpoints, name="webhooks"),
    path("new/", views.new_endpoint, name="new_webhook_endpoint"),
    path("<int:pk>/", views.endpoint, name="webhook_endpoint"),
    path("<int:pk>/secret/", views.rotate_secret, name="rotate_webhook_secret"),
    path("<int:pk>/test/", views.send_test_event, name="send_webhook_test_event"),
    path("<int:pk>/remove/", views.remove_endpoint, name="remove_webhook_endpoint"),
    path("deliveries/<int:pk>/retry/", views.retry_delivery, name="retry_webhook_delivery"),
]
