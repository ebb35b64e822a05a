"""Files from strangers, served over HTTP (issue 18, item 12): only what really is a PNG, JPEG, GIF
or WebP image is shown in the browser; everything else, SVG and PDF included, is downloaded as an
attachment. The type is read from the file's own bytes, never from its name or the type the
sender declared."""

from __future__ import annotations

import io
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.portal.links import file_url, ticket_token
from switchboard.tickets.models import Attachment, Group

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML_PAGE = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, image_format)
    return out.getvalue()


def mail_from_a_stranger(group: Group, files: list[tuple[str, str, bytes]]) -> dict[str, Attachment]:
    """A stranger's email with ``files`` (name, declared type, bytes), through the intake pipeline:
    the stored attachments by file name."""
    message = EmailMessage()
    message["From"], message["To"] = "stranger@example.net", "volunteers@example.org"
    message["Subject"], message["Message-ID"] = "Files for you", "<files@example.net>"
    message.set_content("See the files.")
    for name, declared, content in files:
        maintype, subtype = declared.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    do_apply_raw_messages(do_store_raw_messages([RawItem("email", "files:1", message.as_bytes(), group)]))
    return {file.filename: file for file in Attachment.objects.all()}


def assert_downloaded(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_shown(response, image_type: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == image_type
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.spec("CORE-16")
def test_only_real_png_jpeg_gif_and_webp_images_are_shown_and_everything_else_is_downloaded(
    client: Client, volunteers, alice_agent
):
    files = mail_from_a_stranger(
        volunteers,
        [
            ("logo.svg", "image/svg+xml", SVG_WITH_SCRIPT),
            ("invoice.pdf", "application/pdf", PDF),
            ("photo.png", "image/png", HTML_PAGE),  # a web page dressed as a photo
            ("page.html", "text/html", HTML_PAGE),
            ("scan.pdf", "application/pdf", image_bytes("PNG")),  # a real photo, oddly named
            ("sofa.jpg", "application/octet-stream", image_bytes("JPEG")),
            ("anim.gif", "image/gif", image_bytes("GIF")),
            ("shelf.webp", "image/webp", image_bytes("WEBP")),
        ],
    )
    client.force_login(alice_agent)

    def get(name: str):  # type: ignore[no-untyped-def]
        return client.get(reverse("attachment", args=[files[name].pk]))

    for name in ("logo.svg", "invoice.pdf", "photo.png", "page.html"):
        response = get(name)
        assert_downloaded(response)
        assert name in response["Content-Disposition"]
    assert_shown(get("scan.pdf"), "image/png")
    assert_shown(get("sofa.jpg"), "image/jpeg")
    assert_shown(get("anim.gif"), "image/gif")
    assert_shown(get("shelf.webp"), "image/webp")
    assert b"".join(get("logo.svg").streaming_content) == SVG_WITH_SCRIPT  # the file itself, untouched


@pytest.mark.spec("CORE-16")
def test_a_thumbnail_link_to_a_file_that_is_no_image_downloads_it(client: Client, volunteers, alice_agent):
    files = mail_from_a_stranger(
        volunteers, [("logo.svg", "image/svg+xml", SVG_WITH_SCRIPT), ("sofa.png", "image/png", image_bytes("PNG"))]
    )
    client.force_login(alice_agent)

    assert_downloaded(client.get(reverse("attachment_thumbnail", args=[files["logo.svg"].pk])))
    assert_shown(client.get(reverse("attachment_thumbnail", args=[files["sofa.png"].pk])), "image/jpeg")
    page = client.get(reverse("ticket", args=[files["logo.svg"].activity.ticket.number])).content.decode()
    assert f'<img src="{reverse("attachment", args=[files["logo.svg"].pk])}"' not in page  # a file, not a photo


@pytest.mark.spec("CORE-16")
def test_the_contacts_link_shows_real_images_and_downloads_everything_else(client: Client, volunteers):
    files = mail_from_a_stranger(
        volunteers,
        [("logo.svg", "image/svg+xml", SVG_WITH_SCRIPT), ("photo.png", "image/png", image_bytes("PNG"))],
    )
    token = ticket_token(files["logo.svg"].activity.ticket)

    def get(name: str):  # type: ignore[no-untyped-def]
        return client.get(file_url(files[name], token=token).removeprefix("http://127.0.0.1:8000"))

    assert_downloaded(get("logo.svg"))
    assert_shown(get("photo.png"), "image/png")
