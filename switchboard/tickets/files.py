"""A ticket's stored files: attachments and their thumbnails (CORE-16), and their deletion."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.tickets.downloads import sniff_image_type
from switchboard.tickets.models import (
    Activity,
    Attachment,
    FileFetch,
    Ticket,
)
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.thumbnails import make_thumbnail, photo_taken_at


def do_attach_file(activity: Activity, *, filename: str, content_type: str, content: bytes) -> Attachment:
    """Store a file on a timeline entry; a photo gets its thumbnail (CORE-16). Files are written
    before the row: if the transaction rolls back they are left behind, never the reverse."""
    filename = "".join(char for char in filename if char.isprintable())
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[-255:] or _("attachment")
    attachment = Attachment(activity=activity, filename=filename, content_type=content_type, size=len(content))
    attachment.file.save(filename, ContentFile(content), save=False)
    thumbnail = make_thumbnail(content) if sniff_image_type(content) else None
    if thumbnail is not None:
        attachment.thumbnail.save(f"{activity.ticket_id}.jpg", ContentFile(thumbnail), save=False)
        attachment.taken_at = photo_taken_at(content)
    attachment.save()
    return attachment


@transaction.atomic
def do_record_file_fetch(activity: Activity, *, fetched: bool) -> Activity:
    """The files a timeline entry waited for from a provider are all fetched, or the job gave up
    on them (``fetched=False``): the timeline no longer says "pending", or says they could not
    be fetched."""
    state = FileFetch.NONE if fetched else FileFetch.FAILED
    if Activity.objects.filter(pk=activity.pk).exclude(file_fetch=state).update(file_fetch=state):
        activity.file_fetch = state
        publish_ticket_changed_on_commit(activity.ticket, actor_id=None)
    return activity


def delete_photos(ticket: Ticket) -> int:
    photos = Attachment.objects.filter(activity__ticket=ticket, content_type__startswith="image/")
    files = [name for pair in photos.values_list("file", "thumbnail") for name in pair if name]
    count, _deleted = photos.delete()
    transaction.on_commit(lambda: delete_files(files))
    return count


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
