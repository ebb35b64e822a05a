"""Background jobs of the shift: thin wrappers that call one action."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from switchboard.shift.clock import do_close_forgotten_shifts

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def close_forgotten_shifts() -> None:
    """Every five minutes: shifts nobody clocked out of, closed at their group's shift length (AGENT-05)."""
    closed = do_close_forgotten_shifts()
    if closed:
        logger.info("time clock: %d forgotten shift(s) closed", closed)
