"""Mailboxes over TLS (IMAPS, POP3S) and STARTTLS (IMAP STARTTLS, POP3 STLS) against a real
Dovecot whose certificate a throwaway CA signed at test time (MAIL-01). The certificate is
checked: only once the installation names that CA (MAILBOX_CA_FILE) does the mail come in."""

from __future__ import annotations

import os
import subprocess

import pytest
from django.conf import settings

from switchboard.mail.fetch import MailboxError, check_mailbox, try_connection
from switchboard.mail.models import Mailbox
from switchboard.mail.tests.test_mailboxes import mail, tickets_of
from switchboard.testing.processes import shared_database_url, switchboard_command

SECURED = [
    (Mailbox.Protocol.IMAP, Mailbox.Security.TLS),
    (Mailbox.Protocol.IMAP, Mailbox.Security.STARTTLS),
    (Mailbox.Protocol.POP3, Mailbox.Security.TLS),
    (Mailbox.Protocol.POP3, Mailbox.Security.STARTTLS),
]


def secured_mailbox(dovecot, group, protocol: str, security: str) -> Mailbox:
    mailbox = dovecot.mailbox(group, name=f"{protocol} {security}", protocol=protocol, security=security)
    mailbox.host = "localhost"  # the name the server's certificate bears
    mailbox.password = "secret1"
    mailbox.save()
    return mailbox


@pytest.mark.spec("MAIL-01")
@pytest.mark.parametrize(("protocol", "security"), SECURED)
def test_a_mailbox_over_tls_fetches_mail_once_the_servers_ca_is_trusted(
    protocol, security, dovecot, volunteers, settings
):
    mailbox = secured_mailbox(dovecot, volunteers, protocol, security)
    dovecot.deliver(mail("Maria Garcia <maria@example.org>", "Saturday shift"))

    with pytest.raises(MailboxError, match="The server's certificate is not trusted"):
        check_mailbox(mailbox)
    assert tickets_of("maria@example.org") == [] and len(dovecot.inbox()["unseen"]) == 1

    settings.MAILBOX_CA_FILE = str(dovecot.ca_file)
    check_mailbox(mailbox)
    assert len(tickets_of("maria@example.org")) == 1
    assert dovecot.inbox()["all" if protocol == Mailbox.Protocol.POP3 else "unseen"] == []


@pytest.mark.spec("MAIL-01")
def test_a_certificate_for_another_name_is_refused_even_from_a_trusted_ca(dovecot, volunteers, settings):
    settings.MAILBOX_CA_FILE = str(dovecot.ca_file)
    mailbox = secured_mailbox(dovecot, volunteers, Mailbox.Protocol.IMAP, Mailbox.Security.TLS)
    assert "Connected to localhost" in try_connection(mailbox)
    mailbox.host = "127.0.0.1"  # the same server, but not a name its certificate bears
    with pytest.raises(MailboxError, match="not trusted"):
        try_connection(mailbox)


@pytest.mark.spec("MAIL-01")
@pytest.mark.django_db(transaction=True)
def test_check_mail_trusts_the_ca_named_in_its_environment(dovecot, volunteers, tmp_path):
    mailbox = secured_mailbox(dovecot, volunteers, Mailbox.Protocol.IMAP, Mailbox.Security.STARTTLS)
    dovecot.deliver(mail("Maria Garcia <maria@example.org>", "Saturday shift"))
    env = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "SWITCHBOARD_DATA_DIR": str(settings.DATA_DIR),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    command = [switchboard_command(), "check-mail"]

    refused = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert "not trusted" in refused.stdout + refused.stderr
    assert "not trusted" in Mailbox.objects.get(pk=mailbox.pk).last_error

    missing = subprocess.run(
        command, env={**env, "MAILBOX_CA_FILE": str(tmp_path / "nowhere.pem")}, capture_output=True, text=True
    )
    assert missing.returncode != 0 and "MAILBOX_CA_FILE" in missing.stderr and "is not a file" in missing.stderr

    trusted = subprocess.run(command, env={**env, "MAILBOX_CA_FILE": str(dovecot.ca_file)}, capture_output=True)
    assert trusted.returncode == 0, trusted.stderr
    assert len(tickets_of("maria@example.org")) == 1
    assert Mailbox.objects.get(pk=mailbox.pk).last_error == ""
