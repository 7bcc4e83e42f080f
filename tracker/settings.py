"""Settings for Claim Tracker, read from the environment.

Every variable is documented in the README. Bad values fail loudly at start-up rather than
being guessed at.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    """A 0/1 switch; anything else is a configuration error, not a silent False."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")
    return value == "1"


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_flag("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1")
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG=1"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Its search expressions serve the claim search on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "axes",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Readers' requests for stored public pages end here, with the headers the middleware
    # below gave the page when it was rendered (claims.cache).
    "claims.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.context_processors.site_urls",
            ],
        },
    },
]

# With no DATABASE_URL the embedded default is a SQLite file in the project folder.
# Connections are kept for a minute: opening a PostgreSQL connection costs about 10 ms, far more
# than serving a cached page. A health check before reuse would add a round trip to every
# request, so it is off unless DATABASE_HEALTH_CHECKS=1; without it, a request that finds the
# connection dead (the server restarted) fails once and the next one reconnects.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_flag("DATABASE_HEALTH_CHECKS", False),
    )
}
# The flag is read first, whatever the database, so a wrong value fails on SQLite too.
if (
    env_flag("DATABASE_PREPARED_STATEMENTS", True)
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    # PostgreSQL plans each statement it is sent; planning the page reads cost it more than
    # running them (the uncached document page: 1.5 ms of its CPU, 0.7 ms prepared). With
    # parameters bound by the server, psycopg prepares a statement on its sixth run on a
    # connection and the server reuses the plan. A pooler in transaction mode that cannot
    # keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements)
    # needs DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # select_for_update() is a no-op on SQLite. IMMEDIATE transactions take the write lock at
    # BEGIN, so two reviewers racing on one claim queue behind each other (for up to the busy
    # timeout) instead of one failing with "database is locked" halfway through.
    # Write-ahead logging lets pages read while a write is in progress and makes a commit one
    # append and one sync instead of a rollback journal's several. The log is copied into the
    # database (a checkpoint) once it holds 10,000 pages (40 MB) rather than SQLite's 1,000:
    # by 1,000 documents an import writes about 300 pages, many of them the index pages the
    # imports before it wrote, and with the default every third commit copied them all again
    # (commit 4.0 ms a document at the thousandth, 2.7 ms with this).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=10000;",
        }
    )
    # Tests use a file too: an in-memory database shared between threads locks whole tables
    # and fails at once instead of waiting, which hides how real concurrent writers behave.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review-queue"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# With debug off, static files are served from STATIC_ROOT with hashed names, so
# `collectstatic` must have run: `make serve` and `make test` run it.
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS is the default. DJANGO_HTTPS=0 serves plain HTTP on a local machine: it turns off the
# SSL redirect, HSTS and secure-only cookies, and nothing else.
HTTPS = env_flag("DJANGO_HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# A year of HSTS, for subdomains too. Preload is opt-in (DJANGO_HSTS_PRELOAD=1): with the
# directive sent, anyone may submit the domain to the browsers' preload list, which is hard to
# leave and binds every subdomain, so hstspreload.org asks projects not to send it by default.
# Django's check for it (security.W021) is silenced only while it is off by that choice.
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
HSTS_PRELOAD = env_flag("DJANGO_HSTS_PRELOAD", False)
SECURE_HSTS_PRELOAD = HTTPS and HSTS_PRELOAD
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD or not HTTPS else ["security.W021"]
# The TLS-terminating proxy in front says so in this header (docs/scaling.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only,
# never inline (no template has an inline script, style or event handler; the ClaimReview
# JSON-LD block is data, which the policy does not cover). The admin's are static files too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes), on the site's and the admin's login forms alike: five
# failures for one username, or from one address, refuse every further try for the cool-off,
# counted from the last try. Tokens and sessions of the API are not sign-ins and not counted.
LOGIN_COOLOFF_MINUTES = env_int("CLAIMS_LOGIN_COOLOFF_MINUTES", 15)
if LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        f"CLAIMS_LOGIN_COOLOFF_MINUTES must be at least 1, not {LOGIN_COOLOFF_MINUTES}"
    )
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_CALLABLE = "claims.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "claims.throttle.client_ip"
# The lockout is logged with the username and address, so that whoever reads the log can act.
AXES_SENSITIVE_PARAMETERS = []
# Behind reverse proxies every request comes from the nearest proxy's address; with their
# number here the client's address is read from X-Forwarded-For instead (claims/throttle.py).
PROXY_COUNT = env_int("CLAIMS_PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"CLAIMS_PROXY_COUNT must be 0 or more, not {PROXY_COUNT}")

# Rendered public pages. Workers of `make serve` share no memory, so several app servers need
# REDIS_URL; a page is only served under its document's current version in any case.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# 0 turns the page cache off (the benchmarks measure uncached pages with it).
CLAIMS_PAGE_CACHE = env_flag("CLAIMS_PAGE_CACHE", True)

REST_FRAMEWORK = {
    # Token first, so an anonymous write is answered 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are public; every write view names the permission it needs.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim Tracker API",
    "DESCRIPTION": "Claims from AI-written answers, their verification status and evidence.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two models have a "kind": name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.ClaimKind",
        "SourceKindEnum": "claims.models.SourceKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The largest FAQ file the importer accepts, in bytes. Real FAQs are tens of kilobytes.
CLAIMS_MAX_IMPORT_BYTES = env_int("CLAIMS_MAX_IMPORT_BYTES", 2_000_000)

# Named as the fact-checker in published reviews, and where readers report errors.
CLAIMS_ORGANIZATION = os.environ.get("CLAIMS_ORGANIZATION", "Claim Tracker")
CLAIMS_CONTACT_EMAIL = os.environ.get("CLAIMS_CONTACT_EMAIL", "corrections@example.org")
