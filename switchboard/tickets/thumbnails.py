"""Small previews of photos for the ticket page (CORE-16), made once when a file is stored."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zoneinfo

from django.conf import settings
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# Shown at 160×120 on the timeline, and at its own size in the magnified view on hover.
THUMBNAIL_SIZE = (400, 300)


def make_thumbnail(content: bytes) -> bytes | None:
    """A JPEG preview of an image no larger than THUMBNAIL_SIZE, turned upright by its EXIF
    orientation; None for what is not an image Pillow reads (SVG, broken or oversized files).
    A phone's photo is 12 to 48 MP; above THUMBNAIL_MAX_PIXELS the file is kept without a
    preview, judged by the size its header declares, before anything is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > settings.THUMBNAIL_MAX_PIXELS:
                    return None
                image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at a fraction of the size
                preview = ImageOps.exif_transpose(image)
                preview.thumbnail(THUMBNAIL_SIZE)
                if preview.mode not in ("RGB", "L"):
                    preview = _on_white(preview)
                out = io.BytesIO()
                preview.save(out, "JPEG", quality=80, optimize=True)
                return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError):
        return None


def _on_white(image: Image.Image) -> Image.Image:
    """Transparent and palette images flattened onto white (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def photo_taken_at(content: bytes) -> dt.datetime | None:
    """When the photo was taken, by its EXIF data (DateTimeOriginal, else DateTime), with its
    offset where the camera wrote one, else in the installation's time zone; None without."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return None
    details = exif.get_ifd(ExifTags.IFD.Exif)
    written = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(written, str):
        return None
    written = written.strip("\x00 ")
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    try:
        if isinstance(offset, str) and offset.strip("\x00 "):
            return dt.datetime.strptime(written + offset.strip("\x00 "), "%Y:%m:%d %H:%M:%S%z")
        return dt.datetime.strptime(written, "%Y:%m:%d %H:%M:%S").replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    except ValueError:
        return None
