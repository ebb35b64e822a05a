"""Jobs of the web forms."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from switchboard.web.actions import do_delete_old_form_posts


@db_periodic_task(crontab(minute="27", hour="3"))
def delete_old_form_posts() -> int:
    """Every night: the web forms' posts are kept for the limits and the counts, not for ever."""
    return do_delete_old_form_posts()
