"""The review rules, on the model methods every view and the API call."""

import threading

import pytest
from django.db import close_old_connections

from claims.models import (
    Citation,
    Claim,
    ClaimLink,
    ClaimRuleError,
    Flag,
    StaleVersion,
    StatusChange,
)


def cite(claim, source, stance):
    return Citation.objects.create(claim=claim, source=source, stance=stance)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("supported", "Supported needs a note explaining the verdict"),
        ("refuted", "Refuted needs a note explaining the verdict"),
        ("partly_supported", "Partly supported needs a note explaining the verdict"),
        ("unsupported", "No evidence found needs a note saying where you looked"),
        ("outdated", "Outdated needs a note saying what changed"),
    ],
)
def test_every_verdict_needs_a_note(claim, reviewer, status, message):
    with pytest.raises(ClaimRuleError, match=message):
        claim.set_status(status, by=reviewer, note="  ")
    claim.refresh_from_db()
    assert claim.status == "unverified" and not StatusChange.objects.exists()


@pytest.mark.parametrize(
    ("status", "wrong_stance", "message"),
    [
        ("supported", "refutes", "Supported needs a citation that supports the claim"),
        ("refuted", "supports", "Refuted needs a citation that refutes the claim"),
        ("partly_supported", "context", "Partly supported needs a citation that supports or"),
    ],
)
def test_verdicts_need_matching_evidence(claim, reviewer, source, status, wrong_stance, message):
    cite(claim, source, wrong_stance)
    with pytest.raises(ClaimRuleError, match=message):
        claim.set_status(status, by=reviewer, note="checked")
    assert claim.status_changes.count() == 0


@pytest.mark.parametrize(
    ("status", "stance"),
    [("supported", "supports"), ("refuted", "refutes"), ("partly_supported", "refutes")],
)
def test_a_verdict_with_its_evidence_and_note_is_accepted(claim, reviewer, source, status, stance):
    cite(claim, source, stance)
    claim.set_status(status, by=reviewer, note="checked", version=1)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (status, 2)


def test_notes_citations_flags_and_links_leave_the_version_alone(claim, reviewer, source):
    cite(claim, source, "supports")
    Flag.objects.create(claim=claim, reason="needs_source", raised_by=reviewer)
    link = (
        ClaimLink.objects.filter(source_claim=claim).first()
        or ClaimLink.objects.filter(target_claim=claim).first()
    )
    link.confirm(by=reviewer)
    claim.refresh_from_db()
    assert claim.version == 1


@pytest.fixture
def confirmed_pair(claim, reviewer, source):
    other = Claim.objects.get(quote__contains="state law allows for data sharing")
    link = ClaimLink.objects.get(
        source_claim__in=[claim, other], target_claim__in=[claim, other], relation="contradicts"
    )
    link.confirm(by=reviewer, note="they cannot both hold")
    for c in (claim, other):
        cite(c, source, "supports")
    return claim, other, link


def test_two_claims_in_a_confirmed_contradiction_cannot_both_be_supported(confirmed_pair, reviewer):
    claim, other, link = confirmed_pair
    claim.set_status("supported", by=reviewer, note="statute says so")
    with pytest.raises(ClaimRuleError) as info:
        other.set_status("supported", by=reviewer, note="also")
    assert f"“{claim.text}”" in str(info.value)
    assert "reject that link first" in str(info.value)
    other.refresh_from_db()
    assert other.status == "unverified"
    link.reject(by=reviewer, note="on reflection they are compatible")
    other.set_status("supported", by=reviewer, note="also")
    other.refresh_from_db()
    assert other.status == "supported"


def test_a_link_between_two_supported_claims_cannot_be_confirmed(claim, reviewer, source):
    other = Claim.objects.get(quote__contains="state law allows for data sharing")
    for c in (claim, other):
        cite(c, source, "supports")
        c.set_status("supported", by=reviewer, note="ok")
    link = ClaimLink.objects.get(
        source_claim__in=[claim, other], target_claim__in=[claim, other], relation="contradicts"
    )
    with pytest.raises(ClaimRuleError, match="both claims are Supported"):
        link.confirm(by=reviewer)
    link.refresh_from_db()
    assert link.state == "suggested"


