"""Luoshi settings: one file, every knob an environment variable.

Defaults run an embedded SQLite installation under ./var/; production sets
DATABASE_URL=postgres://… and SECRET_KEY (or SECRET_KEY_FILE).
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment, or from the file named by NAME_FILE (secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


VAR_DIR = Path(env("LUOSHI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    # A key generated once and kept, so sessions survive restarts of an
    # installation that never set one; production sets SECRET_KEY explicitly.
    key = env("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "luoshi.audit",
    "luoshi.orgs",
    "luoshi.accounts",
    "luoshi.directives",
    "luoshi.supervision",
    "luoshi.notify",
    "luoshi.indicators",
    "luoshi.evaluation",
    "luoshi.projects",
    "luoshi.incentives",
    "luoshi.publishing",
    "luoshi.demo",
    "luoshi.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "luoshi.lib.security.ContentSecurityPolicyMiddleware",
    "luoshi.lib.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luoshi.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.accounts.middleware.LoginRequiredMiddleware",
    "luoshi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "luoshi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "luoshi.accounts.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'luoshi.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
    # failing half-way with "database is locked"; WAL lets readers run meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not shared-cache memory: only a file gives several
    # threads the same locking (busy timeout, IMMEDIATE) as production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# The cache lives in the database so that every web process counts the same requests for the
# rate limits below (a per-process memory cache would let 4 processes allow 4× the limit).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "luoshi_cache",
        # One entry per person or address counted; the default 300 would cull live counters
        # (and let people past their limit) in a district with a thousand liaisons.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Rate limits ("number/s|m|h|d"), all counted in RATE_LIMIT_CACHE (luoshi/lib/throttle.py):
# log-in attempts per address, API requests per person, documents asked for per person,
# citizen ratings per rating point and address (a service hall's Wi-Fi is one address).
LOGIN_RATE = env("LOGIN_RATE", "30/m")
API_RATE = env("API_RATE", "600/m")
DOCUMENT_RATE = env("DOCUMENT_RATE", "30/h")
RATING_RATE = env("RATING_RATE", "20/h")
RATE_LIMIT_CACHE = env("RATE_LIMIT_CACHE", "default")
# The number of trusted proxies in front (nginx: 1). Only then are X-Forwarded-For (the
# visitor's address, for the limits) and X-Forwarded-Proto (HTTPS) believed; `luoshi serve`
# refuses PROXIES>0 on an address other than loopback, where anyone could forge them.
PROXIES = int(env("PROXIES", "0"))
NINJA_NUM_PROXIES = PROXIES

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["luoshi.accounts.backends.UsernameOrMobileBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out: this many failed log-ins in a row lock the account for LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = int(env("LOGIN_MAX_FAILURES", "5"))
LOCKOUT_MINUTES = int(env("LOCKOUT_MINUTES", "15"))

SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"
# Behind nginx with TLS (docs/OPERATIONS.md): SECURE_COOKIES=1 also redirects to HTTPS and sends
# HSTS (HSTS_SECONDS, default a year); the proxy's X-Forwarded-Proto is trusted only when
# PROXIES says a proxy is there (otherwise any client could claim HTTPS).
SECURE_SSL_REDIRECT = env_bool("SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000")) if env_bool("SECURE_COOKIES") else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXIES > 0 else None
SECURE_REDIRECT_EXEMPT = [r"^health/(jobs/)?$"]  # the monitor may probe over plain HTTP inside
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_COOKIES")
# The browsers' HSTS preload list is for sites on the public internet; a government intranet
# host cannot be on it, so that one deploy check does not apply.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "luoshi" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "luoshi" / "static",
    # Front-end libraries come from package.json through npm, never from a CDN.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the finders so a fresh checkout works without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notification channels. E-mail over SMTP when EMAIL_HOST is set (console otherwise);
# SMS through an HTTP gateway that takes POST {"mobile", "text"}.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "luoshi@localhost")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL")

PAGE_SIZE = int(env("PAGE_SIZE", "50"))

# Official documents (通报, 专报): the issuing office as printed in the red header, the
# prefix of its document numbers (e.g. 示例督考〔2026〕3号), and the working days a named
# unit has to answer. Empty issuer/prefix: derived from the scheme's jurisdiction.
LUOSHI_ISSUER = env("LUOSHI_ISSUER")
LUOSHI_DOC_PREFIX = env("LUOSHI_DOC_PREFIX")
LUOSHI_BULLETIN_REPLY_DAYS = int(env("LUOSHI_BULLETIN_REPLY_DAYS", "5"))
# Published rankings and scorecards readable without log-in (让群众来评判); off by default.
LUOSHI_PUBLIC_RESULTS = env_bool("LUOSHI_PUBLIC_RESULTS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Audit trail (docs/OPERATIONS.md, "Audit trail"). The signing key is a file on the
# application hosts, never in the database: empty means var/audit_signing_key.pem, made on
# first use. AUDIT_TRUSTED_KEYS_FILE: public keys of earlier signing keys (PEM bundle).
AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE", "")
AUDIT_TRUSTED_KEYS_FILE = os.environ.get("AUDIT_TRUSTED_KEYS_FILE", "")
# When events join the chain: "after-commit" (no lock held by writers; the PostgreSQL
# default) or "inline" (inside the action's transaction; SQLite queues writers anyway).
AUDIT_SEAL = env(
    "AUDIT_SEAL",
    "inline" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "after-commit",
)
if AUDIT_SEAL not in {"after-commit", "inline"}:
    raise ValueError(f"AUDIT_SEAL must be after-commit or inline, not {AUDIT_SEAL!r}")
# Signed checkpoints: taken by the scheduler this often, kept in AUDIT_CHECKPOINT_DIR and sent
# to the observers of the top-level unit (as their preferences say) and to these e-mail
# addresses and group robots (纪检, 人大: docs/OPERATIONS.md).
AUDIT_CHECKPOINT_HOURS = float(env("AUDIT_CHECKPOINT_HOURS", "24"))
AUDIT_CHECKPOINT_DIR = Path(env("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))
AUDIT_CHECKPOINT_EMAILS = [
    a.strip() for a in env("AUDIT_CHECKPOINT_EMAILS").split(",") if a.strip()
]
AUDIT_CHECKPOINT_WEBHOOKS = [
    u.strip() for u in env("AUDIT_CHECKPOINT_WEBHOOKS").split(",") if u.strip()
]
# PostgreSQL: the role the application connects as; `luoshi migrate` (run as the owner) then
# takes UPDATE, DELETE and TRUNCATE on the audit tables away from it (audit/lockdown.py).
AUDIT_DB_APP_ROLE = env("AUDIT_DB_APP_ROLE")
