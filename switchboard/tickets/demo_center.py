"""The demo's contact center (seed 001), loaded after the food bank's groups, agents and tickets:
consent purposes with consents given and withdrawn, the contacts' own fields with values,
labelled phones and emails and addresses, and the fundraising campaign: its callback statuses,
its form, outbound tickets with the form filled in, callbacks (overdue, later today, tomorrow)
and pledges closed with success or cancelled. Everything goes through the actions, but for what
only the administration writes (consent purposes, contact fields) and the times the actions
take as "now" (a consent given a month ago, a callback already overdue), moved back after."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils import timezone

from switchboard.contacts.actions import (
    ContactDetails,
    PointInput,
    do_add_contact,
    do_record_consent,
    do_update_contact,
)
from switchboard.contacts.models import Consent, ConsentPurpose, Contact, ContactField, ContactPoint
from switchboard.tickets.actions import do_add_note, do_assign_ticket, do_close_ticket, do_reopen_ticket
from switchboard.tickets.callbacks import QuickTime, do_set_callback, quick_due_time
from switchboard.tickets.demo_center_texts import (
    CENTER_TEXTS,
    OVERDUE,
    PURPOSES,
    TODAY,
    TOMORROW,
    CenterTexts,
    ConsentRow,
    Details,
    Lead,
)
from switchboard.tickets.form_values import FormData, field_name
from switchboard.tickets.group_forms import do_add_form_field, do_save_ticket_form
from switchboard.tickets.models import Activity, Callback, FormField, Group, StatusKind, Ticket
from switchboard.tickets.outbound import do_create_outbound_tickets
from switchboard.tickets.settings_actions import GROUP_SETTINGS, do_update_group_settings
from switchboard.tickets.status_actions import StatusValues, do_add_status, do_update_status

# Seed 001's colours of the callback statuses: light blue private, dark blue public.
PRIVATE_BLUE, PUBLIC_BLUE = "#4fc3f7", "#0b3d91"
OVERDUE_BY = dt.timedelta(minutes=40)


def load_contact_center_demo(language: str, *, campaign: Group, agents: dict[str, User]) -> None:
    texts = CENTER_TEXTS[language]
    manager = agents["anna"]
    purposes = _purposes()
    customer_number, segment = _contact_fields(texts)
    for details in texts.details:
        _more_details(details, texts, language=language, fields=(customer_number, segment), agent=manager)
        contact = Contact.objects.filter(last_name=details.last).order_by("pk").first()
        if contact is not None:
            _consents(contact, details.consents, purposes=purposes, agents=agents)
    _campaign_statuses(campaign, texts, manager=manager)
    fields = _campaign_form(campaign, texts, manager=manager)
    contacts = [
        _lead_contact(lead, number, texts, language=language, fields=(customer_number, segment))
        for number, lead in enumerate(texts.leads, start=1)
    ]
    summary = do_create_outbound_tickets(campaign, contacts, acting_user=manager)
    for lead, ticket in zip(texts.leads, summary.created, strict=True):
        if lead.agent:
            _work_lead(lead, ticket, fields=fields, agents=agents, texts=texts)
        if ticket.contact is not None:
            _consents(ticket.contact, lead.consents, purposes=purposes, agents=agents)


def _purposes() -> list[ConsentPurpose]:
    """The administrator's list of consent purposes (named in both languages)."""
    return [
        ConsentPurpose.objects.get_or_create(name=name, defaults={"name_pl": name_pl, "position": position})[0]
        for position, (name, name_pl) in enumerate(PURPOSES)
    ]


def _contact_fields(texts: CenterTexts) -> tuple[ContactField, ContactField]:
    """The installation's own contact fields: a customer number (text) and a segment (choice)."""
    number = ContactField.objects.create(name=texts.customer_number, kind=ContactField.Kind.TEXT, position=0)
    segment = ContactField.objects.create(
        name=texts.segment, kind=ContactField.Kind.CHOICE, choices="\n".join(texts.segments), position=1
    )
    return number, segment


def _custom(fields: tuple[ContactField, ContactField], number: str, segment: str) -> dict[str, str]:
    return {str(fields[0].pk): number, str(fields[1].pk): segment}