def test_rejecting_a_link_needs_a_note(seed_document, reviewer):
    link = ClaimLink.objects.first()
    with pytest.raises(ClaimRuleError, match="rejecting a link needs a note"):
        link.reject(by=reviewer, note="")
    link.reject(by=reviewer, note="different subjects")
    link.refresh_from_db()
    assert (link.state, link.note, link.decided_by) == ("rejected", "different subjects", reviewer)


def test_resolving_a_flag_needs_a_resolution(claim, reviewer):
    flag = Flag.objects.create(claim=claim, reason="possibly_false", raised_by=reviewer)
    with pytest.raises(ClaimRuleError, match="needs a resolution note"):
        flag.resolve(by=reviewer, resolution=" ")
    flag.resolve(by=reviewer, resolution="checked the statute")
    flag.refresh_from_db()
    assert flag.resolved_by == reviewer and flag.resolution == "checked the statute"
    with pytest.raises(ClaimRuleError, match="already resolved"):
        flag.resolve(by=reviewer, resolution="again")


def test_the_version_check_comes_before_every_other_rule(claim, reviewer):
    claim.set_status("in_review", by=reviewer)
    with pytest.raises(ClaimRuleError, match="rita changed this claim"):
        claim.set_status("supported", by=reviewer, note="", version=1)


def test_editing_a_span_keeps_the_history_and_bumps_the_version(claim, reviewer):
    claim.set_status("in_review", by=reviewer)
    claim.edit(by=reviewer, version=2, start=claim.start, end=claim.start + 20, text="Shorter.")
    claim.refresh_from_db()
    assert claim.version == 3 and claim.quote == claim.answer.text[claim.start : claim.end]
    assert claim.text == "Shorter."
    notes = list(claim.status_changes.values_list("note", flat=True))
    assert notes[0] == "" and notes[1].startswith("edited: span")


def test_an_edit_outside_the_answer_is_refused(claim, reviewer):
    with pytest.raises(ClaimRuleError, match="the span must lie inside the answer"):
        claim.edit(by=reviewer, version=1, start=5, end=100_000)


def test_splitting_keeps_the_first_part_and_makes_a_new_claim(claim, reviewer):
    at = claim.start + claim.quote.index(" unless") if " unless" in claim.quote else claim.end - 10
    second = claim.split(by=reviewer, version=1, at=at)
    claim.refresh_from_db()
    assert claim.end <= at <= second.start and second.end > second.start
    assert second.quote == second.answer.text[second.start : second.end]
    assert claim.version == 2 and second.status == "unverified"
    assert (
        "split" in claim.status_changes.get().note and "split" in second.status_changes.get().note
    )


def test_merging_keeps_both_histories(seed_document, reviewer):
    first, second = Claim.objects.filter(answer__number=2).order_by("start")[:2]
    second.set_status("in_review", by=reviewer)
    first.merge(second, by=reviewer, version=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first and second.status_changes.count() == 2
    assert first.start <= second.start and first.end >= second.end
    assert first not in Claim.objects.filter(merged_into__isnull=False)
    assert second not in Claim.objects.live()


def test_marking_not_a_claim(claim, reviewer):
    claim.mark_not_claim(by=reviewer, version=1)
    claim.refresh_from_db()
    assert not claim.checkworthy and claim.version == 2
    with pytest.raises(ClaimRuleError, match="already marked"):
        claim.mark_not_claim(by=reviewer)


@pytest.mark.django_db(transaction=True)
def test_racing_reviewers_on_one_version_exactly_one_wins(seed_bytes, reviewer, other_reviewer):
    from claims.importer import import_faq

    import_faq(seed_bytes, slug="race")
    claim = Claim.objects.filter(checkworthy=True).first()
    results, barrier = [], threading.Barrier(2)

    def attempt(user, status):
        close_old_connections()
        try:
            barrier.wait()
            Claim.objects.get(pk=claim.pk).set_status(status, by=user, version=1)
            results.append("won")
        except StaleVersion:
            results.append("stale")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=attempt, args=(reviewer, "in_review")),
        threading.Thread(target=attempt, args=(other_reviewer, "in_review")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claim.refresh_from_db()
    assert sorted(results) == ["stale", "won"]
    assert claim.version == 2
    assert StatusChange.objects.filter(claim=claim).count() == results.count("won")
