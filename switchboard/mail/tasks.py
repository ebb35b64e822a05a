"""Mailbox polling (MAIL-01): every minute the due mailboxes are checked, each in its own job."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from switchboard.mail.fetch import MailboxError, check_mailbox
from switchboard.mail.models import Mailbox

logger = logging.getLogger(__name__)


@db_task()
def check_mailbox_job(mailbox_id: int) -> None:
    mailbox = Mailbox.objects.select_related("group").filter(pk=mailbox_id, enabled=True).first()
    if mailbox is None:
        return
    try:
        with HUEY.lock_task(f"mailbox-{mailbox_id}"):  # one check of a mailbox at a time
            report = check_mailbox(mailbox)
    except TaskLockedException:
        return
    except MailboxError as error:
        logger.warning("mailbox %s: %s", mailbox.name, error)
        return
    if report.stored:
        logger.info("mailbox %s: %d new message(s)", mailbox.name, report.stored)


@db_periodic_task(crontab(minute="*"))
def check_due_mailboxes() -> None:
    for mailbox in Mailbox.objects.filter(enabled=True):
        if mailbox.is_due():
            check_mailbox_job(mailbox.pk)
