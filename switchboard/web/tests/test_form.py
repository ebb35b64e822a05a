"""A group's web form (SELF-01): a post opens a ticket through the intake pipeline; spam is
refused, counted and never stored; files and the group's own fields are checked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from switchboard.contacts.models import ContactPoint
from switchboard.intake.models import RawMessage
from switchboard.tickets.group_forms import do_add_form_field
from switchboard.tickets.models import ActivityKind, Category, FormField, Group, Membership, Ticket, TicketSource
from switchboard.tickets.tests.factories import make_agent, make_contact
from switchboard.web.client import describe_client
from switchboard.web.models import FormPost
from switchboard.web.tasks import delete_old_form_posts

pytestmark = pytest.mark.spec("SELF-01")

START = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shown(client, clock, volunteers):
    """The form's token as a visitor's page has it, shown a person's minute ago."""

    def show(group: Group = volunteers) -> str:
        page = client.get(reverse("web_form", args=[group.slug])).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page)
        assert token is not None
        clock.shift(dt.timedelta(minutes=1))
        return token.group(1)

    return show


def post(client, group: Group, token: str, *, ip: str = "203.0.113.7", **fields):  # type: ignore[no-untyped-def]
    data = {"name": "Maria Garcia", "email": "maria@example.org", "message": "Are you open on Saturday?"}
    data.update(fields)
    return client.post(
        reverse("web_form", args=[group.slug]),
        {"token": token, **data},
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR=ip,
    )


def nothing_stored() -> bool:
    return not RawMessage.objects.exists() and not Ticket.objects.exists()


def test_a_post_opens_a_ticket_through_the_pipeline_with_the_browser_and_the_acknowledgement(
    client, shown, volunteers, smtp_sink, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    volunteers.autoresponder = True
    volunteers.save()
    pantry = Category.objects.create(group=volunteers, name="Pantry")
    token = shown()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            volunteers,
            token,
            category=str(pantry.pk),
            subject="Opening hours",
            phone="+48 601 234 567",
            attachments=[SimpleUploadedFile("list.txt", b"rice, beans"), SimpleUploadedFile("map.pdf", b"%PDF-1.4")],
        )

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    ticket = Ticket.objects.get()
    assert "Thank you, your message has been sent." in thanks.content.decode()
    # The typed address is unproven: nothing of the ticket is shown, only the acknowledgement tells.
    for secret in (f"#{ticket.number}", ticket.subject_token, "maria@example.org", "Opening hours", "Maria"):
        assert secret not in thanks.content.decode()
    assert (ticket.source, ticket.category, ticket.title) == (TicketSource.WEB, pantry, "Opening hours")
    entry = ticket.activities.get(kind=ActivityKind.WEB_IN)
    assert entry.client == "Firefox 133 on Windows 10"
    assert entry.body == "Are you open on Saturday?\n\nPhone: +48601234567"
    assert sorted(a.filename for a in entry.attachments.all()) == ["list.txt", "map.pdf"]
    # A new contact, made by this post, gets the number as well.
    assert sorted(ticket.contact.points.values_list("kind", "value")) == [
        ("email", "maria@example.org"),
        ("phone", "+48601234567"),
    ]
    assert [m["To"] for m in smtp_sink.messages] == ["maria@example.org"]  # the group's acknowledgement
    assert FormPost.objects.get().refusal == FormPost.Refusal.ACCEPTED


def test_a_typed_phone_number_is_not_given_to_a_known_contact_nor_taken_from_another(client, shown, volunteers):  # type: ignore[no-untyped-def]
    maria = make_contact(email="maria@example.org")
    post(client, volunteers, shown(), phone="+48 601 234 567")
    assert not maria.points.filter(kind=ContactPoint.Kind.PHONE).exists()
    assert Ticket.objects.get().contact == maria
    assert "Phone: +48601234567" in Ticket.objects.get().activities.get(kind=ActivityKind.WEB_IN).body

    post(client, volunteers, shown(), email="jan@example.org", phone="+48 601 234 567", ip="203.0.113.8")
    jan = Ticket.objects.get(contact__points__value="jan@example.org").contact
    assert jan.points.filter(kind=ContactPoint.Kind.PHONE, value="+48601234567").exists()  # new, and it was free
    post(client, volunteers, shown(), email="eve@example.org", phone="+48 601 234 567", ip="203.0.113.9")
    eve = Ticket.objects.get(contact__points__value="eve@example.org").contact
    assert list(eve.points.values_list("kind", flat=True)) == ["email"]


def test_the_hidden_field_filled_in_is_refused_neutrally_and_counted(client, shown, volunteers):  # type: ignore[no-untyped-def]
    response = post(client, volunteers, shown(), website="https://cheap.example")
    assert response.status_code == 400
    assert "Your message could not be sent. Please check it and send it again." in response.content.decode()
    assert nothing_stored()
    assert FormPost.objects.get().refusal == FormPost.Refusal.HONEYPOT


