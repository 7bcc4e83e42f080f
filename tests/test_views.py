import html

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from claims.importer import import_faq
from claims.models import Citation, Claim, ClaimLink, Note, Source
from claims.templatetags import claims_tags


def test_home_lists_documents_with_counts_by_status(client, seed_document, reviewer):
    claim = Claim.objects.filter(checkworthy=True).first()
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    checkworthy = Claim.objects.filter(checkworthy=True).count()
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert seed_document.title in body
    assert reverse("document", args=[seed_document.slug]) in body
    assert f"{checkworthy - 1} unverified, 1 in review" in body
    assert "Reviewer sign-in" in body


def test_the_document_page_shows_every_question_and_marks_claims(client, seed_document):
    response = client.get(f"/d/{seed_document.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    for answer in seed_document.answers.all():
        assert f'id="q{answer.number}"' in body
    fact = Claim.objects.filter(checkworthy=True).first()
    assert f'href="/claims/{fact.uuid}/"' in body
    advice = Claim.objects.filter(kind="advice").first()
    assert f'href="/claims/{advice.uuid}/"' not in body
    assert 'class="nonclaim" data-kind="advice"' in body
    assert f"Imported {seed_document.imported_at:%Y-%m-%d}." in body
    assert "Written by uscisguide.com." in body


def test_a_document_without_current_questions_still_has_its_page(client, seed_document):
    # Every question dropped by re-imports: the page keeps the title and the claims' record.
    seed_document.answers.update(current=False)
    response = client.get(f"/d/{seed_document.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>{seed_document.title}</h1>" in body
    assert "0 check-worthy claims in 0 answers" in body


def test_the_document_page_escapes_html_from_the_document(client, db):
    import_faq(
        '1. Is <b>this</b> safe?\n<script>alert("x")</script> Kansas has a law. '
        "<img src=x onerror=alert(1)>\n",
        slug="hostile",
    )
    body = client.get("/d/hostile/").content.decode()
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>this</b>" not in body
    assert "&lt;script&gt;alert" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_the_mark_up_escape_escapes_each_special_character_and_passes_plain_text():
    # claims_tags.escape skips html.escape for text with nothing to replace.
    for text in ("A & B", "a < b", "a > b", 'say "no"', "it's", "<&>\"'", "plain text", ""):
        assert claims_tags.escape(text) == html.escape(text)


def test_the_document_page_runs_a_fixed_number_of_queries(
    client, seed_document, django_assert_max_num_queries
):
    # page version, the document with its answers, citations with sources, contradiction
    # links, claims with the orphans: whatever the document's size. Served again from the
    # cache: the version only.
    with django_assert_max_num_queries(5):
        assert client.get(f"/d/{seed_document.slug}/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/d/{seed_document.slug}/").status_code == 200


def test_an_unknown_document_is_404(client, db):
    assert client.get("/d/nope/").status_code == 404


def test_the_claim_page_shows_quote_status_evidence_notes_and_links(
    client, seed_document, reviewer
):
    claim = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    other = Claim.objects.get(quote__contains="state law allows for data sharing")
    source = Source.objects.create(
        title="Title 56 O.S. § 183",
        url="https://example.org/56-183",
        publisher="LegalFix",
        kind="statute",
    )
    Citation.objects.create(
        claim=claim, source=source, stance="refutes", quote="open to inspection only"
    )
    Note.objects.create(claim=claim, author=reviewer, body="Public remark", public=True)
    Note.objects.create(claim=claim, author=reviewer, body="Internal remark", public=False)
    ClaimLink.between(claim, other, ClaimLink.Relation.CONTRADICTS, rule="antonym:allows/prohibits")
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)

    body = client.get(f"/claims/{claim.uuid}/").content.decode()
    assert claim.text in body
    assert "In review" in body
    assert "Title 56 O.S. § 183" in body and "https://example.org/56-183" in body
    assert "open to inspection only" in body and "Refutes" in body
    assert "Public remark" in body and "Internal remark" not in body
    assert f"/claims/{other.uuid}/" in body and "antonym:allows/prohibits" in body
    assert "Unverified → In review" in body
    assert 'class="claim status-in_review current"' in body


def test_an_unknown_claim_is_404(client, db):
    assert client.get("/claims/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("url", ["/", "/d/oklahoma-ice-benefits/"])
def test_public_pages_refuse_writes(client, seed_document, url):
    assert client.post(url).status_code == 405


def test_a_claim_page_refuses_writes(client, seed_document):
    claim = Claim.objects.first()
    assert client.post(f"/claims/{claim.uuid}/").status_code == 405


def test_claims_in_a_contradiction_carry_the_badge(client, seed_document):
    link = ClaimLink.objects.filter(relation="contradicts").select_related("source_claim").first()
    body = client.get(f"/d/{seed_document.slug}/").content.decode()
    assert "contradict another claim" in body
    anchor = body.index(f'href="/claims/{link.source_claim.uuid}/"')
    assert "⇄" in body[anchor : body.index("</a>", anchor)]


def test_orphaned_claims_are_listed_apart_and_marked_on_their_page(client, seed_document, reviewer):
    claim = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    text = seed_document.raw_text.replace("Oklahoma law prohibits", "Oklahoma law permits")
    import_faq(text, slug=seed_document.slug)
    body = client.get(f"/d/{seed_document.slug}/").content.decode()
    orphans = body[body.index("Claims no longer in the text") :]
    assert f'<a href="/claims/{claim.uuid}/">{claim.text}</a>' in orphans
    assert f"(question {claim.answer.number})" in orphans
    assert f'href="/claims/{claim.uuid}/" data-status' not in body  # no longer marked
    page = client.get(f"/claims/{claim.uuid}/").content.decode()
    assert "These words are no longer in the document" in page


def test_the_claim_page_says_what_it_could_not_resolve(client, db):
    import_faq("1. Q?\nMaine keeps records. This restriction protects families.\n", slug="me")
    claim = Claim.objects.get(quote="This restriction protects families")
    page = client.get(f"/claims/{claim.uuid}/").content.decode()
    assert "could not resolve: This restriction" in page


def test_home_runs_a_fixed_number_of_queries(client, seed_document, django_assert_max_num_queries):
    import_faq("1. Does Kansas share data?\nKansas shares data with ICE.\n", slug="ks")
    # document count, a page of documents, and for that page: claim counts, answer counts,
    # contradictions (two sides), last reviews
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_the_hover_card_names_the_earliest_citation(client, seed_document):
    claim = Claim.objects.filter(answer__document=seed_document, checkworthy=True).first()
    first = Source.objects.create(title="Title 56 <§ 1>", url="https://example.org/t56")
    later = Source.objects.create(title="A later report", url="https://example.org/r")
    Citation.objects.create(claim=claim, source=first, stance="refutes")
    Citation.objects.create(claim=claim, source=later, stance="supports")
    body = client.get(f"/d/{seed_document.slug}/").content.decode()
    card = body[body.index(f'id="card-{claim.uuid}"') :]
    card = card[: card.index("</a>")]
    assert '<span class="card-source">Refutes: Title 56 &lt;§ 1&gt;</span>' in card
    assert "A later report" not in card


def test_the_claim_page_runs_a_fixed_number_of_queries(
    client, seed_document, reviewer, django_assert_max_num_queries
):
    claim = Claim.objects.filter(links_out__isnull=False).first()
    source = Source.objects.create(title="A statute", url="https://example.org/a")
    for stance in ("supports", "context"):
        Citation.objects.create(claim=claim, source=source, stance=stance)
    Note.objects.create(claim=claim, body="public", public=True)
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    # page version, claim, citations with sources, notes, history, links; then from the cache
    with django_assert_max_num_queries(6):
        assert client.get(f"/claims/{claim.uuid}/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/claims/{claim.uuid}/").status_code == 200


def test_templates_hold_no_inline_style_or_script():
    """Pages must work under a Content-Security-Policy without 'unsafe-inline'."""
    from .conftest import ROOT

    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "style=" not in text, path
        assert "<style" not in text, path
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith('type="application/ld+json"'), path
        assert " on" + "click=" not in text.lower(), path


def test_healthz_answers_without_the_database(client):
    # No db fixture: pytest-django fails this test if the view touches the database.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_checks_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_home_lists_documents_a_page_at_a_time(client, db):
    for number in range(51):
        import_faq(
            f"1. Is rule {number} in force?\nRule {number} is in force.\n", slug=f"d{number:02}"
        )
    first = client.get("/").content.decode()
    assert "Page 1 of 2" in first and "/d/d49/" in first and "/d/d50/" not in first
    second = client.get("/?page=2").content.decode()
    assert "/d/d50/" in second and "/d/d00/" not in second


def test_the_status_bars_draw_each_status_with_its_count(client, seed_document, reviewer):
    claim = Claim.objects.filter(answer__document=seed_document, checkworthy=True).first()
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    total = Claim.objects.live().filter(answer__document=seed_document, checkworthy=True).count()
    body = client.get(f"/d/{seed_document.slug}/").content.decode()
    summary = (
        '<svg class="status-bar" width="480" height="18" viewBox="0 0 480 18" '
        'preserveAspectRatio="none" role="img" '
        f'aria-label="{total - 1} unverified, 1 in review">'
    )
    assert summary in body
    assert f'<rect class="fill-in_review" x="{round(480 * (total - 1) / total, 2)}" y="0"' in body
    assert "<title>1 In review</title>" in body


def test_every_page_links_the_site_pages_under_its_script_prefix(client, db, superuser):
    site = ("/", "/claims/", "/contradictions/", "/sources/", "/methodology/", "/feed/")
    body = client.get("/").content.decode()
    for path in (*site, "/claimreview.json", "/accounts/login/"):
        assert f'href="{path}"' in body, path
    # Mounted under a prefix (SCRIPT_NAME), the same links carry it; a signed-in admin also
    # gets the admin link and the sign-out form.
    client.force_login(superuser)
    with override_script_prefix("/tracker/"):
        body = client.get("/sources/").content.decode()
    for path in (*site, "/admin/"):
        assert f'href="/tracker{path}"' in body, path
    assert 'action="/tracker/accounts/logout/"' in body
