"""The public pages: read-only, anonymous, GET only."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import Claim, ClaimLink, Document, Note


@require_safe
def home(request):
    documents = list(Document.objects.all())
    counts = defaultdict(dict)
    rows = (
        Claim.objects.filter(checkworthy=True)
        .values_list("answer__document", "status")
        .annotate(n=Count("id"))
    )
    for document_id, status, n in rows:
        counts[document_id][status] = n
    answers = dict(Document.objects.annotate(n=Count("answers")).values_list("id", "n"))
    for document in documents:
        document.status_counts = counts[document.id]
        document.claim_total = sum(counts[document.id].values())
        document.answer_total = answers.get(document.id, 0)
    return render(request, "claims/home.html", {"documents": documents})


@require_safe
def document(request, slug):
    document = get_object_or_404(Document, slug=slug)
    answers = list(
        document.answers.filter(current=True).prefetch_related(
            Prefetch("claims", queryset=Claim.objects.filter(orphaned=False))
        )
    )
    contested = set()
    for source_id, target_id in (
        ClaimLink.objects.filter(
            Q(source_claim__answer__document=document) | Q(target_claim__answer__document=document),
            relation=ClaimLink.Relation.CONTRADICTS,
        )
        .exclude(state=ClaimLink.State.REJECTED)
        .values_list("source_claim", "target_claim")
    ):
        contested.update((source_id, target_id))
    totals = defaultdict(int)
    for answer in answers:
        claims = list(answer.claims.all())
        for claim in claims:
            claim.contested = claim.pk in contested
        answer.rendered = answer.paragraphs(claims)
        answer.status_counts = defaultdict(int)
        for claim in claims:
            if claim.checkworthy:
                answer.status_counts[claim.status] += 1
                totals[claim.status] += 1
    context = {
        "document": document,
        "answers": answers,
        "totals": dict(totals),
        "claim_total": sum(totals.values()),
        "contested": len(contested),
        "legend": [(status, totals.get(status, 0)) for status in Claim.Status.values],
        "orphans": Claim.objects.filter(answer__document=document, orphaned=True).select_related(
            "answer"
        ),
    }
    return render(request, "claims/document.html", context)


@require_safe
def claim(request, uuid):
    claim = get_object_or_404(
        Claim.objects.select_related("answer__document").prefetch_related(
            "citations__source",
            Prefetch("notes", queryset=Note.objects.filter(public=True), to_attr="public_notes"),
            "status_changes",
        ),
        uuid=uuid,
    )
    links = ClaimLink.objects.filter(Q(source_claim=claim) | Q(target_claim=claim)).select_related(
        "source_claim", "target_claim"
    )
    linked = [
        (link, link.target_claim if link.source_claim_id == claim.id else link.source_claim)
        for link in links
    ]
    paragraph = next(
        (p for p in claim.answer.paragraphs([claim]) if any(c == claim for _, c in p)), []
    )
    history = list(claim.status_changes.all())
    context = {
        "claim": claim,
        "document": claim.answer.document,
        "paragraph": paragraph,
        "linked": linked,
        "history": history,
        "status_set": history[-1].created if history else None,
    }
    return render(request, "claims/claim.html", context)
