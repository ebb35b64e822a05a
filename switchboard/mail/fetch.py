"""The email adapter's polling half (MAIL-01, MAIL-13): IMAP and POP3 mailboxes.

Order of work, so that nothing is lost and nothing is taken twice: list what is on the server
with its size, fetch what is not stored yet, store it and commit, apply it to tickets, and only
then tell the server (IMAP: \\Seen or delete; POP3: delete). A message over
MAX_INBOUND_MESSAGE_BYTES is not fetched: its headers make a quarantined record that says so, and
it stays on the server, unread, until the limit is raised. A crash anywhere before the last step
leaves the message on the server, and the next check finds it stored (idempotent by mailbox,
UIDVALIDITY and UID, or POP3 UIDL) and only acknowledges it.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import poplib
import re
import socket
import ssl
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.intake.actions import UNFETCHED, do_store_unfetched_message
from switchboard.intake.inbound import Inbound
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import BackgroundParser, RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.mail.models import Mailbox
from switchboard.mail.oauth2 import OAuth2Error, provider_of, xoauth2_response
from switchboard.mail.parse import header_facts

log = logging.getLogger(__name__)

IMAP_UID = re.compile(rb"UID (\d+)")
IMAP_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
HEADER_BYTES = 64 * 1024  # of a message too large to fetch, this much of its headers is kept


class MailServer(Protocol):
    """What the poller needs of a mailbox server."""

    def list_keys(self) -> dict[str, str]:
        """Source key → the server's handle for every message waiting."""

    def sizes(self, handles: list[str]) -> dict[str, int]:
        """The size in bytes of each message, as the server reports it."""

    def fetch(self, handles: list[str]) -> dict[str, bytes]: ...

    def headers(self, handles: list[str]) -> dict[str, bytes]:
        """The header section of each message (at most HEADER_BYTES), without marking it read."""

    def acknowledge(self, handles: list[str], *, delete: bool) -> None: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...


@dataclass
class CheckReport:
    waiting: int = 0
    stored: int = 0
    acknowledged: int = 0


class MailboxError(Exception):
    """The server could not be reached or refused us; the message is in plain words."""


def check_mailbox(mailbox: Mailbox) -> CheckReport:
    """Fetch the mailbox's new mail into tickets; records the outcome on the mailbox."""
    report = CheckReport()
    try:
        with _server(mailbox) as server:
            keys = server.list_keys()
            report.waiting = len(keys)
            known = _stored_among(list(keys))
            pending = [key for key in keys if key not in known]
            sizes = server.sizes([keys[key] for key in pending]) if pending else {}
            too_large = [key for key in pending if sizes.get(keys[key], 0) > settings.MAX_INBOUND_MESSAGE_BYTES]
            _quarantine_too_large(mailbox, server, {key: keys[key] for key in too_large}, sizes)
            pending = [key for key in pending if key not in too_large]  # never fetched, never acknowledged
            chunks = _chunks(pending, sizes, keys)
            # Many messages: a second process parses each chunk while this one applies the one before.
            parser = BackgroundParser() if len(chunks) > 1 and settings.INTAKE_PARSE_PROCESS else None
            waiting: tuple[list[RawMessage], Future[list[Inbound | str]] | None] | None = None
            try:
                for chunk in chunks:
                    fetched = server.fetch([keys[key] for key in chunk])
                    items = [
                        RawItem(channel="email", source_key=key, data=fetched[keys[key]], group=mailbox.group)
                        for key in chunk
                        if keys[key] in fetched
                    ]
                    stored = do_store_raw_messages(items)  # committed: from here on nothing can be lost
                    report.stored += len(stored)
                    known.update(item.source_key for item in items)  # new or stored before: all stored now
                    parsing = parser.submit(stored) if parser else None  # parsed while the last one is applied
                    if waiting is not None:
                        _apply(*waiting)
                    waiting = (stored, parsing)
                if waiting is not None:
                    _apply(*waiting)
            finally:
                if parser is not None:
                    parser.close()
            leftovers = RawMessage.objects.select_related("group").filter(  # stored by a check that stopped
                channel="email", source_key__startswith=mailbox.source_prefix, state=RawMessage.State.STORED
            )
            do_apply_raw_messages(list(leftovers))
            report.acknowledged = _acknowledge(mailbox, server, keys, known)
    except MailboxError as error:
        Mailbox.objects.filter(pk=mailbox.pk).update(last_checked_at=timezone.now(), last_error=str(error))
        raise
    Mailbox.objects.filter(pk=mailbox.pk).update(last_checked_at=timezone.now(), last_error="")
    return report


