"""The shift's models, by concern: the time clock (``clock``) and the areas that outages and
queue reports name (``areas``). Everything is imported from here."""

from switchboard.shift.models.areas import Area
from switchboard.shift.models.clock import Shift

__all__ = ["Area", "Shift"]
