from __future__ import annotations

from django.urls import path

from switchboard.tickets import group_views, loop_views, search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("groups/<slug:slug>/", views.open_tickets, name="open_tickets"),
    path("groups/<slug:slug>/new/", views.new_ticket, name="new_ticket"),
    path("groups/<slug:slug>/closed/", views.closed_tickets, name="closed_tickets"),
    path("groups/<slug:slug>/bulk/", views.bulk_change, name="bulk_change"),
    path("groups/<slug:slug>/close-completed/", views.close_completed, name="close_completed"),
    path("groups/<slug:slug>/canned/", group_views.canned_responses, name="canned_responses"),
    path("groups/<slug:slug>/canned/<int:canned_id>/", group_views.canned_responses, name="edit_canned_response"),
    path(
        "groups/<slug:slug>/canned/<int:canned_id>/delete/",
        group_views.delete_canned_response,
        name="delete_canned_response",
    ),
    path("groups/<slug:slug>/templates/", group_views.message_templates, name="message_templates"),
    path("groups/<slug:slug>/templates/<str:kind>/", group_views.message_templates, name="message_template"),
    path(
        "groups/<slug:slug>/templates/<str:kind>/preview/",
        group_views.message_template_preview,
        name="message_template_preview",
    ),
    path(
        "groups/<slug:slug>/templates/<str:kind>/restore/",
        group_views.restore_message_template,
        name="restore_message_template",
    ),
    path("tickets/<int:number>/", views.ticket_page, name="ticket"),
    path("tickets/<int:number>/opened/", views.ticket_opened, name="ticket_opened"),
    path("tickets/next/", loop_views.next_ticket, name="next_ticket"),
    path("tickets/<int:number>/release/", loop_views.release_ticket, name="release_ticket"),
    path("tickets/<int:number>/title/", loop_views.retitle_ticket, name="retitle_ticket"),
    path("tickets/<int:number>/send/", loop_views.send_reply, name="send_reply"),
    path("replies/<int:activity_id>/undo/", loop_views.undo_reply, name="undo_reply"),
    path("tickets/<int:number>/reply/", views.reply_to_contact, name="reply_to_contact"),
    path("tickets/<int:number>/email-owner/", views.email_owner, name="email_owner"),
    path("tickets/<int:number>/reply/preview/", views.reply_preview, name="reply_preview"),
    path("tickets/<int:number>/note/", views.add_note, name="add_note"),
    path("tickets/<int:number>/add-to-copy/", views.add_to_copy, name="add_to_copy"),
    path("tickets/<int:number>/close/", views.close_ticket, name="close_ticket"),
    path("tickets/<int:number>/claim/", views.claim_ticket, name="claim_ticket"),
    path("tickets/<int:number>/escalate/", views.escalate_ticket, name="escalate_ticket"),
    path("groups/<slug:slug>/availability/", group_views.set_availability, name="set_availability"),
    path("groups/<slug:slug>/team/", group_views.team, name="team"),
    path("groups/<slug:slug>/settings/", group_views.group_settings, name="group_settings"),
    path("tickets/<int:number>/reopen/", views.reopen_ticket, name="reopen_ticket"),
    path("tickets/<int:number>/reassign/", views.reassign_ticket, name="reassign_ticket"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path(
        "attachments/<int:attachment_id>/thumbnail/",
        views.attachment,
        {"thumbnail": True},
        name="attachment_thumbnail",
    ),
    path("settings/", views.agent_settings, name="agent_settings"),
    path("search/", search_views.search, name="search"),
    path("search/suggestions/", search_views.search_suggestions, name="search_suggestions"),
    path("healthz", views.health, name="health"),
]
