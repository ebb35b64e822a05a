"""The API's errors: always JSON ``{"code": "...", "message": "..."}`` with the HTTP status that
says what happened. Domain errors from the actions are turned into these here, once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from switchboard.api.tokens import TokenRefusedError
from switchboard.tickets.actions import OpenTicketExistsError, StaleTicketError, TicketError


class ErrorOut(Schema):
    code: str
    message: str


class ApiError(Exception):
    """An answer other than success, raised by a route: ``status``, a stable ``code`` for programs
    and a ``message`` for people."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        super().__init__(message)


def not_found() -> ApiError:
    """What a thing the token may not see is: as absent as one that does not exist."""
    return ApiError(404, "not_found", _("Not found."))


# The statuses every route may answer besides its own: the schema lists them, schemathesis checks them.
COMMON_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**COMMON_ERRORS, 409: ErrorOut}


def _answer(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:  # noqa: C901 (one small handler per kind of error)
    def api_error(request: HttpRequest, error: Any) -> HttpResponse:
        response = _answer(api, request, error.status, error.code, error.message)
        for name, value in error.headers.items():
            response[name] = value
        return response

    def token_refused(request: HttpRequest, error: Any) -> HttpResponse:
        response = _answer(api, request, 401, error.code, str(error))
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def unauthenticated(request: HttpRequest, error: Any) -> HttpResponse:
        message = _("Send a personal API token: Authorization: Bearer <token>.")
        response = _answer(api, request, 401, "not_authenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def invalid_input(request: HttpRequest, error: Any) -> HttpResponse:
        details = "; ".join(
            f"{'.'.join(str(part) for part in problem.get('loc', []))}: {problem.get('msg', '')}"
            for problem in error.errors
        )
        return _answer(api, request, 422, "invalid_input", details or _("The request is not valid."))

    def http_error(request: HttpRequest, error: Any) -> HttpResponse:
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
        return _answer(api, request, error.status_code, codes.get(error.status_code, "error"), str(error))

    def missing(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 404, "not_found", _("Not found."))

    def denied(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 403, "forbidden", str(error) or _("You may not do this."))

    def stale(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 409, "stale_version", str(error))

    def open_exists(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 409, "open_ticket_exists", str(error))

    def refused(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 422, "refused", str(error))

    def invalid(request: HttpRequest, error: Any) -> HttpResponse:
        return _answer(api, request, 422, "invalid_input", " ".join(error.messages))

    # Most specific first: ninja picks the handler of the exception's nearest class.
    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(TokenRefusedError, token_refused)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(SchemaValidationError, invalid_input)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, missing)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(StaleTicketError, stale)
    api.add_exception_handler(OpenTicketExistsError, open_exists)
    api.add_exception_handler(TicketError, refused)
    api.add_exception_handler(ValidationError, invalid)
