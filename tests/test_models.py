import pytest
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimLink, ClaimRuleError, StaleVersion, StatusChange


@pytest.fixture
def claim(seed_document):
    return Claim.objects.filter(answer__document=seed_document, checkworthy=True).first()


def test_a_claim_whose_quote_does_not_match_its_span_is_never_saved(claim):
    claim.quote = "something else"
    with pytest.raises(ValueError, match="does not match its quote"):
        claim.save()
    claim.refresh_from_db()
    assert claim.answer.text[claim.start : claim.end] == claim.quote


def test_set_status_writes_an_audit_row_and_bumps_the_version(claim, reviewer):
    change = claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="looking", version=1)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("in_review", 2)
    row = StatusChange.objects.get(claim=claim)
    assert row == change
    assert (row.old_status, row.new_status, row.by, row.note) == (
        "unverified",
        "in_review",
        reviewer,
        "looking",
    )


def test_a_stale_version_is_refused_and_says_who_changed_it(claim, reviewer, other_reviewer):
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, version=1)
    with pytest.raises(StaleVersion, match="rita changed this claim at") as info:
        claim.set_status(Claim.Status.SUPPORTED, by=other_reviewer, version=1)
    assert "now version 2" in str(info.value)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("in_review", 2)
    assert StatusChange.objects.filter(claim=claim).count() == 1


def test_setting_the_same_status_again_is_refused(claim, reviewer):
    with pytest.raises(ClaimRuleError, match="already Unverified"):
        claim.set_status(Claim.Status.UNVERIFIED, by=reviewer)
    assert not StatusChange.objects.exists()


def test_an_unknown_status_is_refused(claim, reviewer):
    with pytest.raises(ClaimRuleError, match="unknown status 'true'"):
        claim.set_status("true", by=reviewer)
    claim.refresh_from_db()
    assert claim.version == 1


def test_the_database_refuses_a_status_outside_the_choices(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="true")


def test_the_database_refuses_an_empty_span(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(end=claim.start)


def test_one_link_per_unordered_pair_and_relation(seed_document):
    a, b = Claim.objects.filter(answer__document=seed_document)[:2]
    link, created = ClaimLink.between(a, b, ClaimLink.Relation.CONTRADICTS, rule="test", score=0.5)
    again, created_again = ClaimLink.between(b, a, ClaimLink.Relation.CONTRADICTS)
    assert created and not created_again and again == link
    same, created_same = ClaimLink.between(b, a, ClaimLink.Relation.SAME_AS)
    assert created_same and same != link
    assert (link.source_claim_id, link.target_claim_id) == tuple(sorted([a.pk, b.pk]))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLink.objects.create(
            source_claim=max(a, b, key=lambda c: c.pk),
            target_claim=min(a, b, key=lambda c: c.pk),
            relation="contradicts",
        )


def test_a_claim_cannot_be_linked_to_itself(claim):
    with pytest.raises(ClaimRuleError, match="linked to itself"):
        ClaimLink.between(claim, claim, ClaimLink.Relation.SAME_AS)


def test_history_rows_protect_their_claim_from_deletion(claim, reviewer):
    from django.db.models import ProtectedError

    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    with pytest.raises(ProtectedError):
        claim.delete()
    assert StatusChange.objects.filter(claim=claim).count() == 1


def test_a_history_row_can_be_neither_edited_nor_deleted(claim, reviewer):
    change = claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="first look")
    change.note = "rewritten"
    with pytest.raises(ClaimRuleError, match="cannot be edited"):
        change.save()
    with pytest.raises(ClaimRuleError, match="cannot be deleted"):
        change.delete()
    assert StatusChange.objects.get().note == "first look"
