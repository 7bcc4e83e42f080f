"""Every public page and API read runs the same number of queries whatever the corpus size.

Each URL is fetched with an empty page cache on the seed alone, then again after more
documents (with their own reviews, citations, notes, flags and cross-document links) are
imported. The counts must be equal, and within the page's budget.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.corpus import document as corpus_document
from claims.importer import import_faq
from claims.models import Citation, Claim, ClaimLink, Flag, Note, Source

# Path -> most queries it may run (uncached). "{slug}" and "{uuid}" are the seed's.
BUDGET = {
    "/": 7,
    "/d/{slug}/": 5,
    "/d/{slug}/claims.json": 4,
    "/d/{slug}/claims.csv": 4,
    "/claims/": 4,
    "/claims/?q=oversight&status=unverified": 4,
    "/claims/?contradicted=true&has_citation=false&sort=-score": 4,
    "/claims/{uuid}/": 6,
    "/contradictions/": 2,
    "/contradictions/?document={slug}": 3,
    "/sources/": 2,
    "/methodology/": 0,
    "/claimreview.json": 2,
    "/feed/": 1,
    "/sitemap.xml": 4,
    "/api/documents/": 1,
    "/api/documents/{slug}/": 4,
    "/api/claims/?status=unverified": 2,
    "/api/claims/{uuid}/": 7,
    "/api/sources/": 1,
}
MORE_DOCUMENTS = 12


def _review(claim, reviewer, source, status, stance):
    Citation.objects.create(claim=claim, source=source, stance=stance)
    Note.objects.create(claim=claim, author=reviewer, body="checked against the statute")
    Flag.objects.create(claim=claim, reason="needs_source", raised_by=reviewer)
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    claim.set_status(status, by=reviewer, note="per the cited source")


def _counts(client, slug, uuid):
    counts = {}
    for path in BUDGET:
        url = path.format(slug=slug, uuid=uuid)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[path] = len(queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_corpus(client, seed_document, reviewer, source):
    claim = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    _review(claim, reviewer, source, Claim.Status.REFUTED, "refutes")
    small = _counts(client, seed_document.slug, claim.uuid)
    over = {path: n for path, n in small.items() if n > BUDGET[path]}
    assert not over, f"over budget on the seed: {over}"

    other_source = Source.objects.create(title="Another statute", url="https://example.org/x")
    for number in range(MORE_DOCUMENTS):
        slug, title, text = corpus_document(number, seed=3)
        imported = import_faq(text, slug=slug, title=title).document
        first, second = Claim.objects.live().filter(answer__document=imported, checkworthy=True)[:2]
        _review(first, reviewer, other_source, Claim.Status.SUPPORTED, "supports")
        _review(second, reviewer, source, Claim.Status.PARTLY_SUPPORTED, "refutes")
    # The bigger corpus really is bigger where the pages look: links across documents,
    # reviewed claims in other documents.
    assert ClaimLink.objects.exclude(source_document=seed_document).count() > 20
    assert Claim.objects.exclude(status=Claim.Status.UNVERIFIED).count() > 2 * MORE_DOCUMENTS

    large = _counts(client, seed_document.slug, claim.uuid)
    assert large == small
