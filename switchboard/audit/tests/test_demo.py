from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from switchboard.audit.demo import load_audit_demo
from switchboard.audit.models import AuditEntry
from switchboard.tickets.demo import load_demo_data


@pytest.mark.spec("ADMIN-03")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_log_shows_sign_ins_and_annas_changes_in_its_language(client, db, language):
    load_demo_data(language)
    load_audit_demo(language)
    load_audit_demo(language)  # once
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 1
    annas = AuditEntry.objects.filter(actor_name="anna", address="10.20.4.31")
    assert {e.object_type for e in annas} >= {"tickets.group", "tickets.status", "tickets.cannedresponse"}
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "10.20.4.31" in page and "@promo-offers.example" in page
