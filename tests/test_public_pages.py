"""The public pages beyond the document and claim pages: lists, exports, feed, sitemap."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.db.models import Q

from claims.importer import import_faq
from claims.models import Citation, Claim, ClaimLink, Source


@pytest.fixture
def reviewed(seed_document, reviewer):
    """The seed with one refuted claim (with its citation) and one supported claim."""
    refuted = Claim.objects.get(quote__contains="House Bill 2218 in 2021")
    hb = Source.objects.create(
        title="Oklahoma HB 2218 (2023): An Act relating to firearms",
        url="https://example.org/hb2218",
        kind="bill",
    )
    Citation.objects.create(
        claim=refuted, source=hb, stance="refutes", quote="relating to firearms"
    )
    refuted.set_status(Claim.Status.REFUTED, by=reviewer, note="HB 2218 is a 2023 firearms bill")
    supported = Claim.objects.get(quote__startswith="Oklahoma law prohibits")
    statute = Source.objects.create(title="56 O.S. § 183", url="https://example.org/56-183")
    Citation.objects.create(claim=supported, source=statute, stance="supports")
    supported.set_status(Claim.Status.SUPPORTED, by=reviewer, note="per 56 O.S. § 183")
    return refuted, supported


def claim_review_block(body):
    start = body.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


def test_the_claim_page_embeds_claimreview_for_a_verdict(client, reviewed):
    refuted, _ = reviewed
    body = client.get(f"/claims/{refuted.uuid}/").content.decode()
    data = claim_review_block(body)
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == refuted.text
    assert data["url"] == f"http://testserver/claims/{refuted.uuid}/"
    assert data["datePublished"] == refuted.status_changes.get().created.date().isoformat()
    assert data["author"] == {"@type": "Organization", "name": "Claim Tracker"}
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Refuted",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "uscisguide.com"}
    assert item["appearance"] == {"@type": "CreativeWork", "url": "https://example.org/ok-ice"}
    assert item["datePublished"] == refuted.answer.document.imported_at.date().isoformat()
    assert "Corrections log" in body


@pytest.mark.parametrize("status", ["unverified", "in_review"])
def test_no_claimreview_without_a_verdict(client, seed_document, reviewer, status):
    claim = Claim.objects.filter(checkworthy=True).first()
    if status != "unverified":
        claim.set_status(status, by=reviewer)
    body = client.get(f"/claims/{claim.uuid}/").content.decode()
    assert "application/ld+json" not in body
    assert "Corrections log" not in body


def test_claimreview_json_lists_every_verdict(client, reviewed):
    data = client.get("/claimreview.json").json()
    assert sorted(r["reviewRating"]["alternateName"] for r in data) == ["Refuted", "Supported"]


def test_markup_in_a_claim_cannot_break_out_of_the_json_ld(client, db, reviewer):
    import_faq("1. Q?\nKansas passed a law </script><script>alert(1)</script> in 2020.\n", slug="x")
    claim = Claim.objects.get()
    claim.set_status(Claim.Status.UNSUPPORTED, by=reviewer, note="searched the statutes")
    body = client.get(f"/claims/{claim.uuid}/").content.decode()
    assert "<script>alert(1)" not in body
    assert claim_review_block(body)["claimReviewed"] == claim.text


def test_the_claim_list_filters_by_status_and_paginates(
    client, reviewed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get("/claims/?status=refuted")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 claim<" in body and reviewed[0].text in body
    everything = client.get("/claims/").content.decode()
    total = Claim.objects.filter(orphaned=False).count()
    assert f"{total} claims" in everything and "Page 1 of" in everything
    second = client.get("/claims/?page=2").content.decode()
    assert "Page 2 of" in second


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("checkworthy=false", lambda c: not c.checkworthy),
        ("kind=advice", lambda c: c.kind == "advice"),
        ("question=3", lambda c: c.answer.number == 3),
        ("has_citation=true", lambda c: c.citations.exists()),
        (
            "contradicted=true",
            lambda c: (
                ClaimLink.objects.filter(relation="contradicts")
                .filter(Q(source_claim=c) | Q(target_claim=c))
                .exists()
            ),
        ),
        ("document=oklahoma-ice-benefits&status=supported", lambda c: c.status == "supported"),
    ],
)
def test_each_claim_filter_narrows_the_list(client, reviewed, query, expected):
    body = client.get(f"/claims/?{query}").content.decode()
    matching = [c for c in Claim.objects.filter(orphaned=False) if expected(c)]
    assert matching, query
    assert f">{len(matching)} claim" in body
    for claim in matching[:5]:
        assert f"/claims/{claim.uuid}/" in body


def test_text_search_finds_claims_by_their_words(client, reviewed):
    # SQLite matches the words as written; PostgreSQL ranks a full-text search (stemmed).
    body = client.get("/claims/?q=House+Bill").content.decode()
    for claim in Claim.objects.filter(quote__contains="House Bill 2218"):
        assert f"/claims/{claim.uuid}/" in body
    listed = [c for c in Claim.objects.all() if f"/claims/{c.uuid}/" in body]
    assert listed
    assert all("bill" in (c.text + c.quote).lower() for c in listed)
    assert f">{len(listed)} claim" in body


def _listed(body):
    """The claims a list page shows, in its order."""
    found = [(body.find(f"/claims/{c.uuid}/"), c) for c in Claim.objects.all()]
    return [c for position, c in sorted(found, key=lambda pair: pair[0]) if position >= 0]


def test_a_misspelled_search_word_finds_the_claims_with_the_word(client, seed_document):
    right = _listed(client.get("/claims/?q=privacy").content.decode())
    assert 3 < len(right) < 50  # one page
    body = client.get("/claims/?q=privasy").content.decode()
    if connection.vendor != "postgresql":
        # SQLite's search is a plain contains match (README): no near matches.
        assert "No claim matches these filters." in body
        return
    assert set(_listed(body)) == set(right)
    assert f">{len(right)} claims<" in body
    # Every word of the search must fit a word of the claim: one that fits no word of any
    # claim finds nothing, rather than everything the other word finds.
    body = client.get("/claims/?q=imigration+xqzvk").content.decode()
    assert "No claim matches these filters." in body
    both = _listed(client.get("/claims/?q=imigration+enforcment").content.decode())
    # Stemmed, as full-text search is: "enforced" and "enforcement" both fit "enforcment".
    words = [(c.text + c.quote).lower() for c in both]
    assert words and all("immigra" in w and "enforc" in w for w in words), words


def test_exact_matches_come_before_near_ones(client, db):
    import_faq(
        "1. Does Kansas share data?\nKansas shares immigration records with federal agents.\n\n"
        "2. Does Kansas share more?\nKansas shares imigration records with federal agents.\n",
        slug="spelling",
    )
    exact, near = (Claim.objects.get(text__contains=w) for w in ("immigration", "imigration"))
    listed = _listed(client.get("/claims/?q=immigration").content.decode())
    if connection.vendor != "postgresql":
        assert listed == [exact]
        return
    assert listed == [exact, near]


def test_a_word_a_claim_gains_is_found_misspelled(client, claim):
    """Words come from the claims as they are written, whatever writes them."""
    misspelled = "/claims/?q=Quillsworth"
    if connection.vendor == "postgresql":
        assert "No claim matches these filters." in client.get(misspelled).content.decode()
    Claim.objects.filter(pk=claim.pk).update(text=f"{claim.text} Quillworth")
    claim.refresh_from_db()
    body = client.get(misspelled).content.decode()
    if connection.vendor != "postgresql":
        assert "No claim matches these filters." in body
        return
    assert _listed(body) == [claim]


def test_the_claim_list_sorts(client, reviewed):
    body = client.get("/claims/?sort=-status&status=refuted&status=supported").content.decode()
    refuted, supported = reviewed
    assert body.index(str(supported.uuid)) < body.index(str(refuted.uuid))


def test_a_bad_filter_value_is_ignored_not_an_error(client, seed_document):
    assert client.get("/claims/?status=bogus&question=x").status_code == 200


def test_contradictions_are_shown_side_by_side_and_filter_by_state(client, seed_document):
    link = ClaimLink.objects.filter(relation="contradicts").first()
    body = client.get("/contradictions/?document=oklahoma-ice-benefits").content.decode()
    assert link.source_claim.text in body and link.target_claim.text in body and link.rule in body
    ClaimLink.objects.filter(pk=link.pk).update(state="confirmed")
    confirmed = client.get("/contradictions/?state=confirmed").content.decode()
    assert "1 pair<" in confirmed and f"/claims/{link.source_claim.uuid}/" in confirmed


def test_contradictions_run_a_fixed_number_of_queries(
    client, seed_document, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get("/contradictions/").status_code == 200


def test_sources_show_what_they_are_cited_for(client, reviewed, django_assert_max_num_queries):
    refuted, _ = reviewed
    with django_assert_max_num_queries(3):
        body = client.get("/sources/").content.decode()
    assert "Oklahoma HB 2218 (2023)" in body and "Refutes" in body and refuted.text in body


def test_methodology_explains_statuses_scale_and_corrections(client, db):
    body = client.get("/methodology/").content.decode()
    for text in ("No evidence found", "ratingValue", "Corrections", "corrections@example.org"):
        assert text in body


def test_the_json_export_matches_the_command(client, seed_document):
    data = client.get("/d/oklahoma-ice-benefits/claims.json").json()
    assert data["document"]["slug"] == "oklahoma-ice-benefits"
    assert len(data["answers"]) == 20


def test_the_csv_export_parses(client, seed_document):
    response = client.get("/d/oklahoma-ice-benefits/claims.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == Claim.objects.filter(orphaned=False).count()


def test_the_csv_export_keeps_formulas_from_running_in_a_spreadsheet(client, db):
    question = '=HYPERLINK("https://example.org","Does Oklahoma share data?")'
    text = "=1+1 Oklahoma shares benefits data with ICE.\n-The state law prohibits sharing.\n"
    import_faq(f"1. {question}\n{text}", slug="formulas")
    response = client.get("/d/formulas/claims.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["quote"] for row in rows] == [
        "'=1+1 Oklahoma shares benefits data with ICE",
        "'-The state law prohibits sharing",
    ]
    assert {row["question"] for row in rows} == {"'" + question}
    assert {row["kind"] for row in rows} == {"fact"}
    # The JSON export keeps the exact words.
    exported = client.get("/d/formulas/claims.json").json()["answers"][0]
    assert exported["question"] == question
    assert exported["claims"][0]["quote"] == "=1+1 Oklahoma shares benefits data with ICE"


@pytest.mark.parametrize("url", ["/d/nope/claims.json", "/d/nope/claims.csv", "/d/nope/"])
def test_exports_of_an_unknown_document_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_the_feed_lists_status_changes(client, reviewed):
    response = client.get("/feed/")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in root.findall("a:entry/a:title", ns)]
    assert len(titles) == 2 and titles[0].startswith(("Supported:", "Refuted:"))


def test_the_sitemap_lists_documents_and_claims(client, seed_document):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert "http://testserver/d/oklahoma-ice-benefits/" in locations
    assert len(locations) == 1 + Claim.objects.filter(checkworthy=True, orphaned=False).count()


def test_home_shows_open_contradictions_and_last_review(client, reviewed):
    body = client.get("/").content.decode()
    assert "Open contradictions" in body and "?document=oklahoma-ice-benefits" in body
    assert reviewed[0].status_changes.get().created.strftime("%Y-%m-%d") in body


@pytest.mark.parametrize(
    "url", ["/claims/", "/contradictions/", "/sources/", "/methodology/", "/feed/", "/sitemap.xml"]
)
def test_public_lists_refuse_writes(client, db, url):
    assert client.post(url).status_code == 405
