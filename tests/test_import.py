import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claims.importer import FaqError, import_faq
from claims.models import Answer, Citation, Claim, Document, Source

from .conftest import faq_documents, mangled_documents, run_cli


def run_command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_seed_imports_with_twenty_answers_and_claims_in_each(seed_document):
    answers = list(seed_document.answers.all())
    assert [a.number for a in answers] == list(range(1, 21))
    for answer in answers:
        assert answer.claims.exists(), f"answer {answer.number} has no claims"
    assert "1. Encryption:" in answers[3].text and "4. Regular Audits" in answers[3].text
    assert "a. Enhanced immigration enforcement" in answers[19].text
    assert seed_document.generated_by == "uscisguide.com"
    assert len(seed_document.content_hash) == 64


def test_every_quote_is_its_answers_text_between_start_and_end(seed_document):
    claims = Claim.objects.filter(answer__document=seed_document).select_related("answer")
    assert claims.count() > 60
    for claim in claims:
        assert claim.answer.text[claim.start : claim.end] == claim.quote


def test_advice_in_the_seed_is_stored_as_not_checkworthy(seed_document):
    advice = Claim.objects.get(quote__startswith="It is recommended to reach out directly")
    assert (advice.kind, advice.checkworthy) == ("advice", False)


def test_a_second_import_of_the_same_text_changes_nothing(seed_document, seed_bytes):
    before = list(Claim.objects.order_by("id").values_list("id", "uuid", "start", "end"))
    result = import_faq(seed_bytes, slug=seed_document.slug)
    assert result.outcome == "unchanged"
    assert "unchanged" in result.summary()
    after = list(Claim.objects.order_by("id").values_list("id", "uuid", "start", "end"))
    assert after == before


def test_the_command_says_unchanged_on_a_second_import(db, tmp_path, seed_bytes):
    path = tmp_path / "faq.txt"
    path.write_bytes(seed_bytes)
    assert "created ok: 20 answers" in run_command("import_faq", str(path), "--slug", "ok")
    assert "unchanged ok: 20 answers" in run_command("import_faq", str(path), "--slug", "ok")
    assert Document.objects.count() == 1


def test_reimport_with_changed_text_keeps_claims_whose_words_survive(
    seed_document, seed_bytes, reviewer
):
    kept = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    kept.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="checking")
    changed = seed_bytes.replace(
        b"This restriction is in place", b"Some new sentence is here. This restriction is in place"
    )
    result = import_faq(changed, slug=seed_document.slug)
    assert result.outcome == "updated"
    kept.refresh_from_db()
    assert kept.status == Claim.Status.IN_REVIEW
    assert kept.answer.text[kept.start : kept.end] == kept.quote
    assert Claim.objects.filter(quote="Some new sentence is here").exists()


def test_reimport_keeps_a_reviewed_claim_whose_words_vanished_as_an_orphan(
    seed_document, seed_bytes, reviewer
):
    claim = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    source = Source.objects.create(title="A statute", url="https://example.org/s")
    Citation.objects.create(claim=claim, source=source, stance="refutes", added_by=reviewer)
    claim.set_status(Claim.Status.IN_REVIEW, by=reviewer, note="checking the statute")
    changed = seed_bytes.replace(b"Oklahoma law prohibits", b"Oklahoma law permits")
    result = import_faq(changed, slug=seed_document.slug)
    assert result.changes["orphaned"] == 1
    claim.refresh_from_db()
    assert claim.orphaned and claim.status == Claim.Status.IN_REVIEW
    assert claim.citations.get().source == source
    assert claim.status_changes.get().note == "checking the statute"
    assert Claim.objects.filter(quote__startswith="Oklahoma law permits", orphaned=False).exists()


