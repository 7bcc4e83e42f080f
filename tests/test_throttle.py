"""Sign-in throttling: five failures for a username or an address pause sign-in for a while.

These run with the real configuration (django-axes, its database handler, the settings)."""

import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from claims.models import Note

# The site's form and the admin's, with what each says to a wrong password.
LOGINS = {
    "site": ("/accounts/login/", "Your username and password did not match"),
    "admin": ("/admin/login/", "Please enter the correct username and password"),
}
PAUSED = "Too many failed sign-ins for this account or from this address. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing is not under test here, and these tests check dozens of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, url, username, password, address):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("form", LOGINS)
def test_five_failures_pause_sign_in_even_with_the_right_password(client, superuser, form, caplog):
    url, wrong = LOGINS[form]
    for _ in range(4):
        response = sign_in(client, url, "ada", "guess", "10.0.0.1")
        assert response.status_code == 200 and wrong in response.content.decode()
    with caplog.at_level(logging.WARNING, logger="axes"):
        fifth = sign_in(client, url, "ada", "guess", "10.0.0.1")
    assert fifth.status_code == 429
    locks = [r for r in caplog.records if "Locking out" in r.getMessage()]
    assert len(locks) == 1 and locks[0].levelno == logging.WARNING
    assert 'username: "ada"' in locks[0].getMessage()
    assert 'ip_address: "10.0.0.1"' in locks[0].getMessage()
    assert f'path_info: "{url}"' in locks[0].getMessage()

    sixth = sign_in(client, url, "ada", "pw-ada", "10.0.0.1")
    assert sixth.status_code == 429
    assert sixth["Retry-After"] == "900"
    assert PAUSED in sixth.content.decode()
    assert not signed_in(client)


def test_the_lockout_counts_the_site_and_the_admin_together(client, superuser):
    for url in ["/accounts/login/", "/admin/login/"] * 2 + ["/accounts/login/"]:
        sign_in(client, url, "ada", "guess", "10.0.0.1")
    response = sign_in(client, "/admin/login/", "ada", "pw-ada", "10.0.0.1")
    assert response.status_code == 429 and not signed_in(client)


def lock_out(client, username, address):
    for _ in range(5):
        sign_in(client, "/accounts/login/", username, "guess", address)


def test_another_user_from_another_address_still_signs_in(client, reviewer, source_admin):
    lock_out(client, "rita", "10.0.0.1")
    response = sign_in(client, "/accounts/login/", "sam", "pw-sam", "10.0.0.2")
    assert response.status_code == 302 and signed_in(client)


def test_a_locked_username_is_refused_from_any_address(client, reviewer):
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"]:
        sign_in(client, "/accounts/login/", "rita", "guess", address)
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.9")
    assert response.status_code == 429 and not signed_in(client)


def test_a_locked_address_is_refused_for_any_username(client, reviewer):
    for username in ["ann", "bob", "cy", "dee", "eve"]:
        sign_in(client, "/accounts/login/", username, "guess", "10.0.0.1")
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 429 and not signed_in(client)


def test_four_failures_do_not_lock(client, reviewer):
    for _ in range(4):
        sign_in(client, "/accounts/login/", "rita", "guess", "10.0.0.1")
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 302 and signed_in(client)


def test_sign_in_opens_again_after_the_cool_off(client, reviewer):
    lock_out(client, "rita", "10.0.0.1")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 302 and signed_in(client)


def test_the_cool_off_is_configurable(client, reviewer, settings):
    settings.LOGIN_COOLOFF_MINUTES = 30
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    lock_out(client, "rita", "10.0.0.1")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 429
    assert "Try again in 30 minutes." in response.content.decode()
    assert response["Retry-After"] == "1800"


def test_an_admin_unlocks_with_axes_reset(client, reviewer):
    lock_out(client, "rita", "10.0.0.1")
    call_command("axes_reset_username", "rita", stdout=io.StringIO())
    call_command("axes_reset_ip", "10.0.0.1", stdout=io.StringIO())
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 302 and signed_in(client)


def test_api_tokens_and_sessions_still_work_for_a_locked_out_user(client, reviewer, claim):
    from rest_framework.test import APIClient

    lock_out(client, "rita", "10.0.0.1")
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    token = Token.objects.create(user=reviewer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(f"/api/claims/{claim.uuid}/notes", {"body": "by token"}, format="json")
    assert response.status_code == 201


def test_a_session_from_the_sign_in_form_writes_through_the_api(client, reviewer, claim):
    response = sign_in(client, "/accounts/login/", "rita", "pw-rita", "10.0.0.1")
    assert response.status_code == 302
    response = client.post(
        f"/api/claims/{claim.uuid}/notes", {"body": "by session"}, content_type="application/json"
    )
    assert response.status_code == 201 and Note.objects.get().author == reviewer


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left entry was forged
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_address_behind_trusted_proxies(client, reviewer, settings, count, forwarded, expected):
    settings.PROXY_COUNT = count
    client.post(
        "/accounts/login/",
        {"username": "rita", "password": "guess"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert AccessAttempt.objects.get().ip_address == expected
