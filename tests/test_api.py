"""The JSON API: public reads, reviewer and source-admin writes, the rules' answers."""

import io

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Citation, Claim, ClaimLink, Flag, Note, Source


@pytest.fixture
def api():
    return APIClient()


def test_documents_list_and_detail(api, seed_document):
    assert api.get("/api/documents/").json()[0]["slug"] == "oklahoma-ice-benefits"
    data = api.get("/api/documents/oklahoma-ice-benefits/").json()
    assert set(data) == {"document", "answers", "links"} and len(data["answers"]) == 20
    assert api.get("/api/documents/nope/").status_code == 404


def test_claims_list_uses_the_html_filters(api, seed_document):
    data = api.get("/api/claims/?kind=advice").json()
    assert data["count"] == Claim.objects.live().filter(kind="advice").count() > 0
    assert {c["kind"] for c in data["results"]} == {"advice"}
    assert api.get("/api/claims/?question=x").status_code == 400


def test_claim_detail_has_version_evidence_public_notes_history_links(api, claim, reviewer, source):
    Citation.objects.create(claim=claim, source=source, stance="refutes", quote="open only")
    Note.objects.create(claim=claim, body="public remark", public=True)
    Note.objects.create(claim=claim, body="internal remark", public=False)
    claim.set_status("in_review", by=reviewer, note="looking")
    data = api.get(f"/api/claims/{claim.uuid}/").json()
    assert data["id"] == str(claim.uuid) and data["version"] == 2
    assert data["citations"][0]["source"] == source.pk
    assert [n["body"] for n in data["notes"]] == ["public remark"]
    assert data["history"][0]["note"] == "looking" and data["history"][0]["by"] == "rita"
    assert data["links"] and data["links"][0]["relation"] in ("contradicts", "same_as")


def writes(claim, source, flag, link):
    base = f"/api/claims/{claim.uuid}"
    return {
        "status": (
            f"{base}/status",
            {"status": "in_review", "version": 1},
            200,
            lambda: Claim.objects.get(pk=claim.pk).status == "in_review",
        ),
        "citation": (
            f"{base}/citations",
            {"source": source.pk, "stance": "refutes", "quote": "q", "locator": "§ 1"},
            201,
            lambda: Citation.objects.filter(claim=claim).exists(),
        ),
        "note": (
            f"{base}/notes",
            {"body": "n", "public": True},
            201,
            lambda: Note.objects.filter(claim=claim).exists(),
        ),
        "flag": (
            f"{base}/flags",
            {"reason": "possibly_false", "comment": "c"},
            201,
            lambda: Flag.objects.filter(reason="possibly_false").exists(),
        ),
        "resolve": (
            f"/api/flags/{flag.pk}/resolve",
            {"resolution": "done"},
            200,
            lambda: Flag.objects.get(pk=flag.pk).resolved_at is not None,
        ),
        "confirm": (
            f"/api/links/{link.pk}/confirm",
            {},
            200,
            lambda: ClaimLink.objects.get(pk=link.pk).state == "confirmed",
        ),
        "reject": (
            f"/api/links/{link.pk}/reject",
            {"note": "no"},
            200,
            lambda: ClaimLink.objects.get(pk=link.pk).state == "rejected",
        ),
    }


ACTIONS = ["status", "citation", "note", "flag", "resolve", "confirm", "reject"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["anonymous", "plain_user", "source_admin"])
def test_only_reviewers_may_write(api, request, claim, source, flag, link, action, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    url, data, _, took_effect = writes(claim, source, flag, link)[action]
    response = api.post(url, data, format="json")
    assert response.status_code == (401 if who == "anonymous" else 403)
    assert not took_effect()


@pytest.mark.parametrize("action", ACTIONS)
def test_reviewers_may_write(api, reviewer, claim, source, flag, link, action):
    api.force_authenticate(reviewer)
    url, data, code, took_effect = writes(claim, source, flag, link)[action]
    response = api.post(url, data, format="json")
    assert response.status_code == code, response.content
    assert took_effect()


def test_a_new_flag_answers_with_its_id(api, reviewer, claim):
    api.force_authenticate(reviewer)
    data = api.post(f"/api/claims/{claim.uuid}/flags", {"reason": "other"}, format="json").json()
    assert Flag.objects.get(pk=data["id"]).claim == claim


def test_a_broken_rule_answers_400_naming_it(api, reviewer, claim):
    api.force_authenticate(reviewer)
    response = api.post(
        f"/api/claims/{claim.uuid}/status",
        {"status": "refuted", "note": "wrong", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == "Refuted needs a citation that refutes the claim; add one first"
    )


def test_a_stale_version_answers_409_before_any_rule(api, reviewer, other_reviewer, claim):
    claim.set_status("in_review", by=other_reviewer)
    api.force_authenticate(reviewer)
    response = api.post(
        f"/api/claims/{claim.uuid}/status", {"status": "supported", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert "oscar changed this claim" in response.json()["detail"]


def test_a_status_change_answers_with_the_new_claim(api, reviewer, claim):
    api.force_authenticate(reviewer)
    data = api.post(
        f"/api/claims/{claim.uuid}/status", {"status": "in_review", "version": 1}, format="json"
    ).json()
    assert (data["status"], data["version"], data["history"][0]["new_status"]) == (
        "in_review",
        2,
        "in_review",
    )


def test_bad_bodies_answer_400(api, reviewer, claim):
    api.force_authenticate(reviewer)
    bad = [
        (f"/api/claims/{claim.uuid}/status", {"status": "true", "version": 1}),
        (f"/api/claims/{claim.uuid}/status", {"status": "in_review"}),
        (f"/api/claims/{claim.uuid}/citations", {"source": 99999, "stance": "supports"}),
        (f"/api/claims/{claim.uuid}/flags", {"reason": "bored"}),
    ]
    for url, body in bad:
        assert api.post(url, body, format="json").status_code == 400, (url, body)
    assert Claim.objects.get(pk=claim.pk).version == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("anonymous", 401), ("plain_user", 403), ("reviewer", 403), ("source_admin", 201)],
)
def test_only_source_admins_add_sources(api, request, db, who, code):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    body = {"title": "A statute", "url": "https://example.org/s", "kind": "statute"}
    response = api.post("/api/sources/", body, format="json")
    assert response.status_code == code
    assert Source.objects.filter(title="A statute").exists() == (code == 201)
    if code == 201:
        assert response.json()["id"] == Source.objects.get(title="A statute").pk


def test_a_token_from_the_command_authenticates(api, reviewer, claim):
    call_command("drf_create_token", "rita", stdout=io.StringIO())
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=reviewer).key}")
    response = api.post(
        f"/api/claims/{claim.uuid}/notes", {"body": "by token", "public": False}, format="json"
    )
    assert response.status_code == 201 and Note.objects.get().author == reviewer


def test_session_writes_need_csrf(reviewer, claim):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(reviewer)
    response = api.post(f"/api/claims/{claim.uuid}/notes", {"body": "x"}, format="json")
    assert response.status_code == 403 and not Note.objects.exists()


def test_the_openapi_schema_is_served(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/claims/{uuid}/status" in response.content


def test_the_openapi_schema_builds_without_warnings(tmp_path):
    # --fail-on-warn turns any of drf-spectacular's warnings (an unguessable type, a clashing
    # enum name) into an error; --validate checks the result against the OpenAPI 3 schema.
    out = io.StringIO()
    call_command(
        "spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"), stderr=out
    )
    assert out.getvalue() == ""
    assert "/api/claims/{uuid}/status" in (tmp_path / "s.yml").read_text()
