"""The export contract (JSON and CSV), shared by `export_claims` and the public exports."""

import csv

from django.db.models import Prefetch

from .models import Claim, ClaimLink


def document_export(document):
    """The document, its answers with their claims, and the links among its claims."""
    # Orphaned claims (their words left the text) and dropped questions have no anchor in the
    # current text, so the contract leaves them out; the database keeps them.
    answers = document.answers.filter(current=True).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.live())
    )
    links = (
        ClaimLink.touching(document)
        .filter(source_claim__in=Claim.objects.live(), target_claim__in=Claim.objects.live())
        .select_related("source_claim", "target_claim")
    )
    return {
        "document": {
            "slug": document.slug,
            "title": document.title,
            "source_url": document.source_url,
            "generated_by": document.generated_by,
        },
        "answers": [
            {
                "number": answer.number,
                "question": answer.question,
                "text": answer.text,
                "claims": [
                    {
                        "id": str(claim.uuid),
                        "start": claim.start,
                        "end": claim.end,
                        "quote": claim.quote,
                        "text": claim.text,
                        "checkworthy": claim.checkworthy,
                        "kind": claim.kind,
                        "status": claim.status,
                    }
                    for claim in answer.claims.all()
                ],
            }
            for answer in answers
        ],
        "links": [
            {
                "id": link.id,
                "from": str(link.source_claim.uuid),
                "to": str(link.target_claim.uuid),
                "relation": link.relation,
                "origin": link.origin,
                "state": link.state,
                "score": link.score,
                "rule": link.rule,
            }
            for link in links
        ],
    }


CSV_COLUMNS = [
    "answer",
    "question",
    "id",
    "start",
    "end",
    "quote",
    "text",
    "checkworthy",
    "kind",
    "status",
]


# A spreadsheet runs a cell that begins with one of these as a formula. Documents are
# AI-written pages from anywhere, so a question or quote may begin with "=HYPERLINK(...".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def document_csv(document, stream):
    """Write one row per claim of the JSON export to `stream`.

    A text cell that a spreadsheet would run as a formula gets a leading apostrophe, which
    spreadsheets read as "this is text" and do not show. The JSON export keeps the exact
    words."""
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for answer in document_export(document)["answers"]:
        for claim in answer["claims"]:
            row = {"answer": answer["number"], "question": answer["question"], **claim}
            writer.writerow({key: _as_text(value) for key, value in row.items()})


def _as_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
