"""`switchboard import-mail`: a shared inbox moves in through the pipeline, once."""

from __future__ import annotations

import io
import mailbox

import pytest
from django.core.management import CommandError, call_command

from switchboard.intake.models import OutboundMessage
from switchboard.mail.tests.test_mailboxes import mail
from switchboard.tickets.models import ActivityKind, Ticket

MESSAGES = [
    mail("Maria <maria@example.org>", "Saturday shift", "Can I help?", message_id="<1@client.example>"),
    mail("Maria <maria@example.org>", "Re: Saturday shift", "Also Sunday?", message_id="<2@client.example>"),
    mail("Jan <jan@example.pl>", "Paczka", "Dzień dobry", message_id="<3@client.example>"),
    mail("Robot <noreply@example.com>", "Out of office", "Away", Auto_Submitted="auto-replied"),
    b"From: nobody\r\nSubject: broken\r\n\r\nno sender address at all\r\n",
]


def run(path, group: str = "volunteers") -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("import_mail", str(path), group=group, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.mark.spec("MAIL-02", "MAIL-13")
@pytest.mark.parametrize("layout", ["mbox", "maildir", "eml"])
def test_import_makes_tickets_without_autoresponses_and_a_second_run_adds_nothing(tmp_path, volunteers, layout):
    volunteers.autoresponder = True
    volunteers.save()
    path = tmp_path / "inbox"
    if layout == "mbox":
        box = mailbox.mbox(path)
        for raw in MESSAGES:
            box.add(raw)
        box.close()
    elif layout == "maildir":
        box = mailbox.Maildir(path)
        for raw in MESSAGES:
            box.add(raw)
    else:
        path.mkdir()
        for n, raw in enumerate(MESSAGES):
            (path / f"{n}.eml").write_bytes(raw)

    summary = run(path)

    assert "5 message(s) read: 3 ticket(s) created, 1 added to tickets, 0 left out, 1 quarantined" in summary
    assert "no sender address" in summary
    maria = Ticket.objects.get(contact__points__value="maria@example.org")
    assert maria.activities.filter(kind=ActivityKind.EMAIL_IN).count() == 2
    assert not OutboundMessage.objects.exists()
    again = run(path)
    assert "3 ticket(s) created" not in again and "5 imported before" in again
    assert Ticket.objects.count() == 3


def test_import_into_a_missing_group_or_from_a_missing_path_says_what_is_wrong(tmp_path, volunteers):
    with pytest.raises(CommandError, match="No group 'nope'; the groups are: volunteers"):
        run(tmp_path, group="nope")
    with pytest.raises(CommandError, match="neither an mbox file"):
        run(tmp_path / "missing")


@pytest.mark.spec("MAIL-13")
def test_the_summary_adds_up_to_the_files_read_counting_identical_files_as_duplicates(tmp_path, volunteers):
    path = tmp_path / "inbox"
    path.mkdir()
    for n, raw in enumerate(MESSAGES):
        (path / f"{n}.eml").write_bytes(raw)
    (path / "copy-of-0.eml").write_bytes(MESSAGES[0])  # the same file saved twice
    (path / "copy-of-2.eml").write_bytes(MESSAGES[2])

    summary = run(path)

    assert (
        "7 message(s) read: 3 ticket(s) created, 1 added to tickets, 0 left out, 1 quarantined, "
        "0 imported before, 2 duplicate(s) of another file." in summary
    )
    assert Ticket.objects.count() == 3
    again = run(path)
    assert "7 message(s) read: 0 ticket(s) created, 0 added to tickets, 0 left out, 0 quarantined, " in again
    assert "5 imported before, 2 duplicate(s) of another file." in again
