"""``switchboard check-mail [--mailbox NAME]``: check mailboxes for new mail now, in this process
(the job does it every minute; this is for cron-driven installations and for trying a mailbox)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from switchboard.mail.fetch import MailboxError, check_mailbox
from switchboard.mail.models import Mailbox


class Command(BaseCommand):
    help = "Check the enabled mailboxes (or one) for new mail now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", help="the name of one mailbox")

    def handle(self, *args: object, **options: object) -> None:
        mailboxes = Mailbox.objects.select_related("group").filter(enabled=True)
        if options["mailbox"]:
            mailboxes = mailboxes.filter(name=options["mailbox"])
            if not mailboxes:
                raise CommandError(f"No enabled mailbox named {options['mailbox']!r}.")
        failed = 0
        for mailbox in mailboxes:
            try:
                report = check_mailbox(mailbox)
            except MailboxError as error:
                failed += 1
                self.stderr.write(f"{mailbox.name}: {error}")
                continue
            self.stdout.write(
                f"{mailbox.name}: {report.waiting} waiting, {report.stored} new, {report.acknowledged} acknowledged"
            )
        if failed:
            raise CommandError(f"{failed} mailbox(es) could not be checked.")
