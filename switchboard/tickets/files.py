"""A ticket's stored files: attachments and their thumbnails (CORE-16), and their deletion."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from switchboard.tickets.downloads import sniff_image_type
from switchboard.tickets.models import (
    Activity,
    Attachment,
    FileFetch,
    Ticket,
)
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.thumbnails import make_thumbnail, photo_taken_at


@dataclass(frozen=True)
class NewFile:
    """A file someone uploads, checked by ``check_upload``."""

    filename: str
    content_type: str
    content: bytes


class FileRefusedError(ValueError):
    """A file over the size limit or of a type that is refused; the message names it."""


def check_upload(filename: str, size: int, head: bytes) -> None:
    """Refuse a file over MAX_UPLOAD_FILE_BYTES, or one that runs a program when opened: by its
    name's ending (REFUSED_UPLOAD_EXTENSIONS) or its first bytes (a Windows program)."""
    if size > settings.MAX_UPLOAD_FILE_BYTES:
        raise FileRefusedError(
            _("“%(name)s” is too large (%(size)s); a file may be at most %(limit)s.")
            % {"name": filename, "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)}
        )
    ending = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    refused = {extension.lower().lstrip(".") for extension in settings.REFUSED_UPLOAD_EXTENSIONS}
    if ending in refused or head.startswith(b"MZ"):
        raise FileRefusedError(
            _("“%(name)s” is a program or script, which is not sent; send it packed (zip) or as a link.")
            % {"name": filename}
        )


def check_uploads(files: Sequence[NewFile]) -> None:
    if len(files) > settings.MAX_UPLOAD_FILES:
        raise FileRefusedError(
            ngettext(
                "At most %(count)d file can be attached at once.",
                "At most %(count)d files can be attached at once.",
                settings.MAX_UPLOAD_FILES,
            )
            % {"count": settings.MAX_UPLOAD_FILES}
        )
    for file in files:
        check_upload(file.filename, len(file.content), file.content[:2])


def content_type_of(filename: str) -> str:
    """The type a file's name says (browsers' own word is not trusted), else plain bytes."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


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
