"""Files on an agent's reply (CORE-16): stored on the reply's timeline entry, sent as MIME
attachments by the outbox (which refers to the stored files, so a retry sends them again), listed
under the reply, and refused with a clear error beside the field, nothing sent, when a file is
too large or a program."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from switchboard.intake.actions import SendFailedError, do_send_outbound_message
from switchboard.intake.models import OutboundMessage
from switchboard.testing.processes import free_port
from switchboard.tickets.models import Activity, ActivityKind
from switchboard.tickets.tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.spec("CORE-16")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOTES = "Opening hours: 9–17, Łódź depot\n".encode()


@pytest.fixture
def maria_ticket(volunteers):
    return make_ticket(volunteers, contact=make_contact("Maria", "Garcia", email="maria@example.org"))


@pytest.fixture
def signed_in(client, alice_agent, settings):
    settings.REPLY_UNDO_SECONDS = 0  # sent at once, not held for Undo
    client.force_login(alice_agent)
    return client


def files(*pairs: tuple[str, bytes]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, content, content_type="application/x-anything") for name, content in pairs]


def send(client, ticket, uploads, body="<p>The plan is attached.</p>"):
    form = {"to_address": "maria@example.org", "body_html": body, "then": "stay", "attachments": uploads}
    return client.post(reverse("send_reply", args=[ticket.number]), form, headers={"HX-Request": "true"})


def test_reply_files_arrive_at_the_smtp_listener_as_attachments_and_are_listed_under_the_reply(
    signed_in, maria_ticket, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(signed_in, maria_ticket, files(("plan.pdf", PDF), ("notes.txt", NOTES)))
    assert response.status_code == 200

    (email,) = smtp_sink.wait_for(1)
    assert email["To"] == "maria@example.org"
    attached = {part.get_filename(): (part.get_content_type(), part.get_content()) for part in email.iter_attachments()}
    assert attached.keys() == {"plan.pdf", "notes.txt"}
    assert attached["plan.pdf"] == ("application/pdf", PDF)  # typed by the name, not by what the browser said
    assert attached["notes.txt"][0] == "text/plain"
    assert attached["notes.txt"][1].replace("\r\n", "\n") == NOTES.decode()  # text travels with CRLF
    assert "The plan is attached." in email.get_body(("plain",)).get_content()
    reply = Activity.objects.get(ticket=maria_ticket, kind=ActivityKind.EMAIL_OUT)
    assert sorted(reply.attachments.values_list("filename", flat=True)) == ["notes.txt", "plan.pdf"]
    assert reply.outbound_message.state == OutboundMessage.State.SENT
    page = signed_in.get(reverse("ticket", args=[maria_ticket.number])).content.decode()
    timeline = page[page.index(f'id="activity-{reply.pk}"') :]
    assert "plan.pdf</a>" in timeline and "notes.txt</a>" in timeline


def test_a_retry_sends_the_stored_files_again(signed_in, settings, maria_ticket, smtp_sink, alice_agent):
    settings.REPLY_UNDO_SECONDS = 60  # held: the test sends it
    send(signed_in, maria_ticket, files(("plan.pdf", PDF)))
    message = OutboundMessage.objects.get()
    assert [attachment.filename for attachment in message.attachments.all()] == ["plan.pdf"]
    message.not_before = None
    message.save()

    settings.EMAIL_PORT = free_port()  # nothing listens there: a temporary failure
    with pytest.raises(SendFailedError):
        do_send_outbound_message(message.pk, last_attempt=False)
    settings.EMAIL_PORT = smtp_sink.port
    do_send_outbound_message(message.pk, last_attempt=False)

    (email,) = smtp_sink.wait_for(1)
    assert [(part.get_filename(), part.get_content()) for part in email.iter_attachments()] == [("plan.pdf", PDF)]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboundMessage.State.SENT, 2)


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (("big.pdf", b"x" * 2001), "“big.pdf” is too large (2.0\xa0KB); a file may be at most 2.0\xa0KB."),
        (("tool.exe", b"harmless"), "“tool.exe” is a program or script, which is not sent"),
        (("invoice.pdf", b"MZ\x90\x00 a Windows program"), "“invoice.pdf” is a program or script"),
    ],
)
def test_a_file_too_large_or_a_program_is_refused_beside_the_field_the_draft_kept_and_nothing_sent(
    signed_in, settings, maria_ticket, smtp_sink, django_capture_on_commit_callbacks, upload, error
):
    settings.MAX_UPLOAD_FILE_BYTES = 2000
    with django_capture_on_commit_callbacks(execute=True):
        response = send(signed_in, maria_ticket, files(("plan.pdf", PDF), upload), body="<p>My draft words</p>")

    page = response.content.decode()
    assert error in page
    field = page[page.index('name="attachments"') : page.index("data-files-error")]
    assert "is-invalid" in field  # the error is beside the file field
    assert "My draft words" in page  # the draft is back in the editor
    assert "data-keep-files" not in page  # the files are to be chosen again, as the error says
    assert "Choose the files again." in page
    assert not Activity.objects.filter(kind=ActivityKind.EMAIL_OUT).exists()
    assert not OutboundMessage.objects.exists()
    assert smtp_sink.messages == []


def test_too_many_files_at_once_are_refused(signed_in, settings, maria_ticket):
    settings.MAX_UPLOAD_FILES = 2
    page = send(signed_in, maria_ticket, files(("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c"))).content.decode()
    assert "At most 2 files can be attached at once." in page
    assert not Activity.objects.filter(kind=ActivityKind.EMAIL_OUT).exists()


def test_a_send_refused_for_another_reason_keeps_the_chosen_files(signed_in, maria_ticket):
    page = send(signed_in, maria_ticket, files(("plan.pdf", PDF)), body="").content.decode()
    assert "Write a reply first." in page
    assert "data-keep-files" in page  # the page puts the same files back into the field


def test_the_email_view_lists_the_files_it_would_send_or_why_not(signed_in, maria_ticket):
    form = {"to_address": "maria@example.org", "body_html": "<p>Hi</p>"}
    url = reverse("reply_preview", args=[maria_ticket.number])
    page = signed_in.post(url, {**form, "attachments": files(("plan.pdf", PDF))}).content.decode()
    assert "plan.pdf (" in page
    page = signed_in.post(url, {**form, "attachments": files(("tool.exe", b"x"))}).content.decode()
    assert "“tool.exe” is a program or script" in page
