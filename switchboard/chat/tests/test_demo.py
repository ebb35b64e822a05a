"""The live chat's demo: an ended chat whose ticket shows its lines, in English and Polish."""

from __future__ import annotations

import pytest

from switchboard.chat.demo import CHAT_DEMOS, load_chat_demo
from switchboard.chat.models import ChatSession
from switchboard.tickets.demo import load_demo_data
from switchboard.tickets.models import ActivityKind

pytestmark = [pytest.mark.spec("SELF-04"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_demo_has_an_ended_chat_on_its_ticket_and_the_example_page_has_the_widget(language, client):
    load_demo_data(language)
    load_chat_demo(language)
    load_chat_demo(language)  # once only

    session = ChatSession.objects.select_related("ticket", "agent").get()
    assert (session.state, session.agent.username) == (ChatSession.State.ENDED, "anna")
    entries = session.ticket.activities.filter(kind=ActivityKind.CHAT).order_by("pk")
    assert [entry.body for entry in entries] == [text for _by, text in CHAT_DEMOS[language].lines]
    page = client.get(f"/chat/{session.group.slug}/example/")
    assert f'src="/chat/{session.group.slug}/widget.js"' in page.content.decode()