def _quarantine_too_large(mailbox: Mailbox, server: MailServer, handles: dict[str, str], sizes: dict[str, int]) -> None:
    """A record of each message too large to fetch, made once from its headers: quarantined with
    its size, sender and subject. The message stays on the server (unread) until the limit is
    raised, and the next check then fetches it whole."""
    recorded = _stored_among([key + UNFETCHED for key in handles])
    new = {key: handle for key, handle in handles.items() if key + UNFETCHED not in recorded}
    if not new:
        return
    fetched = server.headers(list(new.values()))
    limit = filesizeformat(settings.MAX_INBOUND_MESSAGE_BYTES)
    for key, handle in new.items():
        headers = fetched.get(handle, b"")
        sender, subject, message_id = header_facts(headers)
        reason = _(
            "Not fetched: the message is %(size)s, more than the limit of %(limit)s. It stays on the server. "
            "From: %(sender)s. Subject: %(subject)s"
        ) % {"size": filesizeformat(sizes[handle]), "limit": limit, "sender": sender or "?", "subject": subject}
        log.warning(
            "Mailbox %s: a message of %s bytes is over the limit and stays on the server", mailbox, sizes[handle]
        )
        do_store_unfetched_message(
            "email",
            key,
            headers=headers,
            group=mailbox.group,
            reason=reason,
            sender=sender,
            message_id=message_id,
        )


def _chunks(pending: list[str], sizes: dict[str, int], keys: dict[str, str]) -> list[list[str]]:
    """Batches of at most MAILBOX_FETCH_BATCH messages and MAILBOX_FETCH_BYTES bytes (a batch
    always holds at least one message): memory stays flat whatever the attachments weigh."""
    chunks: list[list[str]] = []
    current: list[str] = []
    weight = 0
    for key in pending:
        size = sizes.get(keys[key], 0)
        if current and (len(current) >= settings.MAILBOX_FETCH_BATCH or weight + size > settings.MAILBOX_FETCH_BYTES):
            chunks.append(current)
            current, weight = [], 0
        current.append(key)
        weight += size
    if current:
        chunks.append(current)
    return chunks


def _apply(stored: list[RawMessage], parsing: Future[list[Inbound | str]] | None) -> None:
    """Apply with the background parser's results when they are ready; while it is still starting
    (or if it died) this process parses instead of waiting."""
    parsed = None
    if parsing is not None and parsing.done():
        try:
            parsed = parsing.result()
        except Exception:  # noqa: BLE001 - the parsing process died: parse here, nothing is lost
            log.exception("The parsing process failed; parsing in this process")
    elif parsing is not None:
        parsing.cancel()
    do_apply_raw_messages(stored, parsed=parsed)


def try_connection(mailbox: Mailbox) -> str:
    """The "test connection" button: what the server said, in plain words (MailboxError if bad)."""
    with _server(mailbox) as server:
        return server.describe()


def _stored_among(keys: list[str]) -> set[str]:
    """The source keys among ``keys`` whose messages are stored already."""
    return set(RawMessage.objects.filter(channel="email", source_key__in=keys).values_list("source_key", flat=True))


def _acknowledge(mailbox: Mailbox, server: MailServer, keys: dict[str, str], known: set[str]) -> int:
    """Tell the server about every stored message: blocked senders' mail is deleted (MAIL-10),
    the rest marked as read or deleted as the mailbox says."""
    blocked = set(
        RawMessage.objects.filter(
            channel="email", source_key__in=list(known), state=RawMessage.State.BLOCKED
        ).values_list("source_key", flat=True)
    )
    delete_all = mailbox.after_fetch == Mailbox.AfterFetch.DELETE or mailbox.protocol == Mailbox.Protocol.POP3
    to_delete = [keys[key] for key in known if delete_all or key in blocked]
    to_mark = [keys[key] for key in known if not (delete_all or key in blocked)]
    if to_mark:
        server.acknowledge(to_mark, delete=False)
    if to_delete:
        server.acknowledge(to_delete, delete=True)
    return len(to_mark) + len(to_delete)


@contextmanager
def _server(mailbox: Mailbox) -> Iterator[MailServer]:
    server: MailServer
    try:
        if mailbox.protocol == Mailbox.Protocol.IMAP:
            server = ImapServer(mailbox)
        else:
            server = Pop3Server(mailbox)
    except (OSError, imaplib.IMAP4.error, poplib.error_proto) as error:
        raise MailboxError(_plain_words(error, mailbox)) from error
    except OAuth2Error as error:
        raise MailboxError(str(error)) from error
    try:
        yield server
    except (OSError, imaplib.IMAP4.error, poplib.error_proto) as error:
        raise MailboxError(_plain_words(error, mailbox)) from error
    finally:
        try:
            server.close()
        except (OSError, imaplib.IMAP4.error, poplib.error_proto):
            pass


