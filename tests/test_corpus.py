import io
import re

from django.core.management import call_command

from claims.corpus import document
from claims.faq import parse
from claims.models import Answer, ClaimLink, Document


def test_documents_are_reproducible_and_vary():
    assert document(3, seed=1) == document(3, seed=1)
    assert document(3, seed=1)[2] != document(3, seed=2)[2]
    slugs = {document(n)[0] for n in range(100)}
    assert len(slugs) == 100


def test_every_document_parses_with_its_inner_lists_kept():
    for number in range(40):
        _, _, text = document(number)
        answers = parse(text)
        assert [a.number for a in answers] == list(range(1, len(answers) + 1))
        assert len(answers) == 12


def test_generate_corpus_imports_through_the_real_importer(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_corpus", documents=3, seed=5, stdout=out, stderr=err)
    assert Document.objects.count() == 3
    assert Answer.objects.count() == 36
    assert "imported 3 documents, 36 answers" in out.getvalue()
    # make bench reads this time; hundredths keep its ratio meaningful for runs under a second
    assert re.search(r" claims in \d+\.\d\d s \(\d+ answers/s\)", out.getvalue())
    # Not a terminal: a line at each tenth, with the time so far (make bench reads them too).
    lines = err.getvalue().splitlines()
    assert [line.split(" in ")[0] for line in lines] == [f"{n}/3 documents" for n in (1, 2, 3)]
    assert all(re.fullmatch(r"\d/3 documents in \d+\.\d\d s, \d+\.\d/s", line) for line in lines)
    assert ClaimLink.objects.exists()
