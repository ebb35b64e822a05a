from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.contrib.auth.models import User
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation


class AgentRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is signed in."""

    user: User


class _Echo:
    """A file for csv.writer whose writes return the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_download(rows: Iterable[Sequence[object]], *, filename: str) -> StreamingHttpResponse:
    """``rows`` as a CSV file to download, streamed row by row. The rows are read after the view
    has returned, so in the request's language and time zone, kept here; UTF-8 with a byte-order
    mark, so that spreadsheet programs read it right."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        with translation.override(language), timezone.override(zone):
            yield "\ufeff"
            for row in rows:
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
