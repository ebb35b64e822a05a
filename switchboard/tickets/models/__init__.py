"""The ticket domain's models, by concern: groups and their people (``groups``), tickets and
their statuses (``tickets``), a ticket's timeline (``activities``), a group's form
(``forms``), its categories (``categories``), time per ticket (``time``), the agents' to-dos (``todos``) and their
contact book (``book``). Everything is imported from here."""

from switchboard.tickets.models.activities import (
    AUDIO_TYPES,
    Activity,
    ActivityKind,
    Attachment,
    FileFetch,
    SearchEntry,
    attachment_path,
)
from switchboard.tickets.models.agent_states import AgentStateChange
from switchboard.tickets.models.book import BookEntry
from switchboard.tickets.models.callbacks import Callback
from switchboard.tickets.models.categories import Category
from switchboard.tickets.models.forms import FormChoice, FormField
from switchboard.tickets.models.groups import AgentProfile, CannedResponse, Group, Membership, SavedView
from switchboard.tickets.models.links import TicketLink
from switchboard.tickets.models.reports import (
    ReportAgentDay,
    ReportBuiltDay,
    ReportBuiltMonth,
    ReportDay,
    ReportStaleDay,
)
from switchboard.tickets.models.service_levels import ServiceLevel, TicketClock
from switchboard.tickets.models.tickets import (
    BUILT_IN_STATUS_NAMES,
    EXCERPT_LENGTH,
    SOURCE_ICONS,
    STATUS_KIND_LOOK,
    SUBJECT_TOKEN,
    Counter,
    Status,
    StatusKind,
    Ticket,
    TicketRead,
    TicketSource,
    new_portal_key,
)
from switchboard.tickets.models.time import MAX_ENTRY_MINUTES, TIME_NOTE_LENGTH, HandleTime, TimeEntry, TimeSource
from switchboard.tickets.models.todos import TODO_TEXT_LENGTH, Todo

__all__ = [
    "AUDIO_TYPES",
    "BUILT_IN_STATUS_NAMES",
    "EXCERPT_LENGTH",
    "SOURCE_ICONS",
    "STATUS_KIND_LOOK",
    "SUBJECT_TOKEN",
    "Activity",
    "ActivityKind",
    "AgentProfile",
    "AgentStateChange",
    "Attachment",
    "BookEntry",
    "Callback",
    "CannedResponse",
    "Category",
    "Counter",
    "FileFetch",
    "FormChoice",
    "FormField",
    "HandleTime",
    "MAX_ENTRY_MINUTES",
    "Group",
    "Membership",
    "ReportAgentDay",
    "ReportBuiltDay",
    "ReportBuiltMonth",
    "ReportDay",
    "ReportStaleDay",
    "SavedView",
    "SearchEntry",
    "ServiceLevel",
    "Status",
    "StatusKind",
    "Ticket",
    "TicketClock",
    "TicketLink",
    "TicketRead",
    "TIME_NOTE_LENGTH",
    "TimeEntry",
    "TimeSource",
    "TODO_TEXT_LENGTH",
    "TicketSource",
    "Todo",
    "attachment_path",
    "new_portal_key",
]
