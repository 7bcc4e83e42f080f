"""The public pages: read-only, anonymous, GET only. Each runs a fixed number of queries."""

import json
from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.models import Count, F, Max, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from . import cache as page_cache
from .claimreview import RATINGS, claim_review, has_verdict
from .exports import document_csv, document_export
from .filters import ClaimFilter, ContradictionFilter
from .models import Answer, Citation, Claim, ClaimLink, Document, Note, Source, StatusChange

PAGE_SIZE = 50
# Characters that must not appear raw inside a <script> block (as Django's json_script does).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@require_safe
def home(request):
    # A page of documents, and the counts of that page's documents only: the cost of the page
    # does not grow with the corpus.
    page = Paginator(Document.objects.defer("raw_text"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    documents = list(page)
    ids = [document.id for document in documents]
    counts = defaultdict(dict)
    rows = (
        Claim.objects.live()
        .filter(checkworthy=True, answer__document__in=ids)
        .values_list("answer__document", "status")
        .annotate(n=Count("id"))
    )
    for document_id, status, n in rows:
        counts[document_id][status] = n
    answers = dict(
        Document.objects.filter(id__in=ids, answers__current=True)
        .annotate(n=Count("answers"))
        .values_list("id", "n")
    )
    # A link counts for each document it touches, once.
    contested = defaultdict(int)
    for side in ("source_document", "target_document"):
        links = ClaimLink.open_contradictions().filter(**{f"{side}__in": ids})
        if side == "target_document":
            links = links.exclude(source_document=F("target_document"))
        for document_id, n in links.values_list(side).annotate(n=Count("id")):
            contested[document_id] += n
    reviewed = dict(
        StatusChange.objects.filter(claim__answer__document__in=ids)
        .values_list("claim__answer__document")
        .annotate(last=Max("created"))
    )
    for document in documents:
        document.status_counts = counts[document.id]
        document.claim_total = sum(counts[document.id].values())
        document.answer_total = answers.get(document.id, 0)
        document.contradictions = contested.get(document.id, 0)
        document.last_reviewed = reviewed.get(document.id)
    return render(request, "claims/home.html", {"documents": documents, "page": page})


@require_safe
def document(request, slug):
    state = page_cache.page_state(request, "document", slug=slug)
    if state is None:
        raise Http404("No such document.")
    return page_cache.serve(request, *state, lambda: _document(request, slug))


class Mark:
    """A claim as the document page marks it: only the fields its mark shows. Building a
    model instance for each of a document's claims took a third of the page's time."""

    FIELDS = ("id", "uuid", "answer_id", "start", "end", "quote", "status", "checkworthy", "kind")
    __slots__ = (*FIELDS, "contested", "cited")

    def __init__(self, row, contested, cited):
        # FIELDS, unpacked in one step: a setattr per field took about 0.1 ms of the page.
        (
            self.id,
            uuid,
            self.answer_id,
            self.start,
            self.end,
            self.quote,
            self.status,
            self.checkworthy,
            self.kind,
        ) = row
        self.uuid = _uuid_text(uuid)
        self.contested = self.id in contested
        # (stance label, source title) of the earliest citation, or None.
        self.cited = cited.get(self.id)


class Section:
    """An answer as the document page shows it: its question, its text marked by paragraphs()
    (the model's own method) and its claims' counts. A model instance for each answer took
    about 4% of the page's instructions."""

    __slots__ = ("id", "number", "question", "rendered", "status_counts", "text")
    paragraphs = Answer.paragraphs

    def __init__(self, id, number, question, text):
        self.id, self.number, self.question, self.text = id, number, question, text


STANCES = dict(Citation.Stance.choices)

# The document page's reads, written out once. Building them through the ORM took half the
# page's time (about 4 ms of 8 for the seed) against under 1 ms to run them. Plain SQL that
# SQLite and PostgreSQL both take; values come in as parameters, never in the text. Orders
# are explicit: the models' default orders go through the document's title.
DOCUMENT_PAGE_SQL = {
    # The document and its current answers; a document with none still gives its own row.
    "answers": (
        "SELECT d.id, d.slug, d.title, d.generated_by, d.source_url, d.imported_at,"
        " a.id, a.number, a.question, a.text"
        " FROM claims_document d LEFT JOIN claims_answer a"
        " ON a.document_id = d.id AND a.current = %s"
        " WHERE d.slug = %s ORDER BY a.number"
    ),
    # Newest first, so that the earliest citation of each claim is the one kept.
    "citations": (
        "SELECT ci.claim_id, ci.stance, s.title FROM claims_citation ci"
        " JOIN claims_source s ON s.id = ci.source_id"
        " JOIN claims_claim c ON c.id = ci.claim_id"
        " JOIN claims_answer a ON a.id = c.answer_id"
        " WHERE a.document_id = %s ORDER BY ci.created DESC, ci.id DESC"
    ),
    # Open contradictions touching the document, as ClaimLink.open_contradictions() defines
    # them (the per-document link indexes serve it).
    "contested": (
        "SELECT source_claim_id, target_claim_id FROM claims_claimlink"
        " WHERE relation = %s AND state <> %s"
        " AND (source_document_id = %s OR target_document_id = %s)"
    ),
    # The marked claims and the orphans, which are listed apart, in one read. Only an orphan
    # shows its standalone text; a marked claim shows its quote.
    "claims": (
        'SELECT c.id, CAST(c.uuid AS text), c.answer_id, c.start, c."end", c.quote, c.status,'
        " c.checkworthy, c.kind, c.orphaned, c.merged_into_id,"
        " CASE WHEN c.orphaned THEN c.text END, a.number"
        " FROM claims_claim c JOIN claims_answer a ON a.id = c.answer_id"
        " WHERE a.document_id = %s AND (c.orphaned = %s OR c.merged_into_id IS NULL)"
        " ORDER BY a.number, c.start"
    ),
}


def _uuid_text(text):
    """A uuid read as text, in the form its address takes. PostgreSQL casts it with hyphens,
    SQLite gives the 32 hex digits Django stores. A page marks every claim of the document:
    read as UUID objects and printed again, its uuids took about 8% of the page's
    instructions."""
    if len(text) == 36:
        return text
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _document(request, slug):
    with connection.cursor() as cursor:
        cursor.execute(DOCUMENT_PAGE_SQL["answers"], [True, slug])
        rows = cursor.fetchall()
        if not rows:
            raise Http404("No such document.")
        document_id, slug, title, generated_by, source_url, imported_at = rows[0][:6]
        document = Document(
            id=document_id,
            slug=slug,
            title=title,
            generated_by=generated_by,
            source_url=source_url,
            imported_at=page_cache.aware(imported_at),
        )
        answers = [Section(*row[6:10]) for row in rows if row[6] is not None]
        cited = {}
        cursor.execute(DOCUMENT_PAGE_SQL["citations"], [document_id])
        for claim_id, stance, source_title in cursor.fetchall():
            cited[claim_id] = (STANCES.get(stance, stance), source_title)  # earliest last
        contested = set()
        cursor.execute(
            DOCUMENT_PAGE_SQL["contested"],
            [ClaimLink.Relation.CONTRADICTS, ClaimLink.State.REJECTED, document_id, document_id],
        )
        for pair in cursor.fetchall():
            contested.update(pair)
        cursor.execute(DOCUMENT_PAGE_SQL["claims"], [document_id, True])
        claim_rows = cursor.fetchall()
    claims = defaultdict(list)
    orphans = []
    for *row, orphaned, merged, text, number in claim_rows:
        if orphaned:
            orphans.append(
                {"uuid": _uuid_text(row[1]), "status": row[6], "text": text, "number": number}
            )
        elif merged is None:
            mark = Mark(row, contested, cited)
            claims[mark.answer_id].append(mark)
    totals = defaultdict(int)
    for answer in answers:
        answer_claims = claims[answer.id]
        counts = defaultdict(int)
        for claim in answer_claims:
            if claim.checkworthy:
                counts[claim.status] += 1
        for status, n in counts.items():
            totals[status] += n
        answer.status_counts = counts
        answer.rendered = answer.paragraphs(answer_claims)
    context = {
        "document": document,
        "answers": answers,
        "totals": dict(totals),
        "claim_total": sum(totals.values()),
        "contested": len(contested),
        "legend": [(status, totals.get(status, 0)) for status in Claim.Status.values],
        "orphans": orphans,
    }
    return render(request, "claims/document.html", context)


@require_safe
def claim(request, uuid):
    state = page_cache.page_state(request, "claim", uuid=uuid)
    if state is None:
        raise Http404("No such claim.")
    return page_cache.serve(request, *state, lambda: _claim(request, uuid))


def _claim(request, uuid):
    claim = get_object_or_404(
        Claim.objects.select_related("answer__document", "merged_into").prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
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
    # The claim's own address, without the query string the first reader came with: the
    # page is cached for every reader.
    address = request.build_absolute_uri(claim.get_absolute_url())
    review = claim_review(claim, address)
    context = {
        "claim": claim,
        "address": address,
        "document": claim.answer.document,
        "paragraph": paragraph,
        "linked": linked,
        "history": history,
        "status_set": history[-1].created if history else None,
        "verdict": has_verdict(claim),
        "claim_review": _json_ld(review) if review else None,
    }
    return render(request, "claims/claim.html", context)


def _json_ld(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


@require_safe
def claim_list(request):
    # Claims are stored document by document, so id order keeps a document's claims together
    # and lets the primary key serve the page. The page's answers and documents are fetched
    # after the page is cut: joining them first made the database join every match.
    queryset = Claim.objects.live().prefetch_related(
        Prefetch("answer", queryset=Answer.objects.defer("text")),
        Prefetch("answer__document", queryset=Document.objects.defer("raw_text")),
    )
    filterset = ClaimFilter(request.GET, queryset=queryset.order_by("id"))
    return _filtered_page(request, filterset, "claims/claim_list.html")


@require_safe
def contradictions(request):
    filterset = ContradictionFilter(request.GET, queryset=contradiction_list())
    return _filtered_page(request, filterset, "claims/contradictions.html")


def contradiction_list():
    """Every contradiction, strongest first: read a page at a time from the partial index
    claimlink_contra_score_idx."""
    return (
        ClaimLink.objects.filter(relation=ClaimLink.Relation.CONTRADICTS)
        .select_related("source_claim__answer__document", "target_claim__answer__document")
        .order_by("-score", "id")
    )


def _filtered_page(request, filterset, template):
    """A page of a filtered list, with the filters kept in the pagination links."""
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    return render(request, template, context)


@require_safe
def sources(request):
    citations = Citation.objects.exclude(stance=Citation.Stance.CONTEXT).select_related(
        "claim__answer__document"
    )
    sources = Source.objects.prefetch_related(Prefetch("citations", queryset=citations))
    return render(request, "claims/sources.html", {"sources": sources})


@require_safe
def methodology(request):
    context = {
        "statuses": Claim.Status.choices,
        "ratings": [(Claim.Status(s).label, n) for s, n in RATINGS.items()],
        "contact": settings.CLAIMS_CONTACT_EMAIL,
        "organization": settings.CLAIMS_ORGANIZATION,
    }
    return render(request, "claims/methodology.html", context)


@require_safe
def document_json(request, slug):
    document = get_object_or_404(Document, slug=slug)
    return JsonResponse(document_export(document), json_dumps_params={"ensure_ascii": False})


@require_safe
def document_csv_view(request, slug):
    document = get_object_or_404(Document, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.slug}-claims.csv"'
    document_csv(document, response)
    return response


@require_safe
def claimreview_json(request):
    claims = (
        Claim.objects.live()
        .filter(status__in=list(RATINGS))
        .select_related("answer__document")
        .prefetch_related("status_changes")
        .order_by("id")
    )
    reviews = [
        claim_review(claim, request.build_absolute_uri(claim.get_absolute_url()))
        for claim in claims
    ]
    return JsonResponse(reviews, safe=False, json_dumps_params={"ensure_ascii": False})


@require_safe
def healthz(request):
    """Liveness: the process answers through the whole middleware stack. No database."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def readyz(request):
    """Readiness: the database answers too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", content_type="text/plain", status=503)
    return HttpResponse("ok\n", content_type="text/plain")