def _more_details(
    details: Details, texts: CenterTexts, *, language: str, fields: tuple[ContactField, ContactField], agent: User
) -> None:
    """A second phone and email, each labelled, an address and the custom fields, as an agent
    fills them in on the contact's edit page."""
    contact = Contact.objects.filter(last_name=details.last).order_by("pk").first()
    if contact is None:
        return
    points = [
        PointInput(point.kind, point.value, _first_label(point), point.is_primary, point.pk)
        for point in contact.points.order_by("kind", "pk")
    ]
    points += [
        PointInput(ContactPoint.Kind.PHONE, details.phone, ContactPoint.Label.HOME),
        PointInput(ContactPoint.Kind.EMAIL, details.email, ContactPoint.Label.WORK),
    ]
    do_update_contact(
        contact,
        details=ContactDetails(
            first_name=contact.first_name,
            last_name=contact.last_name,
            points=points,
            street=details.street,
            postcode=details.postcode,
            city=details.city,
            country=details.country,
            custom_values=_custom(fields, details.customer_number, texts.segments[details.segment]),
            language=contact.language,
        ),
        acting_user=agent,
    )


def _first_label(point: ContactPoint) -> str:
    return ContactPoint.Label.MOBILE if point.kind == ContactPoint.Kind.PHONE else ContactPoint.Label.HOME


def _consents(
    contact: Contact, rows: list[ConsentRow], *, purposes: list[ConsentPurpose], agents: dict[str, User]
) -> None:
    """Consents given and withdrawn, each recorded by the agent who heard it, some days ago."""
    now = timezone.now()
    for row in rows:
        consent = do_record_consent(
            contact,
            purpose=purposes[row.purpose],
            given=row.given,
            method=row.method,
            note=row.note,
            acting_user=agents.get(row.agent),
        )
        if row.days_ago:
            Consent.objects.filter(pk=consent.pk).update(recorded_at=now - dt.timedelta(days=row.days_ago))


def _campaign_statuses(campaign: Group, texts: CenterTexts, *, manager: User) -> None:
    """The campaign's statuses as seed 001 has them: success and its cancelling under the
    campaign's names, and a status for each kind of callback (private, public), which setting
    a callback gives the ticket. Tickets are named "Contact (Campaign)"; closing sends no notice."""
    renamed = {StatusKind.CLOSED_SUCCESS: texts.pledged_status, StatusKind.SUCCESS_CANCELLED: texts.withdrawn_status}
    for kind, name in renamed.items():
        status = campaign.statuses.get(kind=kind)
        do_update_status(status, values=StatusValues(name=name, kind=kind, colour=""), acting_user=manager)
    private = do_add_status(
        campaign,
        values=StatusValues(name=texts.private_callback, kind=StatusKind.SCHEDULED, colour=PRIVATE_BLUE),
        acting_user=manager,
    )
    public = do_add_status(
        campaign,
        values=StatusValues(name=texts.public_callback, kind=StatusKind.SCHEDULED, colour=PUBLIC_BLUE),
        acting_user=manager,
    )
    values: dict[str, object] = {name: getattr(campaign, name) for name in GROUP_SETTINGS}
    values |= {
        "callback_status_private": private,
        "callback_status_public": public,
        "contact_titles": True,
        "resolution_notice": False,
    }
    do_update_group_settings(campaign, values=values, workflow_people=[], acting_user=manager)


def _campaign_form(campaign: Group, texts: CenterTexts, *, manager: User) -> dict[str, FormField]:
    """The campaign's form, by the fields' roles: typed fields, one required, and two buttons."""
    fields: dict[str, FormField] = {}
    for row in texts.fields:
        status = campaign.statuses.get(kind=row.status) if row.status else None
        fields[row.role] = do_add_form_field(
            campaign,
            label=row.label,
            kind=row.kind,
            required=row.required,
            choices=[label for _role, label in row.choices],
            status=status,
            acting_user=manager,
        )
    return fields


