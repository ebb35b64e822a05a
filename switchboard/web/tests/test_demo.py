"""The web forms' demo (SELF-01): categories with agents in the demo groups, and a message sent
through the Volunteers' form, in English and in Polish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.phone.demo import load_phone_demo
from switchboard.tickets.demo import demo_group, load_demo_data
from switchboard.tickets.demo_texts import VOLUNTEERS
from switchboard.tickets.models import ActivityKind, Category
from switchboard.web.demo import load_web_demo

pytestmark = [pytest.mark.django_db, pytest.mark.spec("SELF-01")]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.parametrize(("language", "category"), [("en", "Volunteering"), ("pl", "Wolontariat")])
def test_the_demo_has_categories_with_agents_a_web_message_and_an_example_page(client, language, category):  # type: ignore[no-untyped-def]
    load_demo_data(language)
    load_phone_demo(language)
    load_web_demo(language)
    load_web_demo(language)  # once only

    volunteers = demo_group(VOLUNTEERS)
    assert volunteers is not None
    assert all(each.agents.exists() for each in Category.objects.all())
    entry = volunteers.tickets.get(activities__kind=ActivityKind.WEB_IN).activities.get(kind=ActivityKind.WEB_IN)
    assert entry.client and volunteers.tickets.get(activities__kind=ActivityKind.WEB_IN).category.name == category
    example = client.get(reverse("web_form_example", args=[volunteers.slug])).content.decode()
    assert f'src="/f/{volunteers.slug}/embed.js"' in example
