import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT

PROBE = "from django.conf import settings as s; s.SECRET_KEY; print(({}))"


def settings_of(expression, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="tracker.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(expression)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_and_https_on_by_default():
    result = settings_of(
        "s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS",
        DJANGO_SECRET_KEY="k",
    )
    assert result.stdout.strip() == "(False, True, True, 31536000)"


def test_https_0_turns_off_redirect_hsts_and_secure_cookies_only():
    result = settings_of(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS",
        DJANGO_SECRET_KEY="k",
        DJANGO_HTTPS="0",
    )
    assert result.stdout.strip() == "(False, False, False, 0, 'DENY')"


def test_sqlite_is_the_default_with_immediate_transactions():
    result = settings_of(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS']['transaction_mode']",
        DJANGO_SECRET_KEY="k",
    )
    assert result.stdout.strip() == "('django.db.backends.sqlite3', 'IMMEDIATE')"


def test_database_url_picks_postgresql():
    result = settings_of(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DJANGO_SECRET_KEY="k",
        DATABASE_URL="postgres://u@127.0.0.1:5432/tracker",
    )
    assert result.stdout.strip() == "('django.db.backends.postgresql', 'tracker')"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1"),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_DEBUG": "yes"},
            "DJANGO_DEBUG must be 0 or 1, not 'yes'",
        ),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_HTTPS": "off"},
            "DJANGO_HTTPS must be 0 or 1, not 'off'",
        ),
    ],
)
def test_bad_settings_fail_loudly(env, message):
    result = settings_of("s.DEBUG", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_1_needs_no_secret():
    assert settings_of("s.DEBUG", DJANGO_DEBUG="1").stdout.strip() == "True"


def test_the_suite_runs_on_the_database_that_database_url_names():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_database_health_checks_are_off_unless_asked_for():
    probe = "s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DATABASES['default']['CONN_MAX_AGE']"
    assert settings_of(probe, DJANGO_SECRET_KEY="k").stdout.strip() == "(False, 60)"
    on = settings_of(probe, DJANGO_SECRET_KEY="k", DATABASE_HEALTH_CHECKS="1")
    assert on.stdout.strip() == "(True, 60)"
    wrong = settings_of(probe, DJANGO_SECRET_KEY="k", DATABASE_HEALTH_CHECKS="yes")
    assert wrong.returncode != 0 and "DATABASE_HEALTH_CHECKS must be 0 or 1" in wrong.stderr


def test_postgresql_statements_are_prepared_unless_turned_off():
    probe = "s.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold')"
    url = "postgres://postgres@127.0.0.1:5432/unused"
    on = settings_of(probe, DJANGO_SECRET_KEY="k", DATABASE_URL=url)
    assert on.stdout.strip() == "5"
    binding = "s.DATABASES['default']['OPTIONS']['server_side_binding']"
    assert settings_of(binding, DJANGO_SECRET_KEY="k", DATABASE_URL=url).stdout.strip() == "True"
    off = settings_of(
        probe, DJANGO_SECRET_KEY="k", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0"
    )
    assert off.stdout.strip() == "None"
    wrong = settings_of(
        probe, DJANGO_SECRET_KEY="k", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="on"
    )
    assert wrong.returncode != 0
    assert "DATABASE_PREPARED_STATEMENTS must be 0 or 1" in wrong.stderr
    on_sqlite = settings_of(probe, DJANGO_SECRET_KEY="k", DATABASE_PREPARED_STATEMENTS="on")
    assert on_sqlite.returncode != 0
    assert "DATABASE_PREPARED_STATEMENTS must be 0 or 1" in on_sqlite.stderr


def test_sqlite_runs_in_write_ahead_log_mode_and_checkpoints_every_10000_pages(tmp_path):
    cursor = "__import__('django.db').db.connection.cursor()"
    probe = (
        "__import__('django').setup(), "
        f"{cursor}.execute('PRAGMA journal_mode').fetchone(), "
        f"{cursor}.execute('PRAGMA wal_autocheckpoint').fetchone()"
    )
    result = settings_of(
        probe, DJANGO_SECRET_KEY="k", DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    )
    assert result.stdout.strip() == "(None, ('wal',), (10000,))", result.stderr


def production_env(**env):
    """Only what a production deployment must set, and PATH."""
    from django.core.management.utils import get_random_secret_key

    key = get_random_secret_key()
    assert len(key) == 50
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": key,
        "DJANGO_ALLOWED_HOSTS": "claims.example.org",
        **env,
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_finds_nothing_with_only_a_secret_and_hosts():
    result = manage("check", "--deploy", env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert result.stderr == ""


def test_hsts_preload_is_opt_in_and_then_nothing_is_silenced():
    result = manage("check", "--deploy", env=production_env(DJANGO_HSTS_PRELOAD="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_deploy_check_names_what_https_0_turns_off_and_nothing_else():
    result = manage("check", "--deploy", env=production_env(DJANGO_HTTPS="0"))
    found = sorted(set(re.findall(r"\(security\.(W\d+)\)", result.stderr)))
    # HSTS, SSL redirect, secure session cookie, secure CSRF cookie.
    assert found == ["W004", "W008", "W012", "W016"]


def test_the_deploy_check_catches_a_weak_secret():
    result = manage("check", "--deploy", env=production_env(DJANGO_SECRET_KEY="too-short"))
    assert "(security.W009)" in result.stderr


# Production mode end to end, through the real middleware: /healthz needs no database.
PRODUCTION_REQUESTS = """
import django
django.setup()
from django.test import Client
plain = Client().get("/healthz")
secure = Client().get("/healthz", secure=True)
login = Client().get("/accounts/login/", secure=True)
print(plain.status_code, plain["Location"])
print(secure.status_code, secure["Strict-Transport-Security"])
print(login.cookies["csrftoken"]["secure"])
"""


def test_production_mode_redirects_to_https_sends_hsts_and_secure_cookies():
    env = production_env(
        DJANGO_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="tracker.settings"
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://testserver/healthz",
        "200 max-age=31536000; includeSubDomains",
        "True",
    ]


def test_the_login_cool_off_comes_from_the_environment():
    result = settings_of("s.AXES_COOLOFF_TIME.total_seconds()", DJANGO_SECRET_KEY="k")
    assert result.stdout.strip() == "900.0"
    result = settings_of(
        "s.AXES_COOLOFF_TIME.total_seconds()",
        DJANGO_SECRET_KEY="k",
        CLAIMS_LOGIN_COOLOFF_MINUTES="30",
    )
    assert result.stdout.strip() == "1800.0"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CLAIMS_LOGIN_COOLOFF_MINUTES": "0"}, "CLAIMS_LOGIN_COOLOFF_MINUTES must be at least 1"),
        (
            {"CLAIMS_LOGIN_COOLOFF_MINUTES": "soon"},
            "CLAIMS_LOGIN_COOLOFF_MINUTES must be a whole number, not 'soon'",
        ),
        ({"CLAIMS_PROXY_COUNT": "-1"}, "CLAIMS_PROXY_COUNT must be 0 or more, not -1"),
        ({"DJANGO_HSTS_PRELOAD": "yes"}, "DJANGO_HSTS_PRELOAD must be 0 or 1, not 'yes'"),
    ],
)
def test_bad_security_settings_fail_loudly(env, message):
    result = settings_of("s.DEBUG", DJANGO_SECRET_KEY="k", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1"),
        (
            {"DJANGO_SECRET_KEY": "k", "DJANGO_HTTPS": "maybe"},
            "configuration error: DJANGO_HTTPS must be 0 or 1, not 'maybe'",
        ),
    ],
)
def test_manage_py_names_a_bad_setting_in_one_line(env, message):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = manage("check", env={**clean, **env})
    assert result.returncode == 1
    assert result.stderr.strip() == message