def test_a_post_sooner_than_a_person_can_is_refused_and_a_later_one_passes(client, clock, volunteers, settings):  # type: ignore[no-untyped-def]
    settings.WEB_FORM_MIN_SECONDS = 5
    page = client.get(reverse("web_form", args=[volunteers.slug])).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    clock.shift(dt.timedelta(seconds=4))
    refused = post(client, volunteers, token)
    assert refused.status_code == 400
    assert "Your message could not be sent." in refused.content.decode()
    assert nothing_stored()

    clock.shift(dt.timedelta(seconds=1))
    assert post(client, volunteers, token).status_code == 302
    assert Ticket.objects.count() == 1
    assert list(FormPost.objects.order_by("pk").values_list("refusal", flat=True)) == ["too_fast", ""]


def test_a_missing_forged_or_other_groups_token_is_refused_and_an_old_form_is_told_so(
    client, shown, clock, volunteers, donations, settings
):  # type: ignore[no-untyped-def]
    assert post(client, volunteers, "").status_code == 400
    assert post(client, volunteers, shown()[:-2] + "xx").status_code == 400
    assert post(client, volunteers, shown(donations)).status_code == 400
    token = shown()
    clock.shift(dt.timedelta(hours=settings.WEB_FORM_MAX_AGE_HOURS, seconds=1))
    expired = post(client, volunteers, token)
    assert "This form was open for a long time." in expired.content.decode()
    assert 'value="Are you open on Saturday?"' not in expired.content.decode()  # the text is kept in its box
    assert "Are you open on Saturday?</textarea>" in expired.content.decode()
    assert nothing_stored()
    assert list(FormPost.objects.order_by("pk").values_list("refusal", flat=True)) == [
        "forged",
        "forged",
        "forged",
        "expired",
    ]


def test_posts_are_limited_per_ip_and_per_email_address_within_the_hour(client, shown, clock, volunteers, settings):  # type: ignore[no-untyped-def]
    settings.WEB_FORM_LIMIT_PER_HOUR = 2
    for n in range(2):
        assert post(client, volunteers, shown(), email=f"person{n}@example.org").status_code == 302
    from_ip = post(client, volunteers, shown(), email="person3@example.org")
    assert from_ip.status_code == 429
    assert "You have sent us several messages within the hour." in from_ip.content.decode()
    assert post(client, volunteers, shown(), email="person0@example.org", ip="198.51.100.1").status_code == 302
    from_address = post(client, volunteers, shown(), email="person0@example.org", ip="198.51.100.2")
    assert from_address.status_code == 429
    assert RawMessage.objects.count() == 3

    clock.shift(dt.timedelta(hours=1))
    assert post(client, volunteers, shown(), email="person3@example.org").status_code == 302
    refusals = list(FormPost.objects.exclude(refusal="").values_list("refusal", flat=True))
    assert sorted(refusals) == ["address_limit", "ip_limit"]
    assert "198.51.100.1" not in str(list(FormPost.objects.values()))  # addresses are kept hashed


def test_a_message_with_too_many_links_is_refused_beside_the_field(client, shown, volunteers, settings):  # type: ignore[no-untyped-def]
    settings.WEB_FORM_MAX_LINKS = 2
    spam = "Buy now https://a.example http://b.example www.c.example"
    response = post(client, volunteers, shown(), message=spam)
    assert response.status_code == 400
    assert re.search(r'id="id_message-error"[^>]*>Please write at most 2 links', response.content.decode())
    assert nothing_stored()
    assert FormPost.objects.get().refusal == FormPost.Refusal.LINKS

    assert post(client, volunteers, shown(), message="See https://a.example and www.b.example").status_code == 302


def test_files_over_the_limits_are_refused_beside_the_field_and_nothing_is_stored(client, shown, volunteers, settings):  # type: ignore[no-untyped-def]
    settings.MAX_UPLOAD_FILE_BYTES, settings.MAX_UPLOAD_FILES = 100, 2
    cases = {
        "“big.pdf” is too large": [SimpleUploadedFile("big.pdf", b"x" * 101)],
        "“setup.exe” is a program": [SimpleUploadedFile("setup.exe", b"MZ..")],
        "“photo.jpg” is a program": [SimpleUploadedFile("photo.jpg", b"MZ..")],
        "At most 2 files": [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)],
    }
    for message, files in cases.items():
        response = post(client, volunteers, shown(), attachments=files)
        assert response.status_code == 400
        page = response.content.decode()
        assert re.search(r'id="id_attachments-error"[^>]*>' + re.escape(message), page), message
        assert "Please choose your files again." in page
        assert 'value="Maria Garcia"' in page  # what was typed stays
    assert nothing_stored()
    assert not FormPost.objects.exists()  # a person's mistake, not spam


