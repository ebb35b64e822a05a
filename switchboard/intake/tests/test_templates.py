"""A group's email templates (MAIL-08): its own wording of the acknowledgement, the reply and the
notices reaches a real SMTP listener filled in; tags it cannot fill in are refused on save; the
language runs nothing and never reads what it fills in as a template."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from switchboard.intake.actions import TemplateError, do_restore_default_template, do_save_message_template
from switchboard.intake.message_templates import default_wording, unknown_tags
from switchboard.intake.models import MessageTemplate, OutboundMessage, TemplateKind
from switchboard.intake.selectors import get_message_template
from switchboard.mail.fetch import check_mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Activity, ActivityKind, Attachment, Membership
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket


@pytest.fixture
def manager(volunteers):
    return make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)


def plain(email) -> str:
    return email.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_part(email) -> str:
    return email.get_body(("html",)).get_content()


def link_in(text: str) -> str:
    return re.search(r"http://\S+/t/\S+/", text).group(0)


@pytest.mark.spec("MAIL-08", "MAIL-01")
def test_a_groups_own_acknowledgement_reaches_the_sender_filled_in_with_a_link_to_the_conversation(
    dovecot, support_mailbox, smtp_sink, manager, django_capture_on_commit_callbacks
):
    group = support_mailbox.group
    do_save_message_template(
        group,
        kind=TemplateKind.AUTORESPONSE,
        subject="Got it, {contact_name}: {ticket_title}",
        body="{greeting}\n\nYou wrote ({thread_count} message):\n\n{last_message}\n\nRead it again: {ticket_link}",
        send=True,
        acting_user=manager,
    )
    dovecot.deliver(mail(subject="Saturday shift", body="Can I help on Saturday? {ticket_link}"))
    with django_capture_on_commit_callbacks(execute=True):
        check_mailbox(support_mailbox)

    (ticket,) = tickets_of("maria@example.org")
    (email,) = smtp_sink.wait_for(1)
    assert email["Subject"] == f"Got it, Maria Garcia: Saturday shift {ticket.subject_token}"
    assert email["Auto-Submitted"] == "auto-replied"
    text = plain(email)
    assert text.startswith("Hello Maria,\n\nYou wrote (1 message):\n\nMaria Garcia on ")
    # What the contact wrote is filled in, never read as a template.
    assert "Can I help on Saturday? {ticket_link}" in text
    assert "<p>Hello Maria,</p>" in html_part(email)

    page = Client().get(link_in(text).removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "Can I help on Saturday?" in page.content.decode()


@pytest.mark.spec("MAIL-08", "MAIL-07")
def test_the_reply_template_carries_the_answer_the_whole_thread_and_the_files(volunteers, alice_agent, manager):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    asked = Activity.objects.create(ticket=ticket, kind=ActivityKind.EMAIL_IN, body="Where do I bring the sofa?")
    photo = Attachment(activity=asked, filename="sofa.jpg", content_type="image/jpeg", size=2048)
    photo.file.save("sofa.jpg", ContentFile(b"jpeg"), save=True)
    do_save_message_template(
        volunteers,
        kind=TemplateKind.REPLY,
        subject="",
        body="Hi {contact_name},\n\n{answer}\n\n{agent_name}\n\nYour files:\n{file_list}\n\nSo far:\n\n{thread}",
        acting_user=manager,
    )

    reply = do_reply_to_contact(
        ticket, to_address="maria@example.org", body_html="<p>Bring it on <b>Friday</b>.</p>", acting_user=alice_agent
    )

    outbox = OutboundMessage.objects.get(activity=reply)
    assert outbox.text.startswith("Hi Maria Garcia,\n\nBring it on Friday.\n\nAlice\n\nYour files:\n- sofa.jpg (2.0")
    assert "Where do I bring the sofa?" in outbox.text
    assert "<p>Bring it on <b>Friday</b>.</p>" in outbox.html  # the answer keeps its formatting
    download = re.search(r'href="(http://[^"]+/files/\d+/)"', outbox.html).group(1)
    response = Client().get(download.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpeg"


@pytest.mark.spec("MAIL-08")
def test_unknown_tags_are_reported_on_save_and_the_template_in_use_stays(volunteers, manager):
    do_save_message_template(
        volunteers, kind=TemplateKind.AUTORESPONSE, subject="Thanks", body="{greeting}\n\nThanks!", acting_user=manager
    )
    attempts = [
        "{greeting} {contact_nmae}",  # a typing error
        "{greeting}\n\n{answer}",  # only a reply has an answer
        "{{ ticket.contact.__class__ }}",  # no attributes, filters or code
        "{% load static %}{greeting.__class__}",
    ]
    for body in attempts:
        with pytest.raises(TemplateError) as refused:
            do_save_message_template(
                volunteers, kind=TemplateKind.AUTORESPONSE, subject="", body=body, acting_user=manager
            )
        assert "unknown" in str(refused.value)
    with pytest.raises(TemplateError, match=r"\{contact_nmae\}"):
        do_save_message_template(
            volunteers, kind=TemplateKind.AUTORESPONSE, subject="{contact_nmae}", body="x", acting_user=manager
        )
    assert get_message_template(volunteers, TemplateKind.AUTORESPONSE).body == "{greeting}\n\nThanks!"


@pytest.mark.spec("MAIL-08")
def test_only_managers_edit_templates_and_the_built_in_wording_comes_back(volunteers, alice_agent, manager):
    with pytest.raises(PermissionDenied):
        do_save_message_template(
            volunteers, kind=TemplateKind.REPLY, subject="", body="{answer}", acting_user=alice_agent
        )
    do_save_message_template(volunteers, kind=TemplateKind.REPLY, subject="", body="{answer}", acting_user=manager)
    do_restore_default_template(volunteers, kind=TemplateKind.REPLY, acting_user=manager)
    assert not MessageTemplate.objects.exists()
    assert "{greeting}" in get_message_template(volunteers, TemplateKind.REPLY).body


@pytest.mark.spec("MAIL-08")
def test_contact_names_and_answers_are_escaped_in_the_html_part(volunteers, alice_agent):
    contact = make_contact("<img src=x onerror=alert(1)>", "Garcia", email="maria@example.org")
    ticket = make_ticket(volunteers, contact=contact)
    reply = do_reply_to_contact(
        ticket,
        to_address="maria@example.org",
        body_html="<p onclick='x()'>Fine<script>alert(2)</script></p>",
        acting_user=alice_agent,
    )
    html = OutboundMessage.objects.get(activity=reply).html
    assert "<img" not in html and "<script" not in html and "onclick" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.spec("MAIL-08")
def test_closing_sends_the_resolution_notice_only_where_the_group_chose_it(
    volunteers, alice_agent, smtp_sink, django_capture_on_commit_callbacks
):
    quiet = make_ticket(volunteers, contact=make_contact("Jan", "Nowak", email="jan@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(quiet, acting_user=alice_agent)
    assert not OutboundMessage.objects.exists()

    volunteers.resolution_notice = True
    volunteers.save()
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(ticket, acting_user=alice_agent)

    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "maria@example.org"
    assert email["Subject"] == f"Resolved: {ticket.title} {ticket.subject_token}"
    text = plain(email)
    assert f"have closed ticket {ticket.subject_token}" in text
    assert "Alice (AL)" in text
    page = Client().get(link_in(text).removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "Resolved" in page.content.decode()
    assert ticket.activities.filter(kind=ActivityKind.EMAIL_OUT, to_address="maria@example.org").count() == 1


@pytest.mark.spec("MAIL-08")
def test_the_templates_page_saves_reports_unknown_tags_and_previews_the_email(client, volunteers, manager, alice_agent):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))
    url = reverse("message_template", args=["volunteers", "resolution"])
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "{ticket_link}" in content and "{answer}" not in content  # the tags this kind can use

    refused = client.post(url, {"subject": "Done", "body": "{greeting} {ticket_lnik}", "send": "on"})
    assert refused.status_code == 400 and "{ticket_lnik}" in refused.content.decode()
    volunteers.refresh_from_db()
    assert not volunteers.resolution_notice  # nothing saved

    saved = client.post(url, {"subject": "Done: {ticket_title}", "body": "{greeting}\n\nAll done.", "send": "on"})
    assert saved.status_code == 302
    volunteers.refresh_from_db()
    assert volunteers.resolution_notice
    assert get_message_template(volunteers, TemplateKind.RESOLUTION).subject == "Done: {ticket_title}"

    preview = client.post(
        reverse("message_template_preview", args=["volunteers", "resolution"]),
        {"subject": "Done: {ticket_title}", "body": "{greeting}\n\n{oops}"},
    ).content.decode()
    assert f"Done: {ticket.title} {ticket.subject_token}" in preview and "Hello Maria," in preview
    assert "maria@example.org" in preview and "{oops}" in preview

    client.force_login(alice_agent)  # an agent reads them, and cannot change them
    assert client.get(url).status_code == 200
    assert client.post(url, {"subject": "x", "body": "x"}).status_code == 403


@pytest.mark.spec("MAIL-08")
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_built_in_wording_uses_only_tags_it_can_fill_in(language):
    with translation.override(language):
        for kind in TemplateKind:
            subject, body = default_wording(kind)
            assert unknown_tags(f"{subject}\n{body}", kind) == [], (language, kind)
            assert "{greeting}" in body
