"""Plain-row inserts (claims.rows), which the importer uses for claims, keys and links."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from claims.importer import import_faq
from claims.models import Claim, ClaimKey, ClaimLink
from claims.rows import MAX_PARAMS, insert


@pytest.mark.django_db
def test_a_row_gets_the_fields_it_is_given_and_the_models_defaults_for_the_rest():
    answer = import_faq("1. Q?\nKansas shares data.\n", slug="ks").document.answers.get()
    given = uuid.uuid4()
    insert(
        Claim,
        ("uuid", "answer_id", "start", "end", "quote", "text", "rule"),
        [(given, answer.id, 0, 6, "Kansas", "Kansas.", "test")],
    )
    claim = Claim.objects.get(uuid=given)
    assert (claim.answer_id, claim.start, claim.end, claim.quote) == (answer.id, 0, 6, "Kansas")
    # A choice's default is stored as its value, not its name.
    assert Claim.objects.filter(pk=claim.pk, status="unverified").exists()
    assert (claim.version, claim.checkworthy, claim.orphaned) == (1, True, False)
    assert claim.created is not None and claim.updated is not None


@pytest.mark.django_db
def test_a_unique_field_left_to_its_default_is_refused_before_anything_is_written():
    answer = import_faq("1. Q?\nKansas shares data.\n", slug="ks").document.answers.get()
    before = Claim.objects.count()
    with pytest.raises(ValueError, match="give uuid in each row: it is unique"):
        insert(Claim, ("answer_id", "start", "end", "quote", "text"), [(answer.id, 0, 6, "K", "K")])
    assert Claim.objects.count() == before


def _keys_of(answer):
    claim = Claim.objects.filter(answer=answer).first()
    return claim, ClaimKey.objects.filter(claim=claim)


@pytest.mark.django_db
def test_more_rows_than_one_statement_takes_are_all_written():
    answer = import_faq("1. Q?\nKansas shares data.\n", slug="ks").document.answers.get()
    claim, keys = _keys_of(answer)
    keys.delete()
    # Three columns a row: one statement takes this many rows, the database's limit on
    # parameters over three.
    per_statement = (connection.features.max_query_params or MAX_PARAMS) // 3
    count = 2 * per_statement + 1
    insert(
        ClaimKey,
        ("claim_id", "document_id", "key"),
        ((claim.id, answer.document_id, f"k{n}") for n in range(count)),
    )
    assert keys.count() == count
    assert set(keys.values_list("key", flat=True)) == {f"k{n}" for n in range(count)}


@pytest.mark.django_db
def test_a_row_breaking_a_check_raises_an_integrity_error_and_nothing_is_written():
    document = import_faq("1. Q?\nKansas shares data.\n\n2. Q?\nKansas does not.\n", slug="ks")
    a, b = Claim.objects.filter(answer__document=document.document).order_by("id")[:2]
    fields = ("source_claim_id", "target_claim_id", "source_document_id", "target_document_id")
    ends = (a.id, b.id, document.document.id, document.document.id)
    ClaimLink.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(
            ClaimLink,
            (*fields, "relation", "state"),
            [(*ends, "contradicts", "suggested"), (*ends, "same_as", "maybe")],
        )
    assert not ClaimLink.objects.exists()


@pytest.mark.django_db
def test_ignoring_conflicts_skips_the_rows_already_stored_and_writes_the_others():
    answer = import_faq("1. Q?\nKansas shares data.\n", slug="ks").document.answers.get()
    claim, keys = _keys_of(answer)
    keys.delete()
    rows = [(claim.id, answer.document_id, key) for key in ("a", "b")]
    insert(ClaimKey, ("claim_id", "document_id", "key"), rows[:1])
    insert(ClaimKey, ("claim_id", "document_id", "key"), rows, ignore_conflicts=True)
    assert sorted(keys.values_list("key", flat=True)) == ["a", "b"]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(ClaimKey, ("claim_id", "document_id", "key"), rows[1:])
    assert keys.count() == 2
