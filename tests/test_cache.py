"""Public pages are cached under their document's version: every change shows at once."""

import io
import time

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django.utils.http import http_date

from claims.importer import import_faq
from claims.models import Citation, Claim, ClaimLink, Document, Note, Source


def pages(claim):
    return [f"/d/{claim.answer.document.slug}/", f"/claims/{claim.uuid}/"]


def version(claim):
    return Document.objects.get(pk=claim.answer.document_id).cache_version


CHANGES = {
    "status": lambda c, r: c.set_status("in_review", by=r, note="x"),
    "citation": lambda c, r: Citation.objects.create(
        claim=c,
        source=Source.objects.create(title="Src", url="https://example.org/c"),
        stance="context",
    ),
    "note": lambda c, r: Note.objects.create(claim=c, body="Public remark", public=True),
    "link": lambda c, r: (
        ClaimLink.objects.filter(relation="contradicts").first().reject(by=r, note="not really")
    ),
    "edit": lambda c, r: c.edit(by=r, version=c.version, text="Edited wording."),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_shows_on_the_next_request(client, claim, reviewer, change):
    before = [client.get(url).content for url in pages(claim)]
    assert [client.get(url).content for url in pages(claim)] == before  # served from cache
    old = version(claim)
    CHANGES[change](claim, reviewer)
    assert version(claim) > old
    after = [client.get(url).content for url in pages(claim)]
    assert after[0] != before[0] or after[1] != before[1]


def test_a_reimport_shows_on_the_next_request(client, seed_document, seed_bytes):
    assert b"Some new sentence" not in client.get("/d/oklahoma-ice-benefits/").content
    import_faq(
        seed_bytes.replace(b"This restriction", b"Some new sentence. This restriction"),
        slug="oklahoma-ice-benefits",
    )
    assert b"Some new sentence" in client.get("/d/oklahoma-ice-benefits/").content


def test_conditional_gets_answer_304(client, claim, reviewer):
    url = pages(claim)[0]
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"doc:oklahoma-ice-benefits-v') and modified
    # A shared cache must not hand this page to a signed-in user, whose page differs.
    assert first["Vary"] == "Cookie"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    claim.set_status("in_review", by=reviewer)
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


@pytest.fixture
def server_clock_not_utc(monkeypatch):
    # A naive time read as local time would be off by hours here.
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_validators_carry_the_documents_version_and_change_time(
    client, claim, seed_bytes, server_clock_not_utc
):
    # Another document, changed more often and later: a claim's page must read its own.
    other = import_faq(seed_bytes, slug="another-copy", title="Another copy").document
    for _ in range(3):
        Document.objects.filter(pk=other.pk).update(
            cache_version=F("cache_version") + 1, changed_at=timezone.now()
        )
    document = Document.objects.get(pk=claim.answer.document_id)
    stamp = document.changed_at.timestamp()
    for url in pages(claim):
        response = client.get(url)
        assert response["Last-Modified"] == http_date(stamp)
        assert response["ETag"].endswith(f'-v{document.cache_version}-{stamp:.6f}"')


def test_unknown_document_and_claim_are_404(client, seed_document):
    assert client.get("/d/no-such-document/").status_code == 404
    assert client.get("/claims/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_if_modified_since_in_the_same_second_is_not_trusted(client, claim):
    url = pages(claim)[1]
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 200


def test_if_modified_since_a_later_second_answers_304(client, claim):
    url = pages(claim)[0]
    later = http_date(Document.objects.get(pk=claim.answer.document_id).changed_at.timestamp() + 1)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200


def test_signed_in_users_get_fresh_pages_without_validators(client, claim, reviewer):
    assert client.get(pages(claim)[1]).status_code == 200  # cached for readers
    client.force_login(reviewer)
    response = client.get(pages(claim)[1])
    assert response.status_code == 200 and "ETag" not in response
    assert "Signed in as rita" in response.content.decode()


@pytest.mark.parametrize("page", [0, 1])
def test_a_stored_page_keeps_the_headers_of_its_render_and_still_checks_the_host(
    client, claim, page
):
    url = pages(claim)[page]
    first = client.get(url)
    again = client.get(url)  # from the cache, before the session and header middleware run
    assert again.status_code == 200 and again.content == first.content
    assert dict(again.items()) == dict(first.items())
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_a_page_cached_at_one_host_names_the_host_it_is_served_at(
    client, claim, django_assert_num_queries
):
    url = pages(claim)[1]
    for host in ("localhost", "127.0.0.1"):
        body = client.get(url, HTTP_HOST=host).content.decode()
        assert f'<link rel="canonical" href="http://{host}{url}">' in body
    with django_assert_num_queries(1):  # the version read: each host's copy is in the cache
        body = client.get(url, HTTP_HOST="localhost").content.decode()
    assert f'<link rel="canonical" href="http://localhost{url}">' in body


def test_a_query_string_does_not_reach_the_cached_page(client, claim):
    url = pages(claim)[1]
    first = client.get(url + "?utm_source=elsewhere").content.decode()
    assert f'<link rel="canonical" href="http://testserver{url}">' in first
    assert "utm_source" not in client.get(url).content.decode()


def test_a_reader_with_a_session_but_no_sign_in_gets_the_cached_page(client, claim):
    session = client.session  # a session cookie, and no user in it
    session["seen"] = True
    session.save()
    response = client.get(pages(claim)[0])
    assert response.status_code == 200 and response["ETag"]
    assert "Reviewer sign-in" in response.content.decode()


def test_loaddata_restores_without_bumping_versions(db, tmp_path, seed_document, reviewer):
    claim = Claim.objects.filter(checkworthy=True).first()
    Note.objects.create(claim=claim, body="restored note", public=True)
    dump = tmp_path / "notes.json"
    call_command("dumpdata", "claims.note", output=str(dump), stdout=io.StringIO())
    Note.objects.all().delete()
    old = version(claim)
    call_command("loaddata", str(dump), stdout=io.StringIO())
    assert Note.objects.get().body == "restored note"
    assert version(claim) == old
