"""Plain-row inserts (claims.rows), which the importer uses for claims, keys and links."""

import uuid

import pytest

from claims.importer import import_faq
from claims.models import Claim
from claims.rows import insert


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
