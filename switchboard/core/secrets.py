"""Secrets kept in the database (mailbox passwords, OAuth2 tokens) are encrypted at rest.

The key comes from the environment: ENCRYPTION_KEYS, one or more Fernet keys separated by
commas, the first used to encrypt and all tried to decrypt (add a new key in front to rotate).
Without it the key is derived from SECRET_KEY, which the embedded start keeps in the data folder:
a copy of that folder (a backup) then holds both the secrets and their key. In production keep
ENCRYPTION_KEYS outside the data folder (the environment, or ENCRYPTION_KEYS_FILE).
"""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


class SecretUnreadableError(Exception):
    """A stored secret was encrypted with a key that is no longer configured."""


def _fernet() -> MultiFernet:
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        digest = hashlib.sha256(b"switchboard secrets\0" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def warn_if_keys_are_derived() -> None:
    """One line at start-up when the encryption keys come from SECRET_KEY."""
    if not settings.ENCRYPTION_KEYS:
        logger.warning(
            "ENCRYPTION_KEYS is not set: stored mailbox passwords and tokens are encrypted with a key derived "
            "from SECRET_KEY; in production set ENCRYPTION_KEYS, kept outside the data folder (README, Security)."
        )


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadableError(
            "A stored secret cannot be decrypted: ENCRYPTION_KEYS (or SECRET_KEY) changed. Enter it again."
        ) from error


def keyed_hash(value: str, *, purpose: str) -> str:
    """What is kept of an address (IP, email) or a token that only has to be recognised: a hash
    keyed by the site's secret and ``purpose``, which cannot be read back or guessed from a list."""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()
