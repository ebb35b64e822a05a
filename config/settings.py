"""Switchboard settings, read from the environment only (see README "Configuration").

Embedded mode (no variables set): SQLite in $SWITCHBOARD_DATA_DIR, SqliteHuey for jobs, the
in-memory channel layer. Scaled mode: DATABASE_URL=postgres://…, REDIS_URL=redis://….
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from huey import RedisHuey, SqliteHuey

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SWITCHBOARD_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    key = env_secret("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "switchboard.core.apps.SwitchboardAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "huey.contrib.djhuey",
    "switchboard.core",
    "switchboard.intake",
    "switchboard.contacts",
    "switchboard.tickets",
    "switchboard.mail",
    "switchboard.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "switchboard.core.middleware.UserPreferencesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'switchboard.sqlite3'}")
DATABASES: dict[str, dict[str, Any]] = {"default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue up instead of failing with "database is locked": every transaction takes
        # the write lock at BEGIN, and waits up to 20 s for it.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file, not memory, so that a worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A pool of open connections (psycopg_pool): a request does not pay for connecting, which
    # under ASGI persistent connections (CONN_MAX_AGE) cannot give safely.
    DATABASES["default"]["OPTIONS"] = {"pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", default=10)}}
else:
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:///… or postgres://…")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- jobs (Huey) and real time (Channels) ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", default=False)
if REDIS_URL:
    HUEY = RedisHuey("switchboard", url=REDIS_URL, immediate=HUEY_IMMEDIATE)
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "switchboard"},
        }
    }
else:
    HUEY = SqliteHuey("switchboard", filename=str(DATA_DIR / "jobs.sqlite3"), immediate=HUEY_IMMEDIATE)
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [BASE_DIR / "switchboard" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the apps; collectstatic is optional
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))

# --- mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "switchboard@localhost")
# Until EMAIL_HOST is set, mail is written to files instead of sent: a demo writes to nobody.
EMAIL_DELIVERY = env_str("EMAIL_DELIVERY", "smtp" if env_str("EMAIL_HOST") else "file")
if EMAIL_DELIVERY == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "sent-mail"
elif EMAIL_DELIVERY != "smtp":
    raise ImproperlyConfigured(f"EMAIL_DELIVERY must be smtp or file, not {EMAIL_DELIVERY!r}.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
# Our Message-IDs end in this domain: answers thread back by them, and mail loops are recognised.
MESSAGE_ID_DOMAIN = env_str("MESSAGE_ID_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost")
# A reply that cannot be sent is tried again this many times, RETRY_DELAY seconds apart.
OUTBOUND_RETRIES = env_int("OUTBOUND_RETRIES", default=5)
OUTBOUND_RETRY_DELAY = env_int("OUTBOUND_RETRY_DELAY", default=60)
# Links in our mail that let a contact read a ticket's conversation work for this many days.
CONTACT_LINK_DAYS = env_int("CONTACT_LINK_DAYS", default=90)
# Fernet keys for secrets stored in the database (switchboard/core/secrets.py); empty: from SECRET_KEY.
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS")
# Inbound mail (MAIL-04, MAIL-11): above this size a message keeps its text, not its files.
MAX_INBOUND_MESSAGE_BYTES = env_int("MAX_INBOUND_MESSAGE_BYTES", default=25 * 1024 * 1024)
# Loop protection: from the AUTOMATIC_MAIL_LIMIT-th automatic mail of one sender in an hour on,
# mail from that sender is only stored; a sender gets at most AUTORESPONSE_LIMIT autoresponses
# an hour.
AUTOMATIC_MAIL_LIMIT = env_int("AUTOMATIC_MAIL_LIMIT", default=5)
AUTORESPONSE_LIMIT = env_int("AUTORESPONSE_LIMIT", default=3)
# Seconds to wait for a mailbox server (IMAP/POP3) before the check is given up for this round.
MAILBOX_TIMEOUT = env_int("MAILBOX_TIMEOUT", default=30)
# Mailbox servers' certificates (TLS, STARTTLS) are checked against the system's CAs and, when this
# names a PEM file, against the CAs in it too: for a mail server with a certificate of a private CA.
MAILBOX_CA_FILE = env_str("MAILBOX_CA_FILE")
if MAILBOX_CA_FILE and not Path(MAILBOX_CA_FILE).is_file():
    raise ImproperlyConfigured(f"MAILBOX_CA_FILE {MAILBOX_CA_FILE!r} is not a file.")
# Messages fetched from a mailbox and stored together (at most so many, so many bytes).
MAILBOX_FETCH_BATCH = env_int("MAILBOX_FETCH_BATCH", default=50)
MAILBOX_FETCH_BYTES = env_int("MAILBOX_FETCH_BYTES", default=16 * 1024 * 1024)
# Where mailboxes signing in with OAuth2 (XOAUTH2) get their tokens ({tenant}: the mailbox's
# Microsoft tenant). Other values only for Microsoft's national clouds, or a test server.
OAUTH2_MICROSOFT_AUTHORIZE_URL = env_str(
    "OAUTH2_MICROSOFT_AUTHORIZE_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize"
)
OAUTH2_MICROSOFT_TOKEN_URL = env_str(
    "OAUTH2_MICROSOFT_TOKEN_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
)
OAUTH2_GOOGLE_AUTHORIZE_URL = env_str("OAUTH2_GOOGLE_AUTHORIZE_URL", "https://accounts.google.com/o/oauth2/v2/auth")
OAUTH2_GOOGLE_TOKEN_URL = env_str("OAUTH2_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
# `switchboard lmtp` (push delivery from the mail server) listens here.
LMTP_HOST = env_str("LMTP_HOST", "127.0.0.1")
LMTP_PORT = env_int("LMTP_PORT", default=2424)
# A mailbox check or an import of more than one batch parses in a second process meanwhile.
INTAKE_PARSE_PROCESS = env_bool("INTAKE_PARSE_PROCESS", default=True)
# Messages applied to tickets per transaction when a mailbox or an import brings many at once.
INTAKE_BATCH_SIZE = env_int("INTAKE_BATCH_SIZE", default=50)

# Country whose national phone numbers ("601 234 567") are understood without a +prefix.
PHONE_REGION = env_str("PHONE_REGION", "US")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": env_str("LOG_LEVEL", "INFO")}},
}