def test_reimport_removes_unreviewed_claims_whose_words_vanished(seed_document, seed_bytes):
    gone = Claim.objects.get(quote__startswith="Oklahoma law prohibits state agencies")
    changed = seed_bytes.replace(b"Oklahoma law prohibits", b"Oklahoma law permits")
    result = import_faq(changed, slug=seed_document.slug)
    assert result.changes["removed"] >= 1 and result.changes["orphaned"] == 0
    assert not Claim.objects.filter(pk=gone.pk).exists()


def test_reimport_keeps_each_repeated_sentence_as_the_claim_nearest_to_it(db):
    text = "1. What is the law?\n" + "Kansas has a law. " * 3
    import_faq(text, slug="ks")
    before = list(Claim.objects.order_by("start").values_list("uuid", "start"))
    assert [start for _, start in before] == [0, 18, 36]
    result = import_faq(text.replace("?\n", "?\nYes. "), slug="ks")
    assert (result.changes["moved"], result.changes["new"], result.changes["removed"]) == (3, 1, 0)
    after = Claim.objects.filter(quote="Kansas has a law").order_by("start")
    assert list(after.values_list("uuid", "start")) == [(uuid, start + 5) for uuid, start in before]


def test_a_dropped_question_keeps_its_reviewed_claims_as_orphans(db, reviewer):
    text = "1. What is A?\nKansas has a law on A.\n2. What is B?\nKansas has a rule on B.\n"
    document = import_faq(text, slug="ks").document
    reviewed = Claim.objects.get(quote="Kansas has a rule on B")
    reviewed.set_status(Claim.Status.IN_REVIEW, by=reviewer)
    import_faq("1. What is A?\nKansas has a law on A.\n", slug="ks")
    reviewed.refresh_from_db()
    assert reviewed.orphaned
    assert not reviewed.answer.current
    assert list(document.answers.filter(current=True).values_list("number", flat=True)) == [1]


def test_a_failure_late_in_the_file_writes_nothing(db):
    text = "1. What is A?\nA is one.\n2. What is B?\n\n3. What is C?\nC.\n"
    with pytest.raises(FaqError, match="question 2 has no answer"):
        import_faq(text, slug="late")
    assert not Document.objects.exists()
    assert not Answer.objects.exists()


def test_an_invalid_slug_is_refused(db):
    with pytest.raises(FaqError, match="slug 'no spaces' is not valid"):
        import_faq("1. Q?\nA.\n", slug="no spaces")


