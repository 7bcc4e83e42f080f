"""schema.org ClaimReview for claims with a published verdict.

The rating scale (documented on the methodology page): 1 refuted, 2 outdated, 3 no evidence
found, 4 partly supported, 5 supported. Claims still unverified or in review have no
ClaimReview.
"""

from django.conf import settings

from .models import Claim

RATINGS = {
    Claim.Status.REFUTED: 1,
    Claim.Status.OUTDATED: 2,
    Claim.Status.UNSUPPORTED: 3,
    Claim.Status.PARTLY_SUPPORTED: 4,
    Claim.Status.SUPPORTED: 5,
}
BEST, WORST = 5, 1


def has_verdict(claim):
    return claim.status in RATINGS


def verdict_date(claim):
    """When the current verdict was set: the latest change to the current status."""
    changes = [c for c in claim.status_changes.all() if c.new_status == claim.status]
    return max(c.created for c in changes) if changes else claim.updated


def claim_review(claim, url):
    """The ClaimReview dict for a claim with a verdict, or None. `claim` needs its answer's
    document and its status_changes loaded."""
    if not has_verdict(claim):
        return None
    document = claim.answer.document
    item = {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": document.generated_by or "Unknown"},
        "datePublished": (document.retrieved_on or document.imported_at.date()).isoformat(),
    }
    if document.source_url:
        item["appearance"] = {"@type": "CreativeWork", "url": document.source_url}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.text,
        "url": url,
        "datePublished": verdict_date(claim).date().isoformat(),
        "author": {"@type": "Organization", "name": settings.CLAIMS_ORGANIZATION},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[claim.status],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": claim.get_status_display(),
        },
        "itemReviewed": item,
    }
