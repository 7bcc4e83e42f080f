"""Link detection for one document, within it and against other documents.

The rules live in `claims.extraction.links` (plain Python). This module feeds them a
document's claims plus the claims of other documents that share a blocking key, and stores
what they find as suggested links. Links a reviewer confirmed, rejected or made are never
touched; detected links that are still only suggestions are replaced by the new findings.
"""

from functools import lru_cache

from django.db.models import Q

from .extraction import links
from .extraction.links import analyse, detect, keys
from .models import Claim, ClaimKey, ClaimLink

FIELDS = ("id", "text", "quote", "rule", "answer_id")


def _analyse(row, place):
    claim_id, text, quote, rule, answer_id = row
    return _analysed(claim_id, answer_id, links.feature_text(rule, text, quote), place)


@lru_cache(maxsize=200_000)
def _analysed(claim_id, answer_id, text, place):
    # A claim of another document is analysed again for every new document that shares one of
    # its keys; its features depend only on these arguments, so keep them. Items are not
    # modified after analysis.
    return analyse(claim_id, answer_id, text, place)


def refresh_links(document):
    """Detect links for the document's claims. Returns (how many suggested links it now has,
    the ids of the other documents it was just linked with)."""
    # Plain rows, not model instances: a document may be compared with thousands of claims.
    own = list(
        Claim.objects.live()
        .filter(answer__document=document, checkworthy=True)
        .values_list(*FIELDS)
    )
    items = [_analyse(row, document.place) for row in own]
    own_ids = {row[0] for row in own}

    ClaimKey.objects.filter(claim__answer__document=document).delete()
    claim_keys = [ClaimKey(claim_id=i.id, key=k) for i in items for k in sorted(keys(i))]
    ClaimKey.objects.bulk_create(claim_keys)

    shared = {k.key for k in claim_keys}
    others = (
        Claim.objects.live()
        .filter(
            pk__in=ClaimKey.objects.filter(key__in=shared)
            .exclude(claim__answer__document=document)
            .values("claim_id"),
            checkworthy=True,
        )
        .values_list(*FIELDS, "answer__document__place", "answer__document_id")
    )
    document_of = {}
    for row in others:
        items.append(_analyse(row[:5], row[5]))
        document_of[row[0]] = row[6]

    found = detect(items, focus=own_ids)
    touching = Q(source_claim__in=own_ids) | Q(target_claim__in=own_ids)
    ClaimLink.objects.filter(
        touching, origin=ClaimLink.Origin.DETECTED, state=ClaimLink.State.SUGGESTED
    ).delete()
    ClaimLink.objects.bulk_create(
        [
            ClaimLink(
                source_claim_id=min(link.a, link.b),
                target_claim_id=max(link.a, link.b),
                relation=link.relation,
                origin=ClaimLink.Origin.DETECTED,
                state=ClaimLink.State.SUGGESTED,
                score=link.score,
                rule=link.rule,
            )
            for link in found
        ],
        # A pair a reviewer already judged keeps its judgement.
        ignore_conflicts=True,
    )
    linked = {document_of[end] for link in found for end in (link.a, link.b) if end in document_of}
    suggested = ClaimLink.objects.filter(touching, state=ClaimLink.State.SUGGESTED).count()
    return suggested, linked