def _plain_words(error: Exception, mailbox: Mailbox) -> str:
    where = f"{mailbox.host}:{mailbox.server_port}"
    if isinstance(error, socket.gaierror):
        return _("The server name %(host)s was not found.") % {"host": mailbox.host}
    if isinstance(error, ConnectionRefusedError):
        return _("%(where)s refused the connection: is the port right, is the server running?") % {"where": where}
    if isinstance(error, TimeoutError | socket.timeout):
        return _("%(where)s did not answer in time.") % {"where": where}
    if isinstance(error, ssl.SSLCertVerificationError):
        return _("The server's certificate is not trusted: %(reason)s") % {"reason": error.verify_message}
    if isinstance(error, ssl.SSLError):
        return _("The secure connection failed (%(reason)s): check the security setting.") % {"reason": error.reason}
    text = str(error.args[0] if error.args else error)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip("b'\"")
    refused = "auth" in text.lower() or "login" in text.lower() or "password" in text.lower()
    if refused and mailbox.uses_oauth2:
        return _(
            "The server refused the %(provider)s sign-in as %(user)s (%(answer)s): is IMAP or POP3 enabled for "
            "the mailbox, and may the connected account open it?"
        ) % {"provider": provider_of(mailbox).name, "user": mailbox.username, "answer": text}
    if refused:
        return _("The server refused the user name or password: %(answer)s") % {"answer": text}
    return _("The server answered: %(answer)s") % {"answer": text}


