import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.importer import import_faq, reextract
from claims.models import Citation, Claim, ClaimLink, Note, Source


def run(*args):
    out = io.StringIO()
    call_command("reextract", *args, stdout=out)
    return out.getvalue()


def test_reextracting_unchanged_text_changes_no_claim(seed_document):
    before = list(Claim.objects.order_by("id").values_list("uuid", "start", "end", "text"))
    out = run(seed_document.slug)
    assert f"{len(before)} unchanged, 0 moved, 0 orphaned, 0 new, 0 removed" in out
    assert list(Claim.objects.order_by("id").values_list("uuid", "start", "end", "text")) == before


def test_reextraction_keeps_review_work_when_the_engine_splits_differently(seed_document, reviewer):
    claim = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    source = Source.objects.create(title="Title 56 § 183", url="https://example.org/56")
    Citation.objects.create(claim=claim, source=source, stance="refutes", added_by=reviewer)
    Note.objects.create(claim=claim, author=reviewer, body="see § 183", public=True)
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="looking")
    # A reviewer widened the claim to the whole sentence (as an edit would); the engine's own
    # spans now overlap it and must give way to it.
    sentence_end = claim.answer.text.index("court order") + len("court order")
    Claim.objects.filter(pk=claim.pk).update(
        end=sentence_end, quote=claim.answer.text[claim.start : sentence_end]
    )
    result = reextract(seed_document)
    claim.refresh_from_db()
    assert not claim.orphaned and claim.status == Claim.Status.IN_REVIEW
    assert claim.answer.text[claim.start : claim.end] == claim.quote
    assert claim.citations.count() == 1 and claim.notes.count() == 1
    assert claim.status_changes.count() == 1
    overlapping = Claim.objects.filter(
        answer=claim.answer, start__lt=claim.end, end__gt=claim.start
    ).exclude(pk=claim.pk)
    assert not overlapping.exists()
    assert result.changes["removed"] >= 1


def test_a_reviewed_claim_that_moved_is_reanchored(db, reviewer):
    import_faq("1. Q?\nKansas shares data. Kansas audits requests.\n", slug="ks")
    claim = Claim.objects.get(quote="Kansas audits requests")
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    result = import_faq("1. Q?\nKansas shares data with ICE. Kansas audits requests.\n", slug="ks")
    claim.refresh_from_db()
    assert result.changes["moved"] == 1 and result.changes["new"] == 1
    assert claim.answer.text[claim.start : claim.end] == "Kansas audits requests"
    assert claim.start == len("Kansas shares data with ICE. ")


def test_an_orphan_whose_words_return_is_anchored_again(db, reviewer):
    import_faq("1. Q?\nKansas shares data. Kansas audits requests.\n", slug="ks")
    claim = Claim.objects.get(quote="Kansas audits requests")
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    import_faq("1. Q?\nKansas shares data.\n", slug="ks")
    claim.refresh_from_db()
    assert claim.orphaned
    import_faq("1. Q?\nKansas shares data. Kansas audits requests.\n", slug="ks")
    claim.refresh_from_db()
    assert not claim.orphaned and claim.start == len("Kansas shares data. ")


def test_reviewer_judgements_on_links_survive_reextraction(seed_document, reviewer):
    link = ClaimLink.objects.filter(relation="contradicts").first()
    ClaimLink.objects.filter(pk=link.pk).update(state=ClaimLink.State.REJECTED)
    reextract(seed_document)
    link.refresh_from_db()
    assert link.state == ClaimLink.State.REJECTED


def test_the_command_needs_slugs_or_all(db):
    with pytest.raises(CommandError, match="name one or more document slugs, or give --all"):
        run()
    with pytest.raises(CommandError, match="no document with slug nope"):
        run("nope")


def test_reextract_all_shows_progress(seed_document):
    import_faq("1. Does Kansas share data?\nKansas shares data with ICE.\n", slug="ks")
    lines = run("--all").strip().splitlines()
    assert lines[0].startswith("[1/2] re-extracted ks:")
    assert lines[1].startswith("[2/2] re-extracted oklahoma-ice-benefits:")


def test_contradictions_are_found_across_documents(db):
    import_faq(
        "1. Does Kansas have a policy?\nKansas does not have a written policy on ICE requests.\n",
        slug="ks-a",
    )
    result = import_faq(
        "1. What is the policy?\nKansas has adopted a policy governing ICE requests.\n",
        slug="ks-b",
    )
    link = ClaimLink.objects.get()
    assert (link.relation, link.rule, link.state) == ("contradicts", "negation:policy", "suggested")
    documents = {link.source_claim.answer.document.slug, link.target_claim.answer.document.slug}
    assert documents == {"ks-a", "ks-b"}
    assert result.links == 1


def test_documents_about_different_states_are_not_linked(db):
    import_faq("1. Does Kansas have a policy?\nKansas does not have a policy on ICE.\n", slug="a")
    import_faq("1. Does Ohio have a policy?\nOhio has adopted a policy on ICE.\n", slug="b")
    assert not ClaimLink.objects.exists()
