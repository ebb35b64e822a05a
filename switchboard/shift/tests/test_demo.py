"""The outages' demo: its areas and one past outage with its cleared banner, in English and Polish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from switchboard.shift.demo_outages import OUTAGES, load_outage_demo
from switchboard.shift.models import Area, Outage
from switchboard.tickets.demo import load_demo_data

pytestmark = [pytest.mark.spec("ADMIN-05"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_its_areas_and_one_past_outage_with_its_banner_cleared(language, client):
    load_demo_data(language)
    load_outage_demo(language)
    load_outage_demo(language)  # once only

    demo = OUTAGES[language]
    assert list(Area.objects.values_list("name", flat=True)) == demo.areas
    outage = Outage.objects.select_related("area", "broadcast").get()
    assert outage.area.name == demo.area and not outage.is_open
    assert outage.broadcast is not None and outage.broadcast.cleared_at == outage.ended_at
    assert outage.started_at < outage.ended_at
    client.force_login(User.objects.get(username="geoff" if language == "en" else "grzegorz"))
    page = client.get(reverse("outages")).content.decode()
    assert demo.area in page and demo.banner.text not in client.get(reverse("home")).content.decode()
