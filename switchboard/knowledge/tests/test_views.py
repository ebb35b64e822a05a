"""The help centre's pages (SELF-02): who sees which articles, views and "did this help?"
counted, images served safely, the agents' editor, and a fixed number of queries per page."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from switchboard.knowledge.models import Article
from switchboard.knowledge.tests.factories import make_article, make_category
from switchboard.tickets.models import Membership
from switchboard.tickets.tests.factories import make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.spec("SELF-02")]


@pytest.fixture
def shelf(db):
    parcels = make_category("Food parcels")
    pickup = make_category("Pick-up", parent=parcels)
    return {
        "parcels": parcels,
        "public": make_article("Pick-up times", "<p>Tuesdays from 9.</p>", category=pickup),
        "internal": make_article(
            "Handing out parcels without an id",
            "<p>Ask the coordinator.</p>",
            category=parcels,
            visibility=Article.Visibility.INTERNAL,
        ),
        "draft": make_article("Winter opening hours", "<p>Closed on holidays.</p>", state=Article.State.DRAFT),
    }


@pytest.fixture
def carol_contact(db):
    """Someone signed in who works in no group (as a customer of the portal is): no agent."""
    return get_user_model().objects.create_user("carol", "carol@example.org", "pw-carol")


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_visitors_and_contacts_see_only_published_articles_for_everyone(shelf, carol_contact):
    for client in (client_of(), client_of(carol_contact)):
        home = client.get("/kb/").content.decode()
        assert "Pick-up times" in home
        assert "Handing out parcels" not in home and "Winter opening hours" not in home
        assert client.get(shelf["public"].get_absolute_url()).status_code == 200
        assert client.get(shelf["internal"].get_absolute_url()).status_code == 404
        assert client.get(shelf["draft"].get_absolute_url()).status_code == 404
        assert client.get(f"/kb/a/{shelf['internal'].slug}/").status_code == 404
        assert "Handing out" not in client.get("/kb/food-parcels/").content.decode()
        assert "Handing out" not in client.get("/kb/?q=parcels").content.decode()
        assert "Handing out" not in client.get("/kb/suggestions/?q=parcels").content.decode()
        assert client.get("/kb/manage/").status_code in {302, 403}


def test_agents_see_internal_articles_and_drafts(shelf, alice_agent):
    client = client_of(alice_agent)
    assert "Handing out parcels without an id" in client.get("/kb/food-parcels/").content.decode()
    page = client.get(shelf["internal"].get_absolute_url()).content.decode()
    assert "Agents only" in page
    assert client.get(shelf["draft"].get_absolute_url()).status_code == 200
    assert "Handing out" in client.get("/kb/suggestions/?q=parcels").content.decode()
    listing = client.get("/kb/manage/").content.decode()
    assert "Winter opening hours" in listing and "Handing out parcels" in listing


def test_a_view_counts_once_per_visitor_and_did_this_help_once(shelf):
    article = shelf["public"]
    reader, other = client_of(), client_of()
    reader.get(article.get_absolute_url())
    reader.get(article.get_absolute_url())
    other.get(article.get_absolute_url())
    assert reader.post(f"/kb/a/{article.slug}/vote/", {"helpful": "yes"}).status_code == 302
    reader.post(f"/kb/a/{article.slug}/vote/", {"helpful": "no"})
    other.post(f"/kb/a/{article.slug}/vote/", {"helpful": "no"})
    article.refresh_from_db()
    assert (article.view_count, article.helpful_yes, article.helpful_no) == (2, 1, 1)
    assert "Thank you for your answer." in reader.get(article.get_absolute_url()).content.decode()
    assert "Did this help?" in client_of().get(article.get_absolute_url()).content.decode()
    assert client_of().post(f"/kb/a/{shelf['internal'].slug}/vote/", {"helpful": "yes"}).status_code == 404


def test_agents_see_the_counts_and_the_related_tickets_others_do_not(shelf, alice_agent, volunteers):
    from switchboard.tickets.tests.factories import make_ticket

    ticket = make_ticket(volunteers)
    shelf["public"].tickets.add(ticket)
    url = shelf["public"].get_absolute_url()
    assert f"#{ticket.number}" in client_of(alice_agent).get(url).content.decode()
    page = client_of().get(url).content.decode()
    assert f"#{ticket.number}" not in page and "views" not in page


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_an_agent_writes_an_article_with_an_image_that_readers_see(shelf, alice_agent):
    client = client_of(alice_agent)
    response = client.post(
        "/kb/manage/new/",
        {
            "title": "Where to park",
            "summary": "Parking by the warehouse",
            "body_html": '<p>Use the yard.</p><script>alert(1)</script><p onclick="x()">Gate B.</p>',
            "visibility": "public",
            "state": "published",
            "language": "en",
            "category": shelf["parcels"].pk,
            "image": SimpleUploadedFile("map.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Where to park")
    assert "<script" not in article.body_html and "onclick" not in article.body_html
    image = article.images.get()
    assert f'src="/kb/images/{image.pk}/"' in article.body_html
    page = client_of().get(article.get_absolute_url()).content.decode()
    assert "Use the yard." in page and f"/kb/images/{image.pk}/" in page
    served = client_of().get(f"/kb/images/{image.pk}/")
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert client_of().get("/kb/?q=yard").content.decode().count("Where to park") == 1


def test_an_image_of_an_internal_article_is_not_served_to_others_nor_a_non_image_stored(shelf, alice_agent):
    client = client_of(alice_agent)
    url = f"/kb/manage/{shelf['internal'].pk}/"
    fields = {"title": "Internal", "visibility": "internal", "state": "published", "language": "en"}
    client.post(url, {**fields, "image": SimpleUploadedFile("a.png", png(), content_type="image/png")})
    image = shelf["internal"].images.get()
    assert client_of().get(f"/kb/images/{image.pk}/").status_code == 404
    assert client.get(f"/kb/images/{image.pk}/").status_code == 200
    svg = SimpleUploadedFile("x.png", b"<svg onload='alert(1)'></svg>", content_type="image/png")
    page = client.post(url, {**fields, "image": svg}).content.decode()
    assert shelf["internal"].images.count() == 1
    assert "image" in page.lower()


def test_only_managers_and_administrators_delete_articles(shelf, alice_agent, volunteers, dave_admin):
    article = shelf["public"]
    assert client_of(alice_agent).post(f"/kb/manage/{article.pk}/delete/").status_code == 403
    manager = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    assert client_of(manager).post(f"/kb/manage/{article.pk}/delete/").status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_a_category_slug_cannot_take_a_page_of_the_knowledge_base(db):
    from django.core.exceptions import ValidationError

    from switchboard.knowledge.models import Category

    parent = make_category("Top")
    child = make_category("Child", parent=parent)
    with pytest.raises(ValidationError):
        Category(name="Suggestions", slug="suggestions").full_clean()
    with pytest.raises(ValidationError):
        Category(name="Grandchild", slug="grandchild", parent=child).full_clean()


@pytest.mark.parametrize("agent", [False, True])
def test_the_public_pages_cost_a_fixed_number_of_queries(shelf, alice_agent, agent):
    urls = ["/kb/", "/kb/?q=pick", "/kb/food-parcels/", shelf["public"].get_absolute_url(), "/kb/suggestions/?q=pick"]

    def counts() -> list[int]:
        result = []
        client = client_of(alice_agent if agent else None)  # a new visitor: the article's view is counted
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    parcels = shelf["parcels"]
    for n in range(30):
        child = make_category(f"Sub {n}", parent=parcels) if n < 5 else None
        make_article(f"Pick-up place {n}", category=child or parcels)
        make_article(f"Internal pick-up {n}", category=parcels, visibility=Article.Visibility.INTERNAL)
    many = counts()
    assert many == few
    assert max(many) <= 15  # an agent's navbar: the shift's clock, due queue report and banners


def test_a_topic_with_articles_for_agents_only_is_no_topic_to_visitors(shelf, alice_agent):
    team = make_category("For our team")
    make_article("Answering complaints", category=team, visibility=Article.Visibility.INTERNAL)
    assert "For our team" not in client_of().get("/kb/").content.decode()
    assert "For our team" in client_of(alice_agent).get("/kb/").content.decode()
    assert "Answering complaints" not in client_of().get("/kb/for-our-team/").content.decode()
