import io
import os
import re
import signal
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db.models import F

from claims.corpus import document
from claims.faq import parse
from claims.models import Answer, ClaimLink, Document

from .conftest import ROOT, run_cli


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


def test_documents_imported_by_different_processes_are_linked(transactional_db):
    # Documents 50 apart are about the same state, and only they share keys; with three
    # processes, each such pair is imported by two different ones. Whichever links second
    # must see the other's claims (claims.linking.lock_linking).
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_corpus", documents=60, seed=5, jobs=3, stdout=out, stderr=err)
    assert Document.objects.count() == 60
    assert "imported 60 documents, 720 answers" in out.getvalue()
    assert re.search(
        r"peak memory of the 3 import processes and this one together: \d+ KiB", out.getvalue()
    )
    assert [line.split(" in ")[0] for line in err.getvalue().splitlines()] == [
        f"{n}/60 documents" for n in range(6, 61, 6)
    ]
    pairs = {
        tuple(sorted(pair))
        for pair in ClaimLink.objects.exclude(source_document=F("target_document")).values_list(
            "source_document__slug", "target_document__slug"
        )
    }
    numbers = sorted(tuple(int(slug.rsplit("-", 1)[1]) for slug in pair) for pair in pairs)
    assert [tuple(sorted(pair)) for pair in numbers] == [(n, n + 50) for n in range(10)]


def test_a_failing_import_process_stops_the_batch_with_one_line(tmp_path):
    # No tables: the command's database was never migrated.
    code, out, err, _ = run_cli(
        "generate_corpus", "--documents", "4", "--jobs", "2", tmp_path=tmp_path
    )
    assert code == 1
    assert "Traceback" not in err
    assert re.fullmatch(
        r"CommandError: document \d: the database is not migrated: run `manage.py migrate` first "
        r"\(no such table: \w+\); documents imported so far are kept\n",
        err,
    ), err
    assert "imported" not in out


def test_jobs_must_be_at_least_one(tmp_path):
    code, _, err, _ = run_cli(
        "generate_corpus", "--documents", "4", "--jobs", "0", tmp_path=tmp_path
    )
    assert (code, err) == (1, "CommandError: --jobs must be at least 1\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_batch_with_one_line_and_keeps_what_was_imported(tmp_path, jobs):
    assert run_cli("migrate", "-v0", tmp_path=tmp_path)[0] == 0
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    database = tmp_path / "cli.sqlite3"
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SECRET_KEY="cli-test", DJANGO_HTTPS="0")
    command = [sys.executable, "manage.py", "generate_corpus", "--documents", "1000"]
    with subprocess.Popen(
        [*command, "--jobs", jobs],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job is
    ) as child:
        assert child.stderr.readline().startswith("100/1000 documents in ")
        os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C sends
        out, err = child.communicate(timeout=60)
    assert child.returncode == 1
    assert err.splitlines()[-1] == "CommandError: interrupted; documents imported so far are kept"
    assert "Traceback" not in err and "imported" not in out
    with sqlite3.connect(database) as db:
        (kept,) = db.execute("SELECT count(*) FROM claims_document").fetchone()
        # Every document kept is whole: twelve answers each.
        (answers,) = db.execute("SELECT count(*) FROM claims_answer").fetchone()
    assert 100 <= kept < 1000 and answers == 12 * kept
