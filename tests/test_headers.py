"""Security headers on every kind of response: public pages, the admin, the API, errors."""

import pytest

from claims.models import Claim

POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response):
    parts = response["Content-Security-Policy"].split(";")
    return dict(part.strip().split(" ", 1) for part in parts)


def assert_secure_headers(response):
    assert policy(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/d/oklahoma-ice-benefits/",
        "/claims/",
        "/accounts/login/",
        "/admin/login/",
        "/api/claims/",
        "/api/schema/",
        "/d/oklahoma-ice-benefits/claims.csv",
    ],
)
def test_anonymous_responses_carry_the_security_headers(client, seed_document, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_secure_headers(response)


def test_a_cached_public_page_carries_them_too(client, seed_document):
    claim = Claim.objects.filter(checkworthy=True).first()
    first = client.get(f"/claims/{claim.uuid}/")
    again = client.get(f"/claims/{claim.uuid}/")  # served from the page cache
    assert first.content == again.content
    assert_secure_headers(again)
    not_modified = client.get(f"/claims/{claim.uuid}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert_secure_headers(not_modified)


def test_admin_pages_carry_them(client, superuser, seed_document):
    client.force_login(superuser)
    for url in ["/admin/", "/admin/claims/claim/", "/admin/claims/source/add/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)


def test_api_writes_and_refusals_carry_them(client, reviewer, claim):
    refused = client.post(f"/api/claims/{claim.uuid}/notes", {"body": "x"})
    assert refused.status_code == 401
    assert_secure_headers(refused)
    client.force_login(reviewer)
    created = client.post(
        f"/api/claims/{claim.uuid}/notes", {"body": "x"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert_secure_headers(created)


def test_errors_carry_them(client, db):
    response = client.get("/claims/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert_secure_headers(response)
