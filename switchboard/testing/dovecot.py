"""A throwaway Dovecot (real IMAP and POP3) for tests, after ../shared/RECIPES.md §2.

Its own configuration, folders and free ports; it never reads /etc/dovecot. Started as root, the
mail processes run as the system user "dovecot", so the folder must not be under pytest's
tmp_path (mode 0700 parents). Users: support@example.test / secret1, agent@example.test / secret2.

It speaks TLS too, with a certificate of a throwaway CA made at start (switchboard/testing/tls.py):
IMAPS and POP3S on their own ports, and STARTTLS (STLS) on the plain ones. ``ca_file`` is the CA
a client must be told to trust.

Given the address of an OAuth2 provider (switchboard/testing/oauth2.py), it also accepts XOAUTH2
and OAUTHBEARER with that provider's access tokens, as Microsoft 365 and Gmail do: Dovecot's
oauth2 passdb asks the provider's introspection endpoint whether a token is active, and whose.
"""

from __future__ import annotations

import getpass
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from switchboard.testing.processes import free_port
from switchboard.testing.tls import make_test_certificates

if TYPE_CHECKING:
    from switchboard.mail.models import Mailbox
    from switchboard.tickets.models import Group

DOVECOT = "/usr/sbin/dovecot"
USERS = {"support@example.test": "secret1", "agent@example.test": "secret2"}

CONFIG = """\
instance_name = switchboard-test-{imap_port}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <{dir}/server.pem
ssl_key = <{dir}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login{oauth2_mechanisms}
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
mail_location = maildir:{dir}/mail/%u/Maildir
mail_uid = {user}
mail_gid = {group}
pop3_uidl_format = %08Xu%08Xv
{oauth2_passdb}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = home={dir}/mail/%u
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3_port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {pop3s_port}
  }}
}}
"""

OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {dir}/dovecot-oauth2.conf.ext
}}
"""

OAUTH2_CONFIG = """\
introspection_mode = post
introspection_url = {provider_url}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


@dataclass
class Dovecot:
    dir: Path
    imap_port: int
    pop3_port: int
    imaps_port: int
    pop3s_port: int
    ca_file: Path
    host: str = "127.0.0.1"

    def imap(self, user: str = "support@example.test") -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.imap_port)
        client.login(user, USERS[user])
        return client

    def mailbox(
        self, group: Group, *, name: str, protocol: str = "imap", security: str = "none", **fields: Any
    ) -> Mailbox:
        """A mailbox (not saved) of support@example.test on this server, over IMAP or POP3,
        without TLS (a local test server) unless ``security`` says otherwise, routed to ``group``."""
        from switchboard.mail.models import Mailbox  # this module is used before Django is set up

        imap = protocol == Mailbox.Protocol.IMAP
        if security == Mailbox.Security.TLS:
            port = self.imaps_port if imap else self.pop3s_port
        else:
            port = self.imap_port if imap else self.pop3_port
        return Mailbox(
            name=name,
            group=group,
            protocol=protocol,
            host=self.host,
            port=port,
            security=security,
            username="support@example.test",
            **fields,
        )

    def deliver(self, raw: bytes, *, user: str = "support@example.test", seen: bool = False) -> None:
        """Put a message into the user's INBOX, as a mail server would."""
        client = self.imap(user)
        try:
            client.append("INBOX", r"(\Seen)" if seen else "", imaplib.Time2Internaldate(time.time()), raw)
        finally:
            client.logout()

    def inbox(self, user: str = "support@example.test") -> dict[str, list[bytes]]:
        """UIDs of the INBOX by state: {"all": [...], "unseen": [...]} (expunged ones are gone)."""
        client = self.imap(user)
        try:
            client.select("INBOX")
            found = {name: client.uid("SEARCH", criteria)[1][0].split() for name, criteria in
                     (("all", "ALL"), ("unseen", "UNSEEN"))}  # fmt: skip
            client.close()
            return found
        finally:
            client.logout()

    def empty(self, user: str = "support@example.test") -> None:
        client = self.imap(user)
        try:
            _status, data = client.select("INBOX")
            if data[0] != b"0":
                client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                client.expunge()
            client.close()
        finally:
            client.logout()


def start_dovecot(*, oauth2_provider_url: str = "") -> Dovecot:
    folder = Path(tempfile.mkdtemp(prefix="switchboard-dovecot-"))
    if os.geteuid() == 0:
        user, group = "dovecot", "dovecot"
    else:
        user, group = getpass.getuser(), grp.getgrgid(pwd.getpwnam(getpass.getuser()).pw_gid).gr_name
    certificates = make_test_certificates(folder)
    server = Dovecot(
        dir=folder,
        imap_port=free_port(),
        pop3_port=free_port(),
        imaps_port=free_port(),
        pop3s_port=free_port(),
        ca_file=certificates.ca_file,
    )
    (folder / "mail").mkdir()
    (folder / "dovecot.conf").write_text(
        CONFIG.format(
            dir=folder,
            user=user,
            group=group,
            imap_port=server.imap_port,
            pop3_port=server.pop3_port,
            imaps_port=server.imaps_port,
            pop3s_port=server.pop3s_port,
            oauth2_mechanisms=" xoauth2 oauthbearer" if oauth2_provider_url else "",
            oauth2_passdb=OAUTH2_PASSDB.format(dir=folder) if oauth2_provider_url else "",
        )
    )
    if oauth2_provider_url:
        (folder / "dovecot-oauth2.conf.ext").write_text(OAUTH2_CONFIG.format(provider_url=oauth2_provider_url))
    (folder / "users").write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in USERS.items()))
    for path in (folder, folder / "mail"):
        shutil.chown(path, user, group)
    subprocess.run([DOVECOT, "-c", str(folder / "dovecot.conf")], check=True)
    deadline = time.monotonic() + 10
    for port in (server.imap_port, server.pop3_port, server.imaps_port, server.pop3s_port):
        while True:
            try:
                socket.create_connection((server.host, port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dovecot did not listen on {port}; see {folder}/dovecot.log") from None
                time.sleep(0.05)
    return server


def stop_dovecot(server: Dovecot) -> None:
    pid_file = server.dir / "run" / "master.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
        for _ in range(100):  # the master exits within about a second
            if not pid_file.exists():
                break
            time.sleep(0.05)
    shutil.rmtree(server.dir, ignore_errors=True)