def test_the_groups_own_fields_are_asked_and_land_on_the_ticket(client, shown, volunteers):  # type: ignore[no-untyped-def]
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    shift = do_add_form_field(
        volunteers,
        label="Shift",
        kind=FormField.Kind.CHOICE,
        choices=["Morning", "Evening"],
        required=True,
        acting_user=mona,
    )
    people = do_add_form_field(volunteers, label="People", kind=FormField.Kind.NUMBER, acting_user=mona)

    page = client.get(reverse("web_form", args=[volunteers.slug])).content.decode()
    assert "Shift" in page and "Morning" in page
    missing = post(client, volunteers, shown(), **{f"field-{people.pk}": "three"})
    assert re.search(rf'id="id_field-{shift.pk}-error"[^>]*>This field is required.', missing.content.decode())
    assert re.search(rf'id="id_field-{people.pk}-error"[^>]*>Enter a number', missing.content.decode())
    assert nothing_stored()

    post(client, volunteers, shown(), **{f"field-{shift.pk}": "c2", f"field-{people.pk}": "3"})
    assert Ticket.objects.get().form_data == {str(shift.pk): "c2", str(people.pk): "3"}


def test_missing_or_wrong_fields_are_marked_and_nothing_is_stored(client, shown, volunteers):  # type: ignore[no-untyped-def]
    Category.objects.create(group=volunteers, name="Pantry")
    response = post(client, volunteers, shown(), name="", email="maria@", message="", phone="12")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your message was not sent: please correct the fields marked below." in page
    for name in ("name", "email", "phone", "category", "message"):
        assert f'id="id_{name}-error"' in page, name
    assert "“12” is not a valid phone number." in page
    assert nothing_stored()


def test_the_form_page_costs_a_fixed_number_of_queries(client, volunteers, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    for n in range(5):
        Category.objects.create(group=volunteers, name=f"Topic {n}")
        do_add_form_field(volunteers, label=f"Field {n}", kind=FormField.Kind.TEXT, acting_user=mona)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("web_form", args=[volunteers.slug]))
    assert response.status_code == 200


def test_only_the_form_pages_may_be_framed_by_other_websites(client, volunteers, settings):  # type: ignore[no-untyped-def]
    form = client.get(reverse("web_form", args=[volunteers.slug]) + "?embed=1")
    assert "X-Frame-Options" not in form
    assert "frame-ancestors *" in form["Content-Security-Policy"]
    thanks = client.get(reverse("web_form_thanks", args=[volunteers.slug]))
    assert "X-Frame-Options" not in thanks
    assert "frame-ancestors *" in thanks["Content-Security-Policy"]
    other = client.get(reverse("login"))
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]

    script = client.get(reverse("web_form_embed", args=[volunteers.slug]))
    assert script["Content-Type"].startswith("text/javascript")
    assert f"/f/{volunteers.slug}/" in script.content.decode()
    assert client.get("/f/no-such-group/").status_code == 404


def test_managers_copy_the_snippet_from_the_group_settings(client, volunteers, settings):  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://help.example.org"
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    client.force_login(mona)
    page = client.get(reverse("group_settings", args=[volunteers.slug])).content.decode()
    assert (
        f"&lt;script src=&quot;https://help.example.org/f/{volunteers.slug}/embed.js&quot; async&gt;&lt;/script&gt;"
        in page
    )
    assert f"https://help.example.org/f/{volunteers.slug}/?embed=1" in page
    assert re.search(r'<input type="checkbox"[^>]* name="website"[^>]* checked>', page)  # the switch, on


def test_agents_see_the_browser_on_the_timeline_and_the_admin_counts_refusals(
    client, shown, volunteers, alice_agent, dave_admin
):  # type: ignore[no-untyped-def]
    post(client, volunteers, shown())
    post(client, volunteers, shown(), website="x")
    post(client, volunteers, shown(), website="x")
    ticket = Ticket.objects.get()
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[ticket.number])).content.decode()
    assert re.search(r"data-client>.*Sent from Firefox 133 on Windows 10", page)
    assert re.search(r'bi-globe" aria-hidden="true"></i> <strong class="text-body">Message from the website', page)

    client.force_login(dave_admin)
    admin = client.get(reverse("admin:web_formpost_changelist")).content.decode()
    assert re.search(r"The field hidden from people was filled in</th><td data-refusal-count>2<", admin)
    assert re.search(r"Too many links in the message</th><td data-refusal-count>0<", admin)


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX, "Firefox 133 on Windows 10"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Mobile Safari 17 on iOS 17.5",
        ),
        ("curl/8.0", "curl 8"),
        ("", ""),
    ],
)
def test_the_browser_and_system_are_read_from_the_user_agent(user_agent: str, described: str) -> None:
    assert describe_client(user_agent) == described


def test_posts_are_forgotten_after_ninety_days(client, shown, clock, volunteers):  # type: ignore[no-untyped-def]
    post(client, volunteers, shown(), website="x")
    clock.shift(dt.timedelta(days=89))
    post(client, volunteers, shown(), website="x")
    clock.shift(dt.timedelta(days=2))
    assert delete_old_form_posts.call_local() == 1
    assert FormPost.objects.count() == 1


def test_a_group_switched_off_for_the_website_says_so_and_takes_nothing(client, shown, volunteers):  # type: ignore[no-untyped-def]
    token = shown()
    volunteers.website = False
    volunteers.save()

    page = client.get(reverse("web_form", args=[volunteers.slug]))
    refused = post(client, volunteers, token)

    assert page.status_code == 404 and "This form takes no messages at the moment." in page.content.decode()
    assert refused.status_code == 404 and nothing_stored()
