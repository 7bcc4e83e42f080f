import os
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


def test_sqlite_runs_in_write_ahead_log_mode(tmp_path):
    probe = (
        "__import__('django').setup(), "
        "__import__('django.db').db.connection.cursor().execute('PRAGMA journal_mode').fetchone()"
    )
    result = settings_of(
        probe, DJANGO_SECRET_KEY="k", DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    )
    assert result.stdout.strip() == "(None, ('wal',))", result.stderr
