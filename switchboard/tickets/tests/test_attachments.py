"""Files on the timeline: stored safely, photos with thumbnails (CORE-16), deleted with the photos."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.files import do_attach_file
from switchboard.tickets.models import Activity, ActivityKind, Attachment
from switchboard.tickets.tests.factories import make_ticket
from switchboard.tickets.thumbnails import THUMBNAIL_SIZE


def image_bytes(size: tuple[int, int], image_format: str, *, mode: str = "RGB", orientation: int = 0) -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, image_format, exif=exif)
    else:
        image.save(out, image_format)
    return out.getvalue()


def activity_on(group) -> Activity:  # type: ignore[no-untyped-def]
    return Activity.objects.create(ticket=make_ticket(group), kind=ActivityKind.EMAIL_IN, body="photos attached")


@pytest.mark.spec("CORE-16")
def test_a_large_photo_gets_a_small_thumbnail_served_to_members_and_shown_on_the_ticket(
    client, volunteers, alice_agent, bob_agent
):
    photo_bytes = image_bytes((4000, 3000), "PNG", mode="RGBA")
    photo = do_attach_file(activity_on(volunteers), filename="sofa.png", content_type="image/png", content=photo_bytes)

    with default_storage.open(photo.file.name) as stored:
        assert photo.size == len(photo_bytes) and stored.read() == photo_bytes
    with default_storage.open(photo.thumbnail.name) as file, Image.open(file) as thumbnail:
        assert thumbnail.format == "JPEG" and thumbnail.size == THUMBNAIL_SIZE
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[photo.activity.ticket.number])).content.decode()
    assert f'src="{reverse("attachment_thumbnail", args=[photo.pk])}"' in page
    assert f'href="{reverse("attachment", args=[photo.pk])}"' in page  # the full image
    response = client.get(reverse("attachment_thumbnail", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg" and len(b"".join(response.streaming_content)) < 40_000
    client.force_login(bob_agent)
    assert client.get(reverse("attachment_thumbnail", args=[photo.pk])).status_code == 404


@pytest.mark.spec("CORE-16")
def test_a_photo_keeps_when_it_was_taken_from_its_exif_data_and_a_plain_image_has_no_such_time(volunteers):
    exif = Image.Exif()
    details = exif.get_ifd(0x8769)
    details[0x9003] = "2026:05:10 09:41:00"  # DateTimeOriginal, the camera's local time
    details[0x9011] = "+02:00"  # OffsetTimeOriginal
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 20, 30)).save(out, "JPEG", exif=exif)
    activity = activity_on(volunteers)

    photo = do_attach_file(activity, filename="sofa.jpg", content_type="image/jpeg", content=out.getvalue())
    plain = do_attach_file(
        activity, filename="plan.png", content_type="image/png", content=image_bytes((64, 48), "PNG")
    )

    assert photo.taken_at == dt.datetime(2026, 5, 10, 7, 41, tzinfo=dt.UTC)
    assert plain.is_photo and plain.taken_at is None


@pytest.mark.spec("CORE-16")
def test_a_phone_photo_taken_upright_gets_an_upright_thumbnail(volunteers):
    # Phones store portrait photos landscape with EXIF orientation 6 ("rotate 90° clockwise").
    content = image_bytes((1200, 900), "JPEG", orientation=6)
    photo = do_attach_file(activity_on(volunteers), filename="IMG_0001.JPG", content_type="image/jpeg", content=content)
    with default_storage.open(photo.thumbnail.name) as file, Image.open(file) as thumbnail:
        assert thumbnail.width < thumbnail.height


@pytest.mark.spec("CORE-16")
def test_a_broken_or_unreadable_image_is_kept_without_a_thumbnail(client, volunteers, alice_agent):
    broken = do_attach_file(
        activity_on(volunteers), filename="scan.jpg", content_type="image/jpeg", content=b"\xff\xd8 not really"
    )
    svg = do_attach_file(
        broken.activity, filename="logo.svg", content_type="image/svg+xml", content=b"<svg xmlns='x'/>"
    )
    assert not broken.thumbnail and not svg.thumbnail
    assert Attachment.objects.filter(activity=broken.activity).count() == 2
    client.force_login(alice_agent)
    response = client.get(reverse("attachment_thumbnail", args=[broken.pk]))
    assert b"".join(response.streaming_content) == b"\xff\xd8 not really"  # falls back to the file itself


def test_a_file_name_with_folders_or_odd_characters_is_stored_inside_the_tickets_folder(volunteers):
    activity = activity_on(volunteers)
    windows = do_attach_file(
        activity, filename="C:\\Users\\nowak\\Pulpit\\umowa zażółć.pdf", content_type="application/pdf", content=b"%"
    )
    sneaky = do_attach_file(activity, filename="../../../etc/passwd", content_type="text/plain", content=b"x")
    assert windows.filename == "umowa zażółć.pdf" and sneaky.filename == "passwd"
    for attachment in (windows, sneaky):
        assert attachment.file.name.startswith(f"attachments/{activity.ticket_id}/")
        assert ".." not in attachment.file.name and default_storage.exists(attachment.file.name)


@pytest.mark.spec("CORE-11")
def test_closing_a_ticket_that_purges_photos_deletes_their_thumbnails_too(
    donations, django_capture_on_commit_callbacks
):
    donations.purge_photos_on_close = True
    donations.save()
    photo = do_attach_file(
        activity_on(donations), filename="sofa.png", content_type="image/png", content=image_bytes((800, 600), "PNG")
    )
    assert default_storage.exists(photo.thumbnail.name)
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(photo.activity.ticket, acting_user=None)
    assert not default_storage.exists(photo.thumbnail.name) and not default_storage.exists(photo.file.name)