def _lead_contact(
    lead: Lead, number: int, texts: CenterTexts, *, language: str, fields: tuple[ContactField, ContactField]
) -> Contact:
    company = bool(lead.company)
    segment = texts.segments[1 if company else 0]
    return do_add_contact(
        Contact.Kind.COMPANY if company else Contact.Kind.PERSON,
        details=ContactDetails(
            first_name=lead.first,
            last_name=lead.last,
            company_name=lead.company,
            points=[
                PointInput(
                    ContactPoint.Kind.PHONE,
                    lead.phone,
                    ContactPoint.Label.WORK if company else ContactPoint.Label.MOBILE,
                ),
                PointInput(
                    ContactPoint.Kind.EMAIL, lead.email, ContactPoint.Label.WORK if company else ContactPoint.Label.HOME
                ),
            ],
            city=lead.city,
            country=texts.country,
            custom_values=_custom(fields, f"L-{2000 + number}", segment),
            language="" if language == "en" else language,
        ),
        acting_user=None,
    )


def _answers(lead: Lead, texts: CenterTexts, fields: dict[str, FormField]) -> FormData:
    """What the agent typed and chose in the form, as the ticket page posts it."""
    data = QueryDict(mutable=True)
    for row in texts.fields:
        value = lead.answers.get(row.role)
        if value is None:
            continue
        name = field_name(fields[row.role])
        if row.choices:
            roles = [role for role, _label in row.choices]
            data[name] = fields[row.role].choices[roles.index(str(value))]["key"]
        elif isinstance(value, bool):
            data[name] = "on"
        elif isinstance(value, int):  # a date, so many days ahead
            data[name] = (timezone.localdate() + dt.timedelta(days=value)).isoformat()
        else:
            data[name] = str(value)
    return cast("FormData", data)  # a QueryDict, as request.POST is


def _work_lead(
    lead: Lead,
    ticket: Ticket,
    *,
    fields: dict[str, FormField],
    agents: dict[str, User],
    texts: CenterTexts,
) -> None:
    """The agent's call: the ticket taken, the form filled in (a button pressed, closing the ticket), a callback
    agreed, or a pledge withdrawn afterwards."""
    agent = agents[lead.agent]
    ticket = do_assign_ticket(ticket, owner=agent, acting_user=agent)  # seed 001: who opens it takes it
    button = fields[lead.button] if lead.button else None
    ticket = do_save_ticket_form(
        ticket, data=_answers(lead, texts, fields), expected_version=ticket.version, button=button, acting_user=agent
    )
    if lead.callback == OVERDUE:
        callback = do_set_callback(ticket, due_at=timezone.now() + OVERDUE_BY, private=False, acting_user=agent)
        _make_overdue(callback)
    elif lead.callback == TODAY:
        due = quick_due_time(QuickTime.IN_2_HOURS)
        do_set_callback(ticket, due_at=due, private=True, acting_user=agent)
    elif lead.callback == TOMORROW:
        do_set_callback(ticket, due_at=quick_due_time(QuickTime.TOMORROW_9), private=False, acting_user=agent)
    if lead.withdrawn:
        manager = agents["anna"]
        ticket = do_reopen_ticket(ticket, acting_user=manager)
        do_add_note(ticket, body=texts.withdrawn_note, acting_user=manager)
        cancelled = ticket.group.statuses.get(kind=StatusKind.SUCCESS_CANCELLED)
        do_close_ticket(ticket, status=cancelled, acting_user=manager)


def _make_overdue(callback: Callback) -> None:
    """A callback agreed earlier whose time has passed (the action takes only times ahead):
    its due time, and its line in the ticket's history, moved back; the live notice of its
    coming due is taken as given, as the job does for one long overdue."""
    now = timezone.now()
    due = (now - OVERDUE_BY).replace(second=0, microsecond=0)
    old = callback.due_at.isoformat(timespec="minutes")
    Callback.objects.filter(pk=callback.pk).update(due_at=due, notified_at=now)
    for activity in Activity.objects.filter(ticket_id=callback.ticket_id).exclude(changes=[]):
        changes = [
            {**change, "new": due.isoformat(timespec="minutes")} if change.get("new") == old else change
            for change in activity.changes
        ]
        if changes != activity.changes:
            Activity.objects.filter(pk=activity.pk).update(changes=changes)
