from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("t/", include("switchboard.portal.urls")),
    path("portal/", include("switchboard.portal.account_urls")),
    path("f/", include("switchboard.web.urls")),
    path("kb/", include("switchboard.knowledge.urls")),
    path("shift/", include("switchboard.shift.urls")),
    path("audit/", include("switchboard.audit.urls")),
    path("api/", include("switchboard.api.urls")),
    path("settings/api-tokens/", include("switchboard.api.token_urls")),
    path("webhooks/", include("switchboard.webhooks.urls")),
    path("chat/", include("switchboard.chat.urls")),
    path("phone/", include("switchboard.phone.urls")),
    path("contacts/", include("switchboard.contacts.gdpr_urls")),
    path("views/", include("switchboard.tickets.view_urls")),
    path("book/", include("switchboard.tickets.book_urls")),
    path("contacts/", include("switchboard.contacts.urls")),
    path("contacts/", include("switchboard.contacts.search_urls")),
    path("", include("switchboard.tickets.urls")),
]
