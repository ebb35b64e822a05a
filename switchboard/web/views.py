"""A group's web form (SELF-01): public, framed by other websites through ``embed.js`` or an
iframe. Only these pages may be framed (X-Frame-Options exempt, CSP frame-ancestors from
WEB_FORM_FRAME_ANCESTORS); every other page of Switchboard refuses it.

No CSRF check: in a frame on another site the browser sends no cookie, so a CSRF token could
never match; the form signs in no one and changes nothing of anyone's, and its signed token
(group, time) does what the CSRF token would: a post comes from a form we showed."""

from __future__ import annotations

from typing import cast

from axes.helpers import get_client_ip_address  # type: ignore[import-untyped]
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from switchboard.tickets.form_values import FormData, clean_form_values, list_form_fields
from switchboard.tickets.models import FormField, Group
from switchboard.tickets.templatetags.ticket_forms import blank_form_entries
from switchboard.web.actions import Visitor, do_claim_form_post, do_record_refused_post, do_send_web_form
from switchboard.web.channel import WebMessage
from switchboard.web.client import describe_client
from switchboard.web.forms import WebForm
from switchboard.web.models import FormPost
from switchboard.web.spam import NEUTRAL, form_token, token_refusal

Refusal = FormPost.Refusal


def _frameable(response: HttpResponse) -> HttpResponse:
    response._csp_replace = {"frame-ancestors": settings.WEB_FORM_FRAME_ANCESTORS}  # type: ignore[attr-defined]
    return response


def _refusal_message(refusal: Refusal) -> str:
    if refusal in NEUTRAL:
        return _("Your message could not be sent. Please check it and send it again.")
    if refusal == Refusal.EXPIRED:
        return _("This form was open for a long time. Please check your message and send it again.")
    return _(
        "You have sent us several messages within the hour. Please wait a while before you send another; "
        "we answer the ones we have."
    )


def _visitor(request: HttpRequest) -> Visitor:
    return Visitor(
        ip=get_client_ip_address(request) or "", client=describe_client(request.headers.get("User-Agent", ""))
    )


def _message(form: WebForm, form_values: dict[str, object], client: str) -> WebMessage:
    data = form.cleaned_data
    text = data["message"]
    if data["phone"]:  # the number as typed is the contact's word only: it goes in the message
        text += "\n\n" + _("Phone: %(number)s") % {"number": data["phone"]}
    category = data.get("category")
    return WebMessage(
        email=data["email"],
        name=data["name"],
        subject=data["subject"],
        text=text,
        files=data["attachments"],
        category_id=category.pk if category is not None else None,
        form_values=form_values,
        client=client,
    )


@xframe_options_exempt
@csrf_exempt
@require_http_methods(["GET", "POST"])
def web_form(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not group.website:  # switched off by its managers: nothing is taken, the visitor is told
        return _frameable(render(request, "web/closed.html", {"group": group}, status=404))
    categories = list(group.categories.all())
    fields = list_form_fields(group)
    embedded = request.GET.get("embed") == "1"
    if request.method != "POST":
        form = WebForm(group=group, categories=categories)
        return _page(request, group, form, fields, embedded=embedded)
    form = WebForm(request.POST, request.FILES, group=group, categories=categories)
    visitor = _visitor(request)
    refusal = Refusal.HONEYPOT if form.honeypot_filled else token_refusal(group, request.POST.get("token", ""))
    if refusal is not None:
        do_record_refused_post(group, refusal=refusal, visitor=visitor, email=request.POST.get("email", ""))
        return _page(request, group, form, fields, embedded=embedded, refusal=refusal, status=400)
    extra = clean_form_values(fields, {}, cast("FormData", request.POST))
    if not form.is_valid() or extra.errors:
        if form.has_error("message", "links"):
            do_record_refused_post(group, refusal=Refusal.LINKS, visitor=visitor, email=request.POST.get("email", ""))
        return _page(request, group, form, fields, embedded=embedded, errors=extra.errors, status=400)
    email = form.cleaned_data["email"]
    if (refusal := do_claim_form_post(group, visitor=visitor, email=email)) is not None:
        return _page(request, group, form, fields, embedded=embedded, refusal=refusal, status=429)
    do_send_web_form(group, _message(form, extra.data, visitor.client), phone=form.cleaned_data["phone"])
    thanks = reverse("web_form_thanks", args=[group.slug])
    return redirect(f"{thanks}?embed=1" if embedded else thanks)


def _page(
    request: HttpRequest,
    group: Group,
    form: WebForm,
    fields: list[FormField],
    *,
    embedded: bool,
    refusal: Refusal | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    context = {
        "group": group,
        "form": form,
        "categories": form.categories,
        "entries": blank_form_entries(fields, request.POST if form.is_bound else None, errors),
        "token": form_token(group),
        "embedded": embedded,
        "refusal": _refusal_message(refusal) if refusal is not None else "",
        "error_count": len(form.errors) + len(errors),
        "max_file_bytes": settings.MAX_UPLOAD_FILE_BYTES,
        "max_files": settings.MAX_UPLOAD_FILES,
        "files_again": bool(request.FILES),  # a browser cannot fill a file input in again
    }
    return _frameable(render(request, "web/form.html", context, status=status))


@xframe_options_exempt
@require_GET
def web_form_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """Thanks, and nothing of what was sent: whoever typed the address may not be its owner."""
    group = get_object_or_404(Group, slug=slug)
    context = {"group": group, "embedded": request.GET.get("embed") == "1"}
    return _frameable(render(request, "web/thanks.html", context))


@require_GET
def embed_script(request: HttpRequest, slug: str) -> HttpResponse:
    """The script a website includes to show the form in a frame that grows with it."""
    group = get_object_or_404(Group, slug=slug)
    context = {"path": reverse("web_form", args=[group.slug]), "title": group.name}
    response = render(request, "web/embed.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def example_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A made-up organisation's page with the group's form embedded, as a website would do it."""
    group = get_object_or_404(Group, slug=slug)
    return render(request, "web/example.html", {"group": group})
