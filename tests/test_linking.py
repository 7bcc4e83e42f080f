"""Link detection across documents as the importer runs it (claims.linking): blocking keys in
the database, the latest claims per key, links stored and replaced. The rules themselves are
tested in test_links.py."""

import json
import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from psycopg import ClientCursor

from claims import linking
from claims.corpus import document as corpus_document
from claims.importer import import_faq
from claims.models import Claim, ClaimKey, ClaimLink, Document

DENIAL = "1. Does Kansas have a policy?\nKansas does not have a specific policy on data requests.\n"
# Statements other than inserts that importing a new document may run: its savepoint and
# release, the two slug lookups (does it exist; lock it), its answers and claims to link, on
# PostgreSQL the linking lock, the candidates (the latest claims per key, in one statement)
# and the page-cache bump.
BUDGET = 9
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


def _another_import_waits():
    """Is an import waiting for the linking lock (PostgreSQL)? SQLite cannot tell."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_are_linked_with_each_other():
    """The second import reaches its linking while the first has not committed. It must wait
    for the first (PostgreSQL: the linking lock; SQLite: the write lock) and then see its
    claims, or the two documents are never linked."""
    first_open, second_done = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                _import(DENIAL, "kansas-denies")
                first_open.set()
                # Keep the import uncommitted until the second one waits for it, or is done.
                deadline = time.monotonic() + (10 if connection.vendor == "postgresql" else 1)
                while not (second_done.is_set() or _another_import_waits()):
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
            first_open.set()
        finally:
            connection.close()

    def second():
        try:
            assert first_open.wait(30)
            _import(AFFIRMATION, "kansas-affirms")
        except Exception as exc:
            errors.append(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    denial, affirmation = (
        Document.objects.get(slug=s) for s in ("kansas-denies", "kansas-affirms")
    )
    assert [link.rule for link in _contradictions_between(denial, affirmation)] == [
        "negation:policy"
    ]


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


@pytest.mark.django_db
def test_deleting_a_document_deletes_its_keys_and_every_link_touching_it():
    # The document ids copied onto keys and links have no foreign key in the database
    # (models.COPIED_DOCUMENT): no row may be left naming a document that is gone.
    denial = _import(DENIAL, "kansas-denies").document
    affirmation = _import(AFFIRMATION, "kansas-affirms").document
    assert _contradictions_between(denial, affirmation).count() == 1
    gone = denial.id
    denial.delete()
    assert not ClaimKey.objects.filter(document_id=gone).exists()
    touching = Q(source_document_id=gone) | Q(target_document_id=gone)
    assert not ClaimLink.objects.filter(touching).exists()
    assert ClaimKey.objects.filter(document=affirmation).count() == 1


@pytest.mark.django_db
# SQLite reads key by key up to its limit on one statement's parts, then ranks with a window.
@pytest.mark.parametrize("compound_limit", [linking.SQLITE_COMPOUND_LIMIT, 1])
def test_the_candidate_read_stops_at_the_latest_claims_of_each_key(monkeypatch, compound_limit):
    monkeypatch.setattr(linking, "BLOCK_LIMIT", 2)
    monkeypatch.setattr(linking, "SQLITE_COMPOUND_LIMIT", compound_limit)
    for n in range(6):
        _import(DENIAL, f"older-{n}")
    recent = [_import(DENIAL, f"recent-{n}").document for n in range(2)]
    wanted = {"policy|Kansas", "bill:HB 1"}  # one key with a full block, one with none
    latest = Claim.objects.filter(pk__in=linking._latest_claims(wanted))
    assert {c.answer.document_id for c in latest} == {d.id for d in recent}
    if connection.vendor != "postgresql":
        if compound_limit > len(wanted):
            # SQLite keeps no plan from one statement to the next. Each key is one read of
            # the key index in its order, cut off by its LIMIT: nothing is sorted or ranked.
            steps = _sqlite_plan(linking._latest_claims(wanted))
            reads = [step for step in steps if "claimkey" in step]
            assert reads == [
                "SEARCH claims_claimkey USING COVERING INDEX claimkey_key_claim_idx (key=?)"
            ] * len(wanted), steps
            assert not [step for step in steps if "TEMP B-TREE" in step], steps
        return
    # PostgreSQL may run a prepared statement with a generic plan kept from when the table
    # was small (linking._latest_claims). Forced to one, the read must still stop at the
    # latest rows of each key, not read the whole block of eight.
    plan = _generic_plan(latest.values_list("pk"))
    assert _key_rows_read(plan) == 2


def _sqlite_plan(subquery):
    """The steps of SQLite's plan for a RawSQL or a queryset."""
    raw = isinstance(subquery, RawSQL)
    sql, params = (subquery.sql, subquery.params) if raw else subquery.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[3] for row in cursor.fetchall()]


def _generic_plan(queryset):
    """EXPLAIN ANALYZE of the queryset run as a prepared statement with a generic plan."""
    sql, params = queryset.query.sql_with_params()
    numbered = iter(range(1, len(params) + 1))
    sql = re.sub("%s", lambda _: f"${next(numbered)}", sql)
    with ClientCursor(connection.connection) as client:
        values = client.mogrify(", ".join(["%s"] * len(params)), params)
    with connection.cursor() as cursor:
        cursor.execute(f"PREPARE candidates AS {sql}")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) EXECUTE candidates({values})")
        (plan,) = cursor.fetchone()
        cursor.execute("DEALLOCATE candidates")
    assert "$1" in json.dumps(plan)  # made without the parameters' values
    return plan[0]["Plan"]


def _key_rows_read(node):
    """Rows the plan's nodes read from the keys table, over all their loops."""
    own = 0
    if node.get("Relation Name") == ClaimKey._meta.db_table:
        own = node["Actual Rows"] * node["Actual Loops"]
    return own + sum(_key_rows_read(child) for child in node.get("Plans", ()))


def _lookups_to_import(number):
    """The statements importing corpus document `number` runs, apart from its inserts, whose
    number follows the rows written."""
    slug, title, text = corpus_document(number, seed=5)
    with CaptureQueriesContext(connection) as queries:
        import_faq(text, slug=slug, title=title)
    statements = [q["sql"] for q in queries]
    return [sql.split()[0] for sql in statements if not sql.startswith("INSERT")]


@pytest.mark.django_db
def test_importing_a_document_runs_as_many_lookups_whatever_the_corpus_size():
    # Corpus documents 50 apart are about the same state: each measured one has candidates.
    for number in range(3):
        _import_corpus(number)
    small = _lookups_to_import(50)
    for number in range(3, 30):
        _import_corpus(number)
    large = _lookups_to_import(100)
    assert small == large
    # A new document has no answers, claims, keys or links to look up or replace.
    assert len(large) <= BUDGET, " ".join(large)


def _import_corpus(number):
    slug, title, text = corpus_document(number, seed=5)
    import_faq(text, slug=slug, title=title)
