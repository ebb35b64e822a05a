"""``switchboard import-mail PATH --group SLUG``: a shared inbox moves in (an mbox file, a Maildir
or a folder of .eml files) through the same intake pipeline as live mail, without autoresponses.

Safe to re-run: each message is stored under the hash of its bytes, so a second run stores
nothing again, a file byte-identical to another one of the same run is counted as its duplicate,
and a message that is already on a ticket of the group (same Message-ID) adds nothing either.
The summary's numbers add up to the messages read.
"""

from __future__ import annotations

import hashlib
import mailbox
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.models import Group, Ticket

BATCH = 200


def read_messages(path: Path) -> tuple[int, Iterator[bytes]]:
    """How many messages there are, and their bytes one by one (never all in memory)."""
    if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
        maildir = mailbox.Maildir(path, create=False)
        return len(maildir), (maildir.get_bytes(key) for key in maildir.iterkeys())
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.eml") if p.is_file())
        return len(files), (file.read_bytes() for file in files)
    if path.is_file():
        mbox = mailbox.mbox(path, create=False)
        return len(mbox), _closing_after(mbox)
    raise CommandError(f"{path} is neither an mbox file, a Maildir nor a folder of .eml files.")


def _closing_after(mbox: mailbox.mbox) -> Iterator[bytes]:
    try:
        yield from (mbox.get_bytes(key) for key in mbox.iterkeys())
    finally:
        mbox.close()


class Command(BaseCommand):
    help = "Import an mbox file, a Maildir or a folder of .eml files into a group's tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--group", required=True, help="the slug of the group the mail belongs to")

    def handle(self, *args: object, **options: object) -> None:
        group = Group.objects.filter(slug=options["group"]).first()
        if group is None:
            slugs = ", ".join(Group.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No group {options['group']!r}; the groups are: {slugs}.")
        path = options["path"]
        assert isinstance(path, Path)
        total, messages = read_messages(path)
        outcome: Counter[str] = Counter()
        reasons: Counter[str] = Counter()
        read_keys: set[str] = set()
        with tqdm(total=total, unit="msg", desc="import", disable=options["verbosity"] == 0) as progress:
            batch: list[RawItem] = []
            for data in messages:
                key = "import:" + hashlib.sha256(data).hexdigest()
                if key in read_keys:  # the same bytes as a file read before in this run
                    outcome["duplicate"] += 1
                    progress.update(1)
                    continue
                read_keys.add(key)
                batch.append(RawItem(channel="email", source_key=key, data=data, group=group))
                if len(batch) == BATCH:
                    self._import(batch, outcome, reasons)
                    progress.update(len(batch))
                    batch = []
            self._import(batch, outcome, reasons)
            progress.update(len(batch))
        self.stdout.write(
            f"{total} message(s) read: {outcome['created']} ticket(s) created, "
            f"{outcome['applied'] - outcome['created']} added to tickets, {outcome['dropped']} left out, "
            f"{outcome['quarantined']} quarantined, {outcome['known']} imported before, "
            f"{outcome['duplicate']} duplicate(s) of another file."
        )
        for reason, count in reasons.most_common():
            self.stdout.write(f"  {count} × {reason}")

    def _import(self, batch: list[RawItem], outcome: Counter[str], reasons: Counter[str]) -> None:
        if not batch:
            return
        group = batch[0].group
        stored = do_store_raw_messages(batch)
        outcome["known"] += len(batch) - len(stored)
        tickets_before = Ticket.objects.filter(group=group).count()
        do_apply_raw_messages(stored, autorespond=False)
        created = Ticket.objects.filter(group=group).count() - tickets_before
        for state, reason in RawMessage.objects.filter(pk__in=[raw.pk for raw in stored]).values_list(
            "state", "reason"
        ):
            if state == RawMessage.State.APPLIED:
                outcome["applied"] += 1
            else:
                outcome["quarantined" if state == RawMessage.State.QUARANTINED else "dropped"] += 1
                reasons[reason] += 1
        outcome["created"] += created