def _tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's CAs, and the installation's own (MAILBOX_CA_FILE)."""
    context = ssl.create_default_context()
    if settings.MAILBOX_CA_FILE:
        context.load_verify_locations(cafile=settings.MAILBOX_CA_FILE)
    return context


class ImapServer:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        xoauth2 = xoauth2_response(mailbox) if mailbox.uses_oauth2 else None  # a fresh token before connecting
        timeout = settings.MAILBOX_TIMEOUT
        if mailbox.security == Mailbox.Security.TLS:
            self.imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.server_port, ssl_context=_tls_context(), timeout=timeout
            )
        else:
            self.imap = imaplib.IMAP4(mailbox.host, mailbox.server_port, timeout=timeout)
        try:
            if mailbox.security == Mailbox.Security.STARTTLS:
                self.imap.starttls(ssl_context=_tls_context())
            if xoauth2 is None:
                self.imap.login(mailbox.username, mailbox.password)
            else:  # a refusal comes as a challenge with the reason, which an empty answer ends
                self.imap.authenticate("XOAUTH2", lambda challenge: b"" if challenge else xoauth2)
            self._select()
        except BaseException:
            with suppress(OSError):  # a failed STARTTLS leaves a closed socket: its error is the one to tell
                self.imap.shutdown()
            raise

    def _select(self) -> None:
        status, data = self.imap.select(_quoted(self.mailbox.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(
                _("The folder %(folder)s cannot be opened: %(answer)s")
                % {"folder": self.mailbox.folder, "answer": b" ".join(d for d in data if isinstance(d, bytes)).decode()}
            )
        self.count = int(data[0] or 0) if data and isinstance(data[0], bytes) else 0
        validity = self.imap.response("UIDVALIDITY")[1]
        self.uid_validity = validity[0].decode() if validity and isinstance(validity[0], bytes) else "0"

    def list_keys(self) -> dict[str, str]:
        criteria = "UNDELETED" if self.mailbox.after_fetch == Mailbox.AfterFetch.DELETE else "UNSEEN UNDELETED"
        status, data = self.imap.uid("SEARCH", criteria)
        uids = data[0].split() if status == "OK" and data and isinstance(data[0], bytes) else []
        prefix = f"{self.mailbox.source_prefix}{self.uid_validity}:"
        return {f"{prefix}{uid.decode()}": uid.decode() for uid in uids}

    def sizes(self, handles: list[str]) -> dict[str, int]:
        status, data = self.imap.uid("FETCH", ",".join(handles), "(UID RFC822.SIZE)")
        found = {}
        for line in data if status == "OK" else []:
            if isinstance(line, bytes) and (uid := IMAP_UID.search(line)) and (size := IMAP_SIZE.search(line)):
                found[uid.group(1).decode()] = int(size.group(1))
        return found

    def fetch(self, handles: list[str]) -> dict[str, bytes]:
        return self._fetch(handles, "BODY.PEEK[]")

    def headers(self, handles: list[str]) -> dict[str, bytes]:
        return self._fetch(handles, f"BODY.PEEK[HEADER]<0.{HEADER_BYTES}>")

    def _fetch(self, handles: list[str], what: str) -> dict[str, bytes]:
        status, data = self.imap.uid("FETCH", ",".join(handles), f"(UID {what})")
        messages: dict[str, bytes] = {}
        for part in data if status == "OK" else []:
            if isinstance(part, tuple) and (match := IMAP_UID.search(part[0])):
                messages[match.group(1).decode()] = part[1]
        return messages

    def acknowledge(self, handles: list[str], *, delete: bool) -> None:
        flag = r"(\Deleted)" if delete else r"(\Seen)"
        self.imap.uid("STORE", ",".join(handles), "+FLAGS.SILENT", flag)
        if delete:
            self.imap.expunge()

    def describe(self) -> str:
        status, data = self.imap.uid("SEARCH", "UNSEEN")
        unseen = len(data[0].split()) if status == "OK" and data and isinstance(data[0], bytes) else 0
        return _("Connected to %(host)s as %(user)s: %(count)s messages in %(folder)s, %(unseen)s unread.") % {
            "host": self.mailbox.host,
            "user": self.mailbox.username,
            "count": self.count,
            "folder": self.mailbox.folder,
            "unseen": unseen,
        }

    def close(self) -> None:
        try:
            self.imap.close()
        finally:
            self.imap.logout()


class Pop3Server:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        xoauth2 = xoauth2_response(mailbox) if mailbox.uses_oauth2 else None  # a fresh token before connecting
        timeout = settings.MAILBOX_TIMEOUT
        if mailbox.security == Mailbox.Security.TLS:
            self.pop: poplib.POP3 = poplib.POP3_SSL(
                mailbox.host, mailbox.server_port, context=_tls_context(), timeout=timeout
            )
        else:
            self.pop = poplib.POP3(mailbox.host, mailbox.server_port, timeout=timeout)
        try:
            if mailbox.security == Mailbox.Security.STARTTLS:
                self.pop.stls(context=_tls_context())
            if xoauth2 is None:
                self.pop.user(mailbox.username)
                self.pop.pass_(mailbox.password)
            else:
                self._authenticate_xoauth2(xoauth2)
        except BaseException:
            with suppress(OSError):  # a failed STLS leaves a closed socket: its error is the one to tell
                self.pop.close()
            raise

    def _authenticate_xoauth2(self, response: bytes) -> None:
        """AUTH XOAUTH2, which poplib has no helper for. A refusal comes as a challenge with the
        reason ("+ " and base64 JSON); an empty line answers it and brings the -ERR."""
        command = self.pop._shortcmd  # type: ignore[attr-defined]  # poplib's own, not in its stubs
        command("AUTH XOAUTH2")
        if not command(base64.b64encode(response).decode("ascii")).startswith(b"+OK"):
            command("")

    def list_keys(self) -> dict[str, str]:
        _response, lines, _octets = self.pop.uidl()
        keys = {}
        for line in lines:
            number, _space, uidl = line.decode("ascii", "replace").partition(" ")
            keys[f"{self.mailbox.source_prefix}uidl:{uidl.strip()}"] = number
        return keys

    def sizes(self, handles: list[str]) -> dict[str, int]:
        _response, lines, _octets = self.pop.list()
        listed = dict(line.decode("ascii", "replace").split(" ", 1) for line in lines if b" " in line)
        return {number: int(listed[number]) for number in handles if listed.get(number, "").isdigit()}

    def fetch(self, handles: list[str]) -> dict[str, bytes]:
        messages = {}
        for number in handles:
            _response, lines, _octets = self.pop.retr(int(number))
            messages[number] = b"\r\n".join(lines) + b"\r\n"
        return messages

    def headers(self, handles: list[str]) -> dict[str, bytes]:
        found = {}
        for number in handles:
            _response, lines, _octets = self.pop.top(int(number), 0)
            found[number] = (b"\r\n".join(lines) + b"\r\n")[:HEADER_BYTES]
        return found

    def acknowledge(self, handles: list[str], *, delete: bool) -> None:
        for number in handles:  # POP3 has no read flag: acknowledging is deleting
            self.pop.dele(int(number))

    def describe(self) -> str:
        count, size = self.pop.stat()
        return _("Connected to %(host)s as %(user)s: %(count)s messages waiting (%(size)s bytes).") % {
            "host": self.mailbox.host,
            "user": self.mailbox.username,
            "count": count,
            "size": size,
        }

    def close(self) -> None:
        self.pop.quit()  # deletions take effect only here


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