BAD_FILES = [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b"   \n\n", "only whitespace"),
    ("binary.bin", bytes(range(256)) * 4, "looks binary"),
    ("latin1.txt", "1. ¿Qué es?\nEs así.\n".encode("latin-1"), "not valid UTF-8"),
    ("prose.txt", b"Nothing numbered here.\nJust prose.\n", "no numbered questions found"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_files_exit_non_zero_with_one_line_and_write_nothing(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err, touched_database = run_cli(
        "import_faq", str(path), "--slug", "bad", tmp_path=tmp_path
    )
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0] and name in lines[0]
    assert "Traceback" not in err + out
    assert not touched_database


@override_settings(CLAIMS_MAX_IMPORT_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"1. Q?\n" + b"A" * 5000 + b"\n")
    code, _, err, touched_database = run_cli(
        "import_faq", str(path), "--slug", "big", tmp_path=tmp_path
    )
    assert code != 0
    # Only 1,001 bytes are read, but the message names the file's real size.
    assert err.strip().endswith("big.txt: file is 5,007 bytes; the import limit is 1,000 bytes")
    assert not touched_database


@override_settings(CLAIMS_MAX_IMPORT_BYTES=1000)
def test_standard_input_over_the_size_limit_is_refused(tmp_path):
    faq = "1. Q?\n" + "A" * 5000 + "\n"
    code, _, err, touched_database = run_cli(
        "import_faq", "-", "--slug", "big", tmp_path=tmp_path, stdin=faq
    )
    assert code != 0
    assert err.strip() == "CommandError: -: input is over the import limit of 1,000 bytes"
    assert not touched_database


def test_a_missing_file_is_one_clear_line(tmp_path):
    code, _, err, _ = run_cli(
        "import_faq", str(tmp_path / "nope.txt"), "--slug", "x", tmp_path=tmp_path
    )
    assert code != 0
    assert err.strip().endswith("nope.txt: no such file")


def test_a_folder_is_one_clear_line(tmp_path):
    (tmp_path / "faqs").mkdir()
    code, _, err, _ = run_cli(
        "import_faq", str(tmp_path / "faqs"), "--slug", "x", tmp_path=tmp_path
    )
    assert code != 0
    assert err.strip().endswith("faqs: is a folder, not a file")


def test_a_bad_date_is_one_clear_line(db, tmp_path):
    path = tmp_path / "faq.txt"
    path.write_text("1. Q?\nA is true.\n")
    with pytest.raises(CommandError, match="--retrieved-on 'May 5' is not a YYYY-MM-DD date"):
        run_command("import_faq", str(path), "--slug", "x", "--retrieved-on", "May 5")
    assert not Document.objects.exists()


def test_the_export_of_an_unknown_slug_exits_non_zero_with_one_line(tmp_path):
    run_cli("migrate", "-v0", tmp_path=tmp_path)
    code, _, err, _ = run_cli("export_claims", "nope", tmp_path=tmp_path)
    assert code != 0
    assert err.strip() == "CommandError: no document with slug 'nope' (known: none)"


def test_import_options_are_stored(db, tmp_path):
    path = tmp_path / "faq.txt"
    path.write_text("1. Does Kansas share data?\nKansas shares data with ICE.\n")
    call_command(
        "import_faq",
        str(path),
        slug="ks",
        title="Kansas FAQ",
        source_url="https://example.org/ks",
        generated_by="a chatbot",
        retrieved_on="2026-01-02",
        stdout=io.StringIO(),
    )
    doc = Document.objects.get(slug="ks")
    assert (doc.title, doc.source_url, doc.generated_by) == (
        "Kansas FAQ",
        "https://example.org/ks",
        "a chatbot",
    )
    assert str(doc.retrieved_on) == "2026-01-02"
    assert doc.answers.get().claims.get().quote == "Kansas shares data with ICE"


def stored(document):
    answers = document.answers.order_by("number").values_list("number", "question", "text")
    claims = Claim.objects.filter(answer__document=document).order_by("pk")
    return list(answers), list(claims.values_list("pk", "uuid", "start", "end", "quote", "text"))


# (the file's bytes, how many answers it must give, or None when it may also be refused)
FILES = st.one_of(
    faq_documents(max_questions=3).map(lambda d: (d[0].encode("utf-8"), len(d[1]))),
    mangled_documents().map(lambda data: (data, None)),
)


# The db fixture only opens the database for the test. Each example runs in a savepoint that
# is rolled back, so examples share no rows and reusing the fixture across them is safe.
@pytest.mark.fuzz
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=FILES)
def test_any_file_is_imported_whole_and_once_or_refused_with_nothing_written(db, file):
    data, answers = file
    with transaction.atomic():
        try:
            result = import_faq(data, slug="fuzz")
        except FaqError as exc:
            event("refused")
            # A well-formed file is refused only for an answer without a sentence (":").
            assert answers is None or "has no sentence to extract a claim from" in str(exc)
            assert str(exc) and "\n" not in str(exc)
            assert not (Document.objects.exists() or Answer.objects.exists())
            assert not Claim.objects.exists()
        else:
            event("imported")
            document = result.document
            numbers = list(document.answers.values_list("number", flat=True))
            assert sorted(numbers) == list(range(1, result.answers + 1))
            assert answers in (None, result.answers)
            claims = Claim.objects.filter(answer__document=document).select_related("answer")
            assert len(claims) == result.claims
            for claim in claims:
                assert claim.answer.text[claim.start : claim.end] == claim.quote
            before = stored(document)
            assert import_faq(data, slug="fuzz").outcome == "unchanged"
            assert stored(document) == before
        transaction.set_rollback(True)
