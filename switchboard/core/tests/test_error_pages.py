"""What a person sees when a page is not there or not theirs: the product's page in their
language, with the way back, not the server's bare message."""

from __future__ import annotations

import pytest

from switchboard.tickets.tests.factories import make_ticket


@pytest.mark.spec("CORE-01")
@pytest.mark.parametrize(
    ("language", "heading", "explanation"),
    [
        ("en", "Not found", "There is nothing here, or it is not in one of your groups."),
        ("pl", "Nie znaleziono", "Nic tu nie ma albo nie należy to do żadnej z Twoich grup."),
    ],
)
def test_a_ticket_of_another_group_is_not_found_on_the_products_own_page(
    client, volunteers, bob_agent, language, heading, explanation
):
    ticket = make_ticket(volunteers)
    client.force_login(bob_agent)

    response = client.get(f"/tickets/{ticket.number}/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    page = response.content.decode()
    assert heading in page and explanation in page
    assert 'href="/"' in page  # the way back to the call center
    assert ticket.title not in page
