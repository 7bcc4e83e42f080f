import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.evaluation import score, summary
from claims.exports import document_export

from .conftest import DATA
from .data import score_claims as reference

GOLD = DATA / "oklahoma-ice-benefits-faq.gold.json"


@pytest.fixture
def gold():
    return json.loads(GOLD.read_text())


def test_our_figures_agree_with_the_reference_scorer(seed_document, gold):
    export = document_export(seed_document)
    assert score(export, gold) == reference.score(export, gold)
    assert summary(score(export, gold)) == reference.line(reference.score(export, gold))


def test_they_agree_on_a_damaged_export_too(seed_document, gold):
    export = copy.deepcopy(document_export(seed_document))
    # Drop half the claims, widen some spans, reject a link: every figure moves.
    for answer in export["answers"]:
        answer["claims"] = answer["claims"][::2]
        for claim in answer["claims"][:1]:
            claim["end"] = len(answer["text"])
            claim["quote"] = answer["text"][claim["start"] :]
    for link in export["links"][:3]:
        link["state"] = "rejected"
    ours, theirs = score(export, gold), reference.score(export, gold)
    assert ours == theirs
    assert ours["recall"] < 0.95


def test_the_command_prints_the_figures(seed_document):
    out = io.StringIO()
    call_command("evaluate_extraction", seed_document.slug, str(GOLD), stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    figures = dict(part.split("=") for part in last.split() if "=" in part)
    assert float(figures["recall"]) >= 0.95
    assert float(figures["precision"]) >= 0.90
    assert figures["noise"] == "0/8"
    assert float(figures["contradiction_recall"]) >= 0.8
    assert float(figures["contradiction_precision"]) >= 0.8


def test_the_command_refuses_a_missing_or_bad_gold_file(seed_document, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate_extraction", seed_document.slug, str(tmp_path / "nope.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError, match="not a gold annotation"):
        call_command("evaluate_extraction", seed_document.slug, str(bad))
    with pytest.raises(CommandError, match="no document with slug 'nope'"):
        call_command("evaluate_extraction", "nope", str(GOLD))
