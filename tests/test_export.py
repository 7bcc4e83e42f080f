import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, ClaimLink

from .conftest import DATA
from .data.score_claims import score


def export(slug, fmt="json"):
    out = io.StringIO()
    call_command("export_claims", slug, format=fmt, stdout=out)
    return out.getvalue()


def test_the_json_export_has_the_contract_shape(seed_document):
    a, b = Claim.objects.filter(answer__document=seed_document, answer__number=4)[:2]
    link, _ = ClaimLink.between(a, b, ClaimLink.Relation.CONTRADICTS, rule="negation", score=0.8)
    data = json.loads(export(seed_document.slug))
    assert set(data) == {"document", "answers", "links"}
    assert data["document"] == {
        "slug": "oklahoma-ice-benefits",
        "title": "State Benefits Data Sharing with ICE in Oklahoma",
        "source_url": "https://example.org/ok-ice",
        "generated_by": "uscisguide.com",
    }
    assert len(data["answers"]) == 20
    first = data["answers"][0]
    assert set(first) == {"number", "question", "text", "claims"}
    claim = first["claims"][0]
    assert set(claim) == {"id", "start", "end", "quote", "text", "checkworthy", "kind", "status"}
    assert first["text"][claim["start"] : claim["end"]] == claim["quote"]
    assert claim["status"] == "unverified"
    assert {
        "id": link.id,
        "from": str(link.source_claim.uuid),
        "to": str(link.target_claim.uuid),
        "relation": "contradicts",
        "origin": "detected",
        "state": "suggested",
        "score": 0.8,
        "rule": "negation",
    } in data["links"]
    uuids = {c["id"] for a in data["answers"] for c in a["claims"]}
    for item in data["links"]:
        assert set(item) == {"id", "from", "to", "relation", "origin", "state", "score", "rule"}
        assert item["from"] in uuids or item["to"] in uuids


def test_the_csv_export_has_a_row_per_claim(seed_document):
    rows = list(csv.DictReader(io.StringIO(export(seed_document.slug, "csv"))))
    assert len(rows) == Claim.objects.filter(answer__document=seed_document).count()
    assert rows[0]["answer"] == "1"
    assert rows[0]["id"] == str(Claim.objects.filter(answer__number=1).first().uuid)


def test_an_unknown_slug_is_a_clear_error(seed_document):
    with pytest.raises(CommandError, match="no document with slug 'nope'"):
        export("nope")


def test_the_reference_scorer_reads_the_export(seed_document):
    gold = json.loads((DATA / "oklahoma-ice-benefits-faq.gold.json").read_text())
    metrics = score(json.loads(export(seed_document.slug)), gold)
    assert metrics["problems"] == []
    # The targets of the extraction issue.
    assert metrics["recall"] >= 0.95
    assert metrics["precision"] >= 0.90
    assert metrics["noise"] == 0
    assert metrics["contra_recall"] >= 0.8
    assert metrics["contra_precision"] >= 0.8
