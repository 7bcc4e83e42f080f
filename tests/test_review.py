"""The reviewer screens: every write tried by each kind of user, and the rules' messages."""

import pytest

from claims.models import Citation, Claim, ClaimLink, Flag, Note, Source, StatusChange


def writes(claim, source, flag, link):
    """(url, data, how to tell it took effect) for every write form."""
    base = f"/review/claims/{claim.uuid}"
    return {
        "status": (
            f"{base}/status",
            {"status": "in_review", "note": "", "version": 1},
            lambda: Claim.objects.get(pk=claim.pk).status == "in_review",
        ),
        "citation": (
            f"{base}/citations",
            {"source": source.pk, "stance": "refutes"},
            lambda: Citation.objects.filter(claim=claim).exists(),
        ),
        "note": (
            f"{base}/notes",
            {"body": "a note", "public": "on"},
            lambda: Note.objects.filter(claim=claim, body="a note").exists(),
        ),
        "flag": (
            f"{base}/flags",
            {"reason": "possibly_false", "comment": "hm"},
            lambda: Flag.objects.filter(reason="possibly_false").exists(),
        ),
        "resolve": (
            f"/review/flags/{flag.pk}/resolve",
            {"resolution": "done"},
            lambda: Flag.objects.get(pk=flag.pk).resolved_at is not None,
        ),
        "confirm": (
            f"/review/links/{link.pk}/confirm",
            {},
            lambda: ClaimLink.objects.get(pk=link.pk).state == "confirmed",
        ),
        "reject": (
            f"/review/links/{link.pk}/reject",
            {"note": "unrelated"},
            lambda: ClaimLink.objects.get(pk=link.pk).state == "rejected",
        ),
        "edit": (
            f"{base}/edit",
            {"start": claim.start, "end": claim.start + 30, "text": "T.", "version": 1},
            lambda: Claim.objects.get(pk=claim.pk).text == "T.",
        ),
        "split": (
            f"{base}/split",
            {"at": claim.start + 30, "version": 1},
            lambda: Claim.objects.filter(rule="reviewer:split").exists(),
        ),
        "not_claim": (
            f"{base}/not-a-claim",
            {"version": 1},
            lambda: not Claim.objects.get(pk=claim.pk).checkworthy,
        ),
        "bulk": (
            "/review/bulk",
            {"action": "in_review", "claims": [str(claim.uuid)]},
            lambda: Claim.objects.get(pk=claim.pk).status == "in_review",
        ),
    }


ACTIONS = [
    "status",
    "citation",
    "note",
    "flag",
    "resolve",
    "confirm",
    "reject",
    "edit",
    "split",
    "not_claim",
    "bulk",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["anonymous", "plain_user", "source_admin"])
def test_only_reviewers_may_write(client, request, claim, source, flag, link, action, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url, data, took_effect = writes(claim, source, flag, link)[action]
    response = client.post(url, data)
    assert response.status_code == 403
    assert not took_effect()


@pytest.mark.parametrize("action", ACTIONS)
def test_reviewers_may_write(client, reviewer, claim, source, flag, link, action):
    client.force_login(reviewer)
    url, data, took_effect = writes(claim, source, flag, link)[action]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert took_effect()


@pytest.mark.parametrize("action", ["status", "citation", "note", "resolve", "confirm", "edit"])
def test_a_get_on_a_write_url_is_refused(client, reviewer, claim, source, flag, link, action):
    client.force_login(reviewer)
    url, _, took_effect = writes(claim, source, flag, link)[action]
    assert client.get(url).status_code == 405
    assert not took_effect()


def test_the_review_pages_send_anonymous_readers_to_sign_in(client, claim):
    for url in ["/review/", f"/review/claims/{claim.uuid}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_review_pages_refuse_users_without_the_reviewer_group(client, plain_user, claim):
    client.force_login(plain_user)
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/claims/{claim.uuid}/").status_code == 403


@pytest.mark.parametrize("tab", ["unverified", "flags", "links", "recent"])
def test_each_queue_tab_lists_its_items(
    client, reviewer, claim, flag, tab, django_assert_max_num_queries
):
    claim.set_status("in_review", by=reviewer, note="looking")
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        body = client.get(f"/review/?tab={tab}").content.decode()
    expected = {
        "unverified": str(Claim.objects.filter(status="unverified", checkworthy=True).first().uuid),
        "flags": "Needs a source",
        "links": ClaimLink.objects.filter(state="suggested", relation="contradicts").first().rule,
        "recent": "looking",
    }[tab]
    assert expected in body


def test_open_flags_come_oldest_first(client, reviewer, claim, flag):
    newer = Flag.objects.create(
        claim=claim, reason="other", comment="newer one", raised_by=reviewer
    )
    client.force_login(reviewer)
    body = client.get("/review/?tab=flags").content.decode()
    assert body.index("Needs a source") < body.index(newer.comment)


def test_a_broken_rule_shows_its_message_and_keeps_what_was_typed(client, reviewer, claim):
    client.force_login(reviewer)
    response = client.post(
        f"/review/claims/{claim.uuid}/status",
        {"status": "supported", "note": "my careful reasoning", "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Supported needs a citation that supports the claim" in body
    assert "my careful reasoning" in body
    assert not StatusChange.objects.exists()


def test_a_stale_form_says_who_changed_the_claim_and_keeps_the_text(
    client, reviewer, other_reviewer, claim
):
    claim.set_status("in_review", by=other_reviewer)
    client.force_login(reviewer)
    response = client.post(
        f"/review/claims/{claim.uuid}/status",
        {"status": "unsupported", "note": "searched everywhere", "version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "oscar changed this claim at" in body and "searched everywhere" in body
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_the_citation_form_finds_sources_by_search(client, reviewer, claim, source):
    Source.objects.create(title="Unrelated report", url="https://example.org/r")
    client.force_login(reviewer)
    body = client.get(f"/review/claims/{claim.uuid}/?source_q=183").content.decode()
    assert "56 O.S. § 183" in body and "Unrelated report" not in body


def test_merging_through_the_form(client, reviewer, seed_document):
    first, second = Claim.objects.filter(answer__number=2).order_by("start")[:2]
    client.force_login(reviewer)
    response = client.post(
        f"/review/claims/{first.uuid}/merge", {"other": str(second.uuid), "version": 1}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id == first.pk


def test_the_public_claim_page_links_to_its_review_page_and_back(client, reviewer, claim):
    assert f"/review/claims/{claim.uuid}/" in client.get(f"/claims/{claim.uuid}/").content.decode()
    client.force_login(reviewer)
    assert (
        f'href="/claims/{claim.uuid}/"'
        in client.get(f"/review/claims/{claim.uuid}/").content.decode()
    )
