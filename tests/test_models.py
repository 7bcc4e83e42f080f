import json
import time
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from claims.importer import import_faq
from claims.linking import LINK_FIELDS
from claims.models import (
    Claim,
    ClaimLink,
    ClaimRuleError,
    StaleVersion,
    StatusChange,
    uuid7,
)
from claims.rows import insert
from claims.views import contradiction_list


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


# The choice fields rows are inserted with by the hundred on every import.
IMPORTED_CHOICES = [
    (Claim, "kind", Claim.Kind),
    (Claim, "status", Claim.Status),
    (ClaimLink, "relation", ClaimLink.Relation),
    (ClaimLink, "origin", ClaimLink.Origin),
    (ClaimLink, "state", ClaimLink.State),
]


@pytest.mark.parametrize(("model", "field", "choices"), IMPORTED_CHOICES)
def test_a_choice_check_takes_every_choice_and_refuses_any_other_value(
    seed_document, model, field, choices
):
    row = model.objects.order_by("pk").first()
    for value in choices.values:
        model.objects.filter(pk=row.pk).update(**{field: value})
        assert model.objects.filter(pk=row.pk, **{field: value}).exists()
    for value in ("", "Unverified", "maybe"):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(**{field: value})
    assert model.objects.filter(pk=row.pk, **{field: choices.values[-1]}).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Claim, ClaimLink])
def test_checking_a_new_rows_choices_builds_no_temporary_table(model):
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        # The checks are the same comparisons on PostgreSQL.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND conname LIKE %s",
                [table, "%_valid"],
            )
            checks = [row[0] for row in cursor.fetchall()]
        assert len(checks) == len({f for m, f, _ in IMPORTED_CHOICES if m is model})
        assert all(" OR " in check and "ANY" not in check for check in checks), checks
        return
    # SQLite runs `x IN (a, b, c)` by filling a temporary B-tree with the list, again each
    # time the statement runs; OR-ed comparisons cost a few instructions.
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})",
            [None] * len(columns),
        )
        opcodes = [row[1] for row in cursor.fetchall()]
    assert "Insert" in opcodes
    assert "OpenEphemeral" not in opcodes


def _links_between_all_claims(document):
    """A contradiction and a same_as link between every two claims of the document (about
    8,000 of each for the seed), so that a page of contradictions is worth an index."""
    claims = list(Claim.objects.order_by("id").values_list("id", flat=True))
    rows = [
        (a, b, document.id, document.id, relation, "detected", "suggested", (a * b % 97) / 97, "x")
        for i, a in enumerate(claims)
        for b in claims[i + 1 :]
        for relation in ("contradicts", "same_as")
    ]
    insert(ClaimLink, LINK_FIELDS, rows, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ClaimLink._meta.db_table}")  # autovacuum may be off


def test_the_contradiction_list_reads_its_page_from_the_contradiction_index(seed_document):
    _links_between_all_claims(seed_document)
    assert ClaimLink.objects.filter(relation="same_as").count() > 4000
    sql, params = contradiction_list()[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            steps = [row[3] for row in cursor.fetchall()]
            assert "SCAN claims_claimlink USING INDEX claimlink_contra_score_idx" in steps, steps
            assert not [step for step in steps if "TEMP B-TREE" in step], steps
            return
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        assert '"Index Name": "claimlink_contra_score_idx"' in json.dumps(cursor.fetchone()[0])
        # Prepared (the sixth run on a connection), the statement's generic plan could not use
        # a partial index: it must keep planning with the value instead. A page size no other
        # test reads makes a statement of its own on this connection, which the suite shares.
        for _ in range(12):
            list(contradiction_list()[:37])
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ['%FROM "claims_claimlink"%', '%."score" DESC, "claims_claimlink"."id" ASC LIMIT 37'],
        )
        ((generic, custom),) = cursor.fetchall()
    assert generic == 0 and custom >= 6


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


def test_uuid7_is_a_version_7_uuid_that_carries_the_time_it_was_made_in_milliseconds():
    before = time.time_ns() // 1_000_000
    made = uuid7()
    after = time.time_ns() // 1_000_000
    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert before <= made.int >> 80 <= after
    assert uuid.UUID(str(made)) == made


def test_uuid7s_made_in_later_milliseconds_sort_after_earlier_ones_as_values_and_as_text():
    made = []
    for _ in range(5):
        made.append(uuid7())
        time.sleep(0.002)
    assert made == sorted(made)
    assert [str(u) for u in made] == sorted(str(u) for u in made)


def test_uuid7s_made_in_the_same_millisecond_still_differ():
    made = [uuid7() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert len({u.int >> 80 for u in made}) < len(made)  # many shared a millisecond


def test_claims_imported_later_get_uuids_that_sort_after_earlier_ones(seed_document):
    time.sleep(0.002)
    later = import_faq("1. Is there a policy?\n\nOklahoma has a policy.\n", slug="later")
    first = Claim.objects.filter(answer__document=seed_document)
    second = Claim.objects.filter(answer__document=later.document)
    assert {c.uuid.version for c in [*first, *second]} == {7}
    assert max(c.uuid for c in first) < min(c.uuid for c in second)
    assert Claim().uuid.version == 7  # a claim made one by one (a split) too
