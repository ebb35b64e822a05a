"""The shift's models, by concern: the time clock (``clock``), the areas that outages and queue
reports name (``areas``), the outages (``outages``), the banners (``broadcasts``) and the queue
reports (``queue_reports``). Everything is imported from here."""

from switchboard.shift.models.areas import Area
from switchboard.shift.models.broadcasts import Broadcast
from switchboard.shift.models.clock import Break, BreakReason, Shift, ShiftCorrection
from switchboard.shift.models.outages import Outage
from switchboard.shift.models.queue_reports import QueueReport

__all__ = ["Area", "Break", "BreakReason", "Broadcast", "Outage", "QueueReport", "Shift", "ShiftCorrection"]
