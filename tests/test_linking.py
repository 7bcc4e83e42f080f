"""Link detection across documents as the importer runs it (claims.linking): blocking keys in
the database, the latest claims per key, links stored and replaced. The rules themselves are
tested in test_links.py."""

import pytest

from claims import linking
from claims.importer import import_faq
from claims.models import Claim, ClaimKey, ClaimLink

DENIAL = "1. Does Kansas have a policy?\nKansas does not have a specific policy on data requests.\n"
AFFIRMATION = "1. What is the policy?\nKansas has established clear policies on data requests.\n"


def _import(text, slug):
    return import_faq(text, slug=slug, title=slug)


def _contradictions_between(first, second):
    return ClaimLink.objects.filter(
        source_document__in=[first, second],
        target_document__in=[first, second],
        relation=ClaimLink.Relation.CONTRADICTS,
    ).exclude(source_document=first, target_document=first)


@pytest.mark.django_db
def test_a_new_document_is_linked_with_an_earlier_one_that_shares_a_key():
    denial = _import(DENIAL, "kansas-denies").document
    result = _import(AFFIRMATION, "kansas-affirms")
    links = list(_contradictions_between(denial, result.document))
    assert len(links) == 1
    assert links[0].rule == "negation:policy"
    assert links[0].state == ClaimLink.State.SUGGESTED
    # The count the importer reports is what is stored.
    assert result.links == ClaimLink.touching(result.document).count() == 1


@pytest.mark.django_db
def test_each_key_names_its_claims_document():
    first = _import(DENIAL, "kansas-denies").document
    second = _import(AFFIRMATION, "kansas-affirms").document
    keys = ClaimKey.objects.select_related("claim__answer")
    assert {k.key for k in keys} == {"policy|Kansas"}
    assert {k.document_id for k in keys} == {first.id, second.id}
    assert all(k.document_id == k.claim.answer.document_id for k in keys)


@pytest.mark.django_db
def test_a_reimport_replaces_the_documents_keys_and_detected_links():
    denial = _import(DENIAL, "kansas-denies").document
    _import(AFFIRMATION, "kansas-affirms")
    assert _contradictions_between(denial, denial).count() == 0
    # The denial becomes an affirmation: its old key and its contradiction go.
    changed = DENIAL.replace("does not have a specific policy", "has a specific policy")
    result = _import(changed, "kansas-denies")
    assert result.outcome == "updated"
    keys = ClaimKey.objects.filter(document=denial)
    live = Claim.objects.live().filter(answer__document=denial, checkworthy=True)
    assert sorted(keys.values_list("claim", flat=True)) == sorted(live.values_list("id", flat=True))
    assert ClaimKey.objects.count() == 2
    assert not ClaimLink.objects.filter(relation=ClaimLink.Relation.CONTRADICTS).exists()
    assert result.links == ClaimLink.touching(denial).count()


@pytest.mark.django_db
def test_a_new_document_is_compared_with_the_latest_claims_per_key_only(monkeypatch):
    monkeypatch.setattr(linking, "BLOCK_LIMIT", 2)
    older = [_import(DENIAL, f"older-{n}").document for n in (1, 2)]
    recent = [_import(DENIAL, f"recent-{n}").document for n in (1, 2)]
    result = _import(AFFIRMATION, "kansas-affirms")
    linked = {
        document_id
        for link in ClaimLink.touching(result.document)
        for document_id in (link.source_document_id, link.target_document_id)
    } - {result.document.id}
    # One claim per document on "policy|Kansas": the two recent ones fill the block, and the
    # older documents' claims are beyond it.
    assert linked == {d.id for d in recent}
    assert not linked & {d.id for d in older}
